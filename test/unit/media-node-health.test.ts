import { describe, expect, it } from "vitest";
import { NodeHealth } from "../../signaling/mediaNodes/health";

describe("media node back-off (review: a failing node with no consumers was picked again and again)", () => {
  it("keeps a node out after a failure, doubling in a row up to the cap, and lets it back when the period ends", () => {
    const health = new NodeHealth({ baseMs: 1_000, maxMs: 3_000 });
    expect(health.usable("b", 0)).toBe(true);
    expect(health.failed("b", 0)).toBe(1_000);
    expect(health.usable("b", 999)).toBe(false);
    expect(health.usable("b", 1_000)).toBe(true);
    expect(health.failed("b", 1_000)).toBe(2_000);
    expect(health.failed("b", 1_000)).toBe(3_000);
    expect(health.usable("b", 3_999)).toBe(false);
    expect(health.usable("c", 0)).toBe(true);
  });

  it("a success shortens the next back-off, never the current one; a node no longer listed is forgotten", () => {
    const health = new NodeHealth({ baseMs: 1_000, maxMs: 60_000 });
    health.failed("b", 0);
    health.failed("b", 0);
    health.succeeded("b");
    expect(health.usable("b", 1_500)).toBe(false);
    expect(health.failed("b", 2_000)).toBe(1_000);
    health.forget("b");
    expect(health.usable("b", 2_001)).toBe(true);
  });
});
