import type { WorkingCalendar } from "./calendar";
import { addDays, addMonths, compareDates, daysBetween, type LocalDate } from "./localDate";
import { type CaseCircumstances, type DeadlineRule, type DenunciationComplexity, type ExtensionCountFrom, periodLength } from "./rules";

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
  /** Overrides the rule's `extensions.countFrom` (a documented choice, see ExtensionCountFrom). */
  extensionCountFrom?: ExtensionCountFrom;
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
    readonly code: "EXTENSION_NOT_ALLOWED" | "EXTENSION_TOO_LONG" | "EXTENSION_TOO_LATE" | "INVALID_SUSPENSION",
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
  if (extensions.length > policy.maxCount[complexity]) {
    throw new DeadlineError("EXTENSION_NOT_ALLOWED", `${rule.label}: at most ${policy.maxCount[complexity]} extension(s) for a ${complexity} case (${policy.basis})`);
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
 * - A period in months or years ends on the matching date (Art. 148), then counts like calendar days.
 * - A calendar-day period whose last day is a weekend or holiday ends on the next working day (Art. 148).
 * - A suspension stops the clock from the day it takes effect (S) to the day the case resumes (R): the time
 *   of suspension is not counted (Luật Tố cáo Art. 34; the same for complaints), so the due date moves by
 *   exactly R − S days — the resumption day counts again.
 * - A suspension decided on a day the period had rolled over to (a last day on a weekend or holiday moved to
 *   the next working day) still falls inside the period and stops it.
 * - Extensions add their days to the period, from its last day or its rolled-over due date
 *   (ExtensionCountFrom); one decided after the period (as extended so far) ran out is refused.
 */
export function computeDeadline(input: DeadlineInput, calendar: WorkingCalendar): Deadline {
  const { rule } = input;
  const extensions = [...(input.extensions ?? [])].sort((a, b) => compareDates(a.grantedOn, b.grantedOn));
  validateExtensions(rule, extensions, input.complexity);
  const length = periodLength(rule, input.circumstances ?? NORMAL);
  const working = rule.unit === "working";
  const baseDays =
    rule.unit === "years" ? daysBetween(input.start, addMonths(input.start, 12 * length)) : rule.unit === "months" ? daysBetween(input.start, addMonths(input.start, length)) : length;
  const suspensions = [...(input.suspensions ?? [])].sort((a, b) => compareDates(a.from, b.from));

  const add = (from: LocalDate, days: number) => (working ? calendar.addWorkingDays(from, days) : addDays(from, days));
  const dueOf = (lastDay: LocalDate) => (working ? lastDay : calendar.onOrAfter(lastDay));
  /** Period days in the half-open span (from, to]. */
  const daysIn = (from: LocalDate, to: LocalDate) => {
    if (compareDates(to, from) <= 0) return 0;
    return working ? calendar.workingDaysIn(from, to) : daysBetween(from, to);
  };

  /** Last day and due date of a period of `allowedDays`, or undefined while a suspension is in force. */
  const endOf = (allowedDays: number): { lastDay: LocalDate; due: LocalDate } | undefined => {
    // The clock has counted every day in (clockStart, …]; `remaining` days are left from there.
    let clockStart = input.start;
    let remaining = allowedDays;
    for (const suspension of suspensions) {
      if (compareDates(suspension.from, clockStart) <= 0) throw new DeadlineError("INVALID_SUSPENSION", "a suspension must start after the period began");
      const lastDay = add(clockStart, remaining);
      const due = dueOf(lastDay);
      // A suspension decided after the period ran out does not revive it.
      if (compareDates(suspension.from, due) > 0) break;
      const beforeSuspension = addDays(suspension.from, -1);
      // Days not yet run when the clock stopped: up to the last day, or up to the rolled-over due date when the
      // suspension fell on a day the period had been carried over to.
      remaining = daysIn(beforeSuspension, compareDates(suspension.from, lastDay) <= 0 ? lastDay : due);
      if (!suspension.resumedOn) return undefined;
      if (compareDates(suspension.resumedOn, suspension.from) < 0) throw new DeadlineError("INVALID_SUSPENSION", "a case cannot resume before it was suspended");
      // The resumption day itself counts, so the clock restarts as if the day before it were the start.
      clockStart = addDays(suspension.resumedOn, -1);
    }
    const lastDay = add(clockStart, remaining);
    return { lastDay, due: dueOf(lastDay) };
  };

  const countFrom = input.extensionCountFrom ?? rule.extensions?.countFrom ?? "lastDay";
  let allowedDays = baseDays;
  for (const extension of extensions) {
    const current = endOf(allowedDays);
    if (current && compareDates(extension.grantedOn, current.due) > 0) {
      throw new DeadlineError("EXTENSION_TOO_LATE", `${rule.label}: an extension decided on ${extension.grantedOn} comes after the period ended on ${current.due}`);
    }
    // Counting from the rolled-over due date adds the days the roll-over carried the period by (none for working days).
    if (current && countFrom === "rolledDueDate") allowedDays += daysBetween(current.lastDay, current.due);
    allowedDays += extension.days;
  }
  return { ruleId: rule.id, basis: rule.basis, allowedDays, due: endOf(allowedDays)?.due };
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
