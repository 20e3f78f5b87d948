import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackup } from "../../signaling/backup/backup";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import { createDb } from "../../signaling/db/client";
import { ServerKey } from "../../signaling/keys/serverKey";
import type { TestMailResult, UnitCertificateDto } from "../../signaling/protocol";
import { createLocalCertificates } from "../../signaling/tls/localCa";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { buildUnit, tokenFor } from "../helpers/factories";
import { http } from "../helpers/http";
import { TestSmtpServer } from "../helpers/mail";
import { startTestServer, type TestServer } from "../helpers/server";

/**
 * Issue 14: the server had two keys sealing stored secrets — SIGNING_KEY (or keys/signing.key) for the
 * certificate passwords and SECRETS_KEY (or secrets.key) for the SMTP password — and now has one
 * (SERVER_KEY, or keys/server.key). An installation upgraded with values sealed under each old key keeps
 * them: the start-up seals them again under the server key. The sealed values below were made by the
 * earlier code itself (signing/serverKey.ts and auth/secretBox.ts at commit ad17f4b) with these keys.
 */
const LEGACY_SIGNING_KEY = "3q2+7wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhs=";
const LEGACY_SECRETS_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const CERTIFICATE = {
  unitId: "u-legacy",
  fingerprint: "ab".repeat(32),
  keyId: "4912965d6654592b",
  password: "mật khẩu chứng thư 2026",
  sealed: "v1:EoWyQviYM1EzVqtY:z11UJFHD5Os4xyqeYAf7OQ==:2TOzxfe+5y/opQnBVYoiVbm9QkUhPR+E3K2lLzf9",
};
const SMTP = { user: "cau-noi@tinh.gov.vn", password: "mật-khẩu-SMTP-cũ", sealed: "v1.K6_QjcIod25OZybl.anejwaGWbHHj1AHNylNzJw.UpDqr84dStV_rE7dDLd_3lBXd0cO" };

const tls = createLocalCertificates({ names: ["127.0.0.1", "localhost"], organization: "Thử nghiệm khóa" });
let dir: string;
let dataDir: string;
let database: TestDatabase;
let server: TestServer;
let smtp: TestSmtpServer;
let adminToken: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-server-key-"));
  dataDir = path.join(dir, "data");
  // The old SMTP key as the earlier version left it: DATA_DIR/secrets.key, mode 0600. The old signing key
  // comes from the environment (SIGNING_KEY), the other way an installation could hold it.
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, "secrets.key"), LEGACY_SECRETS_KEY, { mode: 0o600 });
  smtp = await TestSmtpServer.start({ tls: { key: tls.server.keyPem, cert: tls.server.certPem }, users: { [SMTP.user]: SMTP.password } });

  database = await createTestDatabase(dir);
  const db = createDb(database.url);
  const province = await buildUnit(db, { name: "Tỉnh Thử" });
  await db.unit.create({ data: { id: CERTIFICATE.unitId, code: "T-LEGACY", name: "UBND xã Cũ", kind: "commune", parentId: province.id, path: `${province.path}${CERTIFICATE.unitId}/` } });
  const admin = await tokenFor(db, DEMO_JWT_SECRET, { unit: province, roles: ["admin"] });
  adminToken = admin.token;
  const day = 86_400_000;
  await db.unitCertificate.create({
    data: {
      unitId: CERTIFICATE.unitId,
      p12: Buffer.from("the PKCS#12 file is not opened by this test"),
      passwordSealed: CERTIFICATE.sealed,
      keyId: CERTIFICATE.keyId,
      subject: "CN=UBND xã Cũ",
      commonName: "UBND xã Cũ",
      issuer: "CN=CA thử",
      serialNumber: "01",
      notBefore: new Date(Date.now() - day),
      notAfter: new Date(Date.now() + 365 * day),
      fingerprint: CERTIFICATE.fingerprint,
      uploadedById: admin.user.id,
    },
  });
  await db.mailSettings.create({
    data: { id: "default", enabled: false, host: "127.0.0.1", port: smtp.port, security: "starttls", username: SMTP.user, passwordSealed: SMTP.sealed, fromAddress: "giaoban@tinh.gov.vn", caCertPem: tls.ca.certPem },
  });
  await db.$disconnect();
  server = await startTestServer({ DATABASE_URL: database.url, DATA_DIR: dataDir, SIGNING_KEY: LEGACY_SIGNING_KEY });
});

afterAll(async () => {
  await server?.close();
  await smtp?.close();
  await database?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("one server key; values sealed under the two earlier keys still open (issue 14)", () => {
  it("the server key is its own 0600 file; the earlier key file is read, not rewritten; a backup holds neither", async () => {
    const keyFile = path.join(dataDir, "keys", "server.key");
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(dataDir, "secrets.key"), "utf8")).toBe(LEGACY_SECRETS_KEY);
    expect(fs.existsSync(path.join(dataDir, "keys", "signing.key"))).toBe(false);
    const backup = await createBackup({ databaseUrl: server.databaseUrl, dataDir, root: path.join(dir, "backups") });
    expect(backup.manifest.files.map((file) => file.path).filter((file) => file.startsWith("keys/") || file === "secrets.key")).toEqual([]);
  });

  it("a certificate password sealed under the old signing key is sealed again under the server key and marked with its id", async () => {
    const key = ServerKey.load({ keyFile: path.join(dataDir, "keys", "server.key") });
    expect(key.id).not.toBe(CERTIFICATE.keyId);
    const row = await server.db.unitCertificate.findUniqueOrThrow({ where: { unitId: CERTIFICATE.unitId } });
    expect(row.keyId).toBe(key.id);
    expect(row.passwordSealed).not.toBe(CERTIFICATE.sealed);
    expect(key.open(row.passwordSealed, `unit-certificate:${CERTIFICATE.unitId}:${CERTIFICATE.fingerprint}`)).toBe(CERTIFICATE.password);
    // What the admin page shows: usable, not "keyChanged" (which asks for a re-upload).
    const shown = await http<{ certificate: UnitCertificateDto }>(server.url, "GET", `/units/${CERTIFICATE.unitId}/certificate`, { token: adminToken });
    expect(shown.body.certificate.status).toBe("valid");
  });

  it("the SMTP password sealed under the old secrets key still logs in to the mail server", async () => {
    const row = await server.db.mailSettings.findUniqueOrThrow({ where: { id: "default" } });
    expect(row.passwordSealed).toMatch(/^v1:/); // the server key's one format
    expect(row.passwordSealed).not.toContain(SMTP.password);
    const sent = await http<TestMailResult>(server.url, "POST", "/mail/test", { token: adminToken, body: { to: "kiemtra@tinh.gov.vn" } });
    expect(sent.body).toMatchObject({ ok: true });
    const [message] = await smtp.waitFor(1);
    expect(message!.user).toBe(SMTP.user);
  });
});
