import { z } from "zod";
import { calendarDayKinds } from "../../domain/deadlines";
import { calendarDaySchema } from "../../protocol";

export const holidaySchema = z.object({ id: z.string(), date: z.string(), name: z.string(), kind: z.enum(calendarDayKinds) });
export const listHolidaysQuerySchema = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() });
/** `kind` defaults to a public holiday; a make-up working day (làm bù) must be a Saturday or Sunday. */
export const createHolidayRequestSchema = z
  .object({ date: calendarDaySchema, name: z.string().trim().min(2).max(120), kind: z.enum(calendarDayKinds).default("holiday") })
  .strict()
  .refine((body) => body.kind !== "workingDay" || [0, 6].includes(new Date(`${body.date}T00:00:00Z`).getUTCDay()), {
    path: ["kind"],
    message: "a make-up working day must be a Saturday or Sunday",
  });
