import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  calendarSeeds,
  type DutyCaseFacts,
  type DutyEvent,
  eventKind,
  localDate,
  nearestDuty,
  openDuties,
  WorkingCalendar,
} from "../../signaling/domain/deadlines";

const calendar = WorkingCalendar.of(calendarSeeds);
const facts = (over: Partial<DutyCaseFacts> = {}): DutyCaseFacts => ({ kind: null, receivedDate: "2026-03-02", complexity: "normal", remoteArea: false, ...over });
const ev = (action: string, data: Record<string, unknown> = {}, at = "2026-03-02T02:00:00Z"): DutyEvent => ({ action, data, at: new Date(at) });
const summary = (duties: ReturnType<typeof openDuties>) => duties.map((duty) => `${duty.ruleId} ${duty.due ?? "-"} ${duty.nature}`);

describe("duties of a case: every clock runs in parallel (issue 13 item 2)", () => {
  it("a petition whose kind is unknown still has a clock: classify and decide, 10 working days (TT 05/2021)", () => {
    // Mon 2 Mar: Tue 3 (1) … Fri 6 (4), Mon 9 … Fri 13 (9), Mon 16 (10)
    expect(summary(openDuties(facts(), [ev("receive", { receivedDate: "2026-03-02" })], calendar))).toEqual(["petition.process 2026-03-16 act"]);
  });

  it("a kind given at intake opens its own acceptance duty: a complaint, 10 days (Luật KN Art. 27)", () => {
    const duties = openDuties(facts({ kind: "complaint" }), [ev("receive", { receivedDate: "2026-03-02", kind: "complaint" })], calendar);
    expect(summary(duties)).toEqual(["complaint.acceptFirstRound 2026-03-12 act"]);
  });

  it("classification names the clock without restarting it: a denunciation, 7 working days from the receipt", () => {
    // Mon 2 Mar + 7 working days = Wed 11 Mar
    const duties = openDuties(facts({ kind: "denunciation" }), [ev("receive", { receivedDate: "2026-03-02" }), ev("classify", { kind: "denunciation" })], calendar);
    expect(summary(duties)).toEqual(["denunciation.initialCheck 2026-03-11 act"]);
  });

  it("acceptance of a denunciation opens the resolution AND the notice to the denouncer; the nearest is the notice", () => {
    // Accepted Wed 11 Mar: resolve + 30 = Fri 10 Apr; notify + 5 working days = Wed 18 Mar
    const history = [ev("receive", { receivedDate: "2026-03-02" }), ev("classify", { kind: "denunciation" }), ev("accept", { decisionDate: "2026-03-11" })];
    const duties = openDuties(facts({ kind: "denunciation" }), history, calendar);
    expect(summary(duties)).toEqual(["denunciation.resolve 2026-04-10 act", "denunciation.notifyAcceptance 2026-03-18 act"]);
    expect(nearestDuty(duties)?.ruleId).toBe("denunciation.notifyAcceptance");
    // Recording the notice as sent closes that duty; the resolution is then the nearest.
    const after = openDuties(facts({ kind: "denunciation" }), [...history, ev("notify", { document: "acceptance", sentOn: "2026-03-13" })], calendar);
    expect(summary(after)).toEqual(["denunciation.resolve 2026-04-10 act"]);
  });

  it("a suspension stops only the resolution; the suspension decision must be sent in 5 working days (Luật TC Art. 34)", () => {
    const history = [
      ev("receive", { receivedDate: "2026-03-02" }),
      ev("classify", { kind: "denunciation" }),
      ev("accept", { decisionDate: "2026-03-11" }),
      ev("notify", { document: "acceptance", sentOn: "2026-03-13" }),
      ev("startVerification"),
      ev("suspend", { effectiveDate: "2026-03-20" }),
    ];
    const duties = openDuties(facts({ kind: "denunciation" }), history, calendar);
    // Fri 20 Mar + 5 working days = Fri 27 Mar
    expect(summary(duties)).toEqual(["denunciation.resolve - act", "denunciation.sendSuspensionOrTermination 2026-03-27 act"]);
    expect(nearestDuty(duties)?.due).toBe("2026-03-27");
  });

  it("a complaint decision opens sending it (3 working days, Art. 32) and the citizen's round-2 limit (30 days, Art. 33)", () => {
    const history = [
      ev("receive", { receivedDate: "2026-03-02", kind: "complaint" }),
      ev("classify", { kind: "complaint" }),
      ev("accept", { decisionDate: "2026-03-05" }),
      ev("startVerification"),
      ev("conclude", { decisionDate: "2026-04-01" }),
    ];
    // Wed 1 Apr + 3 working days = Mon 6 Apr; + 30 days = Fri 1 May (holiday), Sat, Sun → Mon 4 May
    const duties = openDuties(facts({ kind: "complaint" }), history, calendar);
    expect(summary(duties)).toEqual(["complaint.sendFirstRoundDecision 2026-04-06 act", "complaint.fileSecondRound 2026-05-04 citizen"]);
    expect(nearestDuty(duties)?.ruleId).toBe("complaint.sendFirstRoundDecision");
    // The citizen's limit alone never counts as the authority's deadline.
    const sent = openDuties(facts({ kind: "complaint" }), [...history, ev("notify", { document: "decision", sentOn: "2026-04-03" })], calendar);
    expect(nearestDuty(sent)).toBeUndefined();
  });

  it("an archived ineligible petition is kept 1 year from its receipt (TT 05/2021), a retention, not a deadline", () => {
    const duties = openDuties(facts(), [ev("receive", { receivedDate: "2026-03-02" }), ev("classify", { kind: "feedback" }), ev("archive", { reason: "Không đủ điều kiện" })], calendar);
    expect(summary(duties)).toEqual(["petition.keepIneligible 2027-03-02 keep"]);
    expect(nearestDuty(duties)).toBeUndefined();
  });

  it("a withdrawn denunciation handled on (Art. 33) keeps its clocks; a plain withdrawal closes them", () => {
    const history = [ev("receive", { receivedDate: "2026-03-02" }), ev("classify", { kind: "denunciation" }), ev("accept", { decisionDate: "2026-03-11" })];
    const kept = openDuties(facts({ kind: "denunciation" }), [...history, ev("withdraw", { reason: "Rút đơn", continueHandling: true })], calendar);
    expect(kept).toHaveLength(2);
    expect(openDuties(facts({ kind: "denunciation" }), [...history, ev("withdraw", { reason: "Rút đơn" })], calendar)).toEqual([]);
  });

  it("a stored extension that is now late (e.g. after a calendar edit) is refused on writes and marked on reads", () => {
    // Accepted 2 Mar: due 1 Apr; an extension decided 10 Apr comes after it.
    const history = [
      ev("receive", { receivedDate: "2026-02-25" }),
      ev("classify", { kind: "denunciation" }),
      ev("accept", { decisionDate: "2026-03-02" }),
      ev("startVerification"),
      ev("extend", { days: 30, grantedOn: "2026-04-10" }),
    ];
    const complex = facts({ kind: "denunciation", complexity: "complex" });
    expect(() => openDuties(complex, history, calendar, { strict: true })).toThrow(/after the period ended/);
    const lenient = openDuties(complex, history, calendar);
    expect(lenient.find((duty) => duty.ruleId === "denunciation.resolve")).toMatchObject({ due: undefined, problem: "EXTENSION_TOO_LATE" });
  });
});

/** Random histories from the steps a case can take, with dates moving forward. */
const step = fc.oneof(
  fc.record({ action: fc.constant("classify"), data: fc.record({ kind: fc.constantFrom("complaint", "denunciation", "recommendation", "feedback") }) }),
  fc.record({ action: fc.constant("accept"), data: fc.record({ offset: fc.integer({ min: 0, max: 20 }) }) }),
  fc.record({ action: fc.constantFrom("reject", "guide", "archive", "startVerification", "terminate", "close", "withdraw"), data: fc.constant({}) }),
  fc.record({ action: fc.constant("notify"), data: fc.record({ document: fc.constantFrom("acceptance", "decision", "suspension", "termination") }) }),
  fc.record({ action: fc.constantFrom("suspend", "resume"), data: fc.record({ offset: fc.integer({ min: 1, max: 20 }) }) }),
  fc.record({ action: fc.constant("conclude"), data: fc.record({ offset: fc.integer({ min: 0, max: 40 }) }) }),
  fc.record({ action: fc.constantFrom("forward", "secondRound"), data: fc.record({ offset: fc.integer({ min: 1, max: 30 }) }) }),
);
const arbitraryHistory = fc.array(step, { maxLength: 12 }).map((steps) => {
  let day = localDate("2026-01-05");
  const events: DutyEvent[] = [{ action: "receive", data: { receivedDate: day }, at: new Date(`${day}T03:00:00Z`) }];
  for (const { action, data } of steps) {
    const offset = "offset" in data ? Number(data.offset) : 0;
    day = addDays(day, offset);
    const dated: Record<string, unknown> = { ...data };
    delete dated.offset;
    if (action === "accept" || action === "conclude") dated.decisionDate = day;
    if (action === "suspend" || action === "resume") dated.effectiveDate = day;
    if (action === "forward") dated.receivedByTargetOn = day;
    if (action === "secondRound") dated.receivedDate = day;
    events.push({ action, data: dated, at: new Date(`${day}T03:00:00Z`) });
  }
  return events;
});
/** Pure closers: steps that open no duty in the catalogue. */
const PURE_CLOSERS = new Set(["reject", "guide", "startVerification", "close", "withdraw", "notify", "resume"]);

describe("duty properties (fast-check)", () => {
  const base = facts({ kind: null, receivedDate: "2026-01-05" });

  it("an event only closes the duties that list its kind, and opens only duties named after its own sequence", () => {
    fc.assert(
      fc.property(arbitraryHistory, (events) => {
        for (let n = 1; n < events.length; n++) {
          const before = openDuties(base, events.slice(0, n), calendar).map((duty) => duty.id);
          const afterDuties = openDuties(base, events.slice(0, n + 1), calendar);
          const key = eventKind(events[n]!);
          const beforeDuties = openDuties(base, events.slice(0, n), calendar);
          for (const duty of beforeDuties) {
            const stillOpen = afterDuties.some((other) => other.id === duty.id);
            expect(stillOpen, `${duty.id} after ${key}`).toBe(!duty.closedBy.includes(key));
          }
          for (const duty of afterDuties) expect(before.includes(duty.id) || duty.id.endsWith(`@${n + 1}`)).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("closing events never add duties", () => {
    fc.assert(
      fc.property(arbitraryHistory, (events) => {
        for (let n = 1; n < events.length; n++) {
          if (!PURE_CLOSERS.has(events[n]!.action)) continue;
          const before = new Set(openDuties(base, events.slice(0, n), calendar).map((duty) => duty.id));
          const after = openDuties(base, events.slice(0, n + 1), calendar);
          expect(after.every((duty) => before.has(duty.id))).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("the nearest due is the minimum over the open act duties, and never a citizen's limit or a retention", () => {
    fc.assert(
      fc.property(arbitraryHistory, (events) => {
        const duties = openDuties(base, events, calendar);
        const dues = duties.filter((duty) => duty.nature === "act" && duty.due !== undefined).map((duty) => duty.due!);
        const nearest = nearestDuty(duties);
        if (dues.length === 0) expect(nearest?.due).toBeUndefined();
        else expect(nearest?.due).toBe([...dues].sort()[0]);
        if (nearest) expect(nearest.nature).toBe("act");
      }),
      { numRuns: 200 },
    );
  });
});
