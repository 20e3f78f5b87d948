import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ServerKey } from "../../signaling/signing/serverKey";

const dirs: string[] = [];
const tempKeyFile = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-key-"));
  dirs.push(dir);
  return path.join(dir, "keys", "signing.key");
};
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("the server key sealing certificate passwords", () => {
  it("opens what it sealed, only with the same context, and never holds the plain text", () => {
    const key = ServerKey.load({ key: randomBytes(32).toString("base64"), keyFile: "/nonexistent" });
    const sealed = key.seal("mật khẩu bí mật", "unit-certificate:u1:abc");
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain("mật khẩu");
    expect(key.open(sealed, "unit-certificate:u1:abc")).toBe("mật khẩu bí mật");
    expect(key.open(sealed, "unit-certificate:u2:abc")).toBeNull();
    // Two seals of the same secret differ (fresh IV), and an altered one does not open.
    expect(key.seal("mật khẩu bí mật", "c")).not.toBe(key.seal("mật khẩu bí mật", "c"));
    const parts = sealed.split(":");
    parts[3] = Buffer.from("x".repeat(20)).toString("base64");
    expect(key.open(parts.join(":"), "unit-certificate:u1:abc")).toBeNull();
  });

  it("another key does not open it, and has another id", () => {
    const one = ServerKey.load({ key: randomBytes(32).toString("hex"), keyFile: "/nonexistent" });
    const other = ServerKey.load({ key: randomBytes(32).toString("base64"), keyFile: "/nonexistent" });
    expect(other.open(one.seal("secret", "c"), "c")).toBeNull();
    expect(one.id).not.toBe(other.id);
  });

  it("without SIGNING_KEY, makes a 0600 key file once and reads the same key afterwards", () => {
    const file = tempKeyFile();
    const first = ServerKey.load({ keyFile: file });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const again = ServerKey.load({ keyFile: file });
    expect(again.id).toBe(first.id);
    expect(again.open(first.seal("secret", "c"), "c")).toBe("secret");
  });

  it("refuses a key file others can read, and a key that is not 32 bytes", () => {
    const file = tempKeyFile();
    ServerKey.load({ keyFile: file });
    fs.chmodSync(file, 0o644);
    expect(() => ServerKey.load({ keyFile: file })).toThrow(/readable by others/);
    expect(() => ServerKey.load({ key: randomBytes(16).toString("base64"), keyFile: file })).toThrow(/32 bytes/);
  });
});
