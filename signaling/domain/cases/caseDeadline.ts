import type { WorkingCalendar } from "../deadlines/calendar";
import { computeDeadline, type Deadline, type Extension, type Suspension } from "../deadlines/engine";
import { type LocalDate, localDate } from "../deadlines/localDate";
import { deadlineRules, type DeadlineRule, type DenunciationComplexity } from "../deadlines/rules";
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
}

/**
 * The statutory period running for a case in its current state, or null when none runs (closed, or a
 * kind for which the law sets no limit here). Suspensions and extensions come from the case's events.
 */
export function ruleFor(current: CaseForDeadline): { rule: DeadlineRule; start: string } | null {
  const beforeAcceptance = current.state === "received" || current.state === "classified";
  const resolving = current.state === "accepted" || current.state === "verifying" || current.state === "suspended";
  if (current.kind === "complaint") {
    if (beforeAcceptance) return { rule: deadlineRules["complaint.acceptFirstRound"], start: current.receivedDate };
    if (resolving && current.acceptedDate) {
      const rule = current.round >= 2 ? deadlineRules["complaint.resolveSecondRound"] : deadlineRules["complaint.resolveFirstRound"];
      return { rule, start: current.acceptedDate };
    }
  }
  if (current.kind === "denunciation") {
    if (beforeAcceptance) return { rule: deadlineRules["denunciation.initialCheck"], start: current.receivedDate };
    if (resolving && current.acceptedDate) return { rule: deadlineRules["denunciation.resolve"], start: current.acceptedDate };
  }
  return null;
}

export function caseDeadline(current: CaseForDeadline, events: readonly EventForDeadline[], calendar: WorkingCalendar): Deadline | null {
  const chosen = ruleFor(current);
  if (!chosen) return null;
  const suspensions: Suspension[] = [];
  const extensions: Extension[] = [];
  for (const event of events) {
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
  return computeDeadline(
    {
      rule: chosen.rule,
      start: localDate(chosen.start) as LocalDate,
      circumstances: { complex: current.complexity !== "normal", remoteArea: current.remoteArea },
      suspensions,
      extensions,
      complexity: current.complexity,
    },
    calendar,
  );
}
