import { z } from "zod";
import { calendarDaySchema } from "./dates";
import { caseSortFields, listDateSchema, sortParams } from "./lists";

/** Wire shapes of petitions (đơn thư). The workflow itself lives in signaling/domain/cases/workflow.ts. */

export const caseKindSchema = z.enum(["complaint", "denunciation", "recommendation", "feedback"]);
export const caseStateSchema = z.enum([
  "received",
  "classified",
  "accepted",
  "notAccepted",
  "guided",
  "archived",
  "verifying",
  "suspended",
  "terminated",
  "withdrawn",
  "concluded",
  "published",
  "enforced",
  "closed",
]);
export const caseChannelSchema = z.enum(["post", "inPerson", "online", "reception"]);
export const deadlineStatusSchema = z.enum(["onTime", "dueSoon", "overdue", "suspended", "none"]);

/** CCCD: 12 digits. */
export const idNumberSchema = z.string().regex(/^\d{12}$/, "CCCD: 12 digits");
/** Vietnamese phone numbers: 0 + 9 digits, or +84 + 9 digits. */
export const phoneSchema = z
  .string()
  .trim()
  .transform((value) => value.replace(/[\s.-]/g, ""))
  .pipe(z.string().regex(/^(0|\+84)\d{9}$/, "phone: 0xxxxxxxxx or +84xxxxxxxxx"));

export const partyInputSchema = z
  .object({
    role: z.enum(["petitioner", "representative", "respondent"]),
    name: z.string().trim().min(2).max(160),
    idNumber: idNumberSchema.optional(),
    phone: phoneSchema.optional(),
    address: z.string().trim().max(300).optional(),
    organization: z.string().trim().max(200).optional(),
  })
  .strict();

export const createCaseRequestSchema = z
  .object({
    unitId: z.string().min(1).max(64),
    channel: caseChannelSchema,
    receivedDate: calendarDaySchema,
    summary: z.string().trim().min(5).max(300),
    content: z.string().trim().min(10).max(20_000),
    kind: caseKindSchema.optional(),
    anonymous: z.boolean().default(false),
    parties: z.array(partyInputSchema).max(50).default([]),
  })
  .strict()
  .refine((value) => value.anonymous || value.parties.some((party) => party.role === "petitioner"), {
    message: "a petitioner is required unless the petition is anonymous",
    path: ["parties"],
  });

export const partySchema = z.object({
  id: z.string(),
  role: z.enum(["petitioner", "representative", "respondent"]),
  name: z.string(),
  idNumber: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  organization: z.string().nullable(),
  /** True when identity fields were withheld from this reader (protected denouncer). */
  protected: z.boolean(),
});

export const deadlineSchema = z.object({
  ruleId: z.string().nullable(),
  basis: z.string().nullable(),
  due: z.string().nullable(),
  daysLeft: z.number().int().nullable(),
  status: deadlineStatusSchema,
});

/** An open duty of a case (issue 13 item 2): every statutory clock that runs, not only the nearest. */
export const dutySchema = z.object({
  id: z.string(),
  ruleId: z.string(),
  /** Vietnamese name from the rule row; the client shows its own vi/en name by ruleId when it has one. */
  label: z.string(),
  basis: z.string(),
  nature: z.enum(["act", "citizen", "keep", "effect"]),
  start: z.string(),
  due: z.string().nullable(),
  status: deadlineStatusSchema,
  daysLeft: z.number().int().nullable(),
  /** A stored step the law refuses (e.g. EXTENSION_TOO_LATE after a calendar edit): no due date then. */
  problem: z.string().nullable(),
});

export const caseSummarySchema = z.object({
  id: z.string(),
  code: z.string(),
  kind: caseKindSchema.nullable(),
  state: caseStateSchema,
  round: z.number().int(),
  unit: z.object({ id: z.string(), code: z.string(), name: z.string() }),
  summary: z.string(),
  receivedDate: z.string(),
  deadline: deadlineSchema,
  /** The account the case is assigned to (officer or inspector), for the list's "Người được giao" column. */
  assignee: z.object({ id: z.string(), displayName: z.string() }).nullable(),
});
export type CaseSummary = z.infer<typeof caseSummarySchema>;

export const caseEventSchema = z.object({
  sequence: z.number().int(),
  at: z.string(),
  actorId: z.string().nullable(),
  action: z.string(),
  fromState: z.string().nullable(),
  toState: z.string(),
  reason: z.string().nullable(),
});

export const caseDetailSchema = caseSummarySchema.extend({
  channel: caseChannelSchema,
  content: z.string(),
  anonymous: z.boolean(),
  complexity: z.enum(["normal", "complex", "especiallyComplex"]),
  remoteArea: z.boolean(),
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  publishedAnswer: z.string().nullable(),
  parties: z.array(partySchema),
  events: z.array(caseEventSchema),
  /** Every open duty, in the order they were opened; `deadline` is the nearest of the authority's (`act`) ones. */
  duties: z.array(dutySchema),
  /** What this reader may do next (from the workflow table and their roles). */
  allowedActions: z.array(z.string()),
});
export type CaseDetail = z.infer<typeof caseDetailSchema>;

export const createCaseResponseSchema = z.object({
  case: caseDetailSchema,
  /** Give this to the citizen with the code; it is stored hashed and never shown again. */
  lookupSecret: z.string(),
});

export const listCasesQuerySchema = z.object({
  state: caseStateSchema.optional(),
  kind: caseKindSchema.optional(),
  unitId: z.string().max(64).optional(),
  deadline: z.enum(["overdue", "dueSoon"]).optional(),
  q: z.string().trim().max(100).optional(),
  mine: z.enum(["true", "false"]).optional(),
  receivedFrom: listDateSchema,
  receivedTo: listDateSchema,
  ...sortParams(caseSortFields),
});
export type ListCasesQuery = z.infer<typeof listCasesQuerySchema>;

export const notificationSchema = z.object({
  caseId: z.string(),
  code: z.string(),
  summary: z.string(),
  due: z.string(),
  status: z.enum(["dueSoon", "overdue"]),
  assignedToMe: z.boolean(),
});
/** One line of the notification bell (GET /api/notifications). */
export type CaseNotification = z.infer<typeof notificationSchema>;

export const publicLookupRequestSchema = z
  .object({
    code: z.string().trim().toUpperCase().min(3).max(40),
    secret: z.string().trim().toUpperCase().min(4).max(20),
  })
  .strict();

/** What a citizen sees: where the case stands, never anyone's personal data. */
export const publicLookupResponseSchema = z.object({
  code: z.string(),
  kind: caseKindSchema.nullable(),
  state: caseStateSchema,
  unitName: z.string(),
  receivedDate: z.string(),
  deadline: deadlineSchema,
  publishedAnswer: z.string().nullable(),
});

/**
 * The public online form (no account). Identity is required so the unit can answer; the phone is how
 * it reaches the citizen. Denunciations filed here are protected like any other.
 */
export const publicSubmissionRequestSchema = z
  .object({
    unitId: z.string().min(1).max(64),
    kind: caseKindSchema,
    summary: z.string().trim().min(5).max(300),
    content: z.string().trim().min(20).max(10_000),
    name: z.string().trim().min(2).max(160),
    idNumber: idNumberSchema.optional(),
    phone: phoneSchema,
    address: z.string().trim().min(5).max(300),
    /** Must be true: the citizen read the notice on how their personal data is used (Luật 91/2025/QH15). */
    consent: z.literal(true),
  })
  .strict();

export const publicSubmissionResponseSchema = z.object({ code: z.string(), lookupSecret: z.string() });

export const publicUnitSchema = z.object({ id: z.string(), name: z.string(), depth: z.number().int() });
