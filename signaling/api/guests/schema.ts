import { z } from "zod";

export const claimJoinLinkRequestSchema = z
  .object({
    bookingId: z.string().trim().min(1).max(64),
    token: z.string().trim().min(16).max(128),
  })
  .strict();

export const claimJoinLinkResponseSchema = z.object({
  /** For the socket handshake of the citizen's pages; lasts until the slot is over. */
  guestToken: z.string(),
  displayName: z.string(),
  unitName: z.string(),
  bookingCode: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
});
