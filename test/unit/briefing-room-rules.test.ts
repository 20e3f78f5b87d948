import { describe, expect, it } from "vitest";
import { linkLevel } from "../../sfu";
import { NEW_SITTING_AFTER_MS, sittingStart } from "../../signaling/domain/meetings/sittings";

describe("a site's link level from mediasoup's stream scores", () => {
  it("is unknown without a flowing stream, else the level of the worst one", () => {
    expect(linkLevel([])).toBeNull();
    expect(linkLevel([10, 9])).toBe("good");
    expect(linkLevel([10, 7])).toBe("good");
    expect(linkLevel([10, 6])).toBe("weak");
    expect(linkLevel([5])).toBe("weak");
    expect(linkLevel([10, 4])).toBe("bad");
    expect(linkLevel([0])).toBe("bad");
  });
});

describe("the start of the meeting a join revives", () => {
  const first = new Date("2026-12-07T01:00:00Z");
  const at = (ms: number) => new Date(first.getTime() + ms);

  it("is the stored start while the meeting goes on or paused briefly", () => {
    expect(sittingStart({ status: "live", startedAt: first, endedAt: null }, at(3_600_000))).toBe(first);
    expect(sittingStart({ status: "ended", startedAt: first, endedAt: at(60_000) }, at(120_000))).toBe(first);
    expect(sittingStart({ status: "ended", startedAt: first, endedAt: at(60_000) }, at(60_000 + NEW_SITTING_AFTER_MS))).toBe(first);
  });

  it("is this join for a meeting never held, or a room reused after a long break", () => {
    const now = at(86_400_000);
    expect(sittingStart({ status: "scheduled", startedAt: null, endedAt: null }, now)).toBe(now);
    expect(sittingStart({ status: "ended", startedAt: first, endedAt: at(3_600_000) }, now)).toBe(now);
  });
});
