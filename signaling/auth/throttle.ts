import { createHmac } from "node:crypto";
import type { Redis } from "ioredis";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "../errors";

/**
 * Where throttles keep their counts: this process's memory (one signaling process, the default), or
 * Redis, so that every process behind the same address counts the same attempts (README › Scaling out).
 * Each counter has a name unique in its store, so two throttles never share counts by accident.
 */
export interface LimiterStore {
  counter(name: string, options: { points: number; durationSeconds: number }): Counter;
}

/** One rate-limiter-flexible limiter, and how its store names a caller's key. */
export class Counter {
  readonly #limiter: RateLimiterAbstract;
  readonly #key: (key: string) => string;

  constructor(limiter: RateLimiterAbstract, key: (key: string) => string = (key) => key) {
    this.#limiter = limiter;
    this.#key = key;
  }

  consume = (key: string, points = 1) => this.#limiter.consume(this.#key(key), points);
  get = (key: string) => this.#limiter.get(this.#key(key));
  reward = (key: string, points = 1) => this.#limiter.reward(this.#key(key), points);
  penalty = (key: string) => this.#limiter.penalty(this.#key(key));
  block = (key: string, seconds: number) => this.#limiter.block(this.#key(key), seconds);
  delete = (key: string) => this.#limiter.delete(this.#key(key));
}

function uniqueNames(make: (name: string, options: { points: number; durationSeconds: number }) => Counter): LimiterStore {
  const taken = new Set<string>();
  return {
    counter(name, options) {
      // Two throttles under one name would silently add up each other's attempts in Redis.
      if (taken.has(name)) throw new Error(`two throttles named ${name}`);
      taken.add(name);
      return make(name, options);
    },
  };
}

/** Counts in this process only. */
export function memoryLimiterStore(): LimiterStore {
  return uniqueNames((_name, { points, durationSeconds }) => new Counter(new RateLimiterMemory({ points, duration: durationSeconds })));
}

/**
 * Counts in Redis, shared by every process using the same server. The keys a caller counts by (an
 * address, a username at an address, a citizen's phone number) are personal data: Redis only sees an
 * HMAC of them under `keySecret` (the same in every process, so they agree on the key). If Redis is
 * unreachable, each process counts in its own memory meanwhile (the library's insurance limiter) instead
 * of refusing every sign-in or waiting for Redis: throttling gets looser by the number of processes,
 * never stricter, and nothing hangs. Hence `client` must be connected already: one not yet ready would
 * send every count to memory.
 */
export function redisLimiterStore(client: Redis, keySecret: string): LimiterStore {
  return uniqueNames(
    (name, { points, durationSeconds }) =>
      new Counter(
        new RateLimiterRedis({
          storeClient: client,
          keyPrefix: `cau-noi:throttle:${name}`,
          points,
          duration: durationSeconds,
          // Not ready (reconnecting): answer from memory now rather than queue behind the reconnection.
          rejectIfRedisNotReady: true,
          insuranceLimiter: new RateLimiterMemory({ points, duration: durationSeconds }),
        }),
        (key) => createHmac("sha256", keySecret).update(`throttle\u0000${name}\u0000${key}`).digest("base64url"),
      ),
  );
}

export interface ThrottleOptions {
  /** Attempts allowed per key in one window before the key pauses. */
  attempts: number;
  windowSeconds: number;
  /**
   * How long the first pause lasts; each further pause of the same key within a day doubles it, up to
   * `maxPauseSeconds`. Without it a key simply waits for its window to end.
   */
  firstPauseSeconds?: number;
  maxPauseSeconds?: number;
}

/**
 * Counts attempts per key (an IP, a username at an IP, a phone number) BEFORE the expensive or
 * secret-checking work runs: `consume` reserves the attempt before any awaited work, so parallel
 * requests cannot all slip past a check that is only recorded after an awaited scrypt or database
 * lookup (in Redis the count is one atomic script). Callers that only want failures counted give the
 * attempt back with `refund` on success.
 *
 * The counts live in the `store` given (rate-limiter-flexible's memory or Redis store), under `name`.
 */
export class Throttle {
  readonly #attempts: Counter;
  readonly #pauses: Counter | undefined;
  readonly #options: ThrottleOptions;

  constructor(store: LimiterStore, name: string, options: ThrottleOptions) {
    this.#options = options;
    this.#attempts = store.counter(name, { points: options.attempts, durationSeconds: options.windowSeconds });
    this.#pauses = options.firstPauseSeconds ? store.counter(`${name}.pauses`, { points: 1_000_000, durationSeconds: 24 * 60 * 60 }) : undefined;
  }

  /** Reserves one attempt for `key`, or throws RATE_LIMITED (or `code`) when the key must wait. */
  async consume(key: string, code: "RATE_LIMITED" | "BOOKING_LIMIT" = "RATE_LIMITED"): Promise<void> {
    let result: RateLimiterRes;
    try {
      result = await this.#attempts.consume(key);
    } catch (refused) {
      if (refused instanceof RateLimiterRes) throw new AppError(code, { detail: `retry in ${Math.ceil(refused.msBeforeNext / 1000)} s` });
      throw refused;
    }
    if (result.remainingPoints === 0 && this.#pauses) await this.#pause(key);
  }

  /** Gives back an attempt that should not count (it succeeded, or failed for a reason not worth counting). */
  async refund(key: string): Promise<void> {
    const current = await this.#attempts.get(key);
    if (current && current.consumedPoints > 0 && current.consumedPoints <= this.#options.attempts) await this.#attempts.reward(key);
  }

  /** Forgets a key entirely: the owner proved who they are. */
  async reset(key: string): Promise<void> {
    await this.#attempts.delete(key);
    await this.#pauses?.delete(key);
  }

  /** The key used its last free attempt: it pauses, longer each time it comes back to this point today. */
  async #pause(key: string): Promise<void> {
    const strikes = (await this.#pauses!.penalty(key)).consumedPoints;
    const first = this.#options.firstPauseSeconds!;
    const seconds = Math.min(first * 2 ** (strikes - 1), this.#options.maxPauseSeconds ?? 3600);
    await this.#attempts.block(key, seconds);
  }
}

/**
 * Bytes allowed per key in a window (a unit's or an address's daily allowance of citizens' uploads).
 * An upload reserves what it may bring before its body is read, so parallel uploads cannot all fit in
 * the same remainder, and gives back what it did not store. Same stores as `Throttle`.
 */
export class ByteQuota {
  readonly #bytes: Counter;

  constructor(store: LimiterStore, name: string, options: { bytes: number; windowSeconds: number }) {
    this.#bytes = store.counter(name, { points: options.bytes, durationSeconds: options.windowSeconds });
  }

  /** Reserves `amount` bytes under every key, or none of them: throws UPLOAD_QUOTA_EXCEEDED. */
  async reserve(keys: readonly string[], amount: number): Promise<void> {
    const reserved: string[] = [];
    for (const key of keys) {
      try {
        await this.#bytes.consume(key, amount);
        reserved.push(key);
      } catch (refused) {
        if (!(refused instanceof RateLimiterRes)) throw refused;
        // The refused consume counted too: give it back with the keys already reserved.
        await this.release([...reserved, key], amount);
        throw new AppError("UPLOAD_QUOTA_EXCEEDED", { detail: `daily upload allowance used (${key.split(":")[0]})` });
      }
    }
  }

  /** Gives back bytes reserved and not stored (never more than the key holds, so no credit builds up). */
  async release(keys: readonly string[], amount: number): Promise<void> {
    for (const key of keys) {
      const current = await this.#bytes.get(key);
      const back = Math.min(amount, current?.consumedPoints ?? 0);
      if (back > 0) await this.#bytes.reward(key, back);
    }
  }
}
