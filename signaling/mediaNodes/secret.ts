import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { SpentNonces } from "../keys/SpentNonces";
import { type NodeEntry, type SignedNodeEntry, signedNodeEntrySchema } from "./protocol";
import { certificateDigest } from "./tls";

/**
 * What a media node and the signaling processes prove to each other. The signaling hosts keep a master,
 * MEDIA_NODE_SECRET, which never leaves them; each node holds only its own key, derived from the master for
 * its id (HKDF-SHA256, info "cau-noi media node <id>"; `npm run media-node-key -- <id>` prints it). A node
 * that is taken over can therefore speak only as itself: it cannot sign an entry, nor answer a proof, for
 * another node's id (second review, finding 5). Two proofs, each an HMAC with its own label so one cannot
 * stand for the other:
 * - a signaling process connecting to a node sends an HMAC, under that node's key, of the node's id, the time
 *   and a random nonce in socket.io's handshake; the node accepts each nonce once and only within a minute
 *   of its clock, so a captured proof can neither be replayed nor relayed to another node;
 * - a node signs the entry it keeps in Redis (id, start, URL, TLS certificate, load, time) with its key, and
 *   signaling processes check it with the key derived for the id the entry claims, under the Redis key
 *   naming that id, and ignore entries that are stale, so whoever can write to Redis can neither list a node
 *   of their own and have the rooms' media piped to it, nor swap a node's certificate for theirs.
 * The hosts keep time with NTP; a minute either side allows for their drift.
 */
const WINDOW_MS = 60_000;
const LABEL = "cau-noi media node v4";

/** A node's own key: 32 bytes, as MEDIA_NODE_KEY carries them in hex. */
export type NodeKey = Buffer;

export const nodeKeyHexSchema = z.string().regex(/^[0-9a-f]{64}$/, "MEDIA_NODE_KEY must be 64 hexadecimal digits (npm run media-node-key -- <MEDIA_NODE_ID> on a signaling host)");

/** The key of the node `nodeId`, derived from the signaling hosts' master (MEDIA_NODE_SECRET). */
export function deriveNodeKey(master: string, nodeId: string): NodeKey {
  return Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), `cau-noi media node ${nodeId}`, 32));
}

const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));
export const nodeAuthSchema = z.object({ at: z.number().int().positive(), nonce: hex(16), mac: hex(32) }).strict();
export type NodeAuth = z.infer<typeof nodeAuthSchema>;

const mac = (key: NodeKey, ...parts: (string | number)[]) => createHmac("sha256", key).update([LABEL, ...parts].join("\n")).digest("hex");
const sameMac = (expected: string, given: string) => timingSafeEqual(Buffer.from(expected, "hex"), Buffer.from(given, "hex"));

/** A signaling process's proof for connecting to the node `nodeId` (whose key it is given) now. */
export function nodeAuth(key: NodeKey, nodeId: string, now = Date.now()): NodeAuth {
  const nonce = randomBytes(16).toString("hex");
  return { at: now, nonce, mac: mac(key, "connect", nodeId, now, nonce) };
}

/** The node's side: which connection proofs it accepts; each one only once. */
export class ProofLedger {
  readonly #key: NodeKey;
  readonly #nodeId: string;
  readonly #spent = new SpentNonces();

  constructor(key: NodeKey, nodeId: string) {
    this.#key = key;
    this.#nodeId = nodeId;
  }

  get size(): number {
    return this.#spent.size;
  }

  accept(auth: unknown, now = Date.now()): boolean {
    this.#spent.sweep(now);
    const parsed = nodeAuthSchema.safeParse(auth);
    if (!parsed.success || Math.abs(now - parsed.data.at) > WINDOW_MS || this.#spent.has(parsed.data.nonce)) return false;
    if (!sameMac(mac(this.#key, "connect", this.#nodeId, parsed.data.at, parsed.data.nonce), parsed.data.mac)) return false;
    this.#spent.spend(parsed.data.nonce, parsed.data.at + WINDOW_MS);
    return true;
  }
}

const entryParts = (entry: NodeEntry, signedAt: number) => ["entry", entry.id, entry.instance, entry.url, certificateDigest(entry.certificate), entry.consumers, entry.workers, signedAt];

/** The node's entry as it writes it to Redis, signed with its own key. */
export function signNodeEntry(key: NodeKey, entry: NodeEntry, now = Date.now()): SignedNodeEntry {
  const plain = { id: entry.id, instance: entry.instance, url: entry.url, ...(entry.certificate === undefined ? {} : { certificate: entry.certificate }), consumers: entry.consumers, workers: entry.workers };
  return { ...plain, signedAt: now, sig: mac(key, ...entryParts(plain, now)) };
}

/** Why an entry read from Redis is not taken (logged by the registry). */
export type EntryRefusal = "malformed" | "stale" | "not signed with the key of the node it names";

/** An entry read from Redis, if the node it names wrote it within the last minute; otherwise why not. */
export function checkNodeEntry(master: string, value: unknown, now = Date.now()): { entry: SignedNodeEntry } | { refused: EntryRefusal } {
  const parsed = signedNodeEntrySchema.safeParse(value);
  if (!parsed.success) return { refused: "malformed" };
  if (Math.abs(now - parsed.data.signedAt) > WINDOW_MS) return { refused: "stale" };
  const key = deriveNodeKey(master, parsed.data.id);
  return sameMac(mac(key, ...entryParts(parsed.data, parsed.data.signedAt)), parsed.data.sig) ? { entry: parsed.data } : { refused: "not signed with the key of the node it names" };
}

/** checkNodeEntry's entry, or undefined. */
export function verifyNodeEntry(master: string, value: unknown, now = Date.now()): SignedNodeEntry | undefined {
  const checked = checkNodeEntry(master, value, now);
  return "entry" in checked ? checked.entry : undefined;
}
