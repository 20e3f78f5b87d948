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
  notifyDocuments,
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
      ev("notify", { document: "acceptance", sentOn: "2026-03-06" }),
      ev("startVerification"),
      ev("conclude", { decisionDate: "2026-04-01" }),
    ];
    // Wed 1 Apr + 3 working days = Mon 6 Apr; + 30 days = Fri 1 May (holiday), Sat, Sun → Mon 4 May, also the day the
    // decision takes effect if not complained of again (Luật KN Art. 43)
    const duties = openDuties(facts({ kind: "complaint" }), history, calendar);
    expect(summary(duties)).toEqual([
      "complaint.sendFirstRoundDecision 2026-04-06 act",
      "complaint.fileSecondRound 2026-05-04 citizen",
      "complaint.firstRoundDecisionTakesEffect 2026-05-04 effect",
    ]);
    // A second round stops both the citizen's limit and the decision's taking effect. Filed Mon 20 Apr:
    // + 10 = Thu 30 Apr (holiday), 1 May (holiday), Sat, Sun → Mon 4 May (Art. 36)
    const again = openDuties(facts({ kind: "complaint" }), [...history, ev("notify", { document: "decision", sentOn: "2026-04-02" }), ev("secondRound", { receivedDate: "2026-04-20" })], calendar);
    expect(summary(again)).toEqual(["complaint.acceptSecondRound 2026-05-04 act"]);
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

describe("the remaining duties of issue 13", () => {
  const denunciation = facts({ kind: "denunciation" });
  const outsideCompetence = [ev("receive", { receivedDate: "2026-03-02" }), ev("classify", { kind: "denunciation", withinCompetence: false })];

  it("a denunciation outside the unit's competence: forward it AND notify the denouncer, 5 working days each (Luật TC Art. 24(1)(b))", () => {
    // Mon 2 Mar + 5 working days = Mon 9 Mar
    expect(summary(openDuties(denunciation, outsideCompetence, calendar))).toEqual(["denunciation.forward 2026-03-09 act", "denunciation.notifyForwarding 2026-03-09 act"]);
    // The notice recorded as sent closes its duty; the forward still has to happen.
    const noticed = [...outsideCompetence, ev("notify", { document: "forwarding", sentOn: "2026-03-05" })];
    expect(summary(openDuties(denunciation, noticed, calendar))).toEqual(["denunciation.forward 2026-03-09 act"]);
    // Forwarded, received by the competent unit Fri 6 Mar: its own initial check, 7 working days → Tue 17 Mar.
    const forwarded = [...noticed, ev("forward", { receivedByTargetOn: "2026-03-06" })];
    expect(summary(openDuties(denunciation, forwarded, calendar))).toEqual(["denunciation.initialCheck 2026-03-17 act"]);
  });

  it("no notice duty for an anonymous denouncer, who cannot be told", () => {
    expect(summary(openDuties({ ...denunciation, anonymous: true }, outsideCompetence, calendar))).toEqual(["denunciation.forward 2026-03-09 act"]);
  });

  it("a denunciation to check in several places: 10 working days instead of 7 (Luật TC Art. 24(1)(a))", () => {
    const history = [ev("receive", { receivedDate: "2026-03-02" }), ev("classify", { kind: "denunciation", checkInSeveralPlaces: true })];
    // Mon 2 Mar + 10 working days = Mon 16 Mar
    expect(summary(openDuties(denunciation, history, calendar))).toEqual(["denunciation.initialCheckSeveralPlaces 2026-03-16 act"]);
  });

  it("a complaint accepted or not: the complainant is told within the 10 days from receipt (Luật KN Art. 27)", () => {
    const complaint = facts({ kind: "complaint" });
    const classified = [ev("receive", { receivedDate: "2026-03-02", kind: "complaint" }), ev("classify", { kind: "complaint" })];
    // Accepted Thu 5 Mar: resolve + 30 = Sat 4 Apr → Mon 6 Apr; notice: Mon 2 Mar + 10 = Thu 12 Mar
    const accepted = [...classified, ev("accept", { decisionDate: "2026-03-05" })];
    const duties = openDuties(complaint, accepted, calendar);
    expect(summary(duties)).toEqual(["complaint.resolveFirstRound 2026-04-06 act", "complaint.notifyAcceptanceFirstRound 2026-03-12 act"]);
    expect(nearestDuty(duties)?.ruleId).toBe("complaint.notifyAcceptanceFirstRound");
    expect(summary(openDuties(complaint, [...accepted, ev("notify", { document: "acceptance", sentOn: "2026-03-06" })], calendar))).toEqual(["complaint.resolveFirstRound 2026-04-06 act"]);
    // Not accepted: the notice with the reasons is still owed, until recorded.
    const rejected = [...classified, ev("reject", { reason: "Quá thời hiệu" })];
    expect(summary(openDuties(complaint, rejected, calendar))).toEqual(["complaint.notifyAcceptanceFirstRound 2026-03-12 act"]);
    expect(openDuties(complaint, [...rejected, ev("notify", { document: "nonAcceptance", sentOn: "2026-03-09" })], calendar)).toEqual([]);
  });

  it("round 2: acceptance opens the resolution, the notice (Art. 36) and the mandatory dialogue (Art. 39), closed by the dialogue step", () => {
    const complaint = facts({ kind: "complaint" });
    const history = [
      ev("receive", { receivedDate: "2026-03-02", kind: "complaint" }),
      ev("classify", { kind: "complaint" }),
      ev("accept", { decisionDate: "2026-03-02" }),
      ev("notify", { document: "acceptance", sentOn: "2026-03-03" }),
      // Round 1 overdue (due 1 Apr) without a decision; round 2 filed Mon 4 May, accepted Fri 8 May
      ev("secondRound", { receivedDate: "2026-05-04" }),
      ev("classify", { kind: "complaint" }),
      ev("accept", { decisionDate: "2026-05-08" }),
    ];
    // Resolve and dialogue: 8 May + 45 = Mon 22 Jun; notice: 4 May + 10 = Thu 14 May
    expect(summary(openDuties(complaint, history, calendar))).toEqual([
      "complaint.resolveSecondRound 2026-06-22 act",
      "complaint.secondRoundDialogue 2026-06-22 act",
      "complaint.notifyAcceptanceSecondRound 2026-05-14 act",
    ]);
    const met = openDuties(complaint, [...history, ev("startVerification"), ev("dialogue", { heldOn: "2026-06-01" })], calendar);
    expect(met.map((duty) => duty.ruleId)).toEqual(["complaint.resolveSecondRound", "complaint.notifyAcceptanceSecondRound"]);
  });

  it("a complaint against a disciplinary decision follows chapter IV's rows, in both rounds", () => {
    const complaint = facts({ kind: "complaint" });
    const classified = [ev("receive", { receivedDate: "2026-03-02" }), ev("classify", { kind: "complaint", disciplinary: true })];
    expect(summary(openDuties(complaint, classified, calendar))).toEqual(["disciplinary.acceptFirstRound 2026-03-12 act"]);
    // Accepted Thu 5 Mar + 30 = Sat 4 Apr → Mon 6 Apr; decided Wed 1 Apr: 10 days to complain again → Sat 11 → Mon 13 Apr
    const decided = [...classified, ev("accept", { decisionDate: "2026-03-05" }), ev("startVerification"), ev("conclude", { decisionDate: "2026-04-01" })];
    expect(summary(openDuties(complaint, decided.slice(0, 3), calendar))).toEqual(["disciplinary.resolveFirstRound 2026-04-06 act"]);
    expect(summary(openDuties(complaint, decided, calendar))).toEqual(["disciplinary.fileSecondRound 2026-04-13 citizen"]);
    // Round 2 filed Fri 10 Apr: accepted within 10 days → Mon 20 Apr; accepted Mon 13 Apr + 30 = Wed 13 May
    const second = [...decided, ev("secondRound", { receivedDate: "2026-04-10" })];
    expect(summary(openDuties(complaint, second, calendar))).toEqual(["disciplinary.acceptSecondRound 2026-04-20 act"]);
    expect(summary(openDuties(complaint, [...second, ev("accept", { decisionDate: "2026-04-13" })], calendar))).toEqual(["disciplinary.resolveSecondRound 2026-05-13 act"]);
  });
});

/** Random histories from the steps a case can take, with dates moving forward. */
const step = fc.oneof(
  fc.record({
    action: fc.constant("classify"),
    data: fc.record({ kind: fc.constantFrom("complaint", "denunciation", "recommendation", "feedback"), withinCompetence: fc.boolean(), checkInSeveralPlaces: fc.boolean(), disciplinary: fc.boolean() }),
  }),
  fc.record({ action: fc.constant("dialogue"), data: fc.constant({}) }),
  fc.record({ action: fc.constant("accept"), data: fc.record({ offset: fc.integer({ min: 0, max: 20 }) }) }),
  fc.record({ action: fc.constantFrom("reject", "guide", "archive", "startVerification", "terminate", "close", "withdraw"), data: fc.constant({}) }),
  fc.record({ action: fc.constant("notify"), data: fc.record({ document: fc.constantFrom(...notifyDocuments) }) }),
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
/** Pure closers: steps that open no duty in the catalogue (a refusal to accept opens the notice of it). */
const PURE_CLOSERS = new Set(["guide", "startVerification", "close", "withdraw", "notify", "resume", "dialogue"]);

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
