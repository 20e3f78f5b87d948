import type { Peer, Room } from "../../sfu";
import type { Moderation as ModerationSnapshot } from "../protocol";

class RoomModeration {
  muteAll = false;
  readonly muted = new Set<string>();
  readonly chairs = new Set<string>();
}

/**
 * What the chair imposes on a room's microphones. Kept beside the room (not in the SFU, which knows no
 * chairs) and dropped with it.
 */
export class Moderation {
  readonly #rooms = new WeakMap<Room, RoomModeration>();

  #of(room: Room): RoomModeration {
    let state = this.#rooms.get(room);
    if (!state) {
      state = new RoomModeration();
      this.#rooms.set(room, state);
    }
    return state;
  }

  registerPeer(room: Room, peer: Peer, chair: boolean): void {
    if (chair) this.#of(room).chairs.add(peer.id);
  }

  /** Muted by the chair: individually, or by mute-all (which never applies to chairs). */
  isMuted(room: Room, peer: Peer): boolean {
    const state = this.#of(room);
    return state.muted.has(peer.id) || (state.muteAll && !state.chairs.has(peer.id));
  }

  setMuted(room: Room, peerId: string, muted: boolean): void {
    const state = this.#of(room);
    if (muted) state.muted.add(peerId);
    else state.muted.delete(peerId);
  }

  /** Lifting mute-all also lifts individual mutes: the chair gives the floor back to everyone. */
  setMuteAll(room: Room, on: boolean): void {
    const state = this.#of(room);
    state.muteAll = on;
    if (!on) state.muted.clear();
  }

  snapshot(room: Room): ModerationSnapshot {
    const state = this.#of(room);
    const present = new Set(room.peers.map((peer) => peer.id));
    return { muteAll: state.muteAll, mutedPeerIds: [...state.muted].filter((id) => present.has(id)) };
  }
}
