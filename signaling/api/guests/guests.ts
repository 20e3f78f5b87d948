import { type LimiterStore, Throttle } from "../../auth/throttle";
import { signGuestToken } from "../../auth/guestTokens";
import type { ReceptionService } from "../../services/reception/reception";
import { AppError } from "../../errors";
import { defineRoute } from "../route";
import { claimJoinLinkRequestSchema, claimJoinLinkResponseSchema } from "./schema";

/** Wrong links per IP before claims from it pause: a join token cannot be guessed, nor tried at length. */
const FAILED_CLAIMS = { attempts: 10, windowSeconds: 15 * 60 };
/** The citizen's pages keep working a little past the slot, so a session running late is not cut. */
const OVERRUN_MS = 60 * 60_000;

/** A citizen's way in: the one-time link of a booking becomes a guest token for the reception pages. */
export function guestRoutes({ reception, jwtSecret, limiters }: { reception: ReceptionService; jwtSecret: string; limiters: LimiterStore }) {
  const failures = new Throttle(limiters, "joinLink.failures", FAILED_CLAIMS);
  return [
    defineRoute({
      id: "guests.claimJoinLink",
      method: "post",
      path: "/public/reception/join",
      summary: "A citizen opens the one-time join link of a booking; it is spent, and a guest token for the session is returned",
      auth: "public",
      body: claimJoinLinkRequestSchema,
      response: claimJoinLinkResponseSchema,
      handler: async ({ body, meta }) => {
        // Counted before the token check; given back unless the link was wrong (parallel guesses all count).
        await failures.consume(meta.ip);
        try {
          const { booking, slot, unitName } = await reception.bookings.consumeJoinLink(body.bookingId, body.token, new Date());
          const guestToken = signGuestToken({ sub: booking.id, name: booking.fullName, unitId: booking.unitId }, jwtSecret, new Date(slot.endsAt.getTime() + OVERRUN_MS));
          await failures.refund(meta.ip);
          return {
            guestToken,
            displayName: booking.fullName,
            unitName,
            bookingCode: booking.code,
            startsAt: slot.startsAt.toISOString(),
            endsAt: slot.endsAt.toISOString(),
          };
        } catch (error) {
          if (!(error instanceof AppError && error.code === "JOIN_LINK_INVALID")) await failures.refund(meta.ip);
          throw error;
        }
      },
    }),
  ];
}
