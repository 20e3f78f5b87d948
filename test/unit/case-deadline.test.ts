import { describe, expect, it } from "vitest";
import { caseDeadline, type CaseForDeadline, type EventForDeadline, firstRoundFiling, secondRoundFiling } from "../../signaling/domain/cases/caseDeadline";
import { calendarSeeds, deadlineRuleRows, deadlineRules, WorkingCalendar } from "../../signaling/domain/deadlines";

const calendar = WorkingCalendar.of(calendarSeeds);

const complaint = (over: Partial<CaseForDeadline> = {}): CaseForDeadline => ({
  kind: "complaint",
  state: "received",
  round: 1,
  receivedDate: "2026-03-02",
  acceptedDate: null,
  complexity: "normal",
  remoteArea: false,
  ...over,
});
const event = (action: string, data: Record<string, unknown> = {}, at = "2026-03-02T02:00:00Z"): EventForDeadline => ({ action, data, at: new Date(at) });

describe("the deadline of a case from its history", () => {
  it("without a forward: 10 days from receipt (Luật KN Art. 27) — Mon 2 Mar → Thu 12 Mar", () => {
    expect(caseDeadline(complaint(), [event("receive"), event("classify")], calendar)?.due).toBe("2026-03-12");
  });

  it("after a forward, the receiving unit's clock starts the day it receives the petition (issue 13, item 4)", () => {
    // Received 2 Mar by the wrong unit, forwarded on Mon 16 Mar: 16 Mar + 10 = Thu 26 Mar
    const events = [event("receive"), event("classify"), event("forward", { toUnitId: "u2", reason: "Không thuộc thẩm quyền", receivedByTargetOn: "2026-03-16" })];
    expect(caseDeadline(complaint(), events, calendar)?.due).toBe("2026-03-26");
  });

  it("a forward stored without its receipt date (older history) uses the Vietnamese date of the event", () => {
    // 17:30 UTC on 15 Mar is 00:30 on Mon 16 Mar in Vietnam → Thu 26 Mar
    const events = [event("receive"), event("forward", { toUnitId: "u2", reason: "Không thuộc thẩm quyền" }, "2026-03-15T17:30:00Z")];
    expect(caseDeadline(complaint(), events, calendar)?.due).toBe("2026-03-26");
  });

  it("a denunciation forwarded twice counts its 7 working days from the last forward", () => {
    // Forwarded again on Fri 13 Mar: Mon 16 (1) … Fri 20 (5), Mon 23 (6), Tue 24 (7)
    const events = [
      event("receive"),
      event("forward", { toUnitId: "u2", reason: "Chuyển lần một", receivedByTargetOn: "2026-03-05" }),
      event("forward", { toUnitId: "u3", reason: "Chuyển lần hai", receivedByTargetOn: "2026-03-13" }),
    ];
    expect(caseDeadline(complaint({ kind: "denunciation" }), events, calendar)?.due).toBe("2026-03-24");
  });

  it("a second-round complaint is accepted under Art. 36 from its own receipt, and round 1's suspensions do not count", () => {
    // Round 1 had a suspension; round 2 received Mon 1 Jun → + 10 = Thu 11 Jun
    const events = [
      event("receive"),
      event("accept", { decisionDate: "2026-03-05" }),
      event("suspend", { effectiveDate: "2026-03-10" }),
      event("resume", { effectiveDate: "2026-03-20" }),
      event("conclude", { decisionDate: "2026-04-20" }),
      event("secondRound", { receivedDate: "2026-06-01" }),
    ];
    const deadline = caseDeadline(complaint({ round: 2, receivedDate: "2026-06-01" }), events, calendar);
    expect(deadline).toMatchObject({ ruleId: "complaint.acceptSecondRound", due: "2026-06-11", basis: "Luật Khiếu nại 2011, Điều 36" });
  });

  it("a second-round complaint, accepted, is resolved in 45 days counting only round 2's suspension", () => {
    // Accepted Mon 8 Jun: + 45 = Thu 23 Jul; suspended 1 Jul, resumed 6 Jul: + 5 → Tue 28 Jul
    const events = [
      event("receive"),
      event("accept", { decisionDate: "2026-03-05" }),
      event("suspend", { effectiveDate: "2026-03-10" }),
      event("resume", { effectiveDate: "2026-03-20" }),
      event("secondRound", { receivedDate: "2026-06-01" }),
      event("accept", { decisionDate: "2026-06-08" }),
      event("suspend", { effectiveDate: "2026-07-01" }),
      event("resume", { effectiveDate: "2026-07-06" }),
    ];
    const deadline = caseDeadline(complaint({ round: 2, state: "verifying", receivedDate: "2026-06-01", acceptedDate: "2026-06-08" }), events, calendar);
    expect(deadline).toMatchObject({ ruleId: "complaint.resolveSecondRound", due: "2026-07-28" });
  });
});

describe("opening a second round (Luật KN Art. 33)", () => {
  const roundOne = [event("receive"), event("accept", { decisionDate: "2026-03-02" })];
  const accepted = complaint({ state: "verifying", acceptedDate: "2026-03-02" });

  it("after a decision: 30 days from the day the citizen received it — decided Mon 6 Apr, received Fri 10 Apr → + 30 = Sun 10 May → Mon 11 May", () => {
    const events = [...roundOne, event("conclude", { decisionDate: "2026-04-06" })];
    const concluded = complaint({ state: "concluded", acceptedDate: "2026-03-02" });
    expect(secondRoundFiling(concluded, events, calendar, { filedOn: "2026-05-11", decisionReceivedOn: "2026-04-10" })).toEqual({ ok: true, roundOneEndedOn: "2026-04-10", filingDue: "2026-05-11" });
    expect(secondRoundFiling(concluded, events, calendar, { filedOn: "2026-05-12", decisionReceivedOn: "2026-04-10" })).toMatchObject({ ok: false, refusal: "FILING_LIMIT_PASSED" });
  });

  it("without a decision, once round 1 is overdue: accepted 2 Mar, due 1 Apr → filing limit 1 Apr + 30 = 1 May (holiday) → Mon 4 May", () => {
    expect(secondRoundFiling(accepted, roundOne, calendar, { filedOn: "2026-04-02" })).toEqual({ ok: true, roundOneEndedOn: "2026-04-01", filingDue: "2026-05-04" });
    expect(secondRoundFiling(accepted, roundOne, calendar, { filedOn: "2026-05-05" })).toMatchObject({ ok: false, refusal: "FILING_LIMIT_PASSED" });
  });

  it("not while round 1 is still running and undecided (1 Apr is its last day)", () => {
    expect(secondRoundFiling(accepted, roundOne, calendar, { filedOn: "2026-04-01" })).toMatchObject({ ok: false, refusal: "ROUND_ONE_STILL_RUNNING" });
  });

  it("in a remote area: round 1 runs 45 days (2 Mar → Thu 16 Apr), then 45 days to file: Sun 31 May → Mon 1 Jun", () => {
    expect(secondRoundFiling({ ...accepted, remoteArea: true }, roundOne, calendar, { filedOn: "2026-06-01" })).toEqual({ ok: true, roundOneEndedOn: "2026-04-16", filingDue: "2026-06-01" });
  });
});

describe("the round-1 filing limit, checked at acceptance (Luật KN Art. 9)", () => {
  const classified = [event("receive"), event("classify", { kind: "complaint" })];
  const obstacle = (from: string, resumedOn: string) => event("filingObstacle", { obstacle: "illness", from, resumedOn, reason: "Ốm nằm viện" });

  it("90 days from knowing of the decision: Sat 10 Jan → Fri 10 Apr 2026, filed that day in time, the next working day late", () => {
    expect(firstRoundFiling(classified, calendar, { knewOfDecisionOn: "2026-01-10", filedOn: "2026-04-10" })).toEqual({ ok: true, filingDue: "2026-04-10" });
    expect(firstRoundFiling(classified, calendar, { knewOfDecisionOn: "2026-01-10", filedOn: "2026-04-13" })).toMatchObject({ ok: false, refusal: "FILING_LIMIT_PASSED" });
  });

  it("time lost to a recorded obstacle is not counted: ill 1 → 11 Feb moves it by 10 days to Mon 20 Apr", () => {
    const events = [...classified, obstacle("2026-02-01", "2026-02-11")];
    expect(firstRoundFiling(events, calendar, { knewOfDecisionOn: "2026-01-10", filedOn: "2026-04-13" })).toEqual({ ok: true, filingDue: "2026-04-20" });
    expect(firstRoundFiling(events, calendar, { knewOfDecisionOn: "2026-01-10", filedOn: "2026-04-21" })).toMatchObject({ ok: false });
  });

  it("an obstacle already running when the complainant learnt of the decision holds the start back: ill 5 → 15 Jan, knew 10 Jan → + 4 = Tue 14 Apr", () => {
    const events = [...classified, obstacle("2026-01-05", "2026-01-15")];
    expect(firstRoundFiling(events, calendar, { knewOfDecisionOn: "2026-01-10", filedOn: "2026-04-14" })).toEqual({ ok: true, filingDue: "2026-04-14" });
    // One that ended before the count began changes nothing.
    expect(firstRoundFiling([...classified, obstacle("2026-01-02", "2026-01-11")], calendar, { knewOfDecisionOn: "2026-01-10", filedOn: "2026-04-10" })).toEqual({ ok: true, filingDue: "2026-04-10" });
  });

  it("overlapping obstacles count each lost day once: ill 1 → 11 Feb and on a work trip 6 → 16 Feb lose 15 days → Sat 25 Apr → Mon 27 Apr (Giỗ Tổ) → Tue 28 Apr", () => {
    const events = [...classified, obstacle("2026-02-01", "2026-02-11"), event("filingObstacle", { obstacle: "workTravel", from: "2026-02-06", resumedOn: "2026-02-16", reason: "Công tác xa" })];
    expect(firstRoundFiling(events, calendar, { knewOfDecisionOn: "2026-01-10", filedOn: "2026-04-28" })).toEqual({ ok: true, filingDue: "2026-04-28" });
  });

  it("a complaint against a disciplinary decision has 15 days from receiving it (Luật KN ch. IV): Mon 2 Mar → Tue 17 Mar", () => {
    const disciplinary = [event("receive"), event("classify", { kind: "complaint", disciplinary: true })];
    expect(firstRoundFiling(disciplinary, calendar, { knewOfDecisionOn: "2026-03-02", filedOn: "2026-03-17" })).toEqual({ ok: true, filingDue: "2026-03-17" });
    expect(firstRoundFiling(disciplinary, calendar, { knewOfDecisionOn: "2026-03-02", filedOn: "2026-03-18" })).toMatchObject({ ok: false, refusal: "FILING_LIMIT_PASSED" });
  });

  it("a disciplinary round 2 is filed within 10 days of receiving the round-1 decision, not 30", () => {
    const events = [event("receive"), event("classify", { kind: "complaint", disciplinary: true }), event("accept", { decisionDate: "2026-03-05" }), event("conclude", { decisionDate: "2026-04-01" })];
    const concluded = complaint({ state: "concluded", acceptedDate: "2026-03-05" });
    // Wed 1 Apr + 10 = Sat 11 Apr → Mon 13 Apr
    expect(secondRoundFiling(concluded, events, calendar, { filedOn: "2026-04-13" })).toMatchObject({ ok: true, filingDue: "2026-04-13" });
    expect(secondRoundFiling(concluded, events, calendar, { filedOn: "2026-04-14" })).toMatchObject({ ok: false, refusal: "FILING_LIMIT_PASSED" });
  });
});

describe("rules as dated data", () => {
  // A hypothetical amendment in force from 1 Jul 2026 (the 2025 amendments take effect that day): 15 days to
  // accept a first-round complaint. Added as a row, no code change; cases use the row in force when their period started.
  const amended = [...deadlineRuleRows, { ...deadlineRules["complaint.acceptFirstRound"], length: { normal: 15 }, basis: "Sửa đổi (giả định) từ 01/7/2026", validFrom: "2026-07-01" }];

  it("a period started on 30 Jun 2026 keeps the old 10 days: Tue 30 Jun → Fri 10 Jul", () => {
    expect(caseDeadline(complaint({ receivedDate: "2026-06-30" }), [event("receive")], calendar, amended)).toMatchObject({ due: "2026-07-10", basis: "Luật Khiếu nại 2011, Điều 27" });
  });

  it("a period started on 1 Jul 2026 gets the amended 15 days: Wed 1 Jul → Thu 16 Jul", () => {
    expect(caseDeadline(complaint({ receivedDate: "2026-07-01" }), [event("receive")], calendar, amended)).toMatchObject({ due: "2026-07-16", basis: "Sửa đổi (giả định) từ 01/7/2026" });
  });

  it("without the amendment both get 10 days", () => {
    expect(caseDeadline(complaint({ receivedDate: "2026-07-01" }), [event("receive")], calendar)?.due).toBe("2026-07-13");
  });
});
