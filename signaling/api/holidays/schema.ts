import { z } from "zod";

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "date: YYYY-MM-DD")
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), "no such date");

export const holidaySchema = z.object({ id: z.string(), date: z.string(), name: z.string() });
export const listHolidaysQuerySchema = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() });
export const createHolidayRequestSchema = z.object({ date, name: z.string().trim().min(2).max(120) }).strict();
