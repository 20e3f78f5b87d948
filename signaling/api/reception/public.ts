import { z } from "zod";
import { LoginThrottle } from "../../auth/LoginThrottle";
import type { ReceptionService } from "../../commands/reception";
import { AppError } from "../../errors";
import { defineRoute, idParamsSchema } from "../route";
import {
  BOOKING_SECRET_HEADER,
  bookingAttachmentSchema,
  bookingReceiptSchema,
  bookingRequestSchema,
  bookingUploadBodySchema,
  bookingUploadQuerySchema,
  cancelBookingRequestSchema,
  cancelBookingResponseSchema,
  publicReceptionUnitSchema,
  publicSlotSchema,
  publicSlotsQuerySchema,
} from "./schema";

/** Booking attempts per connection per hour: a family or a commune's shared terminal, not a flood. */
const BOOKINGS_PER_IP = { limit: 10, windowMs: 60 * 60_000 };
/** Bookings per phone number per day: one person does not hold a unit's places. */
const BOOKINGS_PER_PHONE = { limit: 3, windowMs: 24 * 60 * 60_000 };
/** Wrong code/cancel-code pairs per connection before cancelling and uploads pause (no guessing). */
const FAILED_SECRETS = { limit: 10, windowMs: 15 * 60_000 };

/** The citizen's side of reception, without an account: see the slots, book one, cancel, send files. */
export function receptionPublicRoutes(deps: { reception: ReceptionService; maxAttachmentBytes: number }) {
  const { reception } = deps;
  const perIp = new LoginThrottle(BOOKINGS_PER_IP.limit, BOOKINGS_PER_IP.windowMs);
  const perPhone = new LoginThrottle(BOOKINGS_PER_PHONE.limit, BOOKINGS_PER_PHONE.windowMs);
  const failures = new LoginThrottle(FAILED_SECRETS.limit, FAILED_SECRETS.windowMs);
  /** Wrong secrets count against the connection; the answer itself never says which part was wrong. */
  const guarded = async <T>(ip: string, attempt: () => Promise<T>): Promise<T> => {
    if (failures.isBlocked(ip)) throw new AppError("RATE_LIMITED");
    try {
      return await attempt();
    } catch (error) {
      if (error instanceof AppError && error.code === "NOT_FOUND") failures.recordFailure(ip);
      throw error;
    }
  };
  return [
    defineRoute({
      id: "public.receptionUnits",
      method: "get",
      path: "/public/reception/units",
      summary: "Units receiving citizens in the coming weeks, with how many slots each offers",
      auth: "public",
      response: z.object({ items: z.array(publicReceptionUnitSchema) }),
      handler: async () => ({ items: await reception.publicUnits() }),
    }),
    defineRoute({
      id: "public.receptionSlots",
      method: "get",
      path: "/public/reception/slots",
      summary: "A unit's upcoming reception slots with the places left (no personal data)",
      auth: "public",
      query: publicSlotsQuerySchema,
      response: z.object({ items: z.array(publicSlotSchema) }),
      handler: async ({ query }) => ({ items: await reception.publicSlots(query.unitId) }),
    }),
    defineRoute({
      id: "public.book",
      method: "post",
      path: "/public/reception/bookings",
      summary: "A citizen books a reception slot; returns the booking code, the cancel code and (online) the one-time join link",
      auth: "public",
      body: bookingRequestSchema,
      response: bookingReceiptSchema,
      status: 201,
      handler: async ({ body, meta }) => {
        if (perIp.isBlocked(meta.ip)) throw new AppError("RATE_LIMITED");
        if (perPhone.isBlocked(body.phone)) throw new AppError("BOOKING_LIMIT");
        perIp.recordFailure(meta.ip);
        const receipt = await reception.book(body, meta);
        // Only bookings made count against the phone: a full slot does not use up the citizen's allowance.
        perPhone.recordFailure(body.phone);
        return receipt;
      },
    }),
    defineRoute({
      id: "public.cancelBooking",
      method: "post",
      path: "/public/reception/bookings/cancel",
      summary: "A citizen cancels a booking with its code and cancel code, until the slot starts",
      auth: "public",
      body: cancelBookingRequestSchema,
      response: cancelBookingResponseSchema,
      handler: ({ body, meta }) => guarded(meta.ip, () => reception.cancelBooking(body.code, body.secret)),
    }),
    defineRoute({
      id: "public.bookingAttachment",
      method: "post",
      path: "/public/reception/bookings/:id/attachments",
      summary: `Attach a file (PDF, JPEG, PNG, Word, Excel; checked on content) to one's booking; body = the file, header ${BOOKING_SECRET_HEADER} = the cancel code`,
      auth: "public",
      params: idParamsSchema,
      query: bookingUploadQuerySchema,
      body: bookingUploadBodySchema,
      rawBody: { limitBytes: deps.maxAttachmentBytes },
      response: bookingAttachmentSchema,
      status: 201,
      handler: ({ params, query, body, meta, req }) => {
        const secret = String(req.headers[BOOKING_SECRET_HEADER] ?? "").trim().toUpperCase();
        return guarded(meta.ip, () => reception.addBookingAttachment(params.id, secret, query.name, body));
      },
    }),
  ];
}
