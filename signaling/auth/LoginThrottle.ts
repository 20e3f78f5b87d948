/**
 * Counts failed sign-ins per key (an IP, a username) in a sliding window. Keys that exceed the limit
 * are refused until old failures age out; a success clears the username's count.
 */
export class LoginThrottle {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #failures = new Map<string, number[]>();

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  isBlocked(key: string, now = Date.now()): boolean {
    return this.#recent(key, now).length >= this.#limit;
  }

  recordFailure(key: string, now = Date.now()): void {
    const recent = this.#recent(key, now);
    recent.push(now);
    this.#failures.set(key, recent);
    if (this.#failures.size > 10_000) this.#prune(now);
  }

  reset(key: string): void {
    this.#failures.delete(key);
  }

  #recent(key: string, now: number): number[] {
    return (this.#failures.get(key) ?? []).filter((at) => now - at < this.#windowMs);
  }

  /** Bounded memory under a spray of usernames: drop keys whose failures all aged out. */
  #prune(now: number): void {
    for (const [key, times] of this.#failures) {
      if (times.every((at) => now - at >= this.#windowMs)) this.#failures.delete(key);
    }
  }
}
