import { describe, expect, it } from "vitest";
import { ProofLedger, nodeAuth, signNodeEntry, verifyNodeEntry } from "../../signaling/mediaNodes/secret";

const SECRET = "a-test-media-node-secret-of-enough-length-0123";
const entry = { id: "node-b", url: "http://127.0.0.3:4500", consumers: 3, workers: 2 };

describe("media node proofs (review: a captured proof was reusable, and good for any node)", () => {
  it("accepts a fresh proof once, for the node it was made for", () => {
    const ledger = new ProofLedger(SECRET, "node-b");
    const proof = nodeAuth(SECRET, "node-b");
    expect(ledger.accept(proof)).toBe(true);
    expect(ledger.accept(proof)).toBe(false);
    expect(new ProofLedger(SECRET, "node-c").accept(nodeAuth(SECRET, "node-b"))).toBe(false);
  });

  it("refuses a wrong secret, a stale proof, a tampered nonce and malformed input", () => {
    const ledger = new ProofLedger(SECRET, "node-b");
    expect(ledger.accept(nodeAuth("another-secret-of-enough-length-0123456789", "node-b"))).toBe(false);
    const now = Date.now();
    expect(ledger.accept(nodeAuth(SECRET, "node-b", now - 61_000), now)).toBe(false);
    const proof = nodeAuth(SECRET, "node-b");
    expect(ledger.accept({ ...proof, nonce: "0".repeat(32) })).toBe(false);
    for (const junk of [undefined, null, "x", {}, { at: 1, nonce: "a", mac: "b" }, { ...proof, extra: 1 }]) expect(ledger.accept(junk)).toBe(false);
  });

  it("forgets spent proofs once they would be stale anyway", () => {
    const ledger = new ProofLedger(SECRET, "node-b");
    const start = Date.now();
    for (let i = 0; i < 50; i++) expect(ledger.accept(nodeAuth(SECRET, "node-b", start), start)).toBe(true);
    expect(ledger.size).toBe(50);
    ledger.accept(nodeAuth(SECRET, "node-b", start + 130_000), start + 130_000);
    expect(ledger.size).toBe(1);
  });
});

describe("media node registry entries (review: any entry in Redis was connected to and sent media)", () => {
  it("keeps a node's own signed entry", () => {
    const signed = signNodeEntry(SECRET, entry);
    expect(verifyNodeEntry(SECRET, signed)).toEqual(signed);
  });

  it("drops an unsigned, tampered, re-keyed, stale or foreign-secret entry", () => {
    const signed = signNodeEntry(SECRET, entry);
    expect(verifyNodeEntry(SECRET, entry)).toBeUndefined();
    expect(verifyNodeEntry(SECRET, { ...signed, url: "http://10.9.9.9:4500" })).toBeUndefined();
    expect(verifyNodeEntry(SECRET, { ...signed, consumers: 0 })).toBeUndefined();
    expect(verifyNodeEntry(SECRET, { ...signed, id: "rogue" })).toBeUndefined();
    // The certificate signaling processes pin is covered too: swapping it (or adding one) breaks the signature.
    expect(verifyNodeEntry(SECRET, { ...signed, certificate: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----" })).toBeUndefined();
    const withCertificate = signNodeEntry(SECRET, { ...entry, url: "https://127.0.0.3:4500", certificate: "-----BEGIN CERTIFICATE-----\nMIIA\n-----END CERTIFICATE-----" });
    expect(verifyNodeEntry(SECRET, withCertificate)).toEqual(withCertificate);
    expect(verifyNodeEntry(SECRET, { ...withCertificate, certificate: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----" })).toBeUndefined();
    const now = Date.now();
    expect(verifyNodeEntry(SECRET, signNodeEntry(SECRET, entry, now - 61_000), now)).toBeUndefined();
    expect(verifyNodeEntry(SECRET, signNodeEntry("another-secret-of-enough-length-0123456789", entry))).toBeUndefined();
    expect(verifyNodeEntry(SECRET, "not an entry")).toBeUndefined();
  });
});
