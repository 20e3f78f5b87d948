import type { WorkingCalendar } from "../deadlines/calendar";
import { openDuties } from "../deadlines/duties";
import { computeDeadline, type Deadline, type Suspension } from "../deadlines/engine";
import { addDays, compareDates, type LocalDate, localDate } from "../deadlines/localDate";
import { deadlineRuleRows, type DeadlineRule, type DenunciationComplexity, ruleInForce } from "../deadlines/rules";
import { lastTrack } from "./roundFacts";
import type { CaseKind, CaseState } from "./workflow";

export interface CaseForDeadline {
  kind: CaseKind | null;
  state: CaseState;
  round: number;
  receivedDate: string;
  acceptedDate: string | null;
  complexity: DenunciationComplexity;
  remoteArea: boolean;
}

export interface EventForDeadline {
  action: string;
  /** Parsed `data` of the event. */
  data: Record<string, unknown>;
  /** When it was recorded; dates a forward stored before forwards carried `receivedByTargetOn`. */
  at?: Date;
}

/**
 * The period of the case's main track running now — its intake (process, accept, check) or its resolution —
 * read from its duties (domain/deadlines/duties.ts, the one owner of what runs when), or null when neither
 * is open. A forward and a second round start a new handling there, without the earlier suspensions and
 * extensions. Strict: a history the law refuses throws DeadlineError.
 */
export function caseDeadline(
  current: CaseForDeadline,
  events: readonly EventForDeadline[],
  calendar: WorkingCalendar,
  ruleRows: readonly DeadlineRule[] = deadlineRuleRows,
): Pick<Deadline, "ruleId" | "basis" | "due"> | null {
  const duties = openDuties(
    { kind: current.kind, receivedDate: current.receivedDate, complexity: current.complexity, remoteArea: current.remoteArea },
    events,
    calendar,
    { strict: true, ruleRows },
  );
  const main = duties.findLast((duty) => duty.family === "intake" || duty.family === "resolve");
  return main ? { ruleId: main.ruleId, basis: main.basis, due: main.due } : null;
}

export type SecondRoundFiling =
  | { ok: true; roundOneEndedOn: LocalDate; filingDue: LocalDate }
  | { ok: false; refusal: "ROUND_ONE_STILL_RUNNING" | "FILING_LIMIT_PASSED"; detail: string };

/**
 * Whether a second-round complaint filed on `filedOn` is in time (Luật KN Art. 33): within 30 days (remote
 * 45) of the day the citizen received the round-1 decision (`decisionReceivedOn`, else the decision's date)
 * or, without a decision, of the day round 1's resolution period ran out — so a round 2 may be opened when
 * round 1 is overdue, but not while it is still running.
 */
export function secondRoundFiling(
  current: CaseForDeadline,
  events: readonly EventForDeadline[],
  calendar: WorkingCalendar,
  filing: { filedOn: string; decisionReceivedOn?: string },
): SecondRoundFiling {
  const filedOn = localDate(filing.filedOn);
  const decision = events.findLast((event) => event.action === "conclude");
  let roundOneEndedOn: LocalDate | undefined;
  if (decision) {
    const decided = typeof decision.data.decisionDate === "string" ? decision.data.decisionDate : undefined;
    const received = filing.decisionReceivedOn ?? decided;
    if (received) roundOneEndedOn = localDate(received);
  } else {
    const due = caseDeadline(current, events, calendar)?.due;
    if (!due || compareDates(filedOn, due) <= 0) {
      return { ok: false, refusal: "ROUND_ONE_STILL_RUNNING", detail: due ? `round 1 may be decided until ${due}` : "round 1 has no running period" };
    }
    roundOneEndedOn = due;
  }
  if (!roundOneEndedOn) return { ok: false, refusal: "ROUND_ONE_STILL_RUNNING", detail: "round 1 has no decision date" };
  // A disciplinary complaint has chapter IV's own limit (10 days from receiving the round-1 decision).
  const rule = ruleInForce(lastTrack(events).disciplinary ? "disciplinary.fileSecondRound" : "complaint.fileSecondRound", roundOneEndedOn);
  const filingDue = computeDeadline({ rule, start: roundOneEndedOn, circumstances: { complex: false, remoteArea: current.remoteArea } }, calendar).due;
  if (!filingDue || compareDates(filedOn, filingDue) > 0) {
    return { ok: false, refusal: "FILING_LIMIT_PASSED", detail: `the limit to file round 2 ended on ${filingDue} (${rule.basis})` };
  }
  return { ok: true, roundOneEndedOn, filingDue };
}

export type RefiledDenunciation = { ok: true } | { ok: false; refusal: "RESOLUTION_STILL_RUNNING" | "NO_RESOLUTION_TO_CONTEST" | "ALREADY_RESOLVED"; detail: string };

/**
 * Whether a denunciation may be re-filed with the superior on `filedOn` (tố cáo tiếp, Luật TC Art. 37):
 * `overdue` — the current handling has no conclusion and its resolution period ran out before that day;
 * `unlawful` — there is a conclusion of the current handling to contest. The law sets no filing limit.
 */
export function refiledDenunciation(
  current: CaseForDeadline,
  events: readonly EventForDeadline[],
  calendar: WorkingCalendar,
  filing: { filedOn: string; grounds: "overdue" | "unlawful" },
): RefiledDenunciation {
  const start = events.findLastIndex((event) => event.action === "receive" || event.action === "forward" || event.action === "refile");
  const concluded = events.slice(start + 1).some((event) => event.action === "conclude");
  if (filing.grounds === "unlawful") {
    return concluded ? { ok: true } : { ok: false, refusal: "NO_RESOLUTION_TO_CONTEST", detail: "re-filing as unlawful needs a conclusion of the denunciation" };
  }
  if (concluded) return { ok: false, refusal: "ALREADY_RESOLVED", detail: "the denunciation was concluded: re-file it as unlawful, not overdue" };
  const due = caseDeadline(current, events, calendar)?.due;
  if (!due || compareDates(localDate(filing.filedOn), due) <= 0) {
    return { ok: false, refusal: "RESOLUTION_STILL_RUNNING", detail: due ? `the denunciation may be resolved until ${due}` : "the resolution period is stopped or not running" };
  }
  return { ok: true };
}

export type FirstRoundFiling = { ok: true; filingDue: LocalDate } | { ok: false; refusal: "FILING_LIMIT_PASSED"; detail: string };

/**
 * Whether a round-1 complaint received on `filedOn` was filed in time (checked when it is accepted): within
 * 90 days of the day the complainant knew of the decision or act (Luật KN Art. 9) — a disciplinary complaint
 * within 15 days of receiving the decision (ch. IV) — not counting the time an obstacle (illness, disaster,
 * travel for work…) kept them from filing, each recorded as a `filingObstacle` step. An obstacle that began
 * before the period did holds its start back until it ended.
 */
export function firstRoundFiling(
  events: readonly EventForDeadline[],
  calendar: WorkingCalendar,
  filing: { knewOfDecisionOn: string; filedOn: string },
  ruleRows: readonly DeadlineRule[] = deadlineRuleRows,
): FirstRoundFiling {
  const start = localDate(filing.knewOfDecisionOn);
  const rule = ruleInForce(lastTrack(events).disciplinary ? "disciplinary.fileFirstRound" : "complaint.fileFirstRound", start, ruleRows);
  const firstCountedDay = addDays(start, 1);
  const obstacles: Suspension[] = [];
  for (const event of events) {
    if (event.action !== "filingObstacle" || typeof event.data.from !== "string" || typeof event.data.resumedOn !== "string") continue;
    const resumedOn = localDate(event.data.resumedOn);
    if (compareDates(resumedOn, firstCountedDay) <= 0) continue; // over before the count began
    const from = localDate(event.data.from);
    obstacles.push({ from: compareDates(from, firstCountedDay) < 0 ? firstCountedDay : from, resumedOn });
  }
  const filingDue = computeDeadline({ rule, start, suspensions: mergeOverlapping(obstacles) }, calendar).due;
  if (!filingDue || compareDates(localDate(filing.filedOn), filingDue) > 0) {
    return { ok: false, refusal: "FILING_LIMIT_PASSED", detail: `the limit to file ended on ${filingDue} (${rule.basis})` };
  }
  return { ok: true, filingDue };
}

/** Obstacles may overlap (ill while travelling for work): a day lost is counted once. */
function mergeOverlapping(spans: readonly Suspension[]): Suspension[] {
  const merged: { from: LocalDate; resumedOn: LocalDate }[] = [];
  for (const span of [...spans].sort((a, b) => compareDates(a.from, b.from))) {
    const last = merged.at(-1);
    const resumedOn = span.resumedOn ?? span.from;
    if (last && compareDates(span.from, last.resumedOn) <= 0) {
      if (compareDates(resumedOn, last.resumedOn) > 0) last.resumedOn = resumedOn;
    } else merged.push({ from: span.from, resumedOn });
  }
  return merged;
}
