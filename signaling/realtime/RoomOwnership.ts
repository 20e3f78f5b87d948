import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Redis } from "ioredis";
import { ProcessMessageSeal } from "./processMessages";

const roomKey = (roomId: string) => `cau-noi:room-owner:${roomId}`;
const PROCESS_PREFIX = "cau-noi:process:";
const processKey = (processId: string) => `${PROCESS_PREFIX}${processId}`;
const peerKey = (peerId: string) => `cau-noi:peer-room:${peerId}`;
const seenKey = (processId: string) => `cau-noi:process-seen:${processId}`;
/**
 * How long a room's key outlives its owner's last heartbeat. Whether the owner lives is its liveness key
 * (`ttlMs`); the room's key stays as a record of who held the room, so whoever takes it over later knows
 * a dead process left stays open there (attendance) and closes them.
 */
const ROOM_KEY_MS = 24 * 3600_000;
/** How long a process's last heartbeat stays known after it stopped: the moment a dead owner's stays end. */
const SEEN_MS = 24 * 3600_000;

// Atomic in Redis, so two processes claiming the same room at once get one answer: whoever set it first.
// A room whose owner stopped beating is free though its key is still there, so the first rejoin after an
// owner's death claims it at once; the dead owner is returned with it (its stays are to be closed), once.
const CLAIM = `
local current = redis.call('GET', KEYS[1])
if current == false or current == ARGV[1] or redis.call('EXISTS', ARGV[3] .. current) == 0 then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  if current == false or current == ARGV[1] then return {ARGV[1]} end
  return {ARGV[1], current}
end
return {current}`;
const LIVE_OWNER = `
local current = redis.call('GET', KEYS[1])
if current == false or redis.call('EXISTS', ARGV[1] .. current) == 0 then return false end
return current`;
// Kept also when the key is gone but no one else took it: after a Redis outage longer than the TTL every
// key has expired, and a process that then gave up its live rooms would restart every briefing at once.
const RENEW = `
local current = redis.call('GET', KEYS[1])
if current == false or current == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** A claim's outcome: the owner now, and the dead process it was taken from, if any. */
export interface Claimed {
  owner: string;
  takenFrom?: string;
}

/** Thrown where this process would create a room another live process owns: the request goes there instead. */
export class RoomOwnedElsewhere extends Error {
  constructor(
    readonly roomId: string,
    readonly owner: string,
  ) {
    super(`room ${roomId} is owned by process ${owner}`);
  }
}

/**
 * Which signaling process owns each live room (README › Scaling out › Several signaling processes): one
 * Redis key per room holding the owner's process id, set only if absent and kept alive by the owner's
 * heartbeat, so a process that dies lets go of its rooms within `ttlMs`. Also each process's own liveness
 * key (a forwarded peer whose process is gone is treated as disconnected) and, for a peer whose socket
 * dropped, the room it was in, so it can resume through any process. Keys hold only ids.
 */
export class RoomOwnership {
  readonly processId = randomBytes(8).toString("hex");
  readonly #redis: Redis;
  readonly ttlMs: number;
  /** Stamps the last-seen times: whoever can write to Redis cannot choose when a dead owner's stays end. */
  readonly #seal: ProcessMessageSeal;
  /**
   * When the beat of the last complete renewal was sent (the monotonic clock, so a stall or a clock step
   * cannot stretch it): this process's liveness key lives at least `ttlMs` past it, so no other process can
   * take its rooms before then, and the rooms it had lost by then were found and closed (`leaseFrom`).
   */
  #confirmedAt: number | undefined;

  /** `secret`: JWT_SECRET, shared by every process (the stamps' key is derived from it as the messages' is). */
  constructor(redis: Redis, ttlMs: number, secret: string) {
    this.#redis = redis;
    this.ttlMs = ttlMs;
    this.#seal = new ProcessMessageSeal(secret);
  }

  /**
   * How long ago (ms, the monotonic clock) the beat of the last complete renewal was sent; Infinity before the
   * first. Under the TTL, this process's liveness key still lives and no other process can have taken its
   * rooms; past it, a stall may have let another take a room over, and the caller renews and checks its
   * rooms' keys before acting (RoomDirectory.confirmOwnership).
   */
  get leaseAge(): number {
    return this.#confirmedAt === undefined ? Infinity : performance.now() - this.#confirmedAt;
  }

  /** Claims the room unless another live process owns it; returns the owner after the attempt. */
  async claim(roomId: string): Promise<Claimed> {
    const [owner, takenFrom] = (await this.#redis.eval(CLAIM, 1, roomKey(roomId), this.processId, ROOM_KEY_MS, PROCESS_PREFIX)) as string[];
    return { owner: String(owner), ...(takenFrom === undefined ? {} : { takenFrom: String(takenFrom) }) };
  }

  /** Whether another process holds the room's key now (this process's room of that id is stale). */
  async heldElsewhere(roomId: string): Promise<boolean> {
    const holder = await this.#redis.get(roomKey(roomId));
    return holder !== null && holder !== this.processId;
  }

  /** When a process last beat (kept a day after it stopped), or undefined, also when its stamp does not verify. */
  async lastSeen(processId: string): Promise<Date | undefined> {
    const stored = await this.#redis.get(seenKey(processId));
    const opened = stored === null ? undefined : this.#seal.openStamp(seenKey(processId), stored);
    const at = opened === undefined || !/^\d{1,15}$/.test(opened) ? NaN : Number(opened);
    return Number.isFinite(at) && at > 0 ? new Date(at) : undefined;
  }

  /** The live process owning the room, if any. */
  async ownerOf(roomId: string): Promise<string | undefined> {
    const owner = await this.#redis.eval(LIVE_OWNER, 1, roomKey(roomId), PROCESS_PREFIX);
    return typeof owner === "string" ? owner : undefined;
  }

  /** Keeps this process's rooms; returns those it no longer owns (its key expired and another took it). */
  async renew(roomIds: readonly string[]): Promise<string[]> {
    const kept = await Promise.all(roomIds.map((roomId) => this.#redis.eval(RENEW, 1, roomKey(roomId), this.processId, ROOM_KEY_MS)));
    return roomIds.filter((_roomId, index) => Number(kept[index]) !== 1);
  }

  async release(roomId: string): Promise<void> {
    await this.#redis.eval(RELEASE, 1, roomKey(roomId), this.processId);
  }

  /**
   * The renewal that began with the beat sent at `sentAt` is complete: its rooms' keys were checked after that
   * beat and the lost ones closed. Only then does the lease run from it — the beat alone, confirmed before the
   * keys are read, would let a request act in a room lost during a stall.
   */
  leaseFrom(sentAt: number): void {
    this.#confirmedAt = Math.max(this.#confirmedAt ?? sentAt, sentAt);
  }

  /** This process is alive for another `ttlMs`; returns when the beat was sent (the monotonic clock) for `leaseFrom`. */
  async beat(): Promise<number> {
    const sentAt = performance.now();
    const seen = this.#seal.stamp(seenKey(this.processId), String(Date.now()));
    const results = await this.#redis.multi().set(processKey(this.processId), "1", "PX", this.ttlMs).set(seenKey(this.processId), seen, "PX", SEEN_MS).exec();
    const failed = results?.find(([error]) => error !== null)?.[0];
    if (!results || failed) throw failed ?? new Error("the heartbeat's transaction was discarded");
    return sentAt;
  }

  /** Which of these processes still beat. */
  async alive(processIds: readonly string[]): Promise<Set<string>> {
    if (processIds.length === 0) return new Set();
    const found = await this.#redis.mget(processIds.map(processKey));
    return new Set(processIds.filter((_id, index) => found[index] !== null));
  }

  /** A dropped peer's room, for as long as it may resume there. */
  async rememberPeer(peerId: string, roomId: string, forMs: number): Promise<void> {
    await this.#redis.set(peerKey(peerId), roomId, "PX", Math.max(1, forMs));
  }

  async roomOfPeer(peerId: string): Promise<string | undefined> {
    return (await this.#redis.get(peerKey(peerId))) ?? undefined;
  }

  /** The rooms some live process owns now (a dead owner's keys remain, naming it, until taken over). */
  async ownedRooms(): Promise<string[]> {
    const prefix = roomKey("");
    const rooms: string[] = [];
    let cursor = "0";
    do {
      const [next, keys] = await this.#redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      cursor = next;
      if (keys.length === 0) continue;
      const owners = await this.#redis.mget(keys);
      const live = await this.alive([...new Set(owners.filter((owner) => owner !== null))]);
      rooms.push(...keys.flatMap((key, index) => (live.has(owners[index] ?? "") ? [key.slice(prefix.length)] : [])));
    } while (cursor !== "0");
    return rooms;
  }

  /** Graceful stop: the other processes need not wait for the key to expire. */
  async stop(): Promise<void> {
    await this.#redis.del(processKey(this.processId));
  }
}
