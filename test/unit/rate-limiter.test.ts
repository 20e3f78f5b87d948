import { describe, expect, it } from "vitest";
import { RateLimiter } from "../../signaling/realtime/RateLimiter";

describe("RateLimiter", () => {
  it("allows a burst, refuses beyond it, and refills with time", () => {
    const limiter = new RateLimiter(3, 10, 0);
    expect([limiter.tryTake(0), limiter.tryTake(0), limiter.tryTake(0), limiter.tryTake(0)]).toEqual([true, true, true, false]);
    expect(limiter.tryTake(50)).toBe(false);
    expect(limiter.tryTake(100)).toBe(true);
    expect(limiter.tryTake(100)).toBe(false);
  });

  it("never stores more than its capacity", () => {
    const limiter = new RateLimiter(2, 10, 0);
    expect(limiter.tryTake(60_000)).toBe(true);
    expect(limiter.tryTake(60_000)).toBe(true);
    expect(limiter.tryTake(60_000)).toBe(false);
  });
});
