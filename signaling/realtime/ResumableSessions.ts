import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Peer, Room } from "../../sfu";

interface Held {
  room: Room;
  peer: Peer;
  actorId: string;
  timer: NodeJS.Timeout | undefined;
  /** When the socket dropped: the gap is recorded in attendance if the peer resumes. */
  droppedAt: Date;
}

/**
 * Keeps a peer in its room for a grace period after its socket drops, so a site on a weak link that
 * reconnects within it comes back as the same peer: its media never stopped (the browser's WebRTC
 * connection does not depend on the socket) and nobody saw it leave.
 */
export class ResumableSessions {
  readonly #graceMs: number;
  readonly #tokens = new Map<string, Buffer>();
  readonly #held = new Map<string, Held>();

  constructor(graceMs: number) {
    this.#graceMs = graceMs;
  }

  /** A secret for one peer, returned at join and presented on resume. */
  issue(peerId: string): string {
    const token = randomBytes(24);
    this.#tokens.set(peerId, token);
    return token.toString("base64url");
  }

  /** The socket dropped: keep the peer until the grace period ends, then `expire` it. */
  hold(room: Room, peer: Peer, actorId: string, expire: () => void): void {
    const held: Held = { room, peer, actorId, timer: undefined, droppedAt: new Date() };
    held.timer = setTimeout(() => {
      if (this.#held.get(peer.id) !== held) return;
      this.#held.delete(peer.id);
      this.#tokens.delete(peer.id);
      expire();
    }, this.#graceMs);
    held.timer.unref();
    this.#held.set(peer.id, held);
  }

  /** Hands the held peer back to the same account presenting its token, or null. */
  claim(peerId: string, token: string, actorId: string): { room: Room; peer: Peer; droppedAt: Date } | null {
    const held = this.#held.get(peerId);
    const expected = this.#tokens.get(peerId);
    const given = Buffer.from(token, "base64url");
    if (!held || !expected || given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    if (held.actorId !== actorId || held.room.closed || held.peer.closed) return null;
    clearTimeout(held.timer);
    this.#held.delete(peerId);
    return { room: held.room, peer: held.peer, droppedAt: held.droppedAt };
  }

  /** The peer left for good (leave, room closed): its token is void. */
  forget(peerId: string): void {
    const held = this.#held.get(peerId);
    if (held) clearTimeout(held.timer);
    this.#held.delete(peerId);
    this.#tokens.delete(peerId);
  }

  get heldCount(): number {
    return this.#held.size;
  }

  /** Shutdown: nothing waits on timers any more. */
  clear(): void {
    for (const held of this.#held.values()) clearTimeout(held.timer);
    this.#held.clear();
    this.#tokens.clear();
  }
}
