import type { Peer, Room } from "../../sfu";
import type { Moderation as ModerationSnapshot } from "../protocol";

class RoomModeration {
  muteAll = false;
  locked = false;
  floorPeerId: string | null = null;
  spotlightPeerId: string | null = null;
  recording = false;
  readonly muted = new Set<string>();
  readonly chairs = new Set<string>();
  readonly receiveOnly = new Set<string>();
  /** Insertion order is the order hands went up. */
  readonly hands = new Set<string>();
}

/**
 * What the chair imposes on a room: microphones, the floor, the spotlight, the lock. Kept beside the
 * room (not in the SFU, which knows no chairs) and dropped with it.
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

  registerPeer(room: Room, peer: Peer, chair: boolean, receiveOnly = false): void {
    if (chair) this.#of(room).chairs.add(peer.id);
    if (receiveOnly) this.#of(room).receiveOnly.add(peer.id);
  }

  /** Observers of a reception watch and listen; they never send. */
  isReceiveOnly(room: Room, peer: Peer): boolean {
    return this.#of(room).receiveOnly.has(peer.id);
  }

  /** Muted by the chair: individually, or by mute-all (which spares chairs and the site with the floor). */
  isMuted(room: Room, peer: Peer): boolean {
    const state = this.#of(room);
    if (state.muted.has(peer.id)) return true;
    return state.muteAll && !state.chairs.has(peer.id) && state.floorPeerId !== peer.id;
  }

  isChair(room: Room, peer: Peer): boolean {
    return this.#of(room).chairs.has(peer.id);
  }

  /** Screen sharing is for the chair and for the site that has the floor. */
  mayShareScreen(room: Room, peer: Peer): boolean {
    const state = this.#of(room);
    return state.chairs.has(peer.id) || state.floorPeerId === peer.id;
  }

  chairPeerIds(room: Room): string[] {
    return [...this.#of(room).chairs];
  }

  isRecording(room: Room): boolean {
    return this.#of(room).recording;
  }

  setRecording(room: Room, recording: boolean): void {
    this.#of(room).recording = recording;
  }

  isLocked(room: Room): boolean {
    return this.#of(room).locked;
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

  setLocked(room: Room, locked: boolean): void {
    this.#of(room).locked = locked;
  }

  setSpotlight(room: Room, peerId: string | null): void {
    this.#of(room).spotlightPeerId = peerId;
  }

  setHand(room: Room, peerId: string, raised: boolean): void {
    const hands = this.#of(room).hands;
    if (raised) hands.add(peerId);
    else hands.delete(peerId);
  }

  /**
   * Gives the floor (the site may speak and is spotlighted) or takes it back. Returns the peer that
   * lost the floor, whose microphone the caller mutes again if mute-all holds.
   */
  setFloor(room: Room, peerId: string | null): string | null {
    const state = this.#of(room);
    const previous = state.floorPeerId;
    state.floorPeerId = peerId;
    if (peerId) {
      state.hands.delete(peerId);
      state.muted.delete(peerId);
      state.spotlightPeerId = peerId;
    } else if (state.spotlightPeerId === previous) {
      state.spotlightPeerId = null;
    }
    return previous !== peerId ? previous : null;
  }

  snapshot(room: Room): ModerationSnapshot {
    const state = this.#of(room);
    const present = new Set(room.peers.map((peer) => peer.id));
    const here = (id: string | null) => (id && present.has(id) ? id : null);
    return {
      muteAll: state.muteAll,
      mutedPeerIds: [...state.muted].filter((id) => present.has(id)),
      locked: state.locked,
      hands: [...state.hands].filter((id) => present.has(id)),
      floorPeerId: here(state.floorPeerId),
      spotlightPeerId: here(state.spotlightPeerId),
      chairPeerIds: [...state.chairs].filter((id) => present.has(id)),
      recording: state.recording,
    };
  }
}
