import { createHash, randomBytes } from "node:crypto";
import jwt from "jsonwebtoken";
import { z } from "zod";
import { roleSchema } from "../protocol";

/** What an access token proves: who, in which unit, with which roles. Re-read from the DB on refresh. */
export const accessClaimsSchema = z.object({
  sub: z.string(),
  unitId: z.string(),
  roles: z.array(roleSchema),
  name: z.string(),
  /** The account's tokenVersion when issued; absent means 0. A bump refuses every older token at once. */
  ver: z.number().int().min(0).optional(),
});
export type AccessClaims = z.infer<typeof accessClaimsSchema>;

const ISSUER = "cau-noi";
const AUDIENCE = "cau-noi-api";

export function signAccessToken(claims: AccessClaims, secret: string, ttlSeconds: number): string {
  return jwt.sign(claims, secret, { algorithm: "HS256", expiresIn: ttlSeconds, issuer: ISSUER, audience: AUDIENCE });
}

export type AccessTokenCheck = { ok: true; claims: AccessClaims } | { ok: false; reason: "expired" | "invalid" };

export function verifyAccessToken(token: string, secret: string): AccessTokenCheck {
  try {
    const payload = jwt.verify(token, secret, { algorithms: ["HS256"], issuer: ISSUER, audience: AUDIENCE });
    const claims = accessClaimsSchema.safeParse(payload);
    return claims.success ? { ok: true, claims: claims.data } : { ok: false, reason: "invalid" };
  } catch (error) {
    return { ok: false, reason: error instanceof jwt.TokenExpiredError ? "expired" : "invalid" };
  }
}

/** An opaque refresh token; only its hash is stored. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
