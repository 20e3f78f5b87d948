import { z } from "zod";
import type { Peer, Room } from "../../sfu";
import type { Db } from "../db/client";
import type { Logger } from "../logger";
import type { Moderation as ModerationSnapshot } from "../protocol";
import { type IoServer, peerChannel, type RoomChannels, roomChannels, SINGLE_PROCESS } from "./io";

/**
 * What survives a restart of the signaling process, by account (peer ids are new after it): a site that
 * was muted comes back muted, a raised hand stays in the queue, a locked room lets its members back in.
 */
const persistedSchema = z.object({
  muteAll: z.boolean(),
  locked: z.boolean(),
  floorUserId: z.string().nullable(),
  spotlightUserId: z.string().nullable(),
  mutedUserIds: z.array(z.string()),
  handUserIds: z.array(z.string()),
  memberUserIds: z.array(z.string()),
});
type Persisted = z.infer<typeof persistedSchema>;

/** Where a room's moderation is kept between processes (table RoomModerationState). */
export interface ModerationStore {
  load(roomId: string): Promise<Persisted | null>;
  save(roomId: string, state: Persisted): Promise<void>;
  drop(roomId: string): Promise<void>;
}

export class DbModerationStore implements ModerationStore {
  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
  ) {}

  async load(roomId: string): Promise<Persisted | null> {
    const row = await this.db.roomModerationState.findUnique({ where: { roomId } });
    if (!row) return null;
    try {
      const parsed = persistedSchema.safeParse(JSON.parse(row.state));
      if (parsed.success) return parsed.data;
    } catch {
      // Fall through: an unreadable row is treated as none.
    }
    this.logger.warn({ roomId }, "stored room moderation unreadable; starting afresh");
    return null;
  }

  async save(roomId: string, state: Persisted): Promise<void> {
    const json = JSON.stringify(state);
    await this.db.roomModerationState.upsert({ where: { roomId }, create: { roomId, state: json }, update: { state: json } });
  }

  async drop(roomId: string): Promise<void> {
    await this.db.roomModerationState.deleteMany({ where: { roomId } });
  }
}

/**
 * One room's moderation: the one place that answers "does this peer chair here", "is it muted", "may it
 * share its screen", and holds the floor, hands, lock and spotlight. Rules that concern a site are kept
 * by account, so they hold for the same site after a reconnect or a restart.
 */
export class RoomModeration {
  muteAll = false;
  locked = false;
  floorUserId: string | null = null;
  spotlightUserId: string | null = null;
  recording = false;
  readonly mutedUsers = new Set<string>();
  /** Insertion order is the order hands went up. */
  readonly handUsers = new Set<string>();
  /** Accounts that have been in the room: a lock keeps newcomers out, not members coming back. */
  readonly memberUsers = new Set<string>();
  /** Chairing is decided per peer at join (the same account may chair one room and not another). */
  readonly chairs = new Set<string>();
  readonly receiveOnly = new Set<string>();
  readonly #userOf = new Map<string, string>();

  constructor(persisted: Persisted | null) {
    if (!persisted) return;
    this.muteAll = persisted.muteAll;
    this.locked = persisted.locked;
    this.floorUserId = persisted.floorUserId;
    this.spotlightUserId = persisted.spotlightUserId;
    for (const id of persisted.mutedUserIds) this.mutedUsers.add(id);
    for (const id of persisted.handUserIds) this.handUsers.add(id);
    for (const id of persisted.memberUserIds) this.memberUsers.add(id);
  }

  register(peer: Peer, userId: string, chair: boolean, receiveOnly: boolean): void {
    this.#userOf.set(peer.id, userId);
    this.memberUsers.add(userId);
    if (chair) this.chairs.add(peer.id);
    if (receiveOnly) this.receiveOnly.add(peer.id);
  }

  userOf(peerId: string): string | undefined {
    return this.#userOf.get(peerId);
  }

  isChair(peerId: string): boolean {
    return this.chairs.has(peerId);
  }

  hasFloor(peerId: string): boolean {
    return this.floorUserId !== null && this.#userOf.get(peerId) === this.floorUserId;
  }

  /** Muted by the chair: individually, or by mute-all (which spares chairs and the site with the floor). */
  isMuted(peerId: string): boolean {
    const user = this.#userOf.get(peerId);
    if (user !== undefined && this.mutedUsers.has(user)) return true;
    return this.muteAll && !this.chairs.has(peerId) && !this.hasFloor(peerId);
  }

  /** Screen sharing is for the chair and for the site that has the floor. */
  mayShareScreen(peerId: string): boolean {
    return this.chairs.has(peerId) || this.hasFloor(peerId);
  }

  persisted(): Persisted {
    return {
      muteAll: this.muteAll,
      locked: this.locked,
      floorUserId: this.floorUserId,
      spotlightUserId: this.spotlightUserId,
      mutedUserIds: [...this.mutedUsers],
      handUserIds: [...this.handUsers],
      memberUserIds: [...this.memberUsers],
    };
  }
}

/**
 * The rooms' moderation objects, kept beside the rooms (not in the SFU, which knows no chairs): created
 * from the stored state when a room is first entered, stored again on every change before the chair's
 * request is answered, and dropped when the room ends or empties.
 */
export class Moderation {
  readonly #rooms = new WeakMap<Room, RoomModeration>();
  readonly #loading = new WeakMap<Room, Promise<RoomModeration>>();
  readonly #writes = new Map<string, Promise<void>>();
  readonly #io: IoServer | undefined;
  readonly #channels: RoomChannels;
  readonly #store: ModerationStore | undefined;
  readonly #logger: Logger | undefined;

  constructor(options: { io?: IoServer; channels?: RoomChannels; store?: ModerationStore; logger?: Logger } = {}) {
    this.#io = options.io;
    this.#channels = options.channels ?? roomChannels(SINGLE_PROCESS);
    this.#store = options.store;
    this.#logger = options.logger;
  }

  /** The room's moderation, restored from the store the first time the room is entered in this process. */
  async load(room: Room): Promise<RoomModeration> {
    const existing = this.#rooms.get(room);
    if (existing) return existing;
    let loading = this.#loading.get(room);
    if (!loading) {
      loading = (this.#store?.load(room.id) ?? Promise.resolve(null)).then(
        (persisted) => this.#create(room, persisted),
        (error: unknown) => {
          this.#logger?.error({ err: error, roomId: room.id }, "could not read the stored room moderation");
          return this.#create(room, null);
        },
      );
      this.#loading.set(room, loading);
    }
    return loading;
  }

  #create(room: Room, persisted: Persisted | null): RoomModeration {
    const already = this.#rooms.get(room);
    if (already) return already;
    const state = new RoomModeration(persisted);
    this.#rooms.set(room, state);
    room.once("closed", (reason) => {
      // A room that ended or emptied is over; one closed by a shutdown or a dead worker comes back.
      if (reason === "ended" || reason === "empty") void this.#write(room.id, () => this.#store?.drop(room.id));
    });
    return state;
  }

  of(room: Room): RoomModeration {
    let state = this.#rooms.get(room);
    if (!state) {
      // Rooms are entered through `load`; this only covers callers reaching a room some other way.
      state = this.#create(room, null);
    }
    return state;
  }

  registerPeer(room: Room, peer: Peer, userId: string, chair: boolean, receiveOnly = false): void {
    this.of(room).register(peer, userId, chair, receiveOnly);
  }

  /** A locked room keeps newcomers out; its chairs and the accounts already in it get (back) in. */
  mayEnter(room: Room, userId: string, chair: boolean): boolean {
    const state = this.of(room);
    return !state.locked || chair || state.memberUsers.has(userId);
  }

  /** The chair removed this peer: its account no longer counts as a member of the room. */
  expel(room: Room, peerId: string): void {
    const state = this.of(room);
    const user = state.userOf(peerId);
    if (user !== undefined) state.memberUsers.delete(user);
  }

  /** Observers of a reception watch and listen; they never send. */
  isReceiveOnly(room: Room, peer: Peer): boolean {
    return this.of(room).receiveOnly.has(peer.id);
  }

  isMuted(room: Room, peer: Peer): boolean {
    return this.of(room).isMuted(peer.id);
  }

  isChair(room: Room, peer: Peer): boolean {
    return this.of(room).isChair(peer.id);
  }

  mayShareScreen(room: Room, peer: Peer): boolean {
    return this.of(room).mayShareScreen(peer.id);
  }

  chairPeerIds(room: Room): string[] {
    return [...this.of(room).chairs];
  }

  isRecording(room: Room): boolean {
    return this.of(room).recording;
  }

  setRecording(room: Room, recording: boolean): void {
    this.of(room).recording = recording;
  }

  isLocked(room: Room): boolean {
    return this.of(room).locked;
  }

  setMuted(room: Room, peerId: string, muted: boolean): void {
    const state = this.of(room);
    const user = state.userOf(peerId);
    if (user === undefined) return;
    if (muted) state.mutedUsers.add(user);
    else state.mutedUsers.delete(user);
  }

  /** Lifting mute-all also lifts individual mutes: the chair gives the floor back to everyone. */
  setMuteAll(room: Room, on: boolean): void {
    const state = this.of(room);
    state.muteAll = on;
    if (!on) state.mutedUsers.clear();
  }

  setLocked(room: Room, locked: boolean): void {
    this.of(room).locked = locked;
  }

  setSpotlight(room: Room, peerId: string | null): void {
    const state = this.of(room);
    state.spotlightUserId = peerId ? (state.userOf(peerId) ?? null) : null;
  }

  setHand(room: Room, peerId: string, raised: boolean): void {
    const state = this.of(room);
    const user = state.userOf(peerId);
    if (user === undefined) return;
    if (raised) state.handUsers.add(user);
    else state.handUsers.delete(user);
  }

  /**
   * Gives the floor (the site may speak and is spotlighted) or takes it back. Returns the present peers
   * of the site that lost the floor, whose microphones the caller mutes again if mute-all holds.
   */
  setFloor(room: Room, peerId: string | null): string[] {
    const state = this.of(room);
    const previous = state.floorUserId;
    const next = peerId ? (state.userOf(peerId) ?? null) : null;
    state.floorUserId = next;
    if (next) {
      state.handUsers.delete(next);
      state.mutedUsers.delete(next);
      state.spotlightUserId = next;
    } else if (state.spotlightUserId === previous) {
      state.spotlightUserId = null;
    }
    if (previous === null || previous === next) return [];
    return room.peers.filter((peer) => state.userOf(peer.id) === previous).map((peer) => peer.id);
  }

  /** The room's moderation as peers see it; with `self`, what it means for that peer. */
  snapshot(room: Room, self?: Peer): ModerationSnapshot {
    const state = this.of(room);
    const peers = room.peers;
    const peersOf = (user: string | null) => (user === null ? [] : peers.filter((peer) => state.userOf(peer.id) === user).map((peer) => peer.id));
    const snapshot: ModerationSnapshot = {
      muteAll: state.muteAll,
      mutedPeerIds: peers.filter((peer) => state.mutedUsers.has(state.userOf(peer.id) ?? "")).map((peer) => peer.id),
      locked: state.locked,
      hands: [...state.handUsers].flatMap(peersOf),
      floorPeerId: peersOf(state.floorUserId)[0] ?? null,
      spotlightPeerId: peersOf(state.spotlightUserId)[0] ?? null,
      chairPeerIds: peers.filter((peer) => state.chairs.has(peer.id)).map((peer) => peer.id),
      recording: state.recording,
    };
    if (self) {
      const mutedByChair = state.isMuted(self.id);
      snapshot.self = {
        isChair: state.isChair(self.id),
        mutedByChair,
        canUnmute: !mutedByChair && !state.receiveOnly.has(self.id),
        canShareScreen: state.mayShareScreen(self.id) && !state.receiveOnly.has(self.id),
      };
    }
    return snapshot;
  }

  /**
   * A chair's change (or a site's hand) is done: it is stored (so a restart of this process keeps it), then
   * every peer gets the room's moderation with what it means for them, then the caller is answered. Stored
   * first: what a chair has seen survives a crash of this process (announced first, a raised hand the chair
   * saw was lost when the process was killed before the write landed — signaling-restart.spec.ts on CI).
   * A failed write is logged by #write and the change is still announced: the room goes on in memory.
   */
  async commit(room: Room): Promise<void> {
    const persisted = this.of(room).persisted();
    await this.#write(room.id, () => this.#store?.save(room.id, persisted));
    this.announce(room);
  }

  /** Tells every peer of the room (each its own copy, with its `self` flags). */
  announce(room: Room): void {
    const io = this.#io;
    if (!io || room.closed) return;
    for (const peer of room.peers) io.to(peerChannel(peer.id)).emit("moderation", this.snapshot(room, peer));
  }

  /** Tells the room without addressing anyone (flags unchanged), e.g. a new chair arriving. */
  announceToRoom(room: Room, exceptPeerId?: string): void {
    const io = this.#io;
    if (!io || room.closed) return;
    const target = exceptPeerId ? io.to(this.#channels.room(room.id)).except(peerChannel(exceptPeerId)) : io.to(this.#channels.room(room.id));
    target.emit("moderation", this.snapshot(room));
  }

  /** Store writes of one room in order, so an older state never lands after a newer one. */
  #write(roomId: string, write: () => Promise<void> | undefined): Promise<void> {
    const previous = this.#writes.get(roomId) ?? Promise.resolve();
    const next = previous
      .then(write)
      .catch((error: unknown) => this.#logger?.error({ err: error, roomId }, "could not store the room moderation"));
    this.#writes.set(roomId, next);
    void next.finally(() => {
      if (this.#writes.get(roomId) === next) this.#writes.delete(roomId);
    });
    return next;
  }
}
