import { describe, expect, it } from "vitest";
import { loadMediaNodeConfig } from "../../signaling/mediaNodes/config";
import { MAX_NODE_CONSUMERS, MAX_NODE_WORKERS } from "../../signaling/mediaNodes/protocol";
import { ProofLedger, checkNodeEntry, deriveNodeKey, nodeAuth, signNodeEntry, verifyNodeEntry } from "../../signaling/mediaNodes/secret";

/** The signaling hosts' master (MEDIA_NODE_SECRET), and the only key node-b is given. */
const MASTER = "a-test-media-node-secret-of-enough-length-0123";
const KEY_B = deriveNodeKey(MASTER, "node-b");
const entry = { id: "node-b", instance: "0123456789abcdef0123456789abcdef", url: "http://127.0.0.3:4500", consumers: 3, workers: 2 };

describe("media node proofs (review: a captured proof was reusable, and good for any node)", () => {
  it("accepts a fresh proof once, for the node it was made for", () => {
    const ledger = new ProofLedger(KEY_B, "node-b");
    const proof = nodeAuth(KEY_B, "node-b");
    expect(ledger.accept(proof)).toBe(true);
    expect(ledger.accept(proof)).toBe(false);
    expect(new ProofLedger(deriveNodeKey(MASTER, "node-c"), "node-c").accept(nodeAuth(KEY_B, "node-b"))).toBe(false);
  });

  it("refuses a wrong key, a stale proof, a tampered nonce and malformed input", () => {
    const ledger = new ProofLedger(KEY_B, "node-b");
    expect(ledger.accept(nodeAuth(deriveNodeKey("another-secret-of-enough-length-0123456789", "node-b"), "node-b"))).toBe(false);
    const now = Date.now();
    expect(ledger.accept(nodeAuth(KEY_B, "node-b", now - 61_000), now)).toBe(false);
    const proof = nodeAuth(KEY_B, "node-b");
    expect(ledger.accept({ ...proof, nonce: "0".repeat(32) })).toBe(false);
    for (const junk of [undefined, null, "x", {}, { at: 1, nonce: "a", mac: "b" }, { ...proof, extra: 1 }]) expect(ledger.accept(junk)).toBe(false);
  });

  it("forgets spent proofs once they would be stale anyway", () => {
    const ledger = new ProofLedger(KEY_B, "node-b");
    const start = Date.now();
    for (let i = 0; i < 50; i++) expect(ledger.accept(nodeAuth(KEY_B, "node-b", start), start)).toBe(true);
    expect(ledger.size).toBe(50);
    ledger.accept(nodeAuth(KEY_B, "node-b", start + 130_000), start + 130_000);
    expect(ledger.size).toBe(1);
  });
});

describe("media node registry entries (review: any entry in Redis was connected to and sent media)", () => {
  it("keeps a node's own signed entry", () => {
    const signed = signNodeEntry(KEY_B, entry);
    expect(verifyNodeEntry(MASTER, signed)).toEqual(signed);
  });

  it("drops an unsigned, tampered, re-keyed, stale or foreign-secret entry", () => {
    const signed = signNodeEntry(KEY_B, entry);
    expect(verifyNodeEntry(MASTER, entry)).toBeUndefined();
    expect(verifyNodeEntry(MASTER, { ...signed, url: "http://10.9.9.9:4500" })).toBeUndefined();
    expect(verifyNodeEntry(MASTER, { ...signed, consumers: 0 })).toBeUndefined();
    expect(verifyNodeEntry(MASTER, { ...signed, id: "rogue" })).toBeUndefined();
    expect(verifyNodeEntry(MASTER, { ...signed, instance: "f".repeat(32) })).toBeUndefined();
    // The certificate signaling processes pin is covered too: swapping it (or adding one) breaks the signature.
    expect(verifyNodeEntry(MASTER, { ...signed, certificate: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----" })).toBeUndefined();
    const withCertificate = signNodeEntry(KEY_B, { ...entry, url: "https://127.0.0.3:4500", certificate: "-----BEGIN CERTIFICATE-----\nMIIA\n-----END CERTIFICATE-----" });
    expect(verifyNodeEntry(MASTER, withCertificate)).toEqual(withCertificate);
    expect(verifyNodeEntry(MASTER, { ...withCertificate, certificate: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----" })).toBeUndefined();
    const now = Date.now();
    expect(verifyNodeEntry(MASTER, signNodeEntry(KEY_B, entry, now - 61_000), now)).toBeUndefined();
    expect(verifyNodeEntry(MASTER, signNodeEntry(deriveNodeKey("another-secret-of-enough-length-0123456789", "node-b"), entry))).toBeUndefined();
    expect(verifyNodeEntry(MASTER, "not an entry")).toBeUndefined();
  });
});

describe("an entry's load within bounds (third review, finding 4: no upper bound on consumers or workers)", () => {
  it("refuses an entry, even one signed by its node, claiming more workers than a node may run or an absurd consumer count", () => {
    // Seen failing before the bounds: both were accepted as signed.
    expect(verifyNodeEntry(MASTER, signNodeEntry(KEY_B, { ...entry, workers: MAX_NODE_WORKERS }))).toBeDefined();
    expect(verifyNodeEntry(MASTER, signNodeEntry(KEY_B, { ...entry, workers: MAX_NODE_WORKERS + 1 }))).toBeUndefined();
    expect(verifyNodeEntry(MASTER, signNodeEntry(KEY_B, { ...entry, consumers: MAX_NODE_CONSUMERS }))).toBeDefined();
    expect(verifyNodeEntry(MASTER, signNodeEntry(KEY_B, { ...entry, consumers: MAX_NODE_CONSUMERS + 1 }))).toBeUndefined();
    expect(verifyNodeEntry(MASTER, signNodeEntry(KEY_B, { ...entry, consumers: Number.MAX_SAFE_INTEGER }))).toBeUndefined();
    expect(checkNodeEntry(MASTER, signNodeEntry(KEY_B, { ...entry, workers: 1_000_000 }))).toEqual({ refused: "malformed" });
  });

  it("a node's own MEDIASOUP_WORKERS stops at the same bound", () => {
    const node = { MEDIA_NODE_KEY: KEY_B.toString("hex"), REDIS_URL: "redis://x:1" };
    expect(loadMediaNodeConfig({ ...node, MEDIASOUP_WORKERS: String(MAX_NODE_WORKERS) })).toMatchObject({ workers: MAX_NODE_WORKERS });
    expect(loadMediaNodeConfig({ ...node, MEDIASOUP_WORKERS: String(MAX_NODE_WORKERS + 1) })).toEqual({ problems: [expect.stringMatching(/^MEDIASOUP_WORKERS/)] });
  });
});

describe("one key per node (second review, finding 5: one shared secret let a compromised node speak for any other)", () => {
  it("what node-b holds signs no entry and no proof that counts for node-c", () => {
    // Seen failing when node-b held the shared secret itself: its entry for node-c was accepted.
    const heldByNodeB = KEY_B;
    const forged = signNodeEntry(heldByNodeB, { ...entry, id: "node-c" });
    expect(verifyNodeEntry(MASTER, forged)).toBeUndefined();
    expect(new ProofLedger(deriveNodeKey(MASTER, "node-c"), "node-c").accept(nodeAuth(heldByNodeB, "node-c"))).toBe(false);
    expect(deriveNodeKey(MASTER, "node-c").equals(KEY_B)).toBe(false);
  });

  it("derives the key HKDF-SHA256(master, info 'cau-noi media node <id>'), 32 bytes, the same on every signaling host", () => {
    expect(KEY_B).toHaveLength(32);
    expect(deriveNodeKey(MASTER, "node-b").equals(KEY_B)).toBe(true);
    // The derivation README › Scaling out states (RFC 5869, empty salt), pinned: the value below was computed
    // apart from this code (Python: PRK = HMAC-SHA256(32 zero bytes, master), OKM = HMAC-SHA256(PRK, info || 0x01)),
    // so a change of label, salt or length fails here instead of silently changing every node's key.
    expect(KEY_B.toString("hex")).toBe("6915e6d0d64c740b0c8ed7bfea23a7da40f49af133ac95d45cefd25a1e9213b1");
  });
});
