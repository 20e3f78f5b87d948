import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LegacyKeys } from "../../signaling/keys/legacyKeys";
import { ServerKey } from "../../signaling/keys/serverKey";

const dirs: string[] = [];
const tempKeyFile = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-key-"));
  dirs.push(dir);
  return path.join(dir, "keys", "server.key");
};
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("the server key sealing stored secrets", () => {
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

  it("without SERVER_KEY, makes a 0600 key file once and reads the same key afterwards", () => {
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

describe("the earlier versions' keys, read only to re-seal (keys/legacyKeys.ts)", () => {
  // Made by the earlier code (signing/serverKey.ts and auth/secretBox.ts at commit ad17f4b) with these keys.
  const signingKey = "3q2+7wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhs=";
  const secretsKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
  const certificateContext = `unit-certificate:u-legacy:${"ab".repeat(32)}`;
  const sealedCertificatePassword = "v1:EoWyQviYM1EzVqtY:z11UJFHD5Os4xyqeYAf7OQ==:2TOzxfe+5y/opQnBVYoiVbm9QkUhPR+E3K2lLzf9";
  const sealedSmtpPassword = "v1.K6_QjcIod25OZybl.anejwaGWbHHj1AHNylNzJw.UpDqr84dStV_rE7dDLd_3lBXd0cO";

  it("open what each old key sealed, from the environment or from the old key files; never create a file", () => {
    const dir = path.dirname(tempKeyFile());
    const fromEnv = LegacyKeys.load({ signing: { key: signingKey, keyFile: path.join(dir, "none") }, secrets: { key: secretsKey, keyFile: path.join(dir, "none") } });
    expect(fromEnv.open(sealedCertificatePassword, certificateContext)).toBe("mật khẩu chứng thư 2026");
    expect(fromEnv.open(sealedSmtpPassword, "any context: the old format had none")).toBe("mật-khẩu-SMTP-cũ");
    expect(fromEnv.open(sealedCertificatePassword, "unit-certificate:other")).toBeNull();

    fs.mkdirSync(path.join(dir, "keys"), { recursive: true });
    fs.writeFileSync(path.join(dir, "keys", "signing.key"), `${signingKey}\n`, { mode: 0o600 });
    fs.writeFileSync(path.join(dir, "secrets.key"), secretsKey, { mode: 0o600 });
    const fromFiles = LegacyKeys.load({ signing: { keyFile: path.join(dir, "keys", "signing.key") }, secrets: { keyFile: path.join(dir, "secrets.key") } });
    expect(fromFiles.names).toEqual(["signing key", "secrets key"]);
    expect(fromFiles.open(sealedCertificatePassword, certificateContext)).toBe("mật khẩu chứng thư 2026");
    expect(fromFiles.open(sealedSmtpPassword, "")).toBe("mật-khẩu-SMTP-cũ");

    const none = LegacyKeys.load({ signing: { keyFile: path.join(dir, "absent", "signing.key") }, secrets: { keyFile: path.join(dir, "absent", "secrets.key") } });
    expect(none.none).toBe(true);
    expect(none.open(sealedSmtpPassword, "")).toBeNull();
    expect(fs.existsSync(path.join(dir, "absent"))).toBe(false);
    // Another key opens neither.
    const other = LegacyKeys.load({ signing: { key: randomBytes(32).toString("base64"), keyFile: "/nonexistent" }, secrets: { key: randomBytes(32).toString("base64"), keyFile: "/nonexistent" } });
    expect(other.open(sealedCertificatePassword, certificateContext)).toBeNull();
    expect(other.open(sealedSmtpPassword, "")).toBeNull();
  });

  it("the server key of the same bytes as the old signing key keeps its id: certificate rows need no re-seal", () => {
    expect(ServerKey.load({ key: signingKey, keyFile: "/nonexistent" }).id).toBe("4912965d6654592b");
  });
});
