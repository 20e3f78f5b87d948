import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { SpentNonces } from "../keys/SpentNonces";

/**
 * Seals what one signaling process sends another over Redis pub/sub (forwarded requests carry the actor
 * they act for): an HMAC under a key derived from JWT_SECRET, which every process shares already, over
 * the body, the time and a random nonce. A receiving process opens each nonce once and only within
 * `WINDOW_MS` of sending, so whoever can publish to Redis can neither forge a request as some account
 * nor replay a captured one. Redis still sees the bodies (README › Several signaling processes).
 */
export const SEAL_WINDOW_MS = 30_000;
const WINDOW_MS = SEAL_WINDOW_MS;
const KEY_LABEL = "cau-noi signaling processes v1";
/** Stamps (below) are MACed as a message of time 0 with this nonce, which no sealed message can have (its time is positive). */
const STAMP_NONCE = "stamp";

const envelopeSchema = z.object({ body: z.string(), at: z.number().int().positive(), nonce: z.string().regex(/^[0-9a-f]{32}$/), mac: z.string().regex(/^[0-9a-f]{64}$/) }).strict();

export class ProcessMessageSeal {
  readonly #key: Buffer;
  readonly #spent = new SpentNonces();

  constructor(jwtSecret: string) {
    this.#key = createHmac("sha256", jwtSecret).update(KEY_LABEL).digest();
  }

  get spent(): number {
    return this.#spent.size;
  }

  #mac(body: string, at: number, nonce: string): string {
    return createHmac("sha256", this.#key).update(`${at}\n${nonce}\n${body}`).digest("hex");
  }

  seal(message: unknown, now = Date.now()): string {
    const body = JSON.stringify(message);
    const nonce = randomBytes(16).toString("hex");
    return JSON.stringify({ body, at: now, nonce, mac: this.#mac(body, now, nonce) });
  }

  /**
   * A value kept in Redis for longer than the window (a dead process's last heartbeat, read up to a day
   * later by whichever process takes its rooms over): an HMAC under the same key over the value and what it
   * is (`context`, e.g. its key's name), so it can be neither forged nor copied to another key. It has no
   * nonce or window: whoever can write to Redis can still put back a value that key held before.
   */
  stamp(context: string, value: string): string {
    return `${value}.${this.#mac(`${context}\n${value}`, 0, STAMP_NONCE)}`;
  }

  /** The stamped value, or undefined when it was not stamped for this context with the secret. */
  openStamp(context: string, text: string): string | undefined {
    const dot = text.lastIndexOf(".");
    const value = text.slice(0, dot);
    const mac = text.slice(dot + 1);
    if (dot < 0 || !/^[0-9a-f]{64}$/.test(mac)) return undefined;
    const expected = Buffer.from(this.#mac(`${context}\n${value}`, 0, STAMP_NONCE), "hex");
    return timingSafeEqual(expected, Buffer.from(mac, "hex")) ? value : undefined;
  }

  /** The message, or undefined when it is not sealed with the secret, stale, altered or seen before. */
  open(text: string, now = Date.now()): unknown {
    return this.openDated(text, now)?.message;
  }

  /** The same, with the time it was sealed at (by the sender's clock). */
  openDated(text: string, now = Date.now()): { message: unknown; at: number } | undefined {
    this.#spent.sweep(now);
    let envelope: z.infer<typeof envelopeSchema>;
    try {
      envelope = envelopeSchema.parse(JSON.parse(text));
    } catch {
      return undefined;
    }
    if (Math.abs(now - envelope.at) > WINDOW_MS || this.#spent.has(envelope.nonce)) return undefined;
    if (!timingSafeEqual(Buffer.from(this.#mac(envelope.body, envelope.at, envelope.nonce), "hex"), Buffer.from(envelope.mac, "hex"))) return undefined;
    this.#spent.spend(envelope.nonce, envelope.at + WINDOW_MS);
    try {
      return { message: JSON.parse(envelope.body) as unknown, at: envelope.at };
    } catch {
      return undefined;
    }
  }
}
