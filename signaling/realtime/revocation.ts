import type { SessionRevoker } from "../auth/revocation";
import type { IoServer } from "./io";

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

  /** After a change that applied `staleTokens` (in the caller's transaction): drop the account's sockets. */
  disconnect(userId: string): number {
    let count = 0;
    for (const socket of this.#io.sockets.sockets.values()) {
      if (socket.data.actor?.id !== userId) continue;
      socket.data.revoked = true;
      socket.disconnect(true);
      count++;
    }
    return count;
  }
}
