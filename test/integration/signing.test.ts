import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackup } from "../../signaling/backup/backup";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import type { UnitCertificateDto } from "../../signaling/protocol";
import { pdfText } from "../helpers/documents";
import { buildUnit, tokenFor } from "../helpers/factories";
import { http } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { createTestPki, pdfsig, type TestPki } from "../helpers/testPki";

/**
 * Digital signature of the PDFs the system issues (issue 19, item 3), against the real server: a test CA
 * made here issues the units' PKCS#12 certificates; an admin uploads one; the conclusion notice and the
 * periodic report come out signed, and poppler's pdfsig (trusting only the test CA) verifies them.
 */

const SUFFIX = Date.now().toString(36).slice(-6);
/** The certificate's password: a canary looked for in every response, the log and the audit table. */
const PASSWORD = `Mật-khẩu-${SUFFIX}-Kx9q`;
const COMMUNE_CN = "UBND xã Thử Ký";

let server: TestServer;
let pki: TestPki;
let logFile: string;
let commune: { id: string; path: string };
let province: { id: string; path: string };
const tokens = {} as Record<"admin" | "officer" | "leader" | "provinceLeader", string>;
let officerId: string;
let concludedEntryId: string;
/** Every response body the tests saw, for the password canary. */
const seen: string[] = [];

const b64 = (data: Buffer) => data.toString("base64");

async function api<T>(method: string, urlPath: string, options: { token: string; body?: unknown; lang?: string }) {
  const result = await http<T>(server.url, method, urlPath, options);
  seen.push(JSON.stringify(result.body ?? null));
  return result;
}

async function upload(unitId: string, p12: Buffer, password: string, lang = "en") {
  return api<{ certificate: UnitCertificateDto } & { error?: { code: string; message: string } }>("POST", `/units/${unitId}/certificate`, {
    token: tokens.admin,
    body: { p12Base64: b64(p12), password },
    lang,
  });
}

/** A GET of a generated document: status, the signature header and the bytes (or the JSON error). */
async function download(urlPath: string, token: string) {
  const response = await fetch(`${server.url}/api${urlPath}`, { headers: { authorization: `Bearer ${token}` } });
  const body = Buffer.from(await response.arrayBuffer());
  seen.push(body.toString("latin1"));
  return { status: response.status, signature: response.headers.get("x-document-signature"), body, error: response.headers.get("content-type")?.includes("json") ? (JSON.parse(body.toString("utf8")) as { error: { code: string } }) : null };
}

const noticePath = () => `/reception/book/${concludedEntryId}/conclusion`;

beforeAll(async () => {
  pki = createTestPki();
  logFile = path.join(pki.dir, "server.log");
  server = await startTestServer({ LOG_LEVEL: "trace" }, { logFile });
  province = await buildUnit(server.db, { name: "UBND tỉnh Thử Ký" });
  commune = await buildUnit(server.db, { parent: province, name: "UBND xã Thử Ký", kind: "commune" });
  tokens.admin = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: province, roles: ["admin"] })).token;
  tokens.provinceLeader = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: province, roles: ["leader"] })).token;
  tokens.leader = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: commune, roles: ["leader"] })).token;
  const officer = await tokenFor(server.db, DEMO_JWT_SECRET, { unit: commune, roles: ["officer"] });
  tokens.officer = officer.token;
  officerId = officer.user.id;
  const entry = await server.db.receptionBookEntry.create({
    data: {
      unitId: commune.id,
      receivedAt: new Date("2026-03-10T02:00:00Z"),
      kind: "regular",
      receivingOfficerUserId: officerId,
      receivingOfficerName: "Lê Văn Tiếp",
      leaderName: "Nguyễn Thị Chủ Trì",
      peopleCount: 1,
      content: "Công dân đề nghị sửa chữa đường liên thôn bị sạt lở.",
      handling: "huong_dan",
      createdById: officerId,
      conclusion: "Giao Phòng Kinh tế khảo sát, sửa chữa đường liên thôn trước mùa mưa.",
      conclusionIssuedAt: new Date("2026-03-11T02:00:00Z"),
      citizens: { create: [{ fullName: "Trần Thị Đơn", address: "Thôn Đông" }] },
    },
  });
  concludedEntryId = entry.id;
});

afterAll(async () => {
  await server?.close();
  pki?.close();
});

describe("a unit's signing certificate (admin)", () => {
  it("refuses a wrong password, a file that is not PKCS#12, an expired and a not-yet-valid certificate, each with its code; nothing is kept", async () => {
    const good = pki.p12({ commonName: COMMUNE_CN, password: PASSWORD });
    const wrong = await upload(commune.id, good, `${PASSWORD}-sai`);
    expect(wrong).toMatchObject({ status: 422, body: { error: { code: "CERTIFICATE_PASSWORD_WRONG" } } });
    const inVietnamese = await upload(commune.id, good, "sai mật khẩu", "vi");
    expect(inVietnamese.body.error?.message).toBe("Mật khẩu không mở được tệp chứng thư số.");

    const notP12 = await upload(commune.id, Buffer.from("%PDF-1.4\n%%EOF\n".repeat(4)), PASSWORD);
    expect(notP12).toMatchObject({ status: 422, body: { error: { code: "CERTIFICATE_INVALID" } } });

    const day = 86_400_000;
    const expired = pki.p12({ commonName: COMMUNE_CN, password: PASSWORD, notBefore: new Date(Date.now() - 400 * day), notAfter: new Date(Date.now() - day) });
    expect(await upload(commune.id, expired, PASSWORD)).toMatchObject({ status: 422, body: { error: { code: "CERTIFICATE_EXPIRED" } } });
    const early = pki.p12({ commonName: COMMUNE_CN, password: PASSWORD, notBefore: new Date(Date.now() + day), notAfter: new Date(Date.now() + 400 * day) });
    expect(await upload(commune.id, early, PASSWORD)).toMatchObject({ status: 422, body: { error: { code: "CERTIFICATE_NOT_YET_VALID" } } });

    const malformed = await api("POST", `/units/${commune.id}/certificate`, { token: tokens.admin, body: { p12Base64: "not base64 at all!", password: PASSWORD } });
    expect(malformed).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_FAILED" } } });

    expect((await api("GET", `/units/${commune.id}/certificate`, { token: tokens.admin })).body).toEqual({ certificate: null });
    expect(await server.db.unitCertificate.count()).toBe(0);
  });

  it("an admin over the unit uploads its certificate and sees subject, issuer and validity; the password is stored sealed and audited nowhere", async () => {
    const uploaded = await upload(commune.id, pki.p12({ commonName: COMMUNE_CN, password: PASSWORD, organization: "Ủy ban nhân dân xã Thử Ký" }), PASSWORD);
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(200);
    const certificate = uploaded.body.certificate;
    expect(certificate).toMatchObject({ unitId: commune.id, commonName: COMMUNE_CN, status: "valid" });
    expect(certificate.subject).toContain(`CN=${COMMUNE_CN}`);
    expect(certificate.subject).toContain("O=Ủy ban nhân dân xã Thử Ký");
    expect(certificate.issuer).toContain("CN=CA thử nghiệm Cầu Nối");
    expect(new Date(certificate.notAfter).getTime()).toBeGreaterThan(Date.now());
    expect(certificate.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(certificate).sort()).toEqual(["commonName", "fingerprint", "issuer", "notAfter", "notBefore", "serialNumber", "status", "subject", "unitId", "uploadedAt"]);
    expect((await api<{ certificate: UnitCertificateDto }>("GET", `/units/${commune.id}/certificate`, { token: tokens.admin })).body.certificate).toEqual(certificate);

    const row = await server.db.unitCertificate.findUniqueOrThrow({ where: { unitId: commune.id } });
    expect(row.passwordSealed).toMatch(/^v1:/);
    expect(row.passwordSealed).not.toContain(PASSWORD);
    const audit = await server.db.auditLog.findMany({ where: { action: "unit.certificate.upload", subjectId: commune.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).toContain(certificate.fingerprint);
  });

  it("the server key is a 0600 file under the data directory, and a backup leaves it out", async () => {
    const keyFile = path.join(server.dataDir, "keys", "server.key");
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const backup = await createBackup({ databaseUrl: `file:${server.databaseFile}`, dataDir: server.dataDir, root: path.join(pki.dir, "backups") });
    expect(backup.manifest.files.map((file) => file.path).filter((file) => file.startsWith("keys/"))).toEqual([]);
    expect(fs.existsSync(path.join(backup.dir, "files", "keys"))).toBe(false);
  });
});

describe("signed documents", () => {
  it("the reception conclusion notice is issued signed: pdfsig finds the signature valid, the certificate trusted, the unit as signer", async () => {
    const notice = await download(noticePath(), tokens.officer);
    expect(notice.status).toBe(200);
    expect(notice.signature).toBe("signed");
    const check = pdfsig(notice.body, pki.nssDir);
    expect(check.signatures, check.output).toBe(1);
    expect(check.validation, check.output).toBe("Signature is Valid.");
    expect(check.certificate, check.output).toBe("Certificate is Trusted.");
    expect(check.signer).toBe(COMMUNE_CN);
    expect(check.subFilter).toBe("ETSI.CAdES.detached");
    // Reason and location are written as UTF-16 text strings: the Vietnamese survives in the signature dictionary.
    const utf16 = (text: string) => Buffer.from(`\ufeff${text}`, "utf16le").swap16().toString("hex").toUpperCase();
    expect(notice.body.toString("latin1")).toContain(`/Reason <${utf16("Thông báo kết luận tiếp công dân")}>`);
    expect(notice.body.toString("latin1")).toContain(`/Location <${utf16("UBND xã Thử Ký")}>`);
    expect(await server.db.auditLog.count({ where: { action: "document.sign", subjectId: concludedEntryId } })).toBe(1);
  });

  it("pdftotext still reads the signed notice's Vietnamese text and its layout fields", async () => {
    const text = pdfText((await download(noticePath(), tokens.officer)).body);
    expect(text).toContain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    expect(text).toContain("Độc lập - Tự do - Hạnh phúc");
    expect(text).toContain("ngày 11 tháng 03 năm 2026");
    expect(text).toContain("THÔNG BÁO");
    expect(text).toContain("Trần Thị Đơn");
    expect(text).toContain("Giao Phòng Kinh tế khảo sát, sửa chữa đường liên thôn trước mùa mưa.");
  });

  it("a signed notice whose bytes were changed after signing fails verification", async () => {
    const signed = (await download(noticePath(), tokens.officer)).body;
    expect(pdfsig(signed, pki.nssDir).validation).toBe("Signature is Valid.");
    // A byte of the header's binary comment: the file still reads, only the signed digest no longer matches.
    const header = Buffer.from(signed);
    expect(header.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const comment = header.indexOf("\n%", 0, "latin1") + 2;
    header[comment] = header[comment]! ^ 0x01;
    const headerCheck = pdfsig(header, pki.nssDir);
    expect(headerCheck.signatures, headerCheck.output).toBe(1);
    expect(headerCheck.validation, headerCheck.output).toBe("Digest Mismatch.");
    // The document's title (an uncompressed UTF-16 string) "Thông báo…" changed to "thông báo…".
    const title = Buffer.from(signed);
    const at = title.indexOf(Buffer.from("\ufeffThông báo kết luận", "utf16le").swap16());
    expect(at).toBeGreaterThan(0);
    title[at + 3] = title[at + 3]! ^ 0x20;
    const titleCheck = pdfsig(title, pki.nssDir);
    expect(titleCheck.signatures, titleCheck.output).toBe(1);
    expect(titleCheck.validation, titleCheck.output).toBe("Digest Mismatch.");
  });

  it("the periodic report PDF is signed with the caller's unit's certificate; the spreadsheet is a working file and is not", async () => {
    const report = await download("/reports/cases?period=2026&format=pdf", tokens.leader);
    expect(report.status).toBe(200);
    expect(report.signature).toBe("signed");
    const check = pdfsig(report.body, pki.nssDir);
    expect(check.validation, check.output).toBe("Signature is Valid.");
    expect(check.signer).toBe(COMMUNE_CN);
    expect(pdfText(report.body)).toContain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    const sheet = await download("/reports/cases?period=2026&format=xlsx", tokens.leader);
    expect(sheet.status).toBe(200);
    expect(sheet.signature).toBeNull();
  });

  it("a briefing's conclusion notice is signed with the issuing (host) unit's certificate", async () => {
    const meeting = await server.db.meeting.create({
      data: { roomId: `giao-ban-ky-${SUFFIX}`, title: "Giao ban tháng 3", status: "ended", hostUnitId: commune.id, startedAt: new Date("2026-03-12T01:00:00Z") },
    });
    await server.db.meetingConclusion.create({ data: { meetingId: meeting.id, seq: 1, text: "Hoàn thành giải phóng mặt bằng trước ngày 30/3.", createdById: officerId } });
    const notice = await download(`/meetings/${meeting.id}/conclusion-notice`, tokens.leader);
    expect(notice.status, notice.error?.error.code).toBe(200);
    expect(notice.signature).toBe("signed");
    const check = pdfsig(notice.body, pki.nssDir);
    expect(check.validation, check.output).toBe("Signature is Valid.");
    expect(check.certificate, check.output).toBe("Certificate is Trusted.");
    expect(check.signer).toBe(COMMUNE_CN);
    const utf16 = (text: string) => Buffer.from(`\ufeff${text}`, "utf16le").swap16().toString("hex").toUpperCase();
    expect(notice.body.toString("latin1")).toContain(`/Reason <${utf16("Thông báo kết luận")}>`);
    expect(pdfText(notice.body)).toContain("Hoàn thành giải phóng mặt bằng");
    expect(await server.db.auditLog.count({ where: { action: "document.sign", subjectId: meeting.id } })).toBe(1);
    const draft = await download(`/meetings/${meeting.id}/conclusion-notice?signed=0`, tokens.leader);
    expect(draft.signature).toBe("draft");
    expect(pdfsig(draft.body, pki.nssDir).signatures).toBe(0);

    // The seal is the issuing unit's act: a reader who is not its leader (here its officer; also an invited
    // unit's staff or a secretary from elsewhere) gets the unsigned text, and cannot demand a signature.
    const officerCopy = await download(`/meetings/${meeting.id}/conclusion-notice`, tokens.officer);
    expect(officerCopy.status).toBe(200);
    expect(officerCopy.signature).toBe("draft");
    expect(pdfsig(officerCopy.body, pki.nssDir).signatures).toBe(0);
    expect((await download(`/meetings/${meeting.id}/conclusion-notice?signed=1`, tokens.officer)).status).toBe(403);
    expect(await server.db.auditLog.count({ where: { action: "document.sign", subjectId: meeting.id } })).toBe(1);
  });

  it("without a certificate a PDF goes out unsigned and says so; signed=1 then refuses; signed=0 is an unsigned draft", async () => {
    const unsigned = await download("/reports/cases?period=2026&format=pdf", tokens.provinceLeader);
    expect(unsigned.status).toBe(200);
    expect(unsigned.signature).toBe("noCertificate");
    expect(pdfsig(unsigned.body, pki.nssDir).signatures).toBe(0);
    const demanded = await download("/reports/cases?period=2026&format=pdf&signed=1", tokens.provinceLeader);
    expect(demanded.status).toBe(409);
    expect(demanded.error?.error.code).toBe("SIGNING_UNAVAILABLE");
    const draft = await download(`${noticePath()}?signed=0`, tokens.officer);
    expect(draft.signature).toBe("draft");
    expect(pdfsig(draft.body, pki.nssDir).signatures).toBe(0);
    expect((await download(`${noticePath()}?signed=1`, tokens.officer)).signature).toBe("signed");
  });

  it("a certificate that expired since its upload, or whose password was sealed under another server key, no longer signs", async () => {
    const row = await server.db.unitCertificate.findUniqueOrThrow({ where: { unitId: commune.id } });
    try {
      await server.db.unitCertificate.update({ where: { unitId: commune.id }, data: { notAfter: new Date(Date.now() - 60_000) } });
      const expired = await download(noticePath(), tokens.officer);
      expect(expired.signature).toBe("expired");
      expect(pdfsig(expired.body, pki.nssDir).signatures).toBe(0);
      expect((await api<{ certificate: UnitCertificateDto }>("GET", `/units/${commune.id}/certificate`, { token: tokens.admin })).body.certificate.status).toBe("expired");
      expect((await download(`${noticePath()}?signed=1`, tokens.officer)).error?.error.code).toBe("SIGNING_UNAVAILABLE");

      await server.db.unitCertificate.update({ where: { unitId: commune.id }, data: { notAfter: row.notAfter, keyId: "0000000000000000" } });
      expect((await download(noticePath(), tokens.officer)).signature).toBe("keyChanged");
      expect((await api<{ certificate: UnitCertificateDto }>("GET", `/units/${commune.id}/certificate`, { token: tokens.admin })).body.certificate.status).toBe("keyChanged");

      // The sealed password is bound to its unit and certificate: moved onto another certificate's row it does not open.
      await server.db.unitCertificate.update({ where: { unitId: commune.id }, data: { keyId: row.keyId, fingerprint: "f".repeat(64) } });
      expect((await download(noticePath(), tokens.officer)).signature).toBe("keyChanged");
    } finally {
      await server.db.unitCertificate.update({ where: { unitId: commune.id }, data: { notAfter: row.notAfter, keyId: row.keyId, fingerprint: row.fingerprint } });
    }
    expect((await download(noticePath(), tokens.officer)).signature).toBe("signed");
  });

  it("replacing and removing the certificate are audited; after removal the documents are unsigned", async () => {
    const replaced = await upload(commune.id, pki.p12({ commonName: "UBND xã Thử Ký (2027)", password: PASSWORD }), PASSWORD);
    expect(replaced.status).toBe(200);
    const notice = await download(noticePath(), tokens.officer);
    expect(pdfsig(notice.body, pki.nssDir).signer).toBe("UBND xã Thử Ký (2027)");
    expect(await server.db.auditLog.count({ where: { action: "unit.certificate.replace", subjectId: commune.id } })).toBe(1);

    expect((await api("DELETE", `/units/${commune.id}/certificate`, { token: tokens.admin })).status).toBe(200);
    expect(await server.db.auditLog.count({ where: { action: "unit.certificate.remove", subjectId: commune.id } })).toBe(1);
    expect((await download(noticePath(), tokens.officer)).signature).toBe("noCertificate");
    expect((await api("DELETE", `/units/${commune.id}/certificate`, { token: tokens.admin })).body).toMatchObject({ error: { code: "NOT_FOUND" } });
  });

  it("a self-signed certificate signs, but pdfsig does not trust it", async () => {
    expect((await upload(commune.id, pki.selfSignedP12({ commonName: "Tự ký", password: PASSWORD }), PASSWORD)).status).toBe(200);
    const check = pdfsig((await download(noticePath(), tokens.officer)).body, pki.nssDir);
    expect(check.validation, check.output).toBe("Signature is Valid.");
    expect(check.certificate, check.output).not.toBe("Certificate is Trusted.");
  });
});

describe("the certificate's password", () => {
  it("never appears in a response, the log or the audit table", async () => {
    const forms = [PASSWORD, encodeURIComponent(PASSWORD), JSON.stringify(PASSWORD).slice(1, -1), Buffer.from(PASSWORD, "utf8").toString("latin1")];
    expect(seen.length).toBeGreaterThan(20);
    for (const text of seen) for (const form of forms) expect(text.includes(form), `a response holds the password`).toBe(false);
    const log = fs.readFileSync(logFile, "utf8");
    // The log is real: the uploads and downloads above are in it.
    expect(log).toContain("/certificate");
    for (const form of forms) expect(log.includes(form), "the log holds the password").toBe(false);
    const audit = await server.db.auditLog.findMany();
    for (const row of audit) expect(`${row.detail ?? ""}`.includes(PASSWORD)).toBe(false);
    const rows = await server.db.unitCertificate.findMany();
    for (const row of rows) expect(row.passwordSealed.includes(PASSWORD)).toBe(false);
  });
});
