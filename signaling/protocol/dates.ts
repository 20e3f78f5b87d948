import { z } from "zod";

const CALENDAR_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Whether `value` is a calendar day, `YYYY-MM-DD`, that exists: the one test of a day, for the server's
 * schemas and the client's date fields. "2026-02-30" or "0000-99-99" match the pattern; an invalid Date
 * must not reach toISOString (it throws), so the day is checked to come back unchanged.
 */
export function isCalendarDay(value: string): boolean {
  if (!CALENDAR_DAY.test(value)) return false;
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value);
}

/** The one schema for a day in a request (filed on, decided on, due on, a holiday, a list's from/to). */
export const calendarDaySchema = z.string().regex(CALENDAR_DAY, "date: YYYY-MM-DD").refine(isCalendarDay, "no such date");
