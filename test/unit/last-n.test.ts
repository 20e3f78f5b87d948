import { describe, expect, it } from "vitest";
import {
  consumerWanted,
  decideLastN,
  emptyLastN,
  LAST_N_DEFAULT,
  LAST_N_HOLD_MS,
  LAST_N_NARROW,
  lastNFor,
  type LastNInput,
  type LastNState,
  parseLastNChoice,
} from "../../client/src/media/lastN";

const base: LastNInput = {
  onScreen: ["chair", "a", "b", "c", "d"],
  spotlightPeerId: null,
  floorPeerId: null,
  chairPeerIds: ["chair"],
  recentSpeakers: [],
  n: 3,
  now: 100_000,
};

/** A state where these peers have held their slots since `at`. */
const holding = (ids: string[], at: number): LastNState => ({ since: new Map(ids.map((id) => [id, at])) });
const longAgo = base.now - LAST_N_HOLD_MS - 1;

describe("last-N: who gets a camera slot", () => {
  const cases: { name: string; input: Partial<LastNInput>; previous?: LastNState; video: string[]; recheckAt?: number | null }[] = [
    { name: "a quiet room: the chair, then the page's order up to N", input: {}, video: ["chair", "a", "b"] },
    { name: "the chair is always in, even with N = 1", input: { n: 1 }, video: ["chair"] },
    { name: "pinned sites are kept past N (chair and floor with N = 1)", input: { n: 1, floorPeerId: "d" }, video: ["d", "chair"] },
    { name: "the floor holder takes a slot at once, whoever held it", input: { floorPeerId: "d" }, previous: holding(["chair", "a", "b"], base.now - 10), video: ["d", "chair", "a"] },
    { name: "the spotlight comes first", input: { spotlightPeerId: "c", n: 2 }, video: ["c", "chair"] },
    { name: "recent speakers before the page's order, most recent first", input: { recentSpeakers: ["d", "c"], n: 4 }, video: ["chair", "d", "c", "a"] },
    { name: "a peer not on screen gets nothing, even the chair or a speaker", input: { onScreen: ["a", "b"], recentSpeakers: ["z"], floorPeerId: "y" }, video: ["a", "b"] },
    { name: "N larger than the page: everyone on screen", input: { n: 9 }, video: ["chair", "a", "b", "c", "d"] },
    { name: "N = 0 still shows the pinned chair", input: { n: 0 }, video: ["chair"] },
    { name: "no chair on screen: N sites", input: { onScreen: ["a", "b", "c"], chairPeerIds: [], n: 2 }, video: ["a", "b"] },
    {
      name: "a new speaker waits while the slot's holder is within its hold, and is told when to ask again",
      input: { recentSpeakers: ["d"] },
      previous: holding(["chair", "a", "b"], base.now - 1_000),
      video: ["chair", "a", "b"],
      recheckAt: base.now - 1_000 + LAST_N_HOLD_MS,
    },
    {
      name: "after the hold the newest speaker takes the slot of the least wanted holder",
      input: { recentSpeakers: ["d"] },
      previous: holding(["chair", "a", "b"], longAgo),
      video: ["chair", "d", "a"],
      recheckAt: null,
    },
    {
      name: "a holder that is still wanted is not disturbed by a speaker it outranks nothing against",
      input: { recentSpeakers: ["a"] },
      previous: holding(["chair", "a", "b"], base.now - 10),
      video: ["chair", "a", "b"],
      recheckAt: null,
    },
    { name: "a site without a camera takes no slot", input: { withoutCamera: ["a"] }, video: ["chair", "b", "c"] },
    { name: "a pinned site without a camera is still pinned (its camera may come on)", input: { n: 2, withoutCamera: ["chair"] }, video: ["chair", "a"] },
    { name: "a holder whose camera went off frees its slot at once", input: { withoutCamera: ["a"] }, previous: holding(["chair", "a", "b"], base.now - 10), video: ["chair", "b", "c"] },
    {
      name: "in a quiet room a holder keeps its slot against a site earlier in the page's order (no swap once the hold ends)",
      input: {},
      previous: holding(["chair", "c", "d"], longAgo),
      video: ["chair", "c", "d"],
      recheckAt: null,
    },
    { name: "a smaller N is not held back by the hold", input: { n: 2 }, previous: holding(["chair", "a", "b"], base.now - 10), video: ["chair", "a"] },
    { name: "a holder that left the screen frees its slot at once", input: { onScreen: ["chair", "b", "c", "d"] }, previous: holding(["chair", "a", "b"], base.now - 10), video: ["chair", "b", "c"] },
  ];
  for (const { name, input, previous, video, recheckAt } of cases) {
    it(name, () => {
      const decision = decideLastN({ ...base, ...input }, previous ?? emptyLastN);
      expect(decision.video).toEqual(video);
      if (recheckAt !== undefined) expect(decision.recheckAt).toBe(recheckAt);
    });
  }
});

describe("last-N hysteresis over time", () => {
  it("two sites talking in turn swap the one free slot at most once per hold, not on every change of speaker", () => {
    const input = { ...base, onScreen: ["chair", "a", "b"], n: 2 };
    let state = emptyLastN;
    let now = base.now;
    let recent: string[] = [];
    const shown: string[] = [];
    // Every 800 ms (the server's speaker interval) the other site speaks, for 20 s.
    for (let step = 0; step < 25; step++) {
      recent = [step % 2 === 0 ? "b" : "a", ...recent.filter((id) => id !== (step % 2 === 0 ? "b" : "a"))];
      const decision = decideLastN({ ...input, recentSpeakers: recent, now }, state);
      state = decision.state;
      shown.push(decision.video[1]!);
      now += 800;
    }
    const changes = shown.filter((id, index) => index > 0 && id !== shown[index - 1]).length;
    // 20 s with a 5 s hold: at most 4 swaps (against 24 without hysteresis).
    expect(changes).toBeGreaterThan(0);
    expect(changes).toBeLessThanOrEqual(Math.ceil((25 * 800) / LAST_N_HOLD_MS));
  });

  it("a speaker who waited gets in at recheckAt without any new speaker event", () => {
    const input = { ...base, recentSpeakers: ["d"] };
    const first = decideLastN({ ...input, now: base.now }, holding(["chair", "a", "b"], base.now - 1_000));
    expect(first.video).not.toContain("d");
    const later = decideLastN({ ...input, now: first.recheckAt! }, first.state);
    expect(later.video).toContain("d");
    expect(later.video).toHaveLength(3);
  });
});

describe("last-N: N for the screen and the setting", () => {
  it.each([
    { choice: null, width: 1366, n: LAST_N_DEFAULT },
    { choice: null, width: 390, n: LAST_N_NARROW },
    { choice: 2, width: 1366, n: 2 },
    { choice: 16, width: 390, n: 16 },
    { choice: 5, width: 1366, n: LAST_N_DEFAULT },
  ])("choice $choice on a $width px screen gives $n", ({ choice, width, n }) => {
    expect(lastNFor(choice, width)).toBe(n);
  });

  it.each([
    ["2", 2],
    [" 9 ", 9],
    ["3", null],
    ["abc", null],
    ["", null],
    ["-1", null],
    ["1e1", null],
    [null, null],
  ] as const)("reads the stored choice %j as %j", (text, value) => {
    expect(parseLastNChoice(text)).toBe(value);
  });
});

describe("last-N never touches audio", () => {
  const outside = { audioOnly: false, video: new Set(["chair"]) };
  it.each([
    { consumer: { kind: "audio", source: "mic", peerId: "a" }, options: outside, wanted: true },
    { consumer: { kind: "audio", source: "mic", peerId: "a" }, options: { audioOnly: true, video: new Set<string>() }, wanted: true },
    { consumer: { kind: "video", source: "webcam", peerId: "a" }, options: outside, wanted: false },
    { consumer: { kind: "video", source: "webcam", peerId: "chair" }, options: outside, wanted: true },
    { consumer: { kind: "video", source: "screen", peerId: "a" }, options: outside, wanted: true },
    { consumer: { kind: "video", source: "screen", peerId: "a" }, options: { audioOnly: true, video: null }, wanted: false },
    { consumer: { kind: "video", source: "webcam", peerId: "a" }, options: { audioOnly: false, video: null }, wanted: true },
  ] as const)("$consumer.kind $consumer.source of $consumer.peerId → $wanted", ({ consumer, options, wanted }) => {
    expect(consumerWanted(consumer, options)).toBe(wanted);
  });
});
