import { randomBytes, scryptSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashPassword, passwordNeedsRehash, verifyPassword } from "../../signaling/auth/passwords";

/** A hash as the earlier code stored it (N = 2^15), made here without the module so the format is pinned. */
function legacyHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize("NFC"), salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return ["scrypt", 2 ** 15, 8, 1, salt.toString("base64url"), key.toString("base64url")].join("$");
}

// scrypt at N = 2^17 takes seconds on a busy machine: generous limits, no timing assertion.
describe("password hashes (issue 11 item 13)", { timeout: 120_000 }, () => {
  it("new hashes use scrypt N = 2^17, r = 8, p = 1, with the parameters in the hash", async () => {
    const stored = await hashPassword("mật khẩu đủ dài");
    expect(stored.split("$").slice(0, 4)).toEqual(["scrypt", "131072", "8", "1"]);
    expect(await verifyPassword("mật khẩu đủ dài", stored)).toBe(true);
    expect(await verifyPassword("mật khẩu sai", stored)).toBe(false);
    expect(passwordNeedsRehash(stored)).toBe(false);
  });

  it("still verifies a hash made with the older cost, and says it needs rehashing", async () => {
    const old = legacyHash("correct horse battery");
    expect(await verifyPassword("correct horse battery", old)).toBe(true);
    expect(await verifyPassword("wrong horse battery", old)).toBe(false);
    expect(passwordNeedsRehash(old)).toBe(true);
  });

  it("never matches a malformed hash or one whose parameters would exhaust memory", async () => {
    const [, , r, p, salt, key] = legacyHash("x".repeat(12)).split("$");
    for (const stored of ["", "scrypt$", "bcrypt$2b$10$abc", ["scrypt", 2 ** 24, r, p, salt, key].join("$"), ["scrypt", 1000, r, p, salt, key].join("$"), ["scrypt", 2 ** 15, 64, p, salt, key].join("$")]) {
      expect(await verifyPassword("x".repeat(12), stored)).toBe(false);
    }
  });
});
