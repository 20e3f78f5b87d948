import { z } from "zod";
import { calendarDaySchema } from "./dates";
import { listDateSchema } from "./lists";
import { idSchema } from "./media";

/**
 * Minutes, conclusions and directives of a briefing (issue 19): the socket events of the room and the REST
 * shapes of the follow-up, shared by the server and the client.
 */

/** Free text a person writes: trimmed, no control characters but line breaks and tabs. */
const prose = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    // eslint-disable-next-line no-control-regex
    .regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/, "text must not contain control characters");

/** The due date as the chair gives it: a date, or calendar or working days from today (the deadline engine counts them). */
export const directiveDueSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("date"), date: calendarDaySchema }).strict(),
  z.object({ kind: z.literal("calendar"), days: z.number().int().min(1).max(365) }).strict(),
  z.object({ kind: z.literal("working"), days: z.number().int().min(1).max(250) }).strict(),
]);
export type DirectiveDue = z.infer<typeof directiveDueSchema>;

export const newDirectiveSchema = z
  .object({
    text: prose(4000).pipe(z.string().min(5)),
    /** Units from the tree, and/or every commune, ward and special zone under the issuing unit. */
    unitIds: z.array(idSchema).max(500).default([]),
    allCommunes: z.boolean().default(false),
    due: directiveDueSchema,
    expectedReport: prose(1000).pipe(z.string().min(3)),
  })
  .strict()
  .refine((value) => value.allCommunes || value.unitIds.length > 0, { message: "choose at least one unit or all communes", path: ["unitIds"] });

export const taskStandings = ["done", "late", "overdue", "open"] as const;
export const taskStandingSchema = z.enum(taskStandings);
export const taskStatuses = ["open", "inProgress", "done"] as const;
export const reminderKinds = ["d3", "dDay", "overdue"] as const;

export const conclusionSchema = z.object({ id: idSchema, seq: z.number().int(), text: z.string(), createdAt: z.string() });
export type Conclusion = z.infer<typeof conclusionSchema>;

export const directiveUnitSchema = z.object({ unitId: idSchema, unitName: z.string(), taskId: idSchema, status: z.enum(taskStatuses), standing: taskStandingSchema });

export const directiveSchema = z.object({
  id: idSchema,
  meetingId: idSchema,
  seq: z.number().int(),
  text: z.string(),
  expectedReport: z.string(),
  allCommunes: z.boolean(),
  dueKind: z.enum(["date", "calendar", "working"]),
  dueDays: z.number().int().nullable(),
  issuedOn: z.string(),
  dueDate: z.string(),
  units: z.array(directiveUnitSchema),
  createdAt: z.string(),
});
export type DirectiveDto = z.infer<typeof directiveSchema>;

/** The minutes as the chair and the secretary see them in the room (others get `notes` empty and only the directives addressed to them). */
export const minutesSchema = z.object({
  meetingId: idSchema,
  /** Whether this reader keeps the minutes (the chair, or the secretary the chair named). */
  keeper: z.boolean(),
  secretaryUserId: idSchema.nullable(),
  secretaryName: z.string().nullable(),
  notes: z.string(),
  conclusions: z.array(conclusionSchema),
  directives: z.array(directiveSchema),
});
export type Minutes = z.infer<typeof minutesSchema>;

/** The socket events of the minutes (merged into clientRequests). */
export const minutesRequests = {
  /** Anyone in the room: the minutes as far as they may see them. */
  getMinutes: { request: z.object({}).strict(), response: minutesSchema },
  /** Chair: name the peer (an officer or leader in the room) who keeps the minutes, or none. */
  setSecretary: { request: z.object({ peerId: idSchema.nullable() }).strict(), response: minutesSchema },
  /** Chair or secretary: the running notes (replaced as a whole, the editor's current text). */
  saveMinutesNotes: { request: z.object({ notes: prose(50_000) }).strict(), response: z.object({ savedAt: z.string() }) },
  addConclusion: { request: z.object({ text: prose(4000).pipe(z.string().min(3)) }).strict(), response: conclusionSchema },
  addDirective: { request: newDirectiveSchema, response: directiveSchema },
} as const;

/** Server → client: the minutes changed (to the keepers), a directive was addressed to this site. */
export const minutesServerEvents = {
  minutes: minutesSchema,
  directiveIssued: directiveSchema,
} as const;

// ─── REST: the follow-up ──────────────────────────────────────────────────────────────────────────────

export const taskReportSchema = z.object({ id: idSchema, kind: z.enum(["progress", "done"]), text: z.string(), authorName: z.string(), at: z.string() });
export const taskAttachmentSchema = z.object({ id: idSchema, originalName: z.string(), mimeType: z.string(), size: z.number().int(), sha256: z.string(), createdAt: z.string() });

export const directiveTaskSchema = z.object({
  id: idSchema,
  unitId: idSchema,
  unitName: z.string(),
  status: z.enum(taskStatuses),
  standing: taskStandingSchema,
  reminder: z.enum(reminderKinds).nullable(),
  dueDate: z.string(),
  completedOn: z.string().nullable(),
  directive: z.object({ id: idSchema, seq: z.number().int(), text: z.string(), expectedReport: z.string(), issuedOn: z.string() }),
  meeting: z.object({ id: idSchema, title: z.string() }),
  /** The caller may report on it (an officer or leader of the unit). */
  mayReport: z.boolean(),
});
export type DirectiveTaskDto = z.infer<typeof directiveTaskSchema>;

export const directiveTaskDetailSchema = directiveTaskSchema.extend({ reports: z.array(taskReportSchema), attachments: z.array(taskAttachmentSchema) });
export type DirectiveTaskDetail = z.infer<typeof directiveTaskDetailSchema>;

export const taskReportRequestSchema = z.object({ kind: z.enum(["progress", "done"]), text: prose(4000).pipe(z.string().min(3)) }).strict();

export const tasksQuerySchema = z.object({ status: z.enum(["open", "done", "all"]).default("open") });

export const matrixQuerySchema = z.object({ meetingId: idSchema.optional(), from: listDateSchema, to: listDateSchema });

/** Units × directives: one cell per task the reader may see. */
export const directiveMatrixSchema = z.object({
  today: z.string(),
  directives: z.array(z.object({ id: idSchema, seq: z.number().int(), text: z.string(), dueDate: z.string(), meetingId: idSchema, meetingTitle: z.string(), issuedOn: z.string() })),
  units: z.array(z.object({ id: idSchema, name: z.string() })),
  cells: z.array(z.object({ directiveId: idSchema, unitId: idSchema, taskId: idSchema, standing: taskStandingSchema, dueDate: z.string(), completedOn: z.string().nullable() })),
  totals: z.record(taskStandingSchema, z.number().int()),
});
export type DirectiveMatrix = z.infer<typeof directiveMatrixSchema>;

export const minutesUpdateSchema = z
  .object({
    noticeNumber: prose(60).optional(),
    place: prose(120).optional(),
    signerName: prose(120).optional(),
    signerTitle: prose(120).optional(),
  })
  .strict()
  .refine((value) => Object.values(value).some((field) => field !== undefined), { message: "nothing to change" });

export const meetingMinutesSchema = minutesSchema.extend({
  title: z.string(),
  noticeNumber: z.string().nullable(),
  place: z.string().nullable(),
  signerName: z.string().nullable(),
  signerTitle: z.string().nullable(),
  /** May set the notice's fields (the chair, the secretary, the issuing unit's leaders and officers). */
  mayEdit: z.boolean(),
});
export type MeetingMinutes = z.infer<typeof meetingMinutesSchema>;

/** The open directives of the previous briefing of the same chair (or host unit), shown when the next one opens. */
export const carriedOverSchema = z.object({
  previous: z.object({ id: idSchema, title: z.string(), date: z.string().nullable() }).nullable(),
  directives: z.array(directiveSchema),
});
export type CarriedOver = z.infer<typeof carriedOverSchema>;
