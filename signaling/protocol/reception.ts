import { z } from "zod";
import { calendarDaySchema } from "./dates";
import { caseKindSchema, idNumberSchema, phoneSchema } from "./cases";

/**
 * Wire shapes of citizen reception (tiếp công dân): schedules and slots, citizens' bookings, live
 * sessions and the reception book (sổ tiếp công dân). Rules about them live in signaling/domain/reception/.
 */

/** regular = officers' desk (thường xuyên); periodic = the leader's days (định kỳ); adhoc = the leader's extra sessions (đột xuất). */
export const receptionKindSchema = z.enum(["regular", "periodic", "adhoc"]);
export type ReceptionKind = z.infer<typeof receptionKindSchema>;
/** online = the citizen joins by phone video; office = the citizen comes to the local reception office. */
export const slotModeSchema = z.enum(["online", "office"]);
export type SlotMode = z.infer<typeof slotModeSchema>;
export const bookingStatusSchema = z.enum(["booked", "cancelled", "admitted", "received", "no_show", "expired"]);
export type BookingStatus = z.infer<typeof bookingStatusSchema>;
export const sessionShapeSchema = z.enum(["office", "direct"]);
export const sessionStatusSchema = z.enum(["open", "live", "ended"]);
export const sessionUnitRoleSchema = z.enum(["office", "agency", "observer"]);
/** How the visit was handled (TT 04/2021/TT-TTCP): guide, forward the petition, take it in, settle it at once, meet the leader, other. */
export const handlingSchema = z.enum(["huong_dan", "chuyen_don", "tiep_nhan_don", "giai_quyet_ngay", "hen_gap_lanh_dao", "khac"]);
export type Handling = z.infer<typeof handlingSchema>;
/** How the citizen confirmed the book entry in place of a signature. */
export const confirmationMethodSchema = z.enum(["online_session", "office_screen", "paper_signature"]);
export type ConfirmationMethod = z.infer<typeof confirmationMethodSchema>;

const id = z.string().min(1).max(64);
const isoInstant = z.iso.datetime({ offset: true });
/** A local time of day in Vietnam. */
export const timeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "time: HH:MM");
/**
 * The recurrence of a schedule: `daily` (every working day), `weekly:<ISO weekday 1–5>`, or
 * `monthly:<day 1–28>` (days 29–31 do not exist in every month). Ad-hoc schedules have none.
 */
export const scheduleRuleSchema = z.string().regex(/^(daily|weekly:[1-5]|monthly:([1-9]|1\d|2[0-8]))$/, "rule: daily, weekly:1…5 or monthly:1…28");
/** Vietnamese mobile numbers are stored as 0xxxxxxxxx, so +84 and 0 forms count as the same phone. */
const mobileSchema = phoneSchema.transform((value) => (value.startsWith("+84") ? `0${value.slice(3)}` : value));
const personName = z.string().trim().min(2).max(160);
const address = z.string().trim().min(5).max(300);

// ─── Schedules and slots ────────────────────────────────────────────────────────────────────────────────

export const createScheduleRequestSchema = z
  .object({
    unitId: id,
    title: z.string().trim().min(3).max(200),
    kind: receptionKindSchema,
    leaderUserId: id.optional(),
    rule: scheduleRuleSchema.nullable().optional(),
    startTime: timeOfDaySchema,
    endTime: timeOfDaySchema,
    slotMinutes: z.number().int().min(5).max(480),
    capacityPerSlot: z.number().int().min(1).max(200),
    active: z.boolean().default(true),
  })
  .strict();

export const updateScheduleRequestSchema = z
  .object({
    title: z.string().trim().min(3).max(200),
    leaderUserId: id.nullable(),
    rule: scheduleRuleSchema.nullable(),
    startTime: timeOfDaySchema,
    endTime: timeOfDaySchema,
    slotMinutes: z.number().int().min(5).max(480),
    capacityPerSlot: z.number().int().min(1).max(200),
    active: z.boolean(),
  })
  .partial()
  .strict()
  .refine((value) => Object.keys(value).length > 0, "nothing to change");

export const scheduleSchema = z.object({
  id: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  title: z.string(),
  kind: receptionKindSchema,
  leaderUserId: z.string().nullable(),
  leaderName: z.string().nullable(),
  rule: z.string().nullable(),
  startTime: z.string(),
  endTime: z.string(),
  slotMinutes: z.number().int(),
  capacityPerSlot: z.number().int(),
  active: z.boolean(),
  createdAt: z.string(),
});
export type ScheduleDto = z.infer<typeof scheduleSchema>;

/** Whether the unit's periodic schedules meet the statutory minimum (shown as a warning, never enforced). */
export const complianceSchema = z.object({
  status: z.enum(["meets", "below", "unknown"]),
  requirement: z.object({ days: z.number().int(), per: z.enum(["week", "month"]), holder: z.string(), basis: z.string() }).nullable(),
  perWeek: z.number(),
  perMonth: z.number(),
  problems: z.array(z.enum(["no_periodic_schedule", "below_minimum"])),
});
export type ComplianceDto = z.infer<typeof complianceSchema>;

export const listSchedulesResponseSchema = z.object({
  unit: z.object({ id: z.string(), name: z.string(), kind: z.string() }),
  items: z.array(scheduleSchema),
  compliance: complianceSchema,
  /** The unit's leader accounts, who may hold its periodic and ad-hoc days. */
  leaders: z.array(z.object({ id: z.string(), name: z.string() })),
});

export const generateSlotsRequestSchema = z
  .object({ from: calendarDaySchema, to: calendarDaySchema, mode: slotModeSchema.default("online") })
  .strict()
  .refine((value) => value.to >= value.from, { message: "to must not be before from", path: ["to"] })
  .refine((value) => (Date.parse(value.to) - Date.parse(value.from)) / 86_400_000 <= 92, { message: "at most 93 days at once", path: ["to"] });
export const generateSlotsResponseSchema = z.object({ created: z.number().int(), existing: z.number().int() });

export const slotSchema = z.object({
  id: z.string(),
  scheduleId: z.string(),
  scheduleTitle: z.string(),
  kind: receptionKindSchema,
  unitId: z.string(),
  unitName: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  capacity: z.number().int(),
  booked: z.number().int(),
  mode: slotModeSchema,
});
export type SlotDto = z.infer<typeof slotSchema>;
export const listSlotsQuerySchema = z.object({ unitId: id.optional(), from: calendarDaySchema.optional(), to: calendarDaySchema.optional() });

// ─── Bookings ───────────────────────────────────────────────────────────────────────────────────────────

/** A citizen books a slot without an account (Luật 91/2025/QH15: the consent notice is on the form). */
export const bookingRequestSchema = z
  .object({
    slotId: id,
    fullName: personName,
    cccd: idNumberSchema,
    phone: mobileSchema,
    address,
    petitionKind: caseKindSchema,
    content: z.string().trim().min(10).max(2000),
    consent: z.literal(true),
  })
  .strict();

export const bookingReceiptSchema = z.object({
  bookingId: z.string(),
  code: z.string(),
  /** Typed in with the code to cancel; stored hashed, shown only here. */
  cancelSecret: z.string(),
  /** Online slots: the one-time join token and the link carrying it; shown only here, never stored. */
  joinToken: z.string().nullable(),
  joinPath: z.string().nullable(),
  slot: z.object({ startsAt: z.string(), endsAt: z.string(), mode: slotModeSchema, unitName: z.string(), title: z.string() }),
});
export type BookingReceipt = z.infer<typeof bookingReceiptSchema>;

export const cancelBookingRequestSchema = z
  .object({ code: z.string().trim().toUpperCase().min(5).max(60), secret: z.string().trim().toUpperCase().min(4).max(20) })
  .strict();
export const cancelBookingResponseSchema = z.object({ code: z.string(), status: z.literal("cancelled") });

export const bookingAttachmentSchema = z.object({ id: z.string(), originalName: z.string(), mimeType: z.string(), size: z.number().int(), createdAt: z.string() });

export const bookingSchema = z.object({
  id: z.string(),
  code: z.string(),
  slotId: z.string(),
  unitId: z.string(),
  fullName: z.string(),
  cccd: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  petitionKind: caseKindSchema,
  content: z.string(),
  status: bookingStatusSchema,
  joinLinkUsed: z.boolean(),
  createdAt: z.string(),
  cancelledAt: z.string().nullable(),
  /** True when a denouncer's identity was withheld from this reader. */
  identityProtected: z.boolean(),
  attachments: z.array(bookingAttachmentSchema),
});
export type BookingDto = z.infer<typeof bookingSchema>;

export const publicReceptionUnitSchema = z.object({ id: z.string(), name: z.string(), upcomingSlots: z.number().int() });
export const publicSlotsQuerySchema = z.object({ unitId: id });
/** What a citizen sees of a slot: when, how, how many places are left; no one's personal data. */
export const publicSlotSchema = z.object({
  id: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  mode: slotModeSchema,
  remaining: z.number().int(),
  kind: receptionKindSchema,
  title: z.string(),
});
export type PublicSlotDto = z.infer<typeof publicSlotSchema>;

// ─── Sessions ───────────────────────────────────────────────────────────────────────────────────────────

export const openSessionRequestSchema = z
  .object({
    unitId: id,
    shape: sessionShapeSchema,
    kind: receptionKindSchema,
    bookingId: id.optional(),
    units: z.array(z.object({ unitId: id, role: sessionUnitRoleSchema }).strict()).max(50).default([]),
  })
  .strict()
  .refine((value) => value.shape !== "direct" || value.bookingId !== undefined, { message: "a direct session needs the booking", path: ["bookingId"] })
  .refine((value) => value.shape !== "office" || value.units.some((unit) => unit.role === "office"), { message: "an office session needs the reception office", path: ["units"] });
export type OpenSessionInput = z.infer<typeof openSessionRequestSchema>;

export const sessionSchema = z.object({
  id: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  roomId: z.string(),
  shape: sessionShapeSchema,
  kind: receptionKindSchema,
  hostUserId: z.string(),
  bookingId: z.string().nullable(),
  bookingCode: z.string().nullable(),
  /**
   * What the session is about: the booking's kind, or at an office the kind the officer declared with the
   * consent; "denunciation" once anything said so. A denunciation is not recorded by default.
   */
  petitionKind: caseKindSchema.nullable(),
  /** The session concerns a denunciation (set once, never cleared): its recordings are for the policy's readers only. */
  identityProtected: z.boolean(),
  status: sessionStatusSchema,
  consentAt: z.string().nullable(),
  consentGiven: z.boolean().nullable(),
  recordingId: z.string().nullable(),
  caseId: z.string().nullable(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  createdAt: z.string(),
  units: z.array(z.object({ unitId: z.string(), name: z.string(), role: sessionUnitRoleSchema })),
});
export type SessionDto = z.infer<typeof sessionSchema>;
export const listSessionsQuerySchema = z.object({ unitId: id.optional(), status: sessionStatusSchema.optional() });

export const caseFromSessionRequestSchema = z
  .object({ summary: z.string().trim().min(5).max(300), kind: caseKindSchema.optional() })
  .strict();
export const caseFromSessionResponseSchema = z.object({ caseId: z.string(), code: z.string(), lookupSecret: z.string() });

// ─── Reception book ─────────────────────────────────────────────────────────────────────────────────────

export const citizenInputSchema = z
  .object({ fullName: personName, address, cccd: idNumberSchema.optional(), phone: mobileSchema.optional() })
  .strict();

const entryContent = {
  peopleCount: z.number().int().min(1).max(1000),
  content: z.string().trim().min(5).max(4000),
  dossier: z.string().trim().max(2000).optional(),
  handling: handlingSchema,
  handlingNote: z.string().trim().max(2000).optional(),
  petitionKind: caseKindSchema.optional(),
  caseId: id.optional(),
  citizens: z.array(citizenInputSchema).min(1).max(50),
};
const peopleCover = (value: { peopleCount?: number | undefined; citizens?: unknown[] | undefined }) =>
  value.peopleCount === undefined || value.citizens === undefined || value.peopleCount >= value.citizens.length;

export const createEntryRequestSchema = z
  .object({
    unitId: id,
    sessionId: id.optional(),
    bookingId: id.optional(),
    receivedAt: isoInstant,
    kind: receptionKindSchema,
    receivingOfficerUserId: id.optional(),
    leaderUserId: id.optional(),
    ...entryContent,
  })
  .strict()
  .refine(peopleCover, { message: "the number of people cannot be below the citizens listed", path: ["peopleCount"] });
export type CreateEntryInput = z.infer<typeof createEntryRequestSchema>;

export const updateEntryRequestSchema = z
  .object(entryContent)
  .partial()
  .strict()
  .refine((value) => Object.keys(value).length > 0, "nothing to change")
  .refine(peopleCover, { message: "the number of people cannot be below the citizens listed", path: ["peopleCount"] });
export type UpdateEntryInput = z.infer<typeof updateEntryRequestSchema>;

export const confirmEntryRequestSchema = z.object({ method: confirmationMethodSchema }).strict();
export const concludeEntryRequestSchema = z.object({ conclusion: z.string().trim().min(10).max(8000), issuedAt: isoInstant.optional() }).strict();

export const citizenSchema = z.object({ id: z.string(), fullName: z.string(), address: z.string().nullable(), cccd: z.string().nullable(), phone: z.string().nullable() });

export const entrySchema = z.object({
  id: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  sessionId: z.string().nullable(),
  bookingId: z.string().nullable(),
  receivedAt: z.string(),
  kind: receptionKindSchema,
  receivingOfficerUserId: z.string(),
  receivingOfficerName: z.string(),
  leaderUserId: z.string().nullable(),
  leaderName: z.string().nullable(),
  peopleCount: z.number().int(),
  content: z.string(),
  dossier: z.string().nullable(),
  handling: handlingSchema,
  handlingNote: z.string().nullable(),
  petitionKind: caseKindSchema.nullable(),
  caseId: z.string().nullable(),
  citizenConfirmedAt: z.string().nullable(),
  confirmationMethod: confirmationMethodSchema.nullable(),
  conclusion: z.string().nullable(),
  conclusionIssuedAt: z.string().nullable(),
  createdAt: z.string(),
  citizens: z.array(citizenSchema),
  /** True when a denouncer's identity was withheld from this reader. */
  identityProtected: z.boolean(),
  /** A multi-site reception's other places: the local reception office, the agencies, observers. */
  places: z.array(z.object({ name: z.string(), role: sessionUnitRoleSchema })),
});
export type EntryDto = z.infer<typeof entrySchema>;

export const listEntriesQuerySchema = z.object({ unitId: id.optional(), from: calendarDaySchema.optional(), to: calendarDaySchema.optional() });
export const bookExportQuerySchema = z
  .object({ unitId: id.optional(), from: calendarDaySchema, to: calendarDaySchema, format: z.enum(["pdf", "xlsx"]) })
  .refine((value) => value.to >= value.from, { message: "to must not be before from", path: ["to"] });

export const receptionStatsQuerySchema = z
  .object({ from: calendarDaySchema, to: calendarDaySchema })
  .refine((value) => value.to >= value.from, { message: "to must not be before from", path: ["to"] });

const visitCounts = { visits: z.number().int(), people: z.number().int(), groupVisits: z.number().int() };
export const receptionStatisticsSchema = z.object({
  from: z.string(),
  to: z.string(),
  scopeName: z.string(),
  ...visitCounts,
  byKind: z.object({ regular: z.number().int(), periodic: z.number().int(), adhoc: z.number().int() }),
  byUnit: z.array(z.object({ unitId: z.string(), name: z.string(), ...visitCounts })),
});
export type ReceptionStatistics = z.infer<typeof receptionStatisticsSchema>;
