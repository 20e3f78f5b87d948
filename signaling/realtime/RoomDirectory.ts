import type { types } from "mediasoup";
import { Room, type TransportNetworkOptions, type WorkerPool, roomMediaCodecs } from "../../sfu";
import type { RemoteNodes } from "../../sfu/mediaObjects";
import type { Logger } from "../logger";
import type { AttendanceLog } from "./AttendanceLog";
import { type IoServer, peerChannel, type RoomChannels, roomChannels, SINGLE_PROCESS } from "./io";
import { performance } from "node:perf_hooks";
import { AppError } from "../errors";
import { RoomOwnedElsewhere, type RoomOwnership } from "./RoomOwnership";

export interface RoomDirectoryOptions {
  pool: WorkerPool;
  network: TransportNetworkOptions;
  /** Receivers of a room spread over the other workers once its home worker carries this many consumers. */
  spreadAfterConsumers?: number;
  /** Media nodes of other hosts that take a room's overflow of receivers. */
  remote?: RemoteNodes;
  io: IoServer;
  attendance: AttendanceLog;
  logger: Logger;
  /** Several processes: a room is created here only once this process owns it in Redis. */
  ownership?: RoomOwnership;
}

/**
 * The live rooms by id. Creates a room on the least loaded worker when its first peer arrives, relays
 * each room's events to its sockets and to the attendance log, and forgets a room once it closes.
 */
export class RoomDirectory {
  readonly #options: RoomDirectoryOptions;
  readonly #rooms = new Map<string, Promise<Room>>();
  /**
   * The rooms already created, by id (a subset of #rooms): what a renewal rewrites. A room still being
   * created is covered by its own fresh claim, and waiting on it (a worker restart can hold its creation
   * 10 s) would stall every renewal, and with it every request and the liveness beat.
   */
  readonly #created = new Map<string, Room>();
  /** Rooms whose key another process took while this one stalled: they close without touching its room. */
  readonly #lost = new WeakSet<Room>();
  readonly #logger: Logger;
  /** The renewal under way, shared by the heartbeat and the requests waiting on it. */
  #renewing: Promise<void> | undefined;
  readonly rtpCapabilities: types.RtpCapabilities;
  /** The channels of this process's rooms: named by this process, which owns every room it holds. */
  readonly channels: RoomChannels;

  /** Router capabilities depend only on the codec list, so one throwaway router gives every room's. */
  static async create(options: RoomDirectoryOptions): Promise<RoomDirectory> {
    const router = await options.pool.pick().worker.createRouter({ mediaCodecs: roomMediaCodecs });
    const rtpCapabilities = router.rtpCapabilities;
    router.close();
    return new RoomDirectory(options, rtpCapabilities);
  }

  private constructor(options: RoomDirectoryOptions, rtpCapabilities: types.RtpCapabilities) {
    this.#options = options;
    this.#logger = options.logger.child({ component: "rooms" });
    this.rtpCapabilities = rtpCapabilities;
    this.channels = roomChannels(options.ownership?.processId ?? SINGLE_PROCESS);
  }

  /** Concurrent first joins share one creation, so a room id never maps to two routers. */
  async getOrCreate(roomId: string): Promise<Room> {
    const existing = this.#rooms.get(roomId);
    if (existing) {
      const room = await existing;
      if (!room.closed && !(await this.#stale(room))) return room;
    }
    const creation = this.#claim(roomId)
      .then(() => this.#options.pool.pickWhenReady())
      .then((worker) => Room.create({ id: roomId, worker, network: this.#options.network, ...this.#spread() }))
      .then(
      (room) => {
        this.#wire(room);
        if (!room.closed) this.#created.set(roomId, room);
        return room;
      },
    );
    this.#rooms.set(roomId, creation);
    creation.catch(() => {
      if (this.#rooms.get(roomId) === creation) this.#rooms.delete(roomId);
    });
    return creation;
  }

  /** Throws RoomOwnedElsewhere when another live process owns the room (the request goes there). */
  async #claim(roomId: string): Promise<void> {
    const { ownership, attendance } = this.#options;
    if (!ownership) return;
    const claimed = await ownership.claim(roomId);
    if (claimed.owner !== ownership.processId) throw new RoomOwnedElsewhere(roomId, claimed.owner);
    if (claimed.takenFrom === undefined) return;
    // Taken from a dead owner: the stays it held end when it was last seen beating (its death lies within a
    // third of the TTL after), once — only this claim got its name. Queued before this room's first join.
    const now = Date.now();
    const seen = await ownership.lastSeen(claimed.takenFrom).catch(() => undefined);
    const lastSeen = seen && seen.getTime() <= now ? seen : new Date(now - ownership.ttlMs);
    const deadBy = new Date(Math.min(now, lastSeen.getTime() + Math.ceil(ownership.ttlMs / 3)));
    this.#logger.warn({ roomId, deadOwner: claimed.takenFrom }, "took over a room whose owner process died");
    attendance.closeOrphaned(roomId, lastSeen, deadBy, new Date(now));
  }

  /**
   * Whether this process's live room of that id is stale: another process holds its key (this one stalled
   * past the TTL, or Redis lost the key and another claimed it). It is closed as lost then.
   */
  async #stale(room: Room): Promise<boolean> {
    const { ownership } = this.#options;
    if (!ownership || !(await ownership.heldElsewhere(room.id))) return false;
    this.closeLost(room);
    return true;
  }

  /**
   * Closes a room whose key another process holds now. Only its own peers' sockets are told to rejoin
   * (they land in the new owner's room); the new room's channel is named by its own owner (RoomChannels), so
   * nothing this room sends reaches it, its meeting is not ended, and only this room's stays end.
   */
  closeLost(room: Room): void {
    if (room.closed) return;
    this.#logger.error({ roomId: room.id }, "lost the ownership of a live room; its peers rejoin");
    this.#lost.add(room);
    const { io } = this.#options;
    const peers = room.peers.map((peer) => peerChannel(peer.id));
    if (peers.length > 0) {
      io.to(peers).emit("roomClosed", { reason: "mediaServerRestarted" });
      io.in(peers).socketsLeave([this.channels.room(room.id), this.channels.staff(room.id), ...peers]);
    }
    room.close();
  }

  /**
   * Beats this process's liveness and rewrites its rooms' keys; a room whose key another process holds now
   * (this one stalled past the TTL) is closed as lost. Concurrent callers share one renewal. Time-boxed to the
   * TTL: a command Redis never answers (a half-open connection) rejects it then, so the next caller starts a
   * new renewal instead of sharing one that hangs for ever. The hung one, should it end, only confirms its own
   * older moment (leaseFrom keeps the latest).
   */
  renewOwnership(): Promise<void> {
    const { ownership } = this.#options;
    if (!ownership) return Promise.resolve();
    if (this.#renewing) return this.#renewing;
    const { ttlMs } = ownership;
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not complete a renewal of this process's rooms within ${ttlMs} ms`)), ttlMs);
    });
    const renewing = Promise.race([this.#renew(), hung]).finally(() => {
      clearTimeout(timer);
      if (this.#renewing === renewing) this.#renewing = undefined;
    });
    this.#renewing = renewing;
    return renewing;
  }

  async #renew(): Promise<void> {
    const { ownership } = this.#options;
    if (!ownership) return;
    const sentAt = await ownership.beat();
    // Never the rooms being created (see #created): a renewal must not wait on them.
    const live = [...this.#created.values()].filter((room) => !room.closed);
    const lost = new Set(await ownership.renew(live.map((room) => room.id)));
    for (const room of live) if (lost.has(room.id)) this.closeLost(room);
    ownership.leaseFrom(sentAt);
  }

  /**
   * Before serving a request that acts on a room this process holds (the dispatcher decides which): a
   * process that stalled past the TTL may have lost its rooms to another process without knowing it yet, and
   * its sockets' queued requests would act in a stale room. While the last complete renewal is younger than
   * the TTL, this process's liveness key still lives, so no other process can have taken a room. The request
   * is served at once only while the lease is younger than the TTL less a margin (max(1 s, TTL/3): the
   * request's own work, and the distance between this clock and Redis's expiry); past a third of the TTL a
   * renewal starts in the background, so a slow Redis delays nobody. Older than that, it renews first —
   * closing what it lost, so the request finds no room — at least once, however long the request queued, and
   * refuses only when no renewal confirms before one TTL from `startedAt` (the request's start; one overall
   * deadline, not a TTL per attempt — or half a TTL from now, when that is later). A renewal begun before the stall confirms only its own, old, moment,
   * hence the loop.
   */
  async confirmOwnership(startedAt = performance.now()): Promise<void> {
    const { ownership } = this.#options;
    if (!ownership) return;
    const servedUnder = ownership.ttlMs - Math.max(1_000, ownership.ttlMs / 3);
    const age = ownership.leaseAge;
    if (age < servedUnder) {
      if (age >= ownership.ttlMs / 3) this.#renewInBackground();
      return;
    }
    // A request that queued (nearly) past its deadline — its forwarding lookup waited on Redis — still gets
    // one attempt, given half a TTL.
    const deadline = Math.max(startedAt + ownership.ttlMs, performance.now() + ownership.ttlMs / 2);
    do {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), Math.max(0, deadline - performance.now()));
      });
      try {
        if ((await Promise.race([this.renewOwnership(), timeout])) === "timeout") break;
      } catch (error) {
        // Redis refused, failed or did not answer in time: try again (a new renewal) until the deadline, without spinning.
        this.#logger.warn({ err: error }, "a renewal of this process's rooms failed");
        await Promise.race([new Promise((resolve) => setTimeout(resolve, Math.min(200, Math.max(0, deadline - performance.now())))), timeout]);
      } finally {
        clearTimeout(timer);
      }
    } while (ownership.leaseAge >= servedUnder && performance.now() < deadline);
    if (ownership.leaseAge >= servedUnder) throw new AppError("INTERNAL", { detail: "cannot confirm in Redis that this process still owns its rooms" });
  }

  #renewInBackground(): void {
    this.renewOwnership().catch((error: unknown) => this.#logger.warn({ err: error }, "a background renewal of this process's rooms failed"));
  }

  async get(roomId: string): Promise<Room | undefined> {
    const room = await this.#rooms.get(roomId)?.catch(() => undefined);
    return room && !room.closed ? room : undefined;
  }

  /** The rooms open now, each once (for metrics). */
  async live(): Promise<Room[]> {
    const settled = await Promise.allSettled(this.#rooms.values());
    return settled.flatMap((result) => (result.status === "fulfilled" && !result.value.closed ? [result.value] : []));
  }

  get size(): number {
    return this.#rooms.size;
  }

  async closeAll(): Promise<void> {
    const rooms = await Promise.allSettled(this.#rooms.values());
    for (const result of rooms) if (result.status === "fulfilled") result.value.close();
  }

  #spread(): { spread?: { pool: WorkerPool; afterConsumers: number; remote?: RemoteNodes } } {
    const { pool, spreadAfterConsumers, remote } = this.#options;
    if (spreadAfterConsumers === undefined || (pool.size < 2 && !remote)) return {};
    return { spread: { pool, afterConsumers: spreadAfterConsumers, ...(remote ? { remote } : {}) } };
  }

  #wire(room: Room): void {
    const { io, attendance } = this.#options;
    const toOthers = (peerId: string) => io.to(this.channels.room(room.id)).except(peerChannel(peerId));

    room.on("peerJoined", (peer) => {
      toOthers(peer.id).emit("peerJoined", { peer: Room.peerSnapshot(peer) });
    });
    room.on("peerLeft", (peer, reason) => {
      attendance.left(room.id, peer.id, reason, peer.quality);
      toOthers(peer.id).emit("peerLeft", { peerId: peer.id });
    });
    // A worker the room received on died: those sites left (attendance: workerDied) and rejoin by themselves,
    // as after a restart of the whole media server; the rest of the room goes on.
    room.on("peersLostMedia", (peers) => {
      this.#logger.warn({ roomId: room.id, peers: peers.length }, "a media worker or media node of the room was lost; its receivers rejoin");
      for (const peer of peers) {
        io.to(peerChannel(peer.id)).emit("roomClosed", { reason: "mediaServerRestarted" });
        io.in(peerChannel(peer.id)).socketsLeave([this.channels.room(room.id), this.channels.staff(room.id), peerChannel(peer.id)]);
      }
    });
    room.on("newProducer", (peer, producer) => {
      toOthers(peer.id).emit("newProducer", { peerId: peer.id, producer });
    });
    room.on("producerClosed", (peer, producerId) => {
      toOthers(peer.id).emit("producerClosed", { peerId: peer.id, producerId });
    });
    room.on("producerPaused", (peer, producerId) => {
      toOthers(peer.id).emit("producerPaused", { peerId: peer.id, producerId });
    });
    room.on("producerResumed", (peer, producerId) => {
      toOthers(peer.id).emit("producerResumed", { peerId: peer.id, producerId });
    });
    room.on("linkQuality", (peer, link) => {
      io.to(this.channels.room(room.id)).emit("linkQuality", { peerId: peer.id, link });
    });
    room.on("activeSpeaker", (peer) => {
      io.to(this.channels.room(room.id)).emit("activeSpeaker", { peerId: peer.id });
    });
    room.on("consumerClosed", (peer, consumerId) => {
      io.to(peerChannel(peer.id)).emit("consumerClosed", { consumerId });
    });
    room.on("closed", (reason, peersInside) => {
      this.#logger.info({ roomId: room.id, reason, peers: peersInside.length }, "room closed");
      if (this.#created.get(room.id) === room) this.#created.delete(room.id);
      if (this.#rooms.has(room.id)) {
        void this.#rooms.get(room.id)?.then((current) => {
          if (current === room) this.#rooms.delete(room.id);
        });
      }
      const { ownership } = this.#options;
      const lost = this.#lost.has(room);
      if (lost) {
        // Its peers were told (closeLost); the room, its meeting and the key are the new owner's now.
        for (const peer of peersInside) attendance.left(room.id, peer.id, "serverRestarted", peer.quality);
        return;
      }
      ownership?.release(room.id).catch((error: unknown) => this.#logger.error({ err: error, roomId: room.id }, "cannot release the room's ownership; it expires by itself"));
      for (const peer of peersInside) attendance.left(room.id, peer.id, reason, peer.quality);
      // Fenced: a room that emptied here after another process took its key (a stall not noticed yet) does
      // not end the meeting going on there.
      attendance.roomEmptied(room.id, new Date(), ownership ? async () => !(await ownership.heldElsewhere(room.id)) : undefined);
      // Addressed to this room's peers, never to the room's channel, which a newer room of the same id on
      // another process shares.
      const peers = peersInside.map((peer) => peerChannel(peer.id));
      if (peers.length > 0) {
        io.to(peers).emit("roomClosed", {
          reason: reason === "workerDied" ? "mediaServerRestarted" : reason === "ended" ? "ended" : "serverShutdown",
        });
        // A reception's staff channel too: its lobby snapshots must not reach them once they are out of the room.
        io.in(peers).socketsLeave([this.channels.room(room.id), this.channels.staff(room.id)]);
      }
    });
  }
}
