import { z } from "zod";
import { parseReportPeriod } from "../../domain/cases/reportPeriod";

/** "2026-Q1", "2026-H1", "2026-9M" or "2026". */
export const periodSchema = z
  .string()
  .refine((value) => parseReportPeriod(value) !== null, "period: YYYY, YYYY-Q1…Q4, YYYY-H1 or YYYY-9M")
  .transform((value) => parseReportPeriod(value)!);

export const statsQuerySchema = z.object({ period: periodSchema });
export const reportQuerySchema = z.object({ period: periodSchema, format: z.enum(["xlsx", "pdf"]), signed: z.enum(["0", "1"]).optional() });

const counts = z.record(z.string(), z.number().int());
export const caseStatisticsSchema = z.object({
  period: z.object({ id: z.string(), from: z.string(), to: z.string(), label: z.string() }),
  scopeName: z.string(),
  received: z.number().int(),
  byKind: counts,
  byState: counts,
  withinCompetence: z.number().int(),
  accepted: z.number().int(),
  resolved: z.number().int(),
  resolvedOnTime: z.number().int(),
  resolvedLate: z.number().int(),
  overdueOpen: z.number().int(),
  outcomes: z.object({ right: z.number().int(), partlyRight: z.number().int(), wrong: z.number().int() }),
  receptions: z.object({ visits: z.number().int(), people: z.number().int(), groupVisits: z.number().int() }),
  byUnit: z.array(z.object({ unitId: z.string(), name: z.string(), received: z.number().int(), overdueOpen: z.number().int(), receptionVisits: z.number().int() })),
});
/** File downloads: documented as binary. */
export const fileSchema = z.string().describe("binary file (XLSX or PDF)");
