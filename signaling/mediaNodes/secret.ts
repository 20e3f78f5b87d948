import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/**
 * How a signaling process proves to a media node that it may drive it: an HMAC of the current time under
 * MEDIA_NODE_SECRET (shared by the node and the signaling processes), sent in socket.io's handshake. The
 * secret itself never crosses the network; a proof is accepted for a minute either side of the node's
 * clock (the hosts keep time with NTP), so a captured one is stale soon.
 */
const WINDOW_MS = 60_000;
const LABEL = "cau-noi media node v1";

export const nodeAuthSchema = z.object({ at: z.number().int().positive(), mac: z.string().regex(/^[0-9a-f]{64}$/) }).strict();
export type NodeAuth = z.infer<typeof nodeAuthSchema>;

const macOf = (secret: string, at: number) => createHmac("sha256", secret).update(`${LABEL}:${at}`).digest("hex");

export function nodeAuth(secret: string, now = Date.now()): NodeAuth {
  return { at: now, mac: macOf(secret, now) };
}

export function verifyNodeAuth(secret: string, auth: unknown, now = Date.now()): boolean {
  const parsed = nodeAuthSchema.safeParse(auth);
  if (!parsed.success || Math.abs(now - parsed.data.at) > WINDOW_MS) return false;
  return timingSafeEqual(Buffer.from(macOf(secret, parsed.data.at), "hex"), Buffer.from(parsed.data.mac, "hex"));
}
