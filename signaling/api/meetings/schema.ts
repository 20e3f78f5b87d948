import { z } from "zod";
import { chatMessageSchema, meetingSummarySchema } from "../../protocol";

export { listMeetingsQuerySchema, meetingSummarySchema } from "../../protocol";


export const siteAttendanceSchema = z.object({
  site: z.string(),
  unitId: z.string().nullable(),
  firstJoined: z.string(),
  lastLeft: z.string().nullable(),
  stays: z.number().int(),
  minutesPresent: z.number().int(),
  disconnections: z.number().int(),
  qualityScore: z.number().nullable(),
  quality: z.enum(["good", "fair", "poor"]).nullable(),
  poorShare: z.number().nullable(),
});

export const recordingSchema = z.object({
  id: z.string(),
  status: z.enum(["recording", "composing", "ready", "failed"]),
  /** 0..1 while composing. */
  progress: z.number().min(0).max(1),
  startedAt: z.string(),
  stoppedAt: z.string().nullable(),
  durationSeconds: z.number().nullable(),
  sizeBytes: z.number().int().nullable(),
  sha256: z.string().nullable(),
  /** A track's recorder died mid-way: the file holds what was captured until then. */
  partial: z.boolean(),
  error: z.string().nullable(),
});

export const meetingRecordSchema = meetingSummarySchema.extend({
  attendance: z.array(siteAttendanceSchema),
  chat: z.array(chatMessageSchema),
  recordings: z.array(recordingSchema),
});

export const recordingParamsSchema = z.object({ id: z.string().min(1).max(64), recordingId: z.string().min(1).max(64) }).strict();

export const exportQuerySchema = z.object({ format: z.enum(["xlsx", "pdf"]) });
export const fileSchema = z.string().describe("binary file (XLSX or PDF)");

const isoInstant = z.iso.datetime({ offset: true });

export const scheduleMeetingRequestSchema = z
  .object({
    title: z.string().trim().min(3).max(200),
    roomId: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "room id: 1–63 lowercase letters, digits or dashes"),
    agenda: z.string().trim().max(4000).optional(),
    start: isoInstant,
    end: isoInstant,
    unitIds: z.array(z.string().min(1).max(64)).min(1).max(500),
  })
  .strict()
  .refine((value) => Date.parse(value.end) > Date.parse(value.start), { message: "end must be after start", path: ["end"] });

/** A change to a scheduled briefing; `unitIds` is the complete new list of invited units. */
export const updateMeetingRequestSchema = z
  .object({
    title: z.string().trim().min(3).max(200),
    agenda: z.string().trim().max(4000).nullable(),
    start: isoInstant,
    end: isoInstant,
    unitIds: z.array(z.string().min(1).max(64)).min(1).max(500),
  })
  .partial()
  .strict()
  .refine((value) => Object.keys(value).length > 0, "nothing to change")
  .refine((value) => value.start === undefined || value.end === undefined || Date.parse(value.end) > Date.parse(value.start), { message: "end must be after start", path: ["end"] });

export const upcomingMeetingSchema = z.object({
  id: z.string(),
  roomId: z.string(),
  title: z.string(),
  agenda: z.string().nullable(),
  status: z.string(),
  start: z.string().nullable(),
  end: z.string().nullable(),
  invitedUnits: z.number().int(),
  isChair: z.boolean(),
});
