import type { SessionRevoker } from "../auth/revocation";
import { accountChannel, type IoServer, type IoSocket } from "./io";

/**
 * Takes an account's live authority away when it changes (deactivated, re-roled, moved, password reset):
 * its access tokens stop working on the next request (the version they carry is now old) and its open
 * sockets are disconnected now, leaving their rooms at once instead of waiting to resume. The client
 * then refreshes, which re-reads the account (or fails for a deactivated one).
 */
export class AccessRevocation implements SessionRevoker {
  readonly #io: IoServer;

  constructor(io: IoServer) {
    this.#io = io;
  }

  /** Every connected socket joins its account's channel, so a revocation finds it on any process. */
  track(socket: IoSocket): void {
    void socket.join(accountChannel(socket.data.actor.id));
  }

  /**
   * After a change that applied `staleTokens` (in the caller's transaction): drop the account's sockets,
   * here (counted) and on the other signaling processes (with Redis the adapter carries the order there).
   */
  disconnect(userId: string): number {
    let count = 0;
    for (const socket of this.#io.sockets.sockets.values()) {
      if (socket.data.actor?.id !== userId) continue;
      socket.data.revoked = true;
      socket.disconnect(true);
      count++;
    }
    this.#io.in(accountChannel(userId)).disconnectSockets(true);
    return count;
  }

  /**
   * Whether a socket went because its account was revoked, so its peer leaves now instead of waiting to
   * resume. On another process the order arrives as a server-side disconnect ("server namespace
   * disconnect") without the flag: the server disconnects a socket on purpose only here (a shutdown
   * says "server shutting down"; a client leaving, a network drop or a ping timeout say otherwise).
   */
  static revoked(socket: Pick<IoSocket, "data">, reason: string): boolean {
    return socket.data.revoked === true || reason === "server namespace disconnect";
  }
}
