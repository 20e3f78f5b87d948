import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { SpentNonces } from "../keys/SpentNonces";
import { type NodeEntry, type SignedNodeEntry, signedNodeEntrySchema } from "./protocol";
import { certificateDigest } from "./tls";

/**
 * Everything a media node and the signaling processes prove to each other with MEDIA_NODE_SECRET (shared
 * by them, never sent). Two proofs, each an HMAC with its own label so one cannot stand for the other:
 * - a signaling process connecting to a node sends an HMAC of the node's id, the time and a random nonce
 *   in socket.io's handshake; the node accepts each nonce once and only within a minute of its clock, so a
 *   captured proof can neither be replayed nor relayed to another node;
 * - a node signs the entry it keeps in Redis (id, URL, TLS certificate, load, time), and signaling processes
 *   ignore entries that are not signed with the secret or are stale, so whoever can write to Redis can neither
 *   list a node of their own and have the rooms' media piped to it, nor swap a node's certificate for theirs.
 * The hosts keep time with NTP; a minute either side allows for their drift.
 */
const WINDOW_MS = 60_000;
const LABEL = "cau-noi media node v3";

const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));
export const nodeAuthSchema = z.object({ at: z.number().int().positive(), nonce: hex(16), mac: hex(32) }).strict();
export type NodeAuth = z.infer<typeof nodeAuthSchema>;

const mac = (secret: string, ...parts: (string | number)[]) => createHmac("sha256", secret).update([LABEL, ...parts].join("\n")).digest("hex");
const sameMac = (expected: string, given: string) => timingSafeEqual(Buffer.from(expected, "hex"), Buffer.from(given, "hex"));

/** A signaling process's proof for connecting to the node `nodeId` now. */
export function nodeAuth(secret: string, nodeId: string, now = Date.now()): NodeAuth {
  const nonce = randomBytes(16).toString("hex");
  return { at: now, nonce, mac: mac(secret, "connect", nodeId, now, nonce) };
}

/** The node's side: which connection proofs it accepts; each one only once. */
export class ProofLedger {
  readonly #secret: string;
  readonly #nodeId: string;
  readonly #spent = new SpentNonces();

  constructor(secret: string, nodeId: string) {
    this.#secret = secret;
    this.#nodeId = nodeId;
  }

  get size(): number {
    return this.#spent.size;
  }

  accept(auth: unknown, now = Date.now()): boolean {
    this.#spent.sweep(now);
    const parsed = nodeAuthSchema.safeParse(auth);
    if (!parsed.success || Math.abs(now - parsed.data.at) > WINDOW_MS || this.#spent.has(parsed.data.nonce)) return false;
    if (!sameMac(mac(this.#secret, "connect", this.#nodeId, parsed.data.at, parsed.data.nonce), parsed.data.mac)) return false;
    this.#spent.spend(parsed.data.nonce, parsed.data.at + WINDOW_MS);
    return true;
  }
}

const entryParts = (entry: NodeEntry, signedAt: number) => ["entry", entry.id, entry.url, certificateDigest(entry.certificate), entry.consumers, entry.workers, signedAt];

/** The node's entry as it writes it to Redis. */
export function signNodeEntry(secret: string, entry: NodeEntry, now = Date.now()): SignedNodeEntry {
  const plain = { id: entry.id, url: entry.url, ...(entry.certificate === undefined ? {} : { certificate: entry.certificate }), consumers: entry.consumers, workers: entry.workers };
  return { ...plain, signedAt: now, sig: mac(secret, ...entryParts(plain, now)) };
}

/** An entry read from Redis, if a node holding the secret wrote it within the last minute. */
export function verifyNodeEntry(secret: string, value: unknown, now = Date.now()): SignedNodeEntry | undefined {
  const parsed = signedNodeEntrySchema.safeParse(value);
  if (!parsed.success || Math.abs(now - parsed.data.signedAt) > WINDOW_MS) return undefined;
  return sameMac(mac(secret, ...entryParts(parsed.data, parsed.data.signedAt)), parsed.data.sig) ? parsed.data : undefined;
}
