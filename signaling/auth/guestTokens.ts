import jwt from "jsonwebtoken";
import { z } from "zod";

/**
 * A citizen without an account, let in by a booking's one-time link: the token names the booking and
 * the citizen, and lasts until the slot is over. A different audience than staff tokens, so neither can
 * be passed off as the other.
 */
export const guestClaimsSchema = z.object({
  typ: z.literal("guest"),
  /** The booking the link belonged to. */
  sub: z.string(),
  name: z.string(),
  unitId: z.string(),
});
export type GuestClaims = z.infer<typeof guestClaimsSchema>;

const ISSUER = "cau-noi";
const AUDIENCE = "cau-noi-guest";

export function signGuestToken(claims: Omit<GuestClaims, "typ">, secret: string, expiresAt: Date): string {
  const seconds = Math.max(60, Math.ceil((expiresAt.getTime() - Date.now()) / 1000));
  return jwt.sign({ ...claims, typ: "guest" }, secret, { algorithm: "HS256", expiresIn: seconds, issuer: ISSUER, audience: AUDIENCE });
}

export function verifyGuestToken(token: string, secret: string): GuestClaims | null {
  try {
    const claims = guestClaimsSchema.safeParse(jwt.verify(token, secret, { algorithms: ["HS256"], issuer: ISSUER, audience: AUDIENCE }));
    return claims.success ? claims.data : null;
  } catch {
    return null;
  }
}
