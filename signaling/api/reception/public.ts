import { z } from "zod";
import { ByteQuota, type LimiterStore, Throttle } from "../../auth/throttle";
import { expectedBytes, type IncomingFile, type UploadAllowance } from "../../services/attachments/attachments";
import type { ReceptionService } from "../../services/reception/reception";
import { AppError } from "../../errors";
import { defineRoute, idParamsSchema, incomingFileSchema } from "../route";
import {
  BOOKING_SECRET_HEADER,
  bookingAttachmentSchema,
  bookingReceiptSchema,
  bookingRequestSchema,
  bookingUploadQuerySchema,
  cancelBookingRequestSchema,
  cancelBookingResponseSchema,
  publicReceptionUnitSchema,
  publicSlotSchema,
  publicSlotsQuerySchema,
} from "./schema";

/** Booking attempts per connection per hour: a family or a commune's shared terminal, not a flood. */
const BOOKINGS_PER_IP = { attempts: 10, windowSeconds: 60 * 60 };
/** Bookings per phone number per day: one person does not hold a unit's places. */
const BOOKINGS_PER_PHONE = { attempts: 3, windowSeconds: 24 * 60 * 60 };
/** Wrong code/cancel-code pairs per connection before cancelling and uploads pause (no guessing). */
const FAILED_SECRETS = { attempts: 10, windowSeconds: 15 * 60 };
const DAY_SECONDS = 24 * 60 * 60;

/**
 * The "address" an upload allowance is counted against: an IPv4 address, or an IPv6 address's /64
 * network — one subscriber usually holds a whole /64, and counting each of its addresses apart would let
 * one machine change address for every file.
 */
export function uploadAddressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!ip.includes(":")) return ip;
  const [head = "", tail] = ip.split("%")[0]!.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

/** The citizen's side of reception, without an account: see the slots, book one, cancel, send files. */
export function receptionPublicRoutes({ reception, maxAttachmentBytes, publicUploadBytesPerDay, limiters }: { reception: ReceptionService; maxAttachmentBytes: number; publicUploadBytesPerDay: { unit: number; address: number }; limiters: LimiterStore }) {
  const perIp = new Throttle(limiters, "booking.address", BOOKINGS_PER_IP);
  // Storage anyone may fill without an account: per receiving unit and per address, per day.
  const unitStorage = new ByteQuota(limiters, "upload.unitBytes", { bytes: publicUploadBytesPerDay.unit, windowSeconds: DAY_SECONDS });
  const addressStorage = new ByteQuota(limiters, "upload.addressBytes", { bytes: publicUploadBytesPerDay.address, windowSeconds: DAY_SECONDS });
  /** Reserves what this upload may bring from both allowances; what it did not store is given back. */
  const allowance = (ip: string, file: IncomingFile) => async (unitId: string): Promise<UploadAllowance> => {
    const amount = expectedBytes(file);
    const reserved = { unit: false, address: false };
    await unitStorage.reserve([`unit:${unitId}`], amount);
    reserved.unit = true;
    try {
      await addressStorage.reserve([`address:${uploadAddressKey(ip)}`], amount);
      reserved.address = true;
    } finally {
      if (!reserved.address) await unitStorage.release([`unit:${unitId}`], amount);
    }
    return {
      settle: async (storedBytes: number) => {
        await unitStorage.release([`unit:${unitId}`], amount - storedBytes);
        await addressStorage.release([`address:${uploadAddressKey(ip)}`], amount - storedBytes);
      },
    };
  };
  const perPhone = new Throttle(limiters, "booking.phone", BOOKINGS_PER_PHONE);
  const failures = new Throttle(limiters, "booking.secretFailures", FAILED_SECRETS);
  /**
   * Wrong secrets count against the connection; the answer itself never says which part was wrong. The
   * attempt is counted before the check (parallel guesses all count) and given back unless it was a wrong secret.
   */
  const guarded = async <T>(ip: string, attempt: () => Promise<T>): Promise<T> => {
    await failures.consume(ip);
    try {
      const result = await attempt();
      await failures.refund(ip);
      return result;
    } catch (error) {
      if (!(error instanceof AppError && error.code === "NOT_FOUND")) await failures.refund(ip);
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
      handler: async () => ({ items: await reception.bookings.publicUnits() }),
    }),
    defineRoute({
      id: "public.receptionSlots",
      method: "get",
      path: "/public/reception/slots",
      summary: "A unit's upcoming reception slots with the places left (no personal data)",
      auth: "public",
      query: publicSlotsQuerySchema,
      response: z.object({ items: z.array(publicSlotSchema) }),
      handler: async ({ query }) => ({ items: await reception.bookings.publicSlots(query.unitId) }),
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
        await perIp.consume(meta.ip);
        await perPhone.consume(body.phone, "BOOKING_LIMIT");
        try {
          return await reception.bookings.book(body, meta);
        } catch (error) {
          // Only bookings made count against the phone: a full slot does not use up the citizen's allowance.
          await perPhone.refund(body.phone);
          throw error;
        }
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
      handler: ({ body, meta }) => guarded(meta.ip, () => reception.bookings.cancel(body.code, body.secret)),
    }),
    defineRoute({
      id: "public.bookingAttachment",
      method: "post",
      path: "/public/reception/bookings/:id/attachments",
      summary: `Attach a file (PDF, JPEG, PNG, Word, Excel; checked on content) to one's booking; body = the file, header ${BOOKING_SECRET_HEADER} = the cancel code`,
      auth: "public",
      params: idParamsSchema,
      query: bookingUploadQuerySchema,
      body: incomingFileSchema,
      rawBody: { limitBytes: maxAttachmentBytes },
      response: bookingAttachmentSchema,
      status: 201,
      handler: ({ params, query, body, meta, req }) => {
        const secret = String(req.headers[BOOKING_SECRET_HEADER] ?? "").trim().toUpperCase();
        return guarded(meta.ip, () => reception.bookings.addAttachment(params.id, secret, query.name, body, allowance(meta.ip, body)));
      },
    }),
  ];
}
