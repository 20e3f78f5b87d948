import { describe, expect, it } from "vitest";
import {
  computeDeadline,
  type DeadlineInput,
  deadlineRules,
  type DeadlineRuleId,
  calendarSeeds,
  localDate,
  standing,
  vietnamDateOf,
  WorkingCalendar,
} from "../../signaling/domain/deadlines";

const calendar = WorkingCalendar.of(calendarSeeds);
const d = localDate;

interface Row {
  name: string;
  rule: DeadlineRuleId;
  start: string;
  due: string | undefined;
  input?: Omit<Partial<DeadlineInput>, "rule" | "start">;
}

const complex = { complex: true, remoteArea: false };
const remote = { complex: false, remoteArea: true };
const complexRemote = { complex: true, remoteArea: true };

/**
 * Each row: a legal rule, a start date, and the due date worked out by hand with the 2026–2027 calendar
 * (start day not counted; a calendar-day period ending on a day off ends on the next working day).
 */
const rows: Row[] = [
  // Luật Khiếu nại Art. 27 — accept within 10 days of receipt
  { name: "accept complaint: ends on a weekday", rule: "complaint.acceptFirstRound", start: "2026-03-02", due: "2026-03-12" },
  { name: "accept complaint: last day Saturday → Monday (BLDS Art. 148)", rule: "complaint.acceptFirstRound", start: "2026-03-04", due: "2026-03-16" },
  { name: "accept complaint: last day before Tết 2026 → first day after the break", rule: "complaint.acceptFirstRound", start: "2026-02-05", due: "2026-02-23" },
  { name: "accept complaint: last day in Tết 2027 → after the break", rule: "complaint.acceptFirstRound", start: "2027-01-27", due: "2027-02-12" },
  // Luật Khiếu nại Art. 9 — 90 days to file
  { name: "complaint filing limit: 90 days", rule: "complaint.fileFirstRound", start: "2026-01-10", due: "2026-04-10" },
  // Luật Khiếu nại Art. 28 — resolve first round: 30 / 45 / 45 / 60
  { name: "first round: normal 30 days", rule: "complaint.resolveFirstRound", start: "2026-03-02", due: "2026-04-01" },
  { name: "first round: complex 45 days", rule: "complaint.resolveFirstRound", start: "2026-03-02", due: "2026-04-16", input: { circumstances: complex } },
  { name: "first round: remote area 45 days", rule: "complaint.resolveFirstRound", start: "2026-03-02", due: "2026-04-16", input: { circumstances: remote } },
  { name: "first round: complex + remote 60 days, ends on 1 May → Monday 4 May", rule: "complaint.resolveFirstRound", start: "2026-03-02", due: "2026-05-04", input: { circumstances: complexRemote } },
  // Luật Khiếu nại Art. 33 — second-round filing: 30, remote 45
  { name: "second-round filing: 30 days", rule: "complaint.fileSecondRound", start: "2026-06-01", due: "2026-07-01" },
  { name: "second-round filing: remote 45 days", rule: "complaint.fileSecondRound", start: "2026-06-01", due: "2026-07-16", input: { circumstances: remote } },
  // Luật Khiếu nại Art. 37 — resolve second round: 45 / 60 / 60 / 70
  { name: "second round: normal 45 days", rule: "complaint.resolveSecondRound", start: "2026-06-01", due: "2026-07-16" },
  { name: "second round: complex 60 days", rule: "complaint.resolveSecondRound", start: "2026-06-01", due: "2026-07-31", input: { circumstances: complex } },
  { name: "second round: remote 60 days", rule: "complaint.resolveSecondRound", start: "2026-06-01", due: "2026-07-31", input: { circumstances: remote } },
  { name: "second round: complex + remote 70 days", rule: "complaint.resolveSecondRound", start: "2026-06-01", due: "2026-08-10", input: { circumstances: complexRemote } },
  // Luật Tố cáo Art. 29 — notify acceptance within 5 working days
  { name: "notify denunciation acceptance: 5 working days over Tết 2026", rule: "denunciation.notifyAcceptance", start: "2026-02-13", due: "2026-02-27" },
  { name: "notify denunciation acceptance: 5 working days over a weekend", rule: "denunciation.notifyAcceptance", start: "2026-03-02", due: "2026-03-09" },
  { name: "notify denunciation acceptance: over 30/4 and 1/5", rule: "denunciation.notifyAcceptance", start: "2026-04-28", due: "2026-05-07" },
  // Luật Tố cáo Art. 24 — initial check 7 working days
  // From Fri 28 Aug 2026: Mon 31 Aug (day off in exchange for Sat 22 Aug), Tue 1 and Wed 2 Sep (Quốc khánh) skipped;
  // Thu 3 (1), Fri 4 (2), Mon 7 (3), Tue 8 (4), Wed 9 (5), Thu 10 (6), Fri 11 (7)
  { name: "initial check of a denunciation: 7 working days over Quốc khánh and the exchanged Monday", rule: "denunciation.initialCheck", start: "2026-08-28", due: "2026-09-11" },
  // Luật Tố cáo Art. 30 — resolve in 30 days, extensions by complexity
  { name: "denunciation: 30 days", rule: "denunciation.resolve", start: "2026-03-02", due: "2026-04-01" },
  {
    name: "denunciation, complex: one 30-day extension, ends on 1 May → 4 May",
    rule: "denunciation.resolve",
    start: "2026-03-02",
    due: "2026-05-04",
    input: { complexity: "complex", extensions: [{ days: 30, grantedOn: d("2026-03-25") }] },
  },
  {
    name: "denunciation, especially complex: two extensions, ends Sunday → Monday",
    rule: "denunciation.resolve",
    start: "2026-03-02",
    due: "2026-06-01",
    input: { complexity: "especiallyComplex", extensions: [{ days: 30, grantedOn: d("2026-03-25") }, { days: 30, grantedOn: d("2026-04-25") }] },
  },
  {
    name: "denunciation, complex: a shorter extension of 15 days",
    rule: "denunciation.resolve",
    start: "2026-03-02",
    due: "2026-04-16",
    input: { complexity: "complex", extensions: [{ days: 15, grantedOn: d("2026-03-25") }] },
  },
  // Suspension (tạm đình chỉ) stops the clock; resumption continues with the remaining days
  {
    // last day 1 Apr; suspended 12 Mar, resumed 20 Mar: pushed by 20 − 12 = 8 days → Thu 9 Apr (Luật TC Art. 34)
    name: "suspension: pushes the due date by resumption − suspension days",
    rule: "complaint.resolveFirstRound",
    start: "2026-03-02",
    due: "2026-04-09",
    input: { suspensions: [{ from: d("2026-03-12"), resumedOn: d("2026-03-20") }] },
  },
  {
    name: "suspension still in force: no due date",
    rule: "complaint.resolveFirstRound",
    start: "2026-03-02",
    due: undefined,
    input: { suspensions: [{ from: d("2026-03-12") }] },
  },
  {
    // 1 Apr + 8 (12→20 Mar) = 9 Apr; + 7 (30 Mar→6 Apr) = Thu 16 Apr
    name: "two suspensions push by 8 and 7 days",
    rule: "complaint.resolveFirstRound",
    start: "2026-03-02",
    due: "2026-04-16",
    input: {
      suspensions: [
        { from: d("2026-03-30"), resumedOn: d("2026-04-06") },
        { from: d("2026-03-12"), resumedOn: d("2026-03-20") },
      ],
    },
  },
  {
    name: "suspension of a working-day period counts working days only",
    // 7 working days from Mon 2 Mar end Wed 11 Mar; suspended Thu 5 → resumed Mon 9: 2 working days (5, 6 Mar) → Fri 13 Mar
    rule: "denunciation.initialCheck",
    start: "2026-03-02",
    due: "2026-03-13",
    input: { suspensions: [{ from: d("2026-03-05"), resumedOn: d("2026-03-09") }] },
  },
  {
    // 1 Apr + (10 − 3 = 7) = Wed 8 Apr
    name: "suspension the day after acceptance: pushed by 7 days",
    rule: "complaint.resolveFirstRound",
    start: "2026-03-02",
    due: "2026-04-08",
    input: { suspensions: [{ from: d("2026-03-03"), resumedOn: d("2026-03-10") }] },
  },
  {
    name: "a suspension decided after the period ran out does not revive it",
    rule: "complaint.resolveFirstRound",
    start: "2026-03-02",
    due: "2026-04-01",
    input: { suspensions: [{ from: d("2026-04-10"), resumedOn: d("2026-04-20") }] },
  },
  {
    name: "suspension plus extension of a complex denunciation",
    // 30 + 30 days from 2 Mar: last day Fri 1 May; + 7 (12→19 Mar) = Fri 8 May, a working day
    rule: "denunciation.resolve",
    start: "2026-03-02",
    due: "2026-05-08",
    input: {
      complexity: "complex",
      extensions: [{ days: 30, grantedOn: d("2026-03-25") }],
      suspensions: [{ from: d("2026-03-12"), resumedOn: d("2026-03-19") }],
    },
  },
  {
    // 10 days from Wed 4 Mar: last day Sat 14 Mar → Mon 16 Mar; suspended on that Monday, resumed Wed 18: + 2 → Wed 18 Mar
    name: "a suspension decided on a due date rolled over a weekend still stops the clock",
    rule: "complaint.acceptFirstRound",
    start: "2026-03-04",
    due: "2026-03-18",
    input: { suspensions: [{ from: d("2026-03-16"), resumedOn: d("2026-03-18") }] },
  },
  {
    // same period, suspended on the rolled-over Sunday 15 Mar, resumed Tue 17: 16 Mar + 2 → Wed 18 Mar
    name: "a suspension on a rolled-over Sunday pushes the rolled due date",
    rule: "complaint.acceptFirstRound",
    start: "2026-03-04",
    due: "2026-03-18",
    input: { suspensions: [{ from: d("2026-03-15"), resumedOn: d("2026-03-17") }] },
  },
  // TT 05/2021 — ineligible petitions kept one year; a period in years ends on the matching date (BLDS 2015 Art. 148)
  // TT 05/2021/TT-TTCP — classify and decide a petition whose kind is not known yet: 10 working days
  // Mon 2 Mar: Tue 3 … Fri 6 (4), Mon 9 … Fri 13 (9), Mon 16 (10)
  { name: "process a petition: 10 working days", rule: "petition.process", start: "2026-03-02", due: "2026-03-16" },
  // Thu 12 Feb: Fri 13 (1), Tết Mon 16 – Fri 20 off, Mon 23 … Fri 27 (6), Mon 2 … Thu 5 Mar (10)
  { name: "process a petition over Tết 2026", rule: "petition.process", start: "2026-02-12", due: "2026-03-05" },
  // Mon 5 Jan: Tue 6 … Fri 9 (4), Sat 10 worked (5), Mon 12 … Fri 16 (10)
  { name: "process a petition counting the make-up Saturday 10 Jan 2026", rule: "petition.process", start: "2026-01-05", due: "2026-01-16" },
  { name: "ineligible petition kept one year: Mon 5 Jan 2026 → Tue 5 Jan 2027", rule: "petition.keepIneligible", start: "2026-01-05", due: "2027-01-05" },
  // 1 Mar 2027 + 1 year = Wed 1 Mar 2028 (365 days would give 29 Feb 2028)
  { name: "one year over a leap day ends on the matching date, not after 365 days", rule: "petition.keepIneligible", start: "2027-03-01", due: "2028-03-01" },
  // 29 Feb 2028 + 1 year: no 29 Feb in 2029 → the last day of that month, Wed 28 Feb 2029
  { name: "one year from 29 February ends on 28 February", rule: "petition.keepIneligible", start: "2028-02-29", due: "2029-02-28" },
  // Sat 31 Jan 2026 + 1 year = Sun 31 Jan 2027 → Mon 1 Feb 2027 (Art. 148)
  { name: "one year ending on a Sunday moves to Monday", rule: "petition.keepIneligible", start: "2026-01-31", due: "2027-02-01" },

  // ---- Issue 13 item 5: the rules that were missing ----
  // Luật TC 2018 Art. 24(1): 10 working days when the check must be made in several places
  // Mon 2 Mar: 3, 4, 5, 6 (4), 9–13 (9), Mon 16 (10)
  { name: "initial check in several places: 10 working days", rule: "denunciation.initialCheckSeveralPlaces", start: "2026-03-02", due: "2026-03-16" },
  // Fri 13 Feb: Tết 16–20 Feb skipped; 23–27 Feb (5), 2–6 Mar (10) → Fri 6 Mar
  { name: "initial check in several places over Tết 2026", rule: "denunciation.initialCheckSeveralPlaces", start: "2026-02-13", due: "2026-03-06" },
  // Wed 31 Dec 2025: Thu 1 Jan holiday, Fri 2 Jan day off; Mon 5 (1) … Fri 9 (5), Sat 10 make-up (6), Mon 12 (7), 13 (8), 14 (9), Thu 15 (10)
  { name: "initial check in several places over New Year and the make-up Saturday", rule: "denunciation.initialCheckSeveralPlaces", start: "2025-12-31", due: "2026-01-15" },
  // Luật TC 2018 Art. 34: send a suspension/termination decision within 5 working days
  // Thu 23 Apr: Fri 24 (1), Mon 27 Giỗ Tổ (off), 28 (2), 29 (3), 30 Apr and 1 May (off), Mon 4 (4), Tue 5 May (5)
  { name: "send a suspension decision: 5 working days over Giỗ Tổ, 30/4 and 1/5", rule: "denunciation.sendSuspensionOrTermination", start: "2026-04-23", due: "2026-05-05" },
  // Fri 21 Aug: Sat 22 make-up (1), Mon 24 (2), 25 (3), 26 (4), Thu 27 (5)
  { name: "send a termination decision: the make-up Saturday 22 Aug counts", rule: "denunciation.sendSuspensionOrTermination", start: "2026-08-21", due: "2026-08-27" },
  // Luật KN 2011 Art. 32: send the first-round decision within 3 working days
  // Wed 29 Apr: 30 Apr, 1 May off; Mon 4 (1), Tue 5 (2), Wed 6 (3)
  { name: "send a first-round decision: 3 working days over 30/4–1/5", rule: "complaint.sendFirstRoundDecision", start: "2026-04-29", due: "2026-05-06" },
  // Fri 9 Jan: Sat 10 make-up (1), Mon 12 (2), Tue 13 (3)
  { name: "send a first-round decision: the make-up Saturday 10 Jan counts", rule: "complaint.sendFirstRoundDecision", start: "2026-01-09", due: "2026-01-13" },
  // Luật KN 2011 Art. 41: send the second-round decision within 7 working days
  // Mon 2 Mar: 3, 4, 5, 6, 9, 10, 11 → Wed 11 Mar
  { name: "send a second-round decision: 7 working days", rule: "complaint.sendSecondRoundDecision", start: "2026-03-02", due: "2026-03-11" },
  // Wed 3 Feb 2027: Thu 4 (1), Tết 5 and 8–11 Feb off, Fri 12 (2), 15 (3), 16 (4), 17 (5), 18 (6), Fri 19 (7)
  { name: "send a second-round decision over Tết 2027", rule: "complaint.sendSecondRoundDecision", start: "2027-02-03", due: "2027-02-19" },
  // Luật KN 2011 Art. 36: accept a second-round complaint within 10 days of receipt — Mon 1 Jun → Thu 11 Jun
  { name: "accept a second-round complaint: 10 days (Art. 36, not 27)", rule: "complaint.acceptSecondRound", start: "2026-06-01", due: "2026-06-11" },
  // Fri 18 Dec 2026 + 10 = Mon 28 Dec 2026
  { name: "accept a second-round complaint at year end", rule: "complaint.acceptSecondRound", start: "2026-12-18", due: "2026-12-28" },
  // Luật KN 2011 Art. 43: a first-round decision takes legal effect 30 days after it is issued (remote 45) if not complained of again
  // Mon 2 Mar + 30 = Wed 1 Apr
  { name: "first-round decision takes effect after 30 days", rule: "complaint.firstRoundDecisionTakesEffect", start: "2026-03-02", due: "2026-04-01" },
  // Mon 2 Mar + 45 = Thu 16 Apr
  { name: "first-round decision in a remote area takes effect after 45 days", rule: "complaint.firstRoundDecisionTakesEffect", start: "2026-03-02", due: "2026-04-16", input: { circumstances: remote } },
  // Tue 31 Mar + 30 = Thu 30 Apr (holiday) → 1 May (holiday), Sat, Sun → Mon 4 May
  { name: "first-round decision: the 30th day on 30/4 moves to Mon 4 May", rule: "complaint.firstRoundDecisionTakesEffect", start: "2026-03-31", due: "2026-05-04" },
  // Luật KN 2011 ch. IV: complaints against a civil servant's disciplinary decision
  // filing: 15 days from receiving the decision — Mon 2 Mar + 15 = Tue 17 Mar
  { name: "disciplinary complaint, first round: 15 days to file", rule: "disciplinary.fileFirstRound", start: "2026-03-02", due: "2026-03-17" },
  // Fri 6 Feb 2026 + 15 = Sat 21 Feb (Tết break) → Sun 22 → Mon 23 Feb
  { name: "disciplinary complaint: 15 days ending in the Tết break move past it", rule: "disciplinary.fileFirstRound", start: "2026-02-06", due: "2026-02-23" },
  // second round: 10 days from receiving the first-round decision — Mon 2 Mar + 10 = Thu 12 Mar
  { name: "disciplinary complaint, second round: 10 days to file", rule: "disciplinary.fileSecondRound", start: "2026-03-02", due: "2026-03-12" },
  // resolve: 30 days, complex 45 — Mon 2 Mar + 30 = Wed 1 Apr; + 45 = Thu 16 Apr
  { name: "disciplinary complaint, first round: 30 days to resolve", rule: "disciplinary.resolveFirstRound", start: "2026-03-02", due: "2026-04-01" },
  { name: "disciplinary complaint, first round, complex: 45 days", rule: "disciplinary.resolveFirstRound", start: "2026-03-02", due: "2026-04-16", input: { circumstances: complex } },
  { name: "disciplinary complaint, second round: 30 days to resolve", rule: "disciplinary.resolveSecondRound", start: "2026-06-01", due: "2026-07-01" },
  // Mon 1 Jun + 45 = Thu 16 Jul
  { name: "disciplinary complaint, second round, complex: 45 days", rule: "disciplinary.resolveSecondRound", start: "2026-06-01", due: "2026-07-16", input: { circumstances: complex } },
  // Luật KN 2011 Art. 9: time lost to an obstacle (illness, disaster, travel for work…) is not counted in the 90 days
  // Sat 10 Jan + 90 = Fri 10 Apr; ill from 1 Feb, able again 11 Feb: + 10 → Mon 20 Apr
  {
    name: "filing limit paused by an illness",
    rule: "complaint.fileFirstRound",
    start: "2026-01-10",
    due: "2026-04-20",
    input: { suspensions: [{ from: d("2026-02-01"), resumedOn: d("2026-02-11") }] },
  },
  // as above, plus a flood 1–6 Mar: + 5 → Sat 25 Apr → Mon 27 Apr (Giỗ Tổ, off) → Tue 28 Apr
  {
    name: "filing limit paused by an illness and a flood",
    rule: "complaint.fileFirstRound",
    start: "2026-01-10",
    due: "2026-04-28",
    input: {
      suspensions: [
        { from: d("2026-02-01"), resumedOn: d("2026-02-11") },
        { from: d("2026-03-01"), resumedOn: d("2026-03-06") },
      ],
    },
  },
  // Extensions counted from the rolled-over due date (a configurable choice, ExtensionPolicy.countFrom):
  // 2 Mar + 30 = Wed 1 Apr; + 30 = Fri 1 May (holiday) → rolled Mon 4 May; + 30 from 4 May = Wed 3 Jun
  {
    name: "especially complex denunciation, extensions counted from the rolled-over due date",
    rule: "denunciation.resolve",
    start: "2026-03-02",
    due: "2026-06-03",
    input: { complexity: "especiallyComplex", extensionCountFrom: "rolledDueDate", extensions: [{ days: 30, grantedOn: d("2026-03-25") }, { days: 30, grantedOn: d("2026-05-04") }] },
  },
  // ---- Year end, Tết, make-up days ----
  // Luật KN Art. 27: Tue 22 Dec 2026 + 10 = Fri 1 Jan 2027 (Tết Dương lịch), Sat, Sun → Mon 4 Jan 2027
  { name: "accept complaint: year end, last day on New Year's Day 2027", rule: "complaint.acceptFirstRound", start: "2026-12-22", due: "2027-01-04" },
  // Luật TC Art. 29: Mon 28 Dec 2026: Tue 29 (1), Wed 30 (2), Thu 31 (3), Fri 1 Jan off, Mon 4 (4), Tue 5 Jan 2027 (5)
  { name: "notify denunciation acceptance across the year end", rule: "denunciation.notifyAcceptance", start: "2026-12-28", due: "2027-01-05" },
  // Luật KN Art. 28: Tue 1 Dec 2026 + 30 = Thu 31 Dec 2026, a working day
  { name: "first round: 30 days ending on 31 December", rule: "complaint.resolveFirstRound", start: "2026-12-01", due: "2026-12-31" },
  // Luật TC Art. 30: Wed 2 Dec 2026 + 30 = Fri 1 Jan 2027 → Mon 4 Jan 2027
  { name: "denunciation: 30 days ending on New Year's Day 2027", rule: "denunciation.resolve", start: "2026-12-02", due: "2027-01-04" },
  // Luật TC Art. 24: Wed 3 Feb 2027: Thu 4 (1), Tết 5 and 8–11 Feb off, Fri 12 (2), 15 (3), 16 (4), 17 (5), 18 (6), Fri 19 (7)
  { name: "initial check over Tết 2027", rule: "denunciation.initialCheck", start: "2027-02-03", due: "2027-02-19" },
  // Luật KN Art. 27: Mon 1 Feb 2027 + 10 = Thu 11 Feb (Tết) → Fri 12 Feb 2027
  { name: "accept complaint: last day inside Tết 2027 → Fri 12 Feb", rule: "complaint.acceptFirstRound", start: "2027-02-01", due: "2027-02-12" },
  // Luật KN Art. 28: Mon 19 Jan 2026 + 30 = Wed 18 Feb (Tết), 19, 20 off, Sat 21, Sun 22 → Mon 23 Feb
  { name: "first round: 30 days ending inside Tết 2026", rule: "complaint.resolveFirstRound", start: "2026-01-19", due: "2026-02-23" },
  // Luật TC Art. 24: Wed 11 Feb 2026: Thu 12 (1), Fri 13 (2), Tết 16–20 off, Mon 23 (3), 24 (4), 25 (5), 26 (6), Fri 27 (7)
  { name: "initial check straddling Tết 2026", rule: "denunciation.initialCheck", start: "2026-02-11", due: "2026-02-27" },
  // Luật TC Art. 29: Mon 9 Feb 2026: Tue 10 (1), Wed 11 (2), Thu 12 (3), Fri 13 (4), Tết off, Mon 23 Feb (5)
  { name: "notify acceptance: 5 working days straddling Tết 2026", rule: "denunciation.notifyAcceptance", start: "2026-02-09", due: "2026-02-23" },
  // Luật TC Art. 24: Thu 8 Jan 2026: Fri 9 (1), Sat 10 make-up (2), Mon 12 (3), 13 (4), 14 (5), 15 (6), Fri 16 (7)
  { name: "initial check: the make-up Saturday 10 Jan 2026 counts", rule: "denunciation.initialCheck", start: "2026-01-08", due: "2026-01-16" },
  // Luật TC Art. 29: Wed 19 Aug 2026: Thu 20 (1), Fri 21 (2), Sat 22 make-up (3), Mon 24 (4), Tue 25 (5)
  { name: "notify acceptance: the make-up Saturday 22 Aug 2026 counts", rule: "denunciation.notifyAcceptance", start: "2026-08-19", due: "2026-08-25" },
  // Luật KN Art. 27: Wed 12 Aug 2026 + 10 = Sat 22 Aug, a make-up working day: the period ends there (BLDS Art. 148)
  { name: "accept complaint: last day on the make-up Saturday stays there", rule: "complaint.acceptFirstRound", start: "2026-08-12", due: "2026-08-22" },
  // Luật KN Art. 27: Fri 21 Aug 2026 + 10 = Mon 31 Aug (day off in exchange), 1–2 Sep Quốc khánh → Thu 3 Sep
  { name: "accept complaint: last day on the exchanged Monday 31 Aug → Thu 3 Sep", rule: "complaint.acceptFirstRound", start: "2026-08-21", due: "2026-09-03" },
  // Luật KN Art. 27: Tue 23 Dec 2025 + 10 = Fri 2 Jan 2026 (day off in exchange), Sat, Sun → Mon 5 Jan
  { name: "accept complaint: last day on the exchanged Friday 2 Jan → Mon 5 Jan", rule: "complaint.acceptFirstRound", start: "2025-12-23", due: "2026-01-05" },
  // Luật TC Art. 29: decided on Sat 7 Mar 2026: Mon 9 (1) … Fri 13 Mar (5)
  { name: "notify acceptance: a decision dated on a Saturday counts from Monday", rule: "denunciation.notifyAcceptance", start: "2026-03-07", due: "2026-03-13" },
  // Luật KN Art. 9: Sun 4 Jan 2026 + 90 = Sat 4 Apr → Mon 6 Apr
  { name: "complaint filing limit ending on a Saturday → Monday", rule: "complaint.fileFirstRound", start: "2026-01-04", due: "2026-04-06" },

  // ---- Two suspensions ----
  // Luật TC Art. 24 + 34: Mon 2 Mar, 7 working days → Wed 11 Mar; suspended 4→6 Mar (4, 5 Mar lost) and 10→12 Mar (10, 11 Mar lost):
  // 11 Mar + 4 working days: 12 (1), 13 (2), 16 (3), Tue 17 Mar (4)
  {
    name: "two suspensions of a working-day period",
    rule: "denunciation.initialCheck",
    start: "2026-03-02",
    due: "2026-03-17",
    input: {
      suspensions: [
        { from: d("2026-03-04"), resumedOn: d("2026-03-06") },
        { from: d("2026-03-10"), resumedOn: d("2026-03-12") },
      ],
    },
  },
  // Luật TC Art. 30 + 34: Mon 5 Jan + 30 = Wed 4 Feb; + 10 (10→20 Jan) + 2 (1→3 Feb) = Mon 16 Feb (Tết) → Mon 23 Feb
  {
    name: "two suspensions push a denunciation into Tết 2026",
    rule: "denunciation.resolve",
    start: "2026-01-05",
    due: "2026-02-23",
    input: {
      suspensions: [
        { from: d("2026-01-10"), resumedOn: d("2026-01-20") },
        { from: d("2026-02-01"), resumedOn: d("2026-02-03") },
      ],
    },
  },
  { name: "a working-day period still suspended has no due date", rule: "denunciation.initialCheck", start: "2026-03-02", due: undefined, input: { suspensions: [{ from: d("2026-03-05") }] } },

  // ---- Round 2 after an overdue round 1 (Luật KN Art. 33, 36, 37) ----
  // Round 1 accepted Mon 2 Mar, due Wed 1 Apr, no decision: the 30 days to file round 2 run from 1 Apr → Fri 1 May (holiday) → Mon 4 May
  { name: "round 2 filing after an overdue round 1: from the round-1 due date", rule: "complaint.fileSecondRound", start: "2026-04-01", due: "2026-05-04" },
  // remote: 1 Apr + 45 = Sat 16 May → Mon 18 May
  { name: "round 2 filing after an overdue round 1, remote area", rule: "complaint.fileSecondRound", start: "2026-04-01", due: "2026-05-18", input: { circumstances: remote } },
  // Round 2 filed Mon 4 May → accepted within 10 days (Art. 36): Thu 14 May
  { name: "round 2 filed after an overdue round 1: accept by Art. 36", rule: "complaint.acceptSecondRound", start: "2026-05-04", due: "2026-05-14" },
  // Art. 37: accepted Mon 1 Jun + 45 = Thu 16 Jul; suspended 15→25 Jun: + 10 = Sun 26 Jul → Mon 27 Jul
  {
    name: "round 2 with a suspension",
    rule: "complaint.resolveSecondRound",
    start: "2026-06-01",
    due: "2026-07-27",
    input: { suspensions: [{ from: d("2026-06-15"), resumedOn: d("2026-06-25") }] },
  },

  // ---- A forwarded denunciation: the receiving unit counts from the day it receives it ----
  // Forwarded, received Thu 26 Mar 2026: Fri 27 (1), Mon 30 (2), 31 (3), Wed 1 Apr (4), 2 (5), 3 (6), Mon 6 Apr (7)
  { name: "forwarded denunciation: initial check from the receiving unit's receipt", rule: "denunciation.initialCheck", start: "2026-03-26", due: "2026-04-06" },
  // Received Wed 22 Apr: Thu 23 (1), Fri 24 (2), Mon 27 off, 28 (3), 29 (4), 30 Apr + 1 May off, Mon 4 (5), 5 (6), Wed 6 May (7)
  { name: "forwarded denunciation received before Giỗ Tổ and 30/4", rule: "denunciation.initialCheck", start: "2026-04-22", due: "2026-05-06" },

  // Luật TC Art. 30: a one-day extension: 1 Apr + 1 = Thu 2 Apr
  {
    name: "denunciation, complex: the shortest extension, one day",
    rule: "denunciation.resolve",
    start: "2026-03-02",
    due: "2026-04-02",
    input: { complexity: "complex", extensions: [{ days: 1, grantedOn: d("2026-03-20") }] },
  },
  // An extension decided on the period's last day is in time: 1 Apr + 30 = Fri 1 May → Mon 4 May
  {
    name: "an extension decided on the last day is in time",
    rule: "denunciation.resolve",
    start: "2026-03-02",
    due: "2026-05-04",
    input: { complexity: "complex", extensions: [{ days: 30, grantedOn: d("2026-04-01") }] },
  },

  // ---- Issue 13, remaining duties ----
  // Luật TC Art. 24(1)(b): a denunciation outside the unit's competence is forwarded within 5 working days of receipt
  // Mon 2 Mar: Tue 3 (1), Wed 4 (2), Thu 5 (3), Fri 6 (4), Mon 9 Mar (5)
  { name: "forward a denunciation outside competence: 5 working days", rule: "denunciation.forward", start: "2026-03-02", due: "2026-03-09" },
  // Thu 23 Apr: Fri 24 (1), Mon 27 Giỗ Tổ off, 28 (2), 29 (3), 30 Apr and 1 May off, Mon 4 (4), Tue 5 May (5)
  { name: "forward a denunciation over Giỗ Tổ, 30/4 and 1/5", rule: "denunciation.forward", start: "2026-04-23", due: "2026-05-05" },
  // … and tell the denouncer within the same 5 working days. Fri 13 Feb: Tết 16–20 off; Mon 23 (1) … Fri 27 Feb (5)
  { name: "notify the denouncer of the forwarding over Tết 2026", rule: "denunciation.notifyForwarding", start: "2026-02-13", due: "2026-02-27" },
  // Fri 9 Jan: Sat 10 make-up (1), Mon 12 (2), 13 (3), 14 (4), Thu 15 Jan (5)
  { name: "notify the denouncer of the forwarding: the make-up Saturday 10 Jan counts", rule: "denunciation.notifyForwarding", start: "2026-01-09", due: "2026-01-15" },
  // Luật KN Art. 27: notify acceptance or non-acceptance within the 10 days from receipt — Mon 2 Mar + 10 = Thu 12 Mar
  { name: "notify a complainant of acceptance: 10 days from receipt", rule: "complaint.notifyAcceptanceFirstRound", start: "2026-03-02", due: "2026-03-12" },
  // Wed 4 Mar + 10 = Sat 14 Mar → Mon 16 Mar
  { name: "notify a complainant of non-acceptance: last day Saturday → Monday", rule: "complaint.notifyAcceptanceFirstRound", start: "2026-03-04", due: "2026-03-16" },
  // Luật KN Art. 36: round 2, Mon 4 May + 10 = Thu 14 May
  { name: "notify a round-2 complainant of acceptance (Art. 36)", rule: "complaint.notifyAcceptanceSecondRound", start: "2026-05-04", due: "2026-05-14" },
  // Luật KN Art. 39: the round-2 dialogue within the resolution period — Mon 1 Jun + 45 = Thu 16 Jul
  { name: "round-2 dialogue: within the 45 days of the resolution", rule: "complaint.secondRoundDialogue", start: "2026-06-01", due: "2026-07-16" },
  // complex: + 60 = Fri 31 Jul; suspended 15 → 25 Jun: + 10 = Mon 10 Aug
  {
    name: "round-2 dialogue of a complex case, suspended 10 days",
    rule: "complaint.secondRoundDialogue",
    start: "2026-06-01",
    due: "2026-08-10",
    input: { circumstances: complex, suspensions: [{ from: d("2026-06-15"), resumedOn: d("2026-06-25") }] },
  },
  // Luật KN ch. IV: accept a disciplinary complaint within 10 days — Mon 2 Mar + 10 = Thu 12 Mar
  { name: "accept a disciplinary complaint, round 1: 10 days", rule: "disciplinary.acceptFirstRound", start: "2026-03-02", due: "2026-03-12" },
  // Fri 18 Dec 2026 + 10 = Mon 28 Dec 2026
  { name: "accept a disciplinary complaint, round 2, at year end", rule: "disciplinary.acceptSecondRound", start: "2026-12-18", due: "2026-12-28" },
  // Chapter IV's 15 days to file, paused by an obstacle: Mon 2 Mar + 15 = Tue 17 Mar; ill 5 → 9 Mar: + 4 = Sat 21 → Mon 23 Mar
  {
    name: "disciplinary complaint: 15 days to file, paused by an illness",
    rule: "disciplinary.fileFirstRound",
    start: "2026-03-02",
    due: "2026-03-23",
    input: { suspensions: [{ from: d("2026-03-05"), resumedOn: d("2026-03-09") }] },
  },

  // ---- A re-filed denunciation (tố cáo tiếp, Luật TC Art. 37): the superior authority reviews, then resolves ----
  // Review within 7 working days of receiving it. Mon 2 Mar: Tue 3 (1), Wed 4 (2), Thu 5 (3), Fri 6 (4), Mon 9 (5), Tue 10 (6), Wed 11 Mar (7)
  { name: "re-filed denunciation: the superior reviews it in 7 working days", rule: "denunciation.reviewRefiled", start: "2026-03-02", due: "2026-03-11" },
  // Thu 23 Apr: Fri 24 (1), Mon 27 Giỗ Tổ off, Tue 28 (2), Wed 29 (3), 30 Apr and 1 May off, Mon 4 (4), Tue 5 (5), Wed 6 (6), Thu 7 May (7)
  { name: "re-filed denunciation: review over Giỗ Tổ, 30/4 and 1/5", rule: "denunciation.reviewRefiled", start: "2026-04-23", due: "2026-05-07" },
  // Fri 9 Jan: Sat 10 make-up (1), Mon 12 (2), 13 (3), 14 (4), 15 (5), Fri 16 (6), Mon 19 Jan (7)
  { name: "re-filed denunciation: the make-up Saturday 10 Jan counts in the review", rule: "denunciation.reviewRefiled", start: "2026-01-09", due: "2026-01-19" },
  // Resolved by the superior in Art. 30's periods: Mon 2 Mar + 30 = Wed 1 Apr
  { name: "re-filed denunciation accepted by the superior: 30 days (Art. 30)", rule: "denunciation.resolveRefiled", start: "2026-03-02", due: "2026-04-01" },
  // complex, one extension of 30 days granted 25 Mar: last day Wed 1 Apr + 30 = Fri 1 May (holiday) → Sat, Sun → Mon 4 May
  {
    name: "re-filed denunciation, complex: one 30-day extension over 1 May",
    rule: "denunciation.resolveRefiled",
    start: "2026-03-02",
    due: "2026-05-04",
    input: { complexity: "complex", extensions: [{ days: 30, grantedOn: d("2026-03-25") }] },
  },
];

describe("statutory deadlines", () => {
  it("cover at least 80 cases and every rule", () => {
    expect(rows.length).toBeGreaterThanOrEqual(80);
    expect(new Set(rows.map((row) => row.rule))).toEqual(new Set(Object.keys(deadlineRules)));
  });

  it.each(rows)("$rule — $name", ({ rule, start, due, input }) => {
    const deadline = computeDeadline({ rule: deadlineRules[rule], start: d(start), ...input }, calendar);
    expect(deadline.due).toBe(due);
    expect(deadline.basis).toBe(deadlineRules[rule].basis);
  });
});

describe("extensions the law does not allow", () => {
  const resolve = deadlineRules["denunciation.resolve"];
  const start = d("2026-03-02");
  const ext = (days: number) => ({ days, grantedOn: d("2026-03-25") });

  it.each([
    ["a normal denunciation (Luật TC Art. 30)", "normal", [ext(30)], "EXTENSION_NOT_ALLOWED"],
    ["a second extension of a complex one", "complex", [ext(30), ext(30)], "EXTENSION_NOT_ALLOWED"],
    ["a third extension of an especially complex one", "especiallyComplex", [ext(30), ext(30), ext(10)], "EXTENSION_NOT_ALLOWED"],
    ["an extension longer than 30 days", "complex", [ext(31)], "EXTENSION_TOO_LONG"],
  ] as const)("refuses %s", (_name, complexity, extensions, code) => {
    expect(() => computeDeadline({ rule: resolve, start, complexity, extensions }, calendar)).toThrow(expect.objectContaining({ code }));
  });

  it("refuses an extension decided after the period ran out (2 Apr, the day after the 1 Apr due date)", () => {
    expect(() => computeDeadline({ rule: resolve, start, complexity: "complex", extensions: [{ days: 30, grantedOn: d("2026-04-02") }] }, calendar)).toThrow(
      expect.objectContaining({ code: "EXTENSION_TOO_LATE" }),
    );
  });

  it("refuses a second extension decided after the first extended period ran out (4 May → granted 5 May)", () => {
    const extensions = [ext(30), { days: 30, grantedOn: d("2026-05-05") }];
    expect(() => computeDeadline({ rule: resolve, start, complexity: "especiallyComplex", extensions }, calendar)).toThrow(expect.objectContaining({ code: "EXTENSION_TOO_LATE" }));
  });

  it("refuses any extension of a complaint deadline (Luật KN has none)", () => {
    expect(() => computeDeadline({ rule: deadlineRules["complaint.resolveFirstRound"], start, extensions: [ext(10)] }, calendar)).toThrow(
      expect.objectContaining({ code: "EXTENSION_NOT_ALLOWED" }),
    );
  });

  it("refuses a resumption before its suspension", () => {
    expect(() =>
      computeDeadline({ rule: resolve, start, suspensions: [{ from: d("2026-03-12"), resumedOn: d("2026-03-10") }] }, calendar),
    ).toThrow(expect.objectContaining({ code: "INVALID_SUSPENSION" }));
  });
});

describe("standing of a case", () => {
  const deadline = computeDeadline({ rule: deadlineRules["complaint.resolveFirstRound"], start: d("2026-03-02") }, calendar);

  it.each([
    ["2026-03-20", "onTime", 12],
    ["2026-03-28", "dueSoon", 4],
    ["2026-04-01", "dueSoon", 0],
    ["2026-04-02", "overdue", -1],
  ] as const)("on %s it is %s", (today, status, daysLeft) => {
    expect(standing(deadline, d(today))).toEqual({ status, daysLeft });
  });

  it("is suspended while the clock is stopped", () => {
    const suspended = computeDeadline({ rule: deadlineRules["complaint.resolveFirstRound"], start: d("2026-03-02"), suspensions: [{ from: d("2026-03-12") }] }, calendar);
    expect(standing(suspended, d("2026-05-01"))).toEqual({ status: "suspended", daysLeft: undefined });
  });
});

describe("dates", () => {
  it("are Vietnamese calendar days: 01:30 in Hà Nội is still 18:30 UTC the day before", () => {
    expect(vietnamDateOf(new Date("2026-03-01T18:30:00Z"))).toBe("2026-03-02");
    expect(vietnamDateOf(new Date("2026-03-01T16:59:59Z"))).toBe("2026-03-01");
  });

  it("reject impossible dates", () => {
    expect(() => localDate("2026-02-30")).toThrow(RangeError);
    expect(() => localDate("26-2-3")).toThrow(RangeError);
  });

  it("know that Tết 2026 weekdays are not working days", () => {
    expect(calendar.isWorkingDay(d("2026-02-16"))).toBe(false);
    expect(calendar.isWorkingDay(d("2026-02-23"))).toBe(true);
    expect(calendar.isWorkingDay(d("2026-02-21"))).toBe(false);
  });
});
