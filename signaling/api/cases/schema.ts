import { z } from "zod";
import { caseActions } from "../../domain/cases/workflow";

export {
  caseDetailSchema,
  caseSummarySchema,
  createCaseRequestSchema,
  createCaseResponseSchema,
  listCasesQuerySchema,
  notificationSchema,
} from "../../protocol";

export const actionParamsSchema = z.object({ id: z.string().min(1).max(64), action: z.enum(caseActions as [string, ...string[]]) }).strict();
/** Each action's own fields are checked against the workflow table's schema for that action. */
export const actionBodySchema = z.record(z.string().max(64), z.unknown());
export const assignRequestSchema = z.object({ assigneeId: z.string().min(1).max(64) }).strict();
export const chainCheckSchema = z.union([
  z.object({ ok: z.literal(true), events: z.number().int() }),
  z.object({ ok: z.literal(false), brokenAt: z.object({ id: z.string(), sequence: z.number().int() }), problem: z.string() }),
]);
export const verifyAllSchema = z.object({
  checked: z.number().int(),
  damaged: z.array(z.object({ caseId: z.string(), code: z.string(), sequence: z.number().int(), problem: z.string() })),
});
