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
