import { addDays, daysBetween, type LocalDate, type WorkingCalendar } from "../deadlines";

/**
 * A directive's due date as the chair set it: a date, or a number of calendar or working days counted from
 * the day it was issued. Counted like every other period of the product (domain/deadlines): the start day
 * is not counted (BLDS 2015 Art. 147), working days skip weekends, holidays and days off in exchange, and a
 * calendar-day period whose last day is a day off ends on the next working day (Art. 148).
 */
export type DueSpec = { kind: "date"; date: LocalDate } | { kind: "calendar"; days: number } | { kind: "working"; days: number };

export function directiveDueDate(issuedOn: LocalDate, due: DueSpec, calendar: WorkingCalendar): LocalDate {
  if (due.kind === "date") return due.date;
  if (due.kind === "working") return calendar.addWorkingDays(issuedOn, due.days);
  return calendar.onOrAfter(addDays(issuedOn, due.days));
}

/** Where a unit's task stands on a day, as the follow-up matrix shows it. */
export type TaskStanding = "done" | "late" | "overdue" | "open";

export interface TaskFacts {
  dueDate: LocalDate;
  /** The day the unit reported it done; absent while open. */
  completedOn: LocalDate | null;
}

export function taskStanding(task: TaskFacts, today: LocalDate): TaskStanding {
  if (task.completedOn) return daysBetween(task.dueDate, task.completedOn) > 0 ? "late" : "done";
  return daysBetween(task.dueDate, today) > 0 ? "overdue" : "open";
}

/**
 * The reminder an open task is due for on `today`: on the working day three working days before its due
 * date (counted like the case deadline warnings, so a reminder never lands on a Sunday and a holiday week
 * is not swallowed), on the day, and after it while it stays open.
 */
export type ReminderKind = "d3" | "dDay" | "overdue";

/** How far ahead a deadline is announced by mail, cases and directives alike: three working days. */
export const REMINDER_WORKING_DAYS_BEFORE = 3;

export function reminderFor(task: TaskFacts, today: LocalDate, calendar: WorkingCalendar): ReminderKind | null {
  if (task.completedOn) return null;
  const daysLeft = daysBetween(today, task.dueDate);
  if (daysLeft < 0) return "overdue";
  if (daysLeft === 0) return "dDay";
  if (calendar.isWorkingDay(today) && calendar.workingDaysIn(today, task.dueDate) === REMINDER_WORKING_DAYS_BEFORE) return "d3";
  return null;
}

/** The unit kinds "all communes" (tất cả các xã, phường, đặc khu) means, in the two-tier local government. */
export const COMMUNE_KINDS: readonly string[] = ["commune", "ward", "special_zone"];
