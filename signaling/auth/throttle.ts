import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "../errors";

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
 * secret-checking work runs: `consume` reserves the attempt synchronously, so parallel requests
 * cannot all slip past a check that is only recorded after an awaited scrypt or database lookup.
 * Callers that only want failures counted give the attempt back with `refund` on success.
 *
 * In-process memory store (rate-limiter-flexible): one server process. A scaled-out deployment swaps
 * the store for its Redis counterpart here, in one place.
 */
export class Throttle {
  readonly #attempts: RateLimiterMemory;
  readonly #pauses: RateLimiterMemory | undefined;
  readonly #options: ThrottleOptions;

  constructor(options: ThrottleOptions) {
    this.#options = options;
    this.#attempts = new RateLimiterMemory({ points: options.attempts, duration: options.windowSeconds });
    this.#pauses = options.firstPauseSeconds ? new RateLimiterMemory({ points: 1_000_000, duration: 24 * 60 * 60 }) : undefined;
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
 * the same remainder, and gives back what it did not store. Same in-process store as `Throttle`.
 */
export class ByteQuota {
  readonly #bytes: RateLimiterMemory;

  constructor(options: { bytes: number; windowSeconds: number }) {
    this.#bytes = new RateLimiterMemory({ points: options.bytes, duration: options.windowSeconds });
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
