import { type LocalDate, addDays, dayOfWeek } from "../deadlines/localDate";
import type { WorkingCalendar } from "../deadlines/calendar";

/**
 * A schedule's recurrence, parsed from its stored text: `daily` (every working day), `weekly:<ISO
 * weekday>` (1 = Monday … 5 = Friday) or `monthly:<day 1–28>`; `null` for ad-hoc schedules, which run on
 * the dates slots are generated for.
 */
export type Recurrence = { kind: "daily" } | { kind: "weekly"; isoWeekday: number } | { kind: "monthly"; day: number } | { kind: "adhoc" };

export function parseRule(rule: string | null): Recurrence | null {
  if (rule === null) return { kind: "adhoc" };
  if (rule === "daily") return { kind: "daily" };
  const weekly = /^weekly:([1-5])$/.exec(rule);
  if (weekly) return { kind: "weekly", isoWeekday: Number(weekly[1]) };
  const monthly = /^monthly:(\d{1,2})$/.exec(rule);
  if (monthly && Number(monthly[1]) >= 1 && Number(monthly[1]) <= 28) return { kind: "monthly", day: Number(monthly[1]) };
  return null;
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
const isoWeekdayOf = (date: LocalDate) => dayOfWeek(date) || 7;

/**
 * The reception day of a monthly rule in the month of `anyDayOfMonth`. When the day falls on a weekend
 * or a day off, the reception moves to the next working day of that month (or, at the month's end, the
 * last working day before it): skipping it would leave the month without the leader's statutory day.
 */
export function monthlyReceptionDay(anyDayOfMonth: LocalDate, day: number, calendar: WorkingCalendar): LocalDate | null {
  const month = anyDayOfMonth.slice(0, 7);
  const target = `${month}-${String(day).padStart(2, "0")}` as LocalDate;
  for (let candidate = target; candidate.startsWith(month); candidate = addDays(candidate, 1)) if (calendar.isWorkingDay(candidate)) return candidate;
  for (let candidate = addDays(target, -1); candidate.startsWith(month); candidate = addDays(candidate, -1)) if (calendar.isWorkingDay(candidate)) return candidate;
  return null;
}

/** Whether the recurrence receives citizens on `date`. Weekends and days off never are reception days. */
export function occursOn(recurrence: Recurrence, date: LocalDate, calendar: WorkingCalendar): boolean {
  if (!calendar.isWorkingDay(date)) return false;
  switch (recurrence.kind) {
    case "daily":
    case "adhoc":
      return true;
    case "weekly":
      return isoWeekdayOf(date) === recurrence.isoWeekday;
    case "monthly":
      return monthlyReceptionDay(date, recurrence.day, calendar) === date;
  }
}
