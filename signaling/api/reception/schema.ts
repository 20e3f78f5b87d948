import { z } from "zod";

export {
  bookExportQuerySchema,
  bookingAttachmentSchema,
  bookingReceiptSchema,
  bookingRequestSchema,
  bookingSchema,
  cancelBookingRequestSchema,
  cancelBookingResponseSchema,
  caseFromSessionRequestSchema,
  caseFromSessionResponseSchema,
  concludeEntryRequestSchema,
  confirmEntryRequestSchema,
  createEntryRequestSchema,
  createScheduleRequestSchema,
  entrySchema,
  generateSlotsRequestSchema,
  generateSlotsResponseSchema,
  listEntriesQuerySchema,
  listSchedulesResponseSchema,
  listSessionsQuerySchema,
  listSlotsQuerySchema,
  openSessionRequestSchema,
  publicReceptionUnitSchema,
  publicSlotSchema,
  publicSlotsQuerySchema,
  receptionStatisticsSchema,
  receptionStatsQuerySchema,
  scheduleSchema,
  sessionSchema,
  slotSchema,
  updateEntryRequestSchema,
  updateScheduleRequestSchema,
} from "../../protocol";

const id = z.string().min(1).max(64);

export const listSchedulesQuerySchema = z.object({ unitId: id.optional() });
export const bookingFileParamsSchema = z.object({ id, attachmentId: id }).strict();
/** The file's name as the citizen's device called it; the content decides what it is. */
export const bookingUploadQuerySchema = z.object({ name: z.string().trim().min(1).max(200) });
/** The cancel code from the receipt proves the upload comes from the citizen who booked (a header, so it is not logged with the URL). */
export const BOOKING_SECRET_HEADER = "x-booking-secret";
/** File downloads: documented as binary. */
export const fileSchema = z.string().describe("binary file (PDF or XLSX)");
