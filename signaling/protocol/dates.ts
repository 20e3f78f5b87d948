import { z } from "zod";

/**
 * A calendar day, `YYYY-MM-DD`, that exists: the one schema for a day in a request (filed on, due on, a
 * holiday, a list's from/to). "2026-02-30" or "0000-99-99" match the pattern; an invalid Date must not
 * reach toISOString (it throws), so the day is checked to come back unchanged.
 */
export const calendarDaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "date: YYYY-MM-DD")
  .refine((value) => {
    const day = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value);
  }, "no such date");
