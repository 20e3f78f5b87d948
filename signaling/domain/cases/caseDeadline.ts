import type { WorkingCalendar } from "../deadlines/calendar";
import { computeDeadline, type Deadline, type Extension, type Suspension } from "../deadlines/engine";
import { compareDates, type LocalDate, localDate, vietnamDateOf } from "../deadlines/localDate";
import { deadlineRuleRows, deadlineRules, type DeadlineRule, type DenunciationComplexity, ruleInForce } from "../deadlines/rules";
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
 * The statutory period running for a case in its current state, or null when none runs (closed, or a
 * kind for which the law sets no limit here). Suspensions and extensions come from the case's events.
 */
export function ruleFor(current: CaseForDeadline, receivedOn: string = current.receivedDate): { rule: DeadlineRule; start: string } | null {
  const beforeAcceptance = current.state === "received" || current.state === "classified";
  const resolving = current.state === "accepted" || current.state === "verifying" || current.state === "suspended";
  if (current.kind === "complaint") {
    // Round 2 is accepted under Art. 36, not Art. 27.
    if (beforeAcceptance) return { rule: deadlineRules[current.round >= 2 ? "complaint.acceptSecondRound" : "complaint.acceptFirstRound"], start: receivedOn };
    if (resolving && current.acceptedDate) {
      const rule = current.round >= 2 ? deadlineRules["complaint.resolveSecondRound"] : deadlineRules["complaint.resolveFirstRound"];
      return { rule, start: current.acceptedDate };
    }
  }
  if (current.kind === "denunciation") {
    if (beforeAcceptance) return { rule: deadlineRules["denunciation.initialCheck"], start: receivedOn };
    if (resolving && current.acceptedDate) return { rule: deadlineRules["denunciation.resolve"], start: current.acceptedDate };
  }
  return null;
}

/**
 * The period running now, with the suspensions and extensions of the current handling only: a forward
 * (the receiving unit starts afresh on the day it receives the petition, issue 13 item 4) and a second
 * round (a new complaint to the superior authority) each start a new one.
 */
export function caseDeadline(
  current: CaseForDeadline,
  events: readonly EventForDeadline[],
  calendar: WorkingCalendar,
  ruleRows: readonly DeadlineRule[] = deadlineRuleRows,
): Deadline | null {
  let suspensions: Suspension[] = [];
  let extensions: Extension[] = [];
  let forwardedOn: string | undefined;
  for (const event of events) {
    if (event.action === "forward" || event.action === "secondRound") {
      suspensions = [];
      extensions = [];
      forwardedOn = undefined;
    }
    if (event.action === "forward") {
      const stored = event.data.receivedByTargetOn;
      forwardedOn = typeof stored === "string" ? stored : event.at ? vietnamDateOf(event.at) : undefined;
    }
    const date = typeof event.data.effectiveDate === "string" ? localDate(event.data.effectiveDate) : undefined;
    if (event.action === "suspend" && date) suspensions.push({ from: date });
    if (event.action === "resume" && date) {
      const open = suspensions.at(-1);
      if (open && !open.resumedOn) open.resumedOn = date;
    }
    if (event.action === "extend" && typeof event.data.days === "number") {
      extensions.push({ days: event.data.days, grantedOn: localDate(String(event.data.grantedOn ?? current.acceptedDate)) });
    }
  }
  const chosen = ruleFor(current, forwardedOn ?? current.receivedDate);
  if (!chosen) return null;
  return computeDeadline(
    {
      // The rule as in force on the day the period started (rules as dated data).
      rule: ruleInForce(chosen.rule.id, chosen.start, ruleRows),
      start: localDate(chosen.start) as LocalDate,
      circumstances: { complex: current.complexity !== "normal", remoteArea: current.remoteArea },
      suspensions,
      extensions,
      complexity: current.complexity,
    },
    calendar,
  );
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
  const filingDue = computeDeadline(
    { rule: ruleInForce("complaint.fileSecondRound", roundOneEndedOn), start: roundOneEndedOn, circumstances: { complex: false, remoteArea: current.remoteArea } },
    calendar,
  ).due;
  if (!filingDue || compareDates(filedOn, filingDue) > 0) {
    return { ok: false, refusal: "FILING_LIMIT_PASSED", detail: `the limit to file round 2 ended on ${filingDue} (Luật Khiếu nại 2011, Điều 33)` };
  }
  return { ok: true, roundOneEndedOn, filingDue };
}
