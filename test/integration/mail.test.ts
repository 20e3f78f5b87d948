import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import { createLocalCertificates } from "../../signaling/tls/localCa";
import { enqueueMail } from "../../signaling/services/mail/MailQueue";
import { enqueueMailToUnits } from "../../signaling/services/mail/unitMail";
import { directiveAssignedMail } from "../../signaling/domain/mail/templates";
import type { MailMessageDto, MailSettingsDto, TestMailResult } from "../../signaling/protocol";
import { buildUnit, buildUser, tokenFor } from "../helpers/factories";
import { http } from "../helpers/http";
import { eventually, icsValue, leaves, parseIcs, parseMime, TestSmtpServer, unescapeIcsText } from "../helpers/mail";
import { startTestServer, type TestServer } from "../helpers/server";

/**
 * Mail through a real SMTP server in this process (`smtp-server`): settings, the queue and its worker,
 * invitations with their ICS read back, retries across an outage, the failed state, STARTTLS with a
 * self-signed certificate, and the SMTP password kept out of every answer and log.
 */

const SMTP_USER = "cau-noi@tinh.gov.vn";
const SMTP_PASSWORD = "Mật-khẩu-SMTP-canary-6620";

let server: TestServer;
let logFile: string;
let adminToken: string;
let districtAdminToken: string;
let leaderToken: string;
let commune: { id: string; path: string };
let otherCommune: { id: string; path: string };
let province: { id: string; path: string };
const smtpServers: TestSmtpServer[] = [];
/** Every API answer body seen, to look for the password in. */
const answers: string[] = [];
const certificates = createLocalCertificates({ names: ["127.0.0.1", "localhost"], organization: "Thử nghiệm thư" });

async function api<T>(method: string, route: string, token: string, body?: unknown) {
  const result = await http<T>(server.url, method, route, { token, ...(body !== undefined ? { body } : {}) });
  answers.push(JSON.stringify(result.body));
  return result;
}

async function startSmtp(options: Parameters<typeof TestSmtpServer.start>[0] = {}) {
  const smtp = await TestSmtpServer.start(options);
  smtpServers.push(smtp);
  return smtp;
}

function settingsFor(smtp: { port: number }, extra: Partial<Record<string, unknown>> = {}) {
  return {
    enabled: true,
    host: "127.0.0.1",
    port: smtp.port,
    security: "starttls",
    username: SMTP_USER,
    fromAddress: "giaoban@tinh.gov.vn",
    fromName: "Văn phòng UBND tỉnh",
    caCertPem: certificates.ca.certPem,
    ...extra,
  };
}

const mailRows = () => server.db.mailMessage.findMany({ orderBy: { createdAt: "asc" } });

beforeAll(async () => {
  logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-mail-log-")), "server.log");
  server = await startTestServer(
    { LOG_LEVEL: "trace", LOG_FORMAT: "json", MAIL_POLL_MS: "40", MAIL_RETRY_BASE_MS: "300", MAIL_RETRY_MAX_MS: "600", MAIL_MAX_ATTEMPTS: "3", MAIL_DEADLINE_CHECK_MINUTES: "0" },
    { logFile },
  );
  province = await buildUnit(server.db, { name: "Tỉnh Thử" });
  const district = await buildUnit(server.db, { parent: province, name: "Huyện Thử", kind: "district" });
  commune = await buildUnit(server.db, { parent: province, name: "Xã Đông" });
  otherCommune = await buildUnit(server.db, { parent: province, name: "Xã Tây" });
  adminToken = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: province, roles: ["admin"] })).token;
  districtAdminToken = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: district, roles: ["admin"] })).token;
  leaderToken = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: province, roles: ["leader"], displayName: "Chủ tịch tỉnh" })).token;
});

afterAll(async () => {
  await server?.close();
  for (const smtp of smtpServers) await smtp.close().catch(() => undefined);
  if (logFile) fs.rmSync(path.dirname(logFile), { recursive: true, force: true });
});

describe("mail settings", () => {
  it("are off by default; only the province's admins read or change them; the password goes in and never comes out", async () => {
    const initial = await api<MailSettingsDto>("GET", "/mail/settings", adminToken);
    expect(initial.status).toBe(200);
    expect(initial.body).toMatchObject({ enabled: false, passwordSet: false });
    expect((await api("GET", "/mail/settings", districtAdminToken)).status).toBe(403);
    expect((await api("GET", "/mail/settings", leaderToken)).status).toBe(403);

    const saved = await api<MailSettingsDto>("POST", "/mail/settings", adminToken, settingsFor({ port: 2525 }, { enabled: false, password: SMTP_PASSWORD }));
    expect(saved.status).toBe(200);
    expect(saved.body.passwordSet).toBe(true);
    expect(JSON.stringify(saved.body)).not.toContain(SMTP_PASSWORD);
    // Stored sealed: the row holds no trace of it.
    const row = await server.db.mailSettings.findUniqueOrThrow({ where: { id: "default" } });
    expect(row.passwordSealed).toMatch(/^v1:/);
    expect(JSON.stringify(row)).not.toContain(SMTP_PASSWORD);
    // Saving again without a password keeps it.
    const again = await api<MailSettingsDto>("POST", "/mail/settings", adminToken, settingsFor({ port: 2525 }, { enabled: false }));
    expect(again.body.passwordSet).toBe(true);
  });

  it("refuse a login without encryption, and turning on without a host", async () => {
    const plainLogin = await api<{ error: { code: string } }>("POST", "/mail/settings", adminToken, settingsFor({ port: 25 }, { security: "none", password: "x" }));
    expect(plainLogin.status).toBe(400);
    expect(plainLogin.body.error.code).toBe("VALIDATION_FAILED");
    const noHost = await api<{ error: { code: string } }>("POST", "/mail/settings", adminToken, settingsFor({ port: 25 }, { host: "" }));
    expect(noHost.status).toBe(400);
    const badPort = await api("POST", "/mail/settings", adminToken, settingsFor({ port: 70000 }));
    expect(badPort.status).toBe(400);
  });
});

describe("STARTTLS with a self-signed certificate", () => {
  it("the test message reports the server's answer; without the CA trusted it is refused, never sent in clear", async () => {
    const smtp = await startSmtp({ tls: { key: certificates.server.keyPem, cert: certificates.server.certPem }, users: { [SMTP_USER]: SMTP_PASSWORD } });
    await api("POST", "/mail/settings", adminToken, settingsFor(smtp, { enabled: false }));
    const sent = await api<TestMailResult>("POST", "/mail/test", adminToken, { to: "kiemtra@tinh.gov.vn" });
    expect(sent.status).toBe(200);
    expect(sent.body.ok).toBe(true);
    expect(sent.body.response).toMatch(/^250/);
    const [message] = await smtp.waitFor(1);
    expect(message!.secure).toBe(true); // upgraded with STARTTLS before the login and the message
    expect(message!.user).toBe(SMTP_USER); // logged in with the password opened from its seal
    expect(parseMime(message!.raw).headers.get("subject")).toBe("Thư thử nghiệm từ Cầu Nối — máy chủ thư hoạt động");

    // The same server, its CA no longer trusted: the certificate check fails and nothing is delivered.
    await api("POST", "/mail/settings", adminToken, settingsFor(smtp, { enabled: false, caCertPem: null }));
    const refused = await api<TestMailResult>("POST", "/mail/test", adminToken, { to: "kiemtra@tinh.gov.vn" });
    expect(refused.body.ok).toBe(false);
    expect(refused.body.error).toMatch(/certificate|self.signed|ESOCKET|ETLS/i);
    expect(smtp.messages).toHaveLength(1);

    // A server that offers no STARTTLS gets nothing in `starttls` mode (no silent plain-text fallback).
    const plain = await startSmtp();
    await api("POST", "/mail/settings", adminToken, settingsFor(plain, { enabled: false, username: null, clearPassword: true }));
    const noTls = await api<TestMailResult>("POST", "/mail/test", adminToken, { to: "kiemtra@tinh.gov.vn" });
    expect(noTls.body.ok).toBe(false);
    expect(plain.messages).toHaveLength(0);
    // Put the password back for the next tests.
    await api("POST", "/mail/settings", adminToken, settingsFor(smtp, { enabled: false, password: SMTP_PASSWORD }));
  });

  it("a test message with nothing configured is refused with MAIL_NOT_CONFIGURED", async () => {
    await server.db.mailSettings.update({ where: { id: "default" }, data: { host: "" } });
    const result = await api<{ error: { code: string } }>("POST", "/mail/test", adminToken, { to: "a@b.vn" });
    expect(result.status).toBe(409);
    expect(result.body.error.code).toBe("MAIL_NOT_CONFIGURED");
  });
});

describe("briefing invitations", () => {
  it("are queued with the meeting, sent, and read back: UTF-8 subject and body, ICS REQUEST → update → CANCEL with one UID and rising SEQUENCE", async () => {
    const smtp = await startSmtp({ tls: { key: certificates.server.keyPem, cert: certificates.server.certPem }, users: { [SMTP_USER]: SMTP_PASSWORD } });
    await api("POST", "/mail/settings", adminToken, settingsFor(smtp));
    await server.db.mailMessage.deleteMany();
    // Two accounts of the invited commune with addresses (one set through the users API), one without.
    const site = await buildUser(server.db, { unit: commune, roles: ["site"] });
    const edited = await api<{ email: string | null }>("PATCH", `/users/${site.id}`, adminToken, { email: "diemcau.xadong@tinh.gov.vn" });
    expect(edited.status).toBe(200);
    expect(edited.body.email).toBe("diemcau.xadong@tinh.gov.vn");
    expect((await api("PATCH", `/users/${site.id}`, adminToken, { email: "không phải địa chỉ" })).status).toBe(400);
    const chairman = await buildUser(server.db, { unit: commune, roles: ["leader"] });
    await server.db.user.update({ where: { id: chairman.id }, data: { email: "chutich.xadong@tinh.gov.vn", displayName: "Nguyễn Văn Đông" } });
    await buildUser(server.db, { unit: commune, roles: ["officer"] }); // no address: no mail
    const westOfficer = await buildUser(server.db, { unit: otherCommune, roles: ["officer"] });
    await server.db.user.update({ where: { id: westOfficer.id }, data: { email: "canbo.xatay@tinh.gov.vn" } });

    const title = "Giao ban trực tuyến tháng 12: tiếp công dân, giải quyết khiếu nại";
    const scheduled = await api<{ id: string }>("POST", "/meetings", leaderToken, {
      title,
      roomId: "giao-ban-thang-12",
      agenda: "Báo cáo kết quả; ý kiến các xã",
      start: "2030-01-03T08:00:00+07:00",
      end: "2030-01-03T10:30:00+07:00",
      unitIds: [commune.id, otherCommune.id],
    });
    expect(scheduled.status).toBe(201);
    // Queued in the meeting's transaction: one per address of the invited units.
    const queued = await mailRows();
    expect(queued.map((row) => row.toAddress).sort()).toEqual(["canbo.xatay@tinh.gov.vn", "chutich.xadong@tinh.gov.vn", "diemcau.xadong@tinh.gov.vn"]);

    const first = await smtp.waitFor(3);
    const toChairman = first.find((message) => message.to.includes("chutich.xadong@tinh.gov.vn"))!;
    expect(toChairman.secure).toBe(true);
    const mime = parseMime(toChairman.raw);
    expect(mime.headers.get("subject")).toBe(`Giấy mời họp: ${title} (08:00, Thứ Năm 03/01/2030 – 10:30)`);
    expect(mime.headers.get("from")).toContain("giaoban@tinh.gov.vn");
    const parts = leaves(mime);
    const text = parts.find((part) => part.contentType === "text/plain")!;
    expect(text.params.charset?.toLowerCase()).toBe("utf-8");
    expect(text.body).toContain("Kính gửi Nguyễn Văn Đông");
    expect(text.body).toContain("Trân trọng kính mời đồng chí dự cuộc họp giao ban trực tuyến");
    expect(text.body).toContain("/#/room?room=giao-ban-thang-12");
    const calendar = parts.find((part) => part.contentType === "text/calendar")!;
    expect(calendar.params.method).toBe("REQUEST");
    const ics = parseIcs(calendar.body);
    expect(icsValue(ics, "METHOD")?.value).toBe("REQUEST");
    const uid = icsValue(ics, "UID")!.value;
    expect(uid).toBe(`meeting-${scheduled.body.id}@127.0.0.1`);
    expect(icsValue(ics, "SEQUENCE")?.value).toBe("0");
    expect(icsValue(ics, "DTSTART")).toMatchObject({ params: { TZID: "Asia/Ho_Chi_Minh" }, value: "20300103T080000" });
    expect(icsValue(ics, "DTEND")?.value).toBe("20300103T103000");
    expect(unescapeIcsText(icsValue(ics, "SUMMARY")!.value)).toBe(title);
    expect(icsValue(ics, "ATTENDEE")?.value).toBe("mailto:chutich.xadong@tinh.gov.vn");
    // The same calendar also travels as a file.
    expect(parts.some((part) => part.contentType === "application/ics" && part.body === calendar.body)).toBe(true);
    await eventually(mailRows, (rows) => rows.every((row) => row.status === "sent"));
    expect((await mailRows()).every((row) => row.serverResponse?.startsWith("250"))).toBe(true);

    // Moved by an hour, and Xã Tây no longer invited: Xã Đông gets the update, Xã Tây the cancellation.
    const moved = await api("PATCH", `/meetings/${scheduled.body.id}`, leaderToken, { start: "2030-01-03T09:00:00+07:00", end: "2030-01-03T11:00:00+07:00", unitIds: [commune.id] });
    expect(moved.status).toBe(200);
    const second = (await smtp.waitFor(6)).slice(3);
    const update = parseMime(second.find((message) => message.to.includes("chutich.xadong@tinh.gov.vn"))!.raw);
    expect(update.headers.get("subject")?.startsWith("Thay đổi lịch họp:")).toBe(true);
    const updateIcs = parseIcs(leaves(update).find((part) => part.contentType === "text/calendar")!.body);
    expect(icsValue(updateIcs, "UID")?.value).toBe(uid);
    expect(icsValue(updateIcs, "SEQUENCE")?.value).toBe("1");
    expect(icsValue(updateIcs, "DTSTART")?.value).toBe("20300103T090000");
    const dropped = parseMime(second.find((message) => message.to.includes("canbo.xatay@tinh.gov.vn"))!.raw);
    const droppedIcs = parseIcs(leaves(dropped).find((part) => part.contentType === "text/calendar")!.body);
    expect(icsValue(droppedIcs, "METHOD")?.value).toBe("CANCEL");
    expect(icsValue(droppedIcs, "UID")?.value).toBe(uid);

    // Cancelled: every invited account gets METHOD:CANCEL, same UID, SEQUENCE 2; the room no longer opens.
    const cancelled = await api<{ status: string }>("POST", `/meetings/${scheduled.body.id}/cancel`, leaderToken);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe("cancelled");
    const third = (await smtp.waitFor(8)).slice(6);
    for (const message of third) {
      const part = leaves(parseMime(message.raw)).find((leaf) => leaf.contentType === "text/calendar")!;
      expect(part.params.method).toBe("CANCEL");
      const cancelIcs = parseIcs(part.body);
      expect(icsValue(cancelIcs, "UID")?.value).toBe(uid);
      expect(icsValue(cancelIcs, "SEQUENCE")?.value).toBe("2");
      expect(icsValue(cancelIcs, "STATUS")?.value).toBe("CANCELLED");
    }
    expect(third.flatMap((message) => message.to).sort()).toEqual(["chutich.xadong@tinh.gov.vn", "diemcau.xadong@tinh.gov.vn"]);
    // A cancelled meeting cannot be changed or cancelled again.
    expect((await api("POST", `/meetings/${scheduled.body.id}/cancel`, leaderToken)).status).toBe(409);
    expect((await api("PATCH", `/meetings/${scheduled.body.id}`, leaderToken, { title: "Đổi tên cuộc họp" })).status).toBe(409);
  });

  it("nothing is queued while mail is off", async () => {
    await server.db.mailSettings.update({ where: { id: "default" }, data: { enabled: false } });
    const before = await server.db.mailMessage.count();
    const scheduled = await api("POST", "/meetings", leaderToken, { title: "Giao ban khi tắt thư", roomId: "giao-ban-tat-thu", start: "2030-02-01T08:00:00+07:00", end: "2030-02-01T09:00:00+07:00", unitIds: [commune.id] });
    expect(scheduled.status).toBe(201);
    expect(await server.db.mailMessage.count()).toBe(before);
  });
});

describe("the queue across failures", () => {
  it("a message queued while the mail server is down is retried and arrives once it is up", async () => {
    // A free port with nothing listening on it yet.
    const probe = await TestSmtpServer.start();
    const port = probe.port;
    await probe.close();
    await api("POST", "/mail/settings", adminToken, settingsFor({ port }, { password: SMTP_PASSWORD }));
    await server.db.mailMessage.deleteMany();
    await enqueueMail(server.db, { kind: "other", to: { email: "vanthu@tinh.gov.vn", name: "Văn thư" }, content: { subject: "Thư khi máy chủ ngừng", text: "Nội dung có dấu: ắ ằ ẳ ẵ ặ" } });
    const waiting = await eventually(mailRows, (rows) => rows[0]!.attempts >= 1);
    expect(waiting[0]!.status).toBe("queued");
    expect(waiting[0]!.lastError).toMatch(/ECONNECTION|ECONNREFUSED/);
    expect(waiting[0]!.nextAttemptAt.getTime()).toBeGreaterThan(waiting[0]!.createdAt.getTime());

    const smtp = await startSmtp({ port, tls: { key: certificates.server.keyPem, cert: certificates.server.certPem }, users: { [SMTP_USER]: SMTP_PASSWORD } });
    const [arrived] = await smtp.waitFor(1);
    const text = leaves(parseMime(arrived!.raw)).find((part) => part.contentType === "text/plain")!;
    expect(text.body).toContain("Nội dung có dấu: ắ ằ ẳ ẵ ặ");
    const [row] = await eventually(mailRows, (rows) => rows[0]!.status === "sent");
    expect(row!.serverResponse).toMatch(/^250/);
    expect(row!.attempts).toBeGreaterThanOrEqual(2);
  });

  it("a server that keeps answering 4xx: retried with backoff, then failed after MAIL_MAX_ATTEMPTS; an admin queues it again", async () => {
    const smtp = await startSmtp({
      tls: { key: certificates.server.keyPem, cert: certificates.server.certPem },
      users: { [SMTP_USER]: SMTP_PASSWORD },
      refuseRecipient: (address) => (address.startsWith("tamthoi") ? { code: 451, message: "4.3.0 Try again later" } : address.startsWith("khongton") ? { code: 550, message: "5.1.1 No such user" } : null),
    });
    await api("POST", "/mail/settings", adminToken, settingsFor(smtp));
    await server.db.mailMessage.deleteMany();
    await enqueueMail(server.db, { kind: "other", to: { email: "tamthoi@tinh.gov.vn" }, content: { subject: "Tạm thời", text: "x" } });
    await enqueueMail(server.db, { kind: "other", to: { email: "khongton@tinh.gov.vn" }, content: { subject: "Không tồn tại", text: "x" } });
    const rows = await eventually(mailRows, (all) => all.every((row) => row.status === "failed"));
    const temporary = rows.find((row) => row.toAddress.startsWith("tamthoi"))!;
    const unknown = rows.find((row) => row.toAddress.startsWith("khongton"))!;
    expect(temporary.attempts).toBe(3); // MAIL_MAX_ATTEMPTS
    expect(temporary.lastError).toContain("451");
    expect(unknown.attempts).toBe(1); // a 5xx refusal of the address is final at once
    expect(unknown.lastError).toContain("550");

    const listed = await api<{ items: MailMessageDto[]; counts: { failed: number } }>("GET", "/mail/messages?status=failed", adminToken);
    expect(listed.status).toBe(200);
    expect(listed.body.counts.failed).toBe(2);
    expect(listed.body.items.map((item) => item.status)).toEqual(["failed", "failed"]);
    expect((await api("GET", "/mail/messages", districtAdminToken)).status).toBe(403);

    smtp.refuseRecipient = undefined; // the server is fixed
    const retried = await api<MailMessageDto>("POST", `/mail/messages/${temporary.id}/retry`, adminToken);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: "queued", attempts: 0 });
    await smtp.waitFor(1);
    await eventually(() => server.db.mailMessage.findUniqueOrThrow({ where: { id: temporary.id } }), (row) => row.status === "sent");
    // Only a failed message can be queued again.
    expect((await api("POST", `/mail/messages/${temporary.id}/retry`, adminToken)).status).toBe(409);
  });
});

describe("case deadline warnings and directive mail", () => {
  it("go to the case's handler for duties due within 3 working days or overdue, at most once per duty per day, naming no citizen", async () => {
    const smtp = await startSmtp({ tls: { key: certificates.server.keyPem, cert: certificates.server.certPem }, users: { [SMTP_USER]: SMTP_PASSWORD } });
    await api("POST", "/mail/settings", adminToken, settingsFor(smtp));
    await server.db.mailMessage.deleteMany();
    const handler = await buildUser(server.db, { unit: commune, roles: ["inspector"] });
    await server.db.user.update({ where: { id: handler.id }, data: { email: "thanhtra@tinh.gov.vn", displayName: "Lê Thị Thanh" } });
    const canary = "Hoàng Bí Mật Canary";
    let serial = 0;
    const makeCase = (duties: { id: string; ruleId: string; nature: string; due: string }[], assigneeId: string | null) =>
      server.db.case.create({
        data: {
          code: `MAIL-2026-${String(++serial).padStart(6, "0")}`,
          lookupSecretHash: "00",
          unitId: commune.id,
          assigneeId,
          channel: "post",
          kind: "complaint",
          state: "accepted",
          summary: `Đơn của ông ${canary}`,
          content: "Nội dung",
          receivedDate: "2026-11-02",
          dueDate: duties.filter((duty) => duty.nature === "act").map((duty) => duty.due).sort()[0] ?? null,
          openDuties: JSON.stringify(duties.map((duty) => ({ ...duty, start: "2026-11-02" }))),
        },
      });
    // Monday 7 Dec 2026, 10:00 in Vietnam: three working days ahead is Thursday 10 Dec.
    const now = new Date("2026-12-07T03:00:00Z");
    const soon = await makeCase([{ id: "complaint.resolveFirstRound@2", ruleId: "complaint.resolveFirstRound", nature: "act", due: "2026-12-09" }, { id: "complaint.fileSecondRound@3", ruleId: "complaint.fileSecondRound", nature: "citizen", due: "2026-12-08" }], handler.id);
    const late = await makeCase([{ id: "complaint.acceptFirstRound@1", ruleId: "complaint.acceptFirstRound", nature: "act", due: "2026-12-01" }], handler.id);
    await makeCase([{ id: "complaint.resolveFirstRound@2", ruleId: "complaint.resolveFirstRound", nature: "act", due: "2026-12-21" }], handler.id); // not yet
    await makeCase([{ id: "complaint.resolveFirstRound@2", ruleId: "complaint.resolveFirstRound", nature: "act", due: "2026-12-08" }], null); // nobody's: the bell's

    expect(await server.mail.deadlineWarnings.run(now)).toBe(2);
    expect(await server.mail.deadlineWarnings.run(new Date(now.getTime() + 3_600_000))).toBe(0); // same day: nothing new
    const received = await smtp.waitFor(2);
    const subjects = received.map((message) => parseMime(message.raw).headers.get("subject")).sort();
    expect(subjects).toEqual([`Quá hạn: hồ sơ ${late.code} — Thụ lý khiếu nại lần đầu (hạn 01/12/2026)`, `Sắp đến hạn: hồ sơ ${soon.code} — Giải quyết khiếu nại lần đầu (hạn 09/12/2026)`]);
    for (const message of received) {
      expect(message.to).toEqual(["thanhtra@tinh.gov.vn"]);
      expect(message.raw).not.toContain("Canary");
      expect(leaves(parseMime(message.raw)).map((part) => part.body).join("\n")).not.toContain(canary);
    }
    expect(leaves(parseMime(received.find((m) => parseMime(m.raw).headers.get("subject")!.includes(soon.code))!.raw))[0]!.body).toContain("còn 2 ngày làm việc");
    // The next day the duties still open are warned again, once.
    expect(await server.mail.deadlineWarnings.run(new Date(now.getTime() + 86_400_000))).toBe(2);
    // Delivered before the test ends: a warning still in flight would land on the next test's SMTP server.
    const again = (await smtp.waitFor(4)).slice(2);
    expect(again.map((message) => message.to)).toEqual([["thanhtra@tinh.gov.vn"], ["thanhtra@tinh.gov.vn"]]);
  });

  it("enqueueMailToUnits (the directives' seam) mails a unit's accounts once each, in the caller's transaction", async () => {
    await server.db.mailMessage.deleteMany();
    const queued = await server.db.$transaction((tx) =>
      enqueueMailToUnits(tx, {
        unitIds: [commune.id],
        kind: "directive",
        compose: (to) => directiveAssignedMail({ directive: "Rà soát các vụ việc tồn đọng", meetingTitle: "Giao ban", unitName: "Xã Đông", due: "2026-12-20", link: "http://x/#/", recipient: to }),
        dedupeKey: (userId) => `directive:test:${userId}`,
      }),
    );
    expect(queued).toBeGreaterThanOrEqual(2);
    const again = await enqueueMailToUnits(server.db, { unitIds: [commune.id], kind: "directive", compose: () => ({ subject: "x", text: "x" }), dedupeKey: (userId) => `directive:test:${userId}` });
    expect(again).toBe(0);
    const rows = await mailRows();
    expect(rows.every((row) => row.subject.startsWith("Nhiệm vụ được giao: Rà soát các vụ việc tồn đọng"))).toBe(true);
  });
});

describe("directive mail", () => {
  it("a directive assigned to a unit is mailed to its officers and leaders (not its site account), once; its D-3 reminder once per stage", async () => {
    // What the tests before queued is delivered first (to their own SMTP server): a message still queued
    // when the settings change would be sent to this test's server, on a loaded machine.
    await eventually(() => server.db.mailMessage.count({ where: { status: "queued" } }), (queued) => queued === 0);
    const smtp = await startSmtp({ tls: { key: certificates.server.keyPem, cert: certificates.server.certPem }, users: { [SMTP_USER]: SMTP_PASSWORD } });
    await api("POST", "/mail/settings", adminToken, settingsFor(smtp));
    await server.db.mailMessage.deleteMany();
    const south = await buildUnit(server.db, { parent: province, name: "Xã Nam", kind: "commune" });
    const officer = await buildUser(server.db, { unit: south, roles: ["officer"] });
    await server.db.user.update({ where: { id: officer.id }, data: { email: "canbo.xanam@tinh.gov.vn", displayName: "Phạm Văn Nam" } });
    const site = await buildUser(server.db, { unit: south, roles: ["site"] });
    await server.db.user.update({ where: { id: site.id }, data: { email: "diemcau.xanam@tinh.gov.vn" } });
    const chair = await buildUser(server.db, { unit: province, roles: ["leader"] });
    const roomId = `giao-ban-thu-${Date.now()}`;
    const meeting = await server.db.meeting.create({ data: { roomId, title: "Giao ban tuần 49", status: "ended", hostUnitId: province.id } });
    // Due in 3 days from Vietnam's today: the D-3 reminder is due now.
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const due = new Date(Date.parse(`${today}T00:00:00Z`) + 3 * 86_400_000).toISOString().slice(0, 10);
    // Issued as the chair does in the room (the socket handler calls this service method).
    const chairActor = { id: chair.id, roles: ["leader" as const], unitId: province.id, unitPath: province.path };
    const issued = await server.directives.minutes.addDirective(roomId, { actor: chairActor, chairsHere: true }, {
      text: "Rà soát hồ sơ đất đai tồn đọng",
      unitIds: [south.id],
      allCommunes: false,
      due: { kind: "date", date: due },
      expectedReport: "Báo cáo kết quả rà soát",
    });
    // Queued in the directive's own transaction: committed when the directive is, nothing left to an
    // after-commit listener that a crash would skip (issue 14 item 5).
    const queued = await server.db.mailMessage.findMany({ where: { kind: "directive" } });
    expect(queued.map((row) => row.toAddress)).toEqual(["canbo.xanam@tinh.gov.vn"]);
    const task = await server.db.directiveTask.findFirstOrThrow({ where: { directiveId: issued.directive.id } });
    const assigned = { type: "directiveAssigned" as const, taskId: task.id, directiveId: issued.directive.id, meetingId: meeting.id, unitId: south.id, dueDate: due, text: "Rà soát hồ sơ đất đai tồn đọng", expectedReport: "Báo cáo kết quả rà soát" };
    const [first] = await smtp.waitFor(1);
    expect(first!.to).toEqual(["canbo.xanam@tinh.gov.vn"]);
    const mime = parseMime(first!.raw);
    expect(mime.headers.get("subject")).toBe(`Nhiệm vụ được giao: Rà soát hồ sơ đất đai tồn đọng (hạn ${due.slice(8, 10)}/${due.slice(5, 7)}/${due.slice(0, 4)})`);
    expect(leaves(mime).map((part) => part.body).join("\n")).toContain("Giao ban tuần 49");
    // A repeated assignment adds nothing; one queued in a transaction that rolls back leaves no mail.
    expect(await server.mail.directiveMail.queueAssignment(server.db, assigned)).toBe(0);
    const other = { ...assigned, taskId: `${task.id}-rolled-back` };
    await expect(
      server.db.$transaction(async (tx) => {
        expect(await server.mail.directiveMail.queueAssignment(tx, other)).toBe(1);
        throw new Error("the directive's transaction fails after the mail was queued");
      }),
    ).rejects.toThrow(/fails after/);
    expect(await server.db.mailMessage.count({ where: { dedupeKey: { startsWith: `directive:${other.taskId}:` } } })).toBe(0);

    const reminders = (await server.directives.tasks.dueReminders()).filter((reminder) => reminder.taskId === task.id);
    expect(reminders.map((reminder) => reminder.kind)).toEqual(["d3"]);
    expect(await server.mail.directiveMail.remind(reminders)).toBe(1);
    expect(await server.mail.directiveMail.remind(reminders)).toBe(0);
    const received = await smtp.waitFor(2);
    expect(parseMime(received[1]!.raw).headers.get("subject")).toMatch(/^Nhắc hạn: Rà soát hồ sơ đất đai tồn đọng/);
    expect(received.flatMap((message) => message.to)).not.toContain("diemcau.xanam@tinh.gov.vn");
  });
});

describe("the SMTP password", () => {
  it("appears in no API answer, no log line and no audit row, even after a refused login", async () => {
    const smtp = await startSmtp({ tls: { key: certificates.server.keyPem, cert: certificates.server.certPem }, users: { [SMTP_USER]: "another password" } });
    await api("POST", "/mail/settings", adminToken, settingsFor(smtp, { password: SMTP_PASSWORD }));
    const refused = await api<TestMailResult>("POST", "/mail/test", adminToken, { to: "a@tinh.gov.vn" });
    expect(refused.body.ok).toBe(false);
    expect(refused.body.error).toMatch(/EAUTH|535/);
    await server.db.mailMessage.deleteMany();
    await enqueueMail(server.db, { kind: "other", to: { email: "b@tinh.gov.vn" }, content: { subject: "s", text: "t" } });
    await eventually(mailRows, (rows) => rows[0]!.attempts >= 1);
    for (const answer of answers) expect(answer).not.toContain(SMTP_PASSWORD);
    const audit = JSON.stringify(await server.db.auditLog.findMany({ where: { action: { startsWith: "mail." } } }));
    expect(audit).toContain("mail.settings");
    expect(audit).not.toContain(SMTP_PASSWORD);
    expect(JSON.stringify(await server.db.mailMessage.findMany())).not.toContain(SMTP_PASSWORD);
    const log = fs.readFileSync(logFile, "utf8");
    expect(log).toContain("mail not sent; will retry"); // the worker did log the failure…
    expect(log).not.toContain(SMTP_PASSWORD); // …without the password
    expect(log).not.toContain(Buffer.from(`\u0000${SMTP_USER}\u0000${SMTP_PASSWORD}`).toString("base64")); // nor the AUTH PLAIN line
  });
});
