import type { WorkingCalendar } from "./calendar";
import { addDays, compareDates, daysBetween, type LocalDate } from "./localDate";
import type { CaseCircumstances, DeadlineRule, DenunciationComplexity } from "./rules";

/** A pause of the clock (tạm đình chỉ): from the suspension's effective date to its resumption, if any. */
export interface Suspension {
  from: LocalDate;
  /** The day the case resumed (tiếp tục); absent while still suspended. */
  resumedOn?: LocalDate;
}

export interface Extension {
  /** Days granted, in the rule's unit. */
  days: number;
  grantedOn: LocalDate;
}

export interface DeadlineInput {
  rule: DeadlineRule;
  /** Date of the triggering event (receipt, acceptance…); not counted itself. */
  start: LocalDate;
  circumstances?: CaseCircumstances;
  suspensions?: readonly Suspension[];
  extensions?: readonly Extension[];
  complexity?: DenunciationComplexity;
}

export type DeadlineStatus = "onTime" | "dueSoon" | "overdue" | "suspended";

export interface Deadline {
  ruleId: DeadlineRule["id"];
  basis: string;
  /** Total days allowed including extensions, in the rule's unit. */
  allowedDays: number;
  /** The last day of the period; undefined while the clock is stopped. */
  due: LocalDate | undefined;
}

export class DeadlineError extends Error {
  constructor(
    readonly code: "EXTENSION_NOT_ALLOWED" | "EXTENSION_TOO_LONG" | "INVALID_SUSPENSION",
    message: string,
  ) {
    super(message);
    this.name = "DeadlineError";
  }
}

const NORMAL: CaseCircumstances = { complex: false, remoteArea: false };

/** Checks extensions against the rule's policy (e.g. a third extension of a denunciation is refused). */
export function validateExtensions(rule: DeadlineRule, extensions: readonly Extension[], complexity: DenunciationComplexity = "normal"): void {
  if (extensions.length === 0) return;
  const policy = rule.extensions;
  if (!policy) throw new DeadlineError("EXTENSION_NOT_ALLOWED", `${rule.label}: the law allows no extension`);
  if (extensions.length > policy.maxCount(complexity)) {
    throw new DeadlineError("EXTENSION_NOT_ALLOWED", `${rule.label}: at most ${policy.maxCount(complexity)} extension(s) for a ${complexity} case (${policy.basis})`);
  }
  for (const extension of extensions) {
    if (extension.days < 1 || extension.days > policy.maxDaysEach) {
      throw new DeadlineError("EXTENSION_TOO_LONG", `${rule.label}: each extension is 1–${policy.maxDaysEach} days (${policy.basis})`);
    }
  }
}

/**
 * The due date of one statutory period.
 * - The start day is not counted; the period ends at the end of its last day (BLDS 2015 Art. 147–148).
 * - A calendar-day period whose last day is a weekend or holiday ends on the next working day (Art. 148).
 * - A suspension stops the clock: days used before it count, and the remaining days run again from the
 *   day after resumption, counted like a fresh start.
 * - Extensions add their days to the period.
 */
export function computeDeadline(input: DeadlineInput, calendar: WorkingCalendar): Deadline {
  const { rule } = input;
  const extensions = input.extensions ?? [];
  validateExtensions(rule, extensions, input.complexity);
  const allowedDays = rule.days(input.circumstances ?? NORMAL) + extensions.reduce((sum, extension) => sum + extension.days, 0);
  const suspensions = [...(input.suspensions ?? [])].sort((a, b) => compareDates(a.from, b.from));

  const add = (from: LocalDate, days: number) => (rule.unit === "working" ? calendar.addWorkingDays(from, days) : addDays(from, days));
  /** Days of the period used between a (re)start and the day before a suspension took effect. */
  const used = (from: LocalDate, suspendedOn: LocalDate) => {
    const lastCounted = addDays(suspendedOn, -1);
    if (compareDates(lastCounted, from) <= 0) return 0;
    return rule.unit === "working" ? calendar.workingDaysIn(from, lastCounted) : daysBetween(from, lastCounted);
  };

  let clockStart = input.start;
  let remaining = allowedDays;
  for (const suspension of suspensions) {
    if (compareDates(suspension.from, clockStart) <= 0) throw new DeadlineError("INVALID_SUSPENSION", "a suspension must start after the period began");
    // A suspension decided after the period ran out does not revive it.
    if (compareDates(suspension.from, add(clockStart, remaining)) > 0) break;
    remaining -= used(clockStart, suspension.from);
    if (!suspension.resumedOn) return { ruleId: rule.id, basis: rule.basis, allowedDays, due: undefined };
    if (compareDates(suspension.resumedOn, suspension.from) < 0) throw new DeadlineError("INVALID_SUSPENSION", "a case cannot resume before it was suspended");
    clockStart = suspension.resumedOn;
  }

  const lastDay = add(clockStart, remaining);
  const due = rule.unit === "calendar" ? calendar.onOrAfter(lastDay) : lastDay;
  return { ruleId: rule.id, basis: rule.basis, allowedDays, due };
}

export interface DeadlineStanding {
  status: DeadlineStatus;
  /** Calendar days until the due date (negative when overdue); undefined while suspended. */
  daysLeft: number | undefined;
}

/** Where a case stands on `today`: due soon within `dueSoonDays` calendar days of its last day. */
export function standing(deadline: Deadline, today: LocalDate, dueSoonDays = 5): DeadlineStanding {
  if (!deadline.due) return { status: "suspended", daysLeft: undefined };
  const daysLeft = daysBetween(today, deadline.due);
  return { status: daysLeft < 0 ? "overdue" : daysLeft <= dueSoonDays ? "dueSoon" : "onTime", daysLeft };
}
