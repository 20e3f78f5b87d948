import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeFileByContent } from "../../signaling/services/attachments/attachments";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import { type ClientRequestName, clientRequestNames, type Role, roles, type RtpCapabilities } from "../../signaling/protocol";
import { type TestSocket, connect, ok, rawRequest } from "../helpers/client";
import { buildUnit, buildUser, tokenFor } from "../helpers/factories";
import { http } from "../helpers/http";
import { audioProducerParameters } from "../helpers/media";
import { startTestServer, type TestServer } from "../helpers/server";
import { createTestPki, type TestPki } from "../helpers/testPki";

/**
 * Every REST route and socket event × every role × the target's place in the tree relative to the
 * caller's unit. The lists of routes and events come from the server's own registries, so adding one
 * without an entry here fails the first test below.
 */

type Relation = "own" | "child" | "other";
const relations: Relation[] = ["own", "child", "other"];
const inScope = (relation: Relation) => relation !== "other";

interface Unit {
  id: string;
  path: string;
}

interface Fixture {
  units: Record<Relation, Unit>;
  /** An ordinary account in each target unit. */
  targets: Record<Relation, { id: string }>;
  /** A petition held by each target unit, with one attachment. */
  cases: Record<Relation, { id: string; attachmentId: string }>;
  tokens: Record<Role, string>;
  /** An officer of the root unit, who can file petitions anywhere in the tree. */
  rootOfficer: string;
}

let server: TestServer;
let fx: Fixture;
const liveSockets: TestSocket[] = [];
let serial = 0;
const unique = () => `${Date.now().toString(36)}${++serial}`;

type Scenario = {
  /** Whether the role may do this to a target in that relation. */
  allowed: (role: Role, relation: Relation) => boolean;
  /** Performs the call as `role` on the target; returns the HTTP status (and body for extra checks). */
  call: (role: Role, relation: Relation) => Promise<{ status: number; body: unknown }>;
};

const as = (role: Role) => fx.tokens[role];

/** A unit's signing certificate (made once, uploaded by every allowed caller). */
let pki: TestPki;
let unitP12: Buffer | undefined;
const CERTIFICATE_PASSWORD = "matrix certificate password";
const certificateUpload = () => ({ p12Base64: (unitP12 ??= pki.p12({ commonName: "UBND đơn vị thử", password: CERTIFICATE_PASSWORD })).toString("base64"), password: CERTIFICATE_PASSWORD });
/** A stored certificate row to remove (removal does not open the file). */
async function storedCertificate(unitId: string) {
  const data = { p12: Buffer.from("not opened"), passwordSealed: "v1:x:y:z", keyId: "matrix", subject: "CN=Thử", commonName: "Thử", issuer: "CN=Thử", serialNumber: "01", notBefore: new Date(), notAfter: new Date(), fingerprint: "0".repeat(64), uploadedById: "matrix" };
  await server.db.unitCertificate.upsert({ where: { unitId }, create: { unitId, ...data }, update: data });
}
const caseHandlers: Role[] = ["officer", "inspector", "leader"];

async function fileCase(unit: Unit): Promise<{ id: string }> {
  const result = await http<{ case: { id: string } }>(server.url, "POST", "/cases", {
    token: fx.rootOfficer,
    body: { unitId: unit.id, channel: "post", receivedDate: "2026-03-02", summary: "Đơn kiểm tra quyền", content: "Nội dung đơn kiểm tra quyền.", parties: [{ role: "petitioner", name: "Công dân A" }] },
  });
  if (result.status !== 201) throw new Error(`could not file a case: ${JSON.stringify(result.body)}`);
  return result.body.case;
}

const PDF = new TextEncoder().encode("%PDF-1.4\n%%EOF\n");

async function uploadAs(token: string, caseId: string) {
  const response = await fetch(`${server.url}/api/cases/${caseId}/attachments?name=thu.pdf`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: PDF });
  return { status: response.status, body: (await response.json()) as { id: string } };
}

/** Reception rows held by each target unit, made in the database: a schedule with a slot, a booking with a file, a session, book entries. */
interface ReceptionFixture {
  scheduleId: string;
  slotId: string;
  bookingId: string;
  fileId: string;
  sessionId: string;
  entryId: string;
  concludedEntryId: string;
}
/**
 * A briefing hosted by (and inviting) each target unit. Its record is for staff of that unit's subtree and
 * the leaders and admins over it (test/integration/meeting-scope.test.ts covers invited units and receptions).
 */
const briefingRecords = new Map<Relation, Promise<{ id: string }>>();
function briefingRecord(relation: Relation): Promise<{ id: string }> {
  const existing = briefingRecords.get(relation);
  if (existing) return existing;
  const unitId = fx.units[relation].id;
  const made = server.db.meeting.create({ data: { roomId: `matrix-record-${relation}`, title: "Họp thử", hostUnitId: unitId, sites: { create: [{ unitId }] } } });
  briefingRecords.set(relation, made);
  return made;
}
/** A fresh briefing not yet started, hosted by (and inviting) the target unit: one per call, as a call may cancel it. */
async function scheduledBriefing(relation: Relation): Promise<{ id: string }> {
  const unitId = fx.units[relation].id;
  return server.db.meeting.create({
    data: { roomId: `matrix-scheduled-${unique()}`.toLowerCase(), title: "Giao ban sắp tới", hostUnitId: unitId, scheduledStart: new Date("2030-05-01T01:00:00Z"), scheduledEnd: new Date("2030-05-01T02:00:00Z"), sites: { create: [{ unitId }] } },
  });
}
const meetingRecordReader = (role: Role, relation: Relation) =>
  ["leader", "officer", "inspector", "admin"].includes(role) && (relation === "own" || (relation === "child" && (role === "leader" || role === "admin")));

/** A directive of each target unit's briefing, addressed to that unit: its task, with one file. */
const directiveFixtures = new Map<Relation, Promise<{ taskId: string; fileId: string }>>();
function directiveTask(relation: Relation): Promise<{ taskId: string; fileId: string }> {
  const existing = directiveFixtures.get(relation);
  if (existing) return existing;
  const made = (async () => {
    const meeting = await briefingRecord(relation);
    const unitId = fx.units[relation].id;
    const directive = await server.db.directive.create({
      data: {
        meetingId: meeting.id,
        seq: 1,
        text: "Chỉ đạo kiểm tra quyền",
        expectedReport: "Báo cáo kết quả",
        issuerUnitId: unitId,
        addressedTo: JSON.stringify({ allCommunes: false, unitIds: [unitId] }),
        dueKind: "working",
        dueDays: 5,
        issuedOn: "2026-03-02",
        dueDate: "2026-03-09",
        createdById: fx.targets[relation].id,
        tasks: { create: [{ unitId, dueDate: "2026-03-09" }] },
      },
      include: { tasks: true },
    });
    const taskId = directive.tasks[0]!.id;
    const stored = storeFileByContent(server.dataDir, Buffer.from(PDF));
    const file = await server.db.directiveAttachment.create({ data: { taskId, sha256: stored.sha256, size: PDF.length, mimeType: stored.kind.mimeType, originalName: "bao-cao.pdf", uploadedById: fx.targets[relation].id } });
    return { taskId, fileId: file.id };
  })();
  directiveFixtures.set(relation, made);
  return made;
}
const followsUp = (role: Role) => ["leader", "officer", "inspector", "admin"].includes(role);
/** Reports on a task are its own unit's officers' and leaders' (a unit above follows up, it does not report). */
const reportsOnTask = (role: Role, relation: Relation) => (role === "leader" || role === "officer") && relation === "own";

const receptionFixtures = new Map<Relation, Promise<ReceptionFixture>>();
const receptionStaff: Role[] = ["officer", "leader"];
const receptionStaffIn = (role: Role, relation: Relation) => receptionStaff.includes(role) && inScope(relation);

async function receptionBooking(relation: Relation, slotId: string) {
  return server.db.booking.create({
    data: {
      code: `TD-MATRIX-${unique()}`.toUpperCase(),
      slotId,
      unitId: fx.units[relation].id,
      fullName: "Công dân đặt lịch",
      cccd: "001087012345",
      phone: "0912345678",
      address: "Thôn Đông",
      petitionKind: "complaint",
      content: "Nội dung đặt lịch tiếp công dân.",
      cancelSecretHash: "00".repeat(32),
    },
  });
}

async function receptionSession(relation: Relation, bookingId: string | null = null) {
  return server.db.receptionSession.create({
    data: { unitId: fx.units[relation].id, roomId: `tiep-dan-matrix-${unique()}`, shape: bookingId ? "direct" : "office", kind: "regular", hostUserId: fx.targets[relation].id, bookingId },
  });
}

async function receptionEntry(relation: Relation, extra: { conclusion?: string } = {}) {
  return server.db.receptionBookEntry.create({
    data: {
      unitId: fx.units[relation].id,
      receivedAt: new Date("2026-03-10T02:00:00Z"),
      kind: "regular",
      receivingOfficerUserId: fx.targets[relation].id,
      receivingOfficerName: "Cán bộ tiếp dân",
      peopleCount: 1,
      content: "Công dân trình bày nội dung.",
      handling: "huong_dan",
      createdById: fx.targets[relation].id,
      ...(extra.conclusion ? { conclusion: extra.conclusion, conclusionIssuedAt: new Date("2026-03-11T02:00:00Z") } : {}),
      citizens: { create: [{ fullName: "Công dân được tiếp", address: "Thôn Tây" }] },
    },
  });
}

function receptionFixture(relation: Relation): Promise<ReceptionFixture> {
  const existing = receptionFixtures.get(relation);
  if (existing) return existing;
  const made = (async () => {
    const unitId = fx.units[relation].id;
    const schedule = await server.db.receptionSchedule.create({
      data: { unitId, title: "Tiếp công dân thường xuyên", kind: "regular", rule: "daily", startTime: "08:00", endTime: "11:00", slotMinutes: 30, capacityPerSlot: 5 },
    });
    const slot = await server.db.receptionSlot.create({
      data: { scheduleId: schedule.id, unitId, startsAt: new Date("2030-03-04T01:00:00Z"), endsAt: new Date("2030-03-04T01:30:00Z"), capacity: 5, mode: "online" },
    });
    const booking = await receptionBooking(relation, slot.id);
    const stored = storeFileByContent(server.dataDir, Buffer.from(PDF));
    const file = await server.db.bookingAttachment.create({ data: { bookingId: booking.id, sha256: stored.sha256, size: PDF.length, mimeType: stored.kind.mimeType, originalName: "don.pdf" } });
    const session = await receptionSession(relation);
    const entry = await receptionEntry(relation);
    const concluded = await receptionEntry(relation, { conclusion: "Kết luận của lãnh đạo về việc tiếp công dân." });
    return { scheduleId: schedule.id, slotId: slot.id, bookingId: booking.id, fileId: file.id, sessionId: session.id, entryId: entry.id, concludedEntryId: concluded.id };
  })();
  receptionFixtures.set(relation, made);
  return made;
}

/** A GET that answers with a file when allowed and a JSON error otherwise. */
async function fetchFile(role: Role, path: string) {
  const response = await fetch(`${server.url}/api${path}`, { headers: { authorization: `Bearer ${as(role)}` } });
  return { status: response.status, body: response.headers.get("content-type")?.includes("json") ? await response.json() : null };
}

const restScenarios: Record<string, Scenario | "public"> = {
  "auth.login": "public",
  "auth.refresh": "public",
  "auth.logout": "public",
  "auth.me": { allowed: () => true, call: (role) => http(server.url, "GET", "/auth/me", { token: as(role) }) },
  "auth.changePassword": {
    // Everyone may change their own password; a wrong current password is refused for everyone alike.
    allowed: () => true,
    call: async (role) => {
      const result = await http(server.url, "POST", "/auth/password", { token: as(role), body: { currentPassword: "wrong-password", newPassword: "another long passphrase" } });
      return { status: result.status === 401 ? 200 : result.status, body: result.body };
    },
  },
  "units.list": { allowed: () => true, call: (role) => http(server.url, "GET", "/units", { token: as(role) }) },
  "units.create": {
    allowed: (role, relation) => role === "admin" && inScope(relation),
    call: (role, relation) =>
      http(server.url, "POST", "/units", { token: as(role), body: { parentId: fx.units[relation].id, code: `M-${unique()}`.toUpperCase(), name: "Đơn vị mới", kind: "commune" } }),
  },
  "units.update": {
    allowed: (role, relation) => role === "admin" && inScope(relation),
    call: (role, relation) => http(server.url, "PATCH", `/units/${fx.units[relation].id}`, { token: as(role), body: { name: `Đổi tên ${unique()}` } }),
  },
  // A unit's signing certificate: admins over the unit only (its password never leaves the server).
  "certificates.read": {
    allowed: (role, relation) => role === "admin" && inScope(relation),
    call: (role, relation) => http(server.url, "GET", `/units/${fx.units[relation].id}/certificate`, { token: as(role) }),
  },
  "certificates.upload": {
    allowed: (role, relation) => role === "admin" && inScope(relation),
    call: (role, relation) => http(server.url, "POST", `/units/${fx.units[relation].id}/certificate`, { token: as(role), body: certificateUpload() }),
  },
  "certificates.remove": {
    allowed: (role, relation) => role === "admin" && inScope(relation),
    call: async (role, relation) => {
      await storedCertificate(fx.units[relation].id);
      return http(server.url, "DELETE", `/units/${fx.units[relation].id}/certificate`, { token: as(role) });
    },
  },
  "users.list": {
    allowed: (role) => role === "admin" || role === "leader",
    call: (role, relation) => http(server.url, "GET", `/users?unitId=${fx.units[relation].id}`, { token: as(role) }),
  },
  "users.read": {
    allowed: (role, relation) => (role === "admin" || role === "leader") && inScope(relation),
    call: (role, relation) => http(server.url, "GET", `/users/${fx.targets[relation].id}`, { token: as(role) }),
  },
  "users.create": {
    allowed: (role, relation) => role === "admin" && inScope(relation),
    call: (role, relation) =>
      http(server.url, "POST", "/users", {
        token: as(role),
        body: { username: `u-${unique()}`, displayName: "Tài khoản mới", unitId: fx.units[relation].id, roles: ["site"], password: "a long enough password" },
      }),
  },
  "users.update": {
    allowed: (role, relation) => role === "admin" && inScope(relation),
    call: (role, relation) => http(server.url, "PATCH", `/users/${fx.targets[relation].id}`, { token: as(role), body: { displayName: `Tên ${unique()}` } }),
  },
  "cases.list": {
    allowed: (role) => caseHandlers.includes(role),
    call: (role, relation) => http(server.url, "GET", `/cases?unitId=${fx.units[relation].id}`, { token: as(role) }),
  },
  "cases.export": {
    allowed: (role) => caseHandlers.includes(role),
    call: (role, relation) => fetchFile(role, `/cases/export.xlsx?unitId=${fx.units[relation].id}`),
  },
  "cases.create": {
    allowed: (role, relation) => caseHandlers.includes(role) && inScope(relation),
    call: (role, relation) =>
      http(server.url, "POST", "/cases", {
        token: as(role),
        body: { unitId: fx.units[relation].id, channel: "inPerson", receivedDate: "2026-03-02", summary: "Đơn mới", content: "Nội dung đơn mới đủ dài.", parties: [{ role: "petitioner", name: "Công dân B" }] },
      }),
  },
  "cases.read": {
    allowed: (role, relation) => caseHandlers.includes(role) && inScope(relation),
    call: (role, relation) => http(server.url, "GET", `/cases/${fx.cases[relation].id}`, { token: as(role) }),
  },
  "cases.act": {
    // Classification is open to every case-handling role in scope; a fresh case each time.
    allowed: (role, relation) => caseHandlers.includes(role) && inScope(relation),
    call: async (role, relation) => {
      const item = await fileCase(fx.units[relation]);
      return http(server.url, "POST", `/cases/${item.id}/actions/classify`, { token: as(role), body: { kind: "feedback", eligible: true, withinCompetence: true } });
    },
  },
  "cases.assign": {
    allowed: (role, relation) => role === "leader" && inScope(relation),
    call: (role, relation) => http(server.url, "POST", `/cases/${fx.cases[relation].id}/assign`, { token: as(role), body: { assigneeId: fx.targets.own.id } }),
  },
  "cases.verify": {
    allowed: (role, relation) => (role === "leader" || role === "admin") && inScope(relation),
    call: (role, relation) => http(server.url, "GET", `/cases/${fx.cases[relation].id}/verify`, { token: as(role) }),
  },
  "holidays.list": { allowed: () => true, call: (role) => http(server.url, "GET", "/holidays?year=2026", { token: as(role) }) },
  // The calendar is national: only admins of the top unit edit it, and every actor here sits one level below.
  "holidays.create": {
    allowed: () => false,
    call: (role) => http(server.url, "POST", "/holidays", { token: as(role), body: { date: `2030-01-${String(10 + roles.indexOf(role)).padStart(2, "0")}`, name: "Ngày nghỉ thử" } }),
  },
  "holidays.delete": {
    allowed: () => false,
    call: async (role) => {
      const holiday = await server.db.holiday.create({ data: { date: `2031-0${1 + roles.indexOf(role)}-0${1 + relations.length}`, name: "Ngày nghỉ thử" } }).catch(() => null);
      const id = holiday?.id ?? (await server.db.holiday.findFirstOrThrow()).id;
      return http(server.url, "DELETE", `/holidays/${id}`, { token: as(role) });
    },
  },
  "stats.cases": {
    allowed: (role) => caseHandlers.includes(role),
    call: (role) => http(server.url, "GET", "/stats/cases?period=2026", { token: as(role) }),
  },
  "reports.cases": {
    allowed: (role) => caseHandlers.includes(role),
    call: async (role) => {
      const response = await fetch(`${server.url}/api/reports/cases?period=2026-Q1&format=xlsx`, { headers: { authorization: `Bearer ${as(role)}` } });
      const body: unknown = response.headers.get("content-type")?.includes("json") ? await response.json() : await response.arrayBuffer();
      return { status: response.status, body };
    },
  },
  "cases.notifications": {
    allowed: (role) => caseHandlers.includes(role),
    call: (role) => http(server.url, "GET", "/notifications", { token: as(role) }),
  },
  "cases.verifyAll": {
    allowed: (role) => role === "leader" || role === "admin",
    call: (role) => http(server.url, "GET", "/cases-integrity", { token: as(role) }),
  },
  "attachments.upload": {
    allowed: (role, relation) => caseHandlers.includes(role) && inScope(relation),
    call: (role, relation) => uploadAs(as(role), fx.cases[relation].id),
  },
  "attachments.list": {
    allowed: (role, relation) => caseHandlers.includes(role) && inScope(relation),
    call: (role, relation) => http(server.url, "GET", `/cases/${fx.cases[relation].id}/attachments`, { token: as(role) }),
  },
  "attachments.download": {
    allowed: (role, relation) => caseHandlers.includes(role) && inScope(relation),
    call: async (role, relation) => {
      const response = await fetch(`${server.url}/api/cases/${fx.cases[relation].id}/attachments/${fx.cases[relation].attachmentId}`, { headers: { authorization: `Bearer ${as(role)}` } });
      return { status: response.status, body: response.headers.get("content-type")?.includes("json") ? await response.json() : null };
    },
  },
  "meetings.schedule": {
    allowed: (role) => role === "leader" || role === "admin",
    call: (role, relation) =>
      http(server.url, "POST", "/meetings", {
        token: as(role),
        body: { title: "Giao ban thử", roomId: `matrix-${role}-${relation}-${unique()}`.toLowerCase().slice(0, 60), start: "2030-01-01T08:00:00+07:00", end: "2030-01-01T10:00:00+07:00", unitIds: [fx.units[relation].id] },
      }),
  },
  // Rescheduling or cancelling a briefing not yet started: its chair, or a leader or admin over its host unit.
  "meetings.update": {
    allowed: (role, relation) => (role === "leader" || role === "admin") && inScope(relation),
    call: async (role, relation) => http(server.url, "PATCH", `/meetings/${(await scheduledBriefing(relation)).id}`, { token: as(role), body: { title: `Giao ban đổi tên ${unique()}` } }),
  },
  "meetings.cancel": {
    allowed: (role, relation) => (role === "leader" || role === "admin") && inScope(relation),
    call: async (role, relation) => http(server.url, "POST", `/meetings/${(await scheduledBriefing(relation)).id}/cancel`, { token: as(role) }),
  },
  // The province's mail server and queue are for the top unit's admins; every actor here sits one level below
  // (test/integration/mail.test.ts shows the province's admin allowed).
  "mail.settings": { allowed: () => false, call: (role) => http(server.url, "GET", "/mail/settings", { token: as(role) }) },
  "mail.updateSettings": {
    allowed: () => false,
    call: (role) =>
      http(server.url, "POST", "/mail/settings", {
        token: as(role),
        body: { enabled: false, host: "mail.tinh.gov.vn", port: 587, security: "starttls", username: null, fromAddress: "a@tinh.gov.vn", fromName: null, caCertPem: null },
      }),
  },
  "mail.test": { allowed: () => false, call: (role) => http(server.url, "POST", "/mail/test", { token: as(role), body: { to: "a@tinh.gov.vn" } }) },
  "mail.list": { allowed: () => false, call: (role) => http(server.url, "GET", "/mail/messages", { token: as(role) }) },
  "mail.retry": { allowed: () => false, call: (role) => http(server.url, "POST", "/mail/messages/none/retry", { token: as(role) }) },
  "meetings.upcoming": { allowed: () => true, call: (role) => http(server.url, "GET", "/meetings/upcoming", { token: as(role) }) },
  "meetings.list": {
    allowed: (role) => role !== "site" && role !== "viewer",
    call: (role) => http(server.url, "GET", "/meetings", { token: as(role) }),
  },
  "meetings.export": {
    allowed: (role) => role !== "site" && role !== "viewer",
    call: (role) => fetchFile(role, "/meetings/export.xlsx"),
  },
  "meetings.read": {
    allowed: meetingRecordReader,
    call: async (role, relation) => http(server.url, "GET", `/meetings/${(await briefingRecord(relation)).id}`, { token: as(role) }),
  },
  "meetings.attendanceExport": {
    allowed: meetingRecordReader,
    call: async (role, relation) => {
      const meeting = await briefingRecord(relation);
      const response = await fetch(`${server.url}/api/meetings/${meeting.id}/attendance?format=xlsx`, { headers: { authorization: `Bearer ${as(role)}` } });
      return { status: response.status, body: response.headers.get("content-type")?.includes("json") ? await response.json() : null };
    },
  },
  "meetings.recordingDownload": {
    allowed: meetingRecordReader,
    call: async (role, relation) => {
      const meeting = await briefingRecord(relation);
      // A real (tiny) file stands in for a composed recording: the route only streams what is on disk.
      const file = path.join("recordings", "matrix", "ghi-hinh.mp4");
      fs.mkdirSync(path.join(server.dataDir, "recordings", "matrix"), { recursive: true });
      fs.writeFileSync(path.join(server.dataDir, file), "not really a video");
      const recording = await server.db.recording.create({ data: { meetingId: meeting.id, status: "ready", file, sha256: "00".repeat(32) } });
      const response = await fetch(`${server.url}/api/meetings/${meeting.id}/recordings/${recording.id}`, { headers: { authorization: `Bearer ${as(role)}` } });
      return { status: response.status, body: response.headers.get("content-type")?.includes("json") ? await response.json() : null };
    },
  },
  "meetings.minutes.read": {
    allowed: meetingRecordReader,
    call: async (role, relation) => http(server.url, "GET", `/meetings/${(await briefingRecord(relation)).id}/minutes`, { token: as(role) }),
  },
  "meetings.minutes.update": {
    // The notice is the issuing unit's document: its own leaders and officers (or the chair, the secretary).
    allowed: reportsOnTask,
    call: async (role, relation) => http(server.url, "PATCH", `/meetings/${(await briefingRecord(relation)).id}/minutes`, { token: as(role), body: { noticeNumber: "1/TB-UBND" } }),
  },
  "meetings.conclusionNotice": {
    allowed: meetingRecordReader,
    call: async (role, relation) => fetchFile(role, `/meetings/${(await briefingRecord(relation)).id}/conclusion-notice`),
  },
  "meetings.carriedOver": {
    allowed: meetingRecordReader,
    call: async (role, relation) => http(server.url, "GET", `/meetings/${(await briefingRecord(relation)).id}/carried-over`, { token: as(role) }),
  },
  "directives.tasks.mine": {
    allowed: followsUp,
    call: (role) => http(server.url, "GET", "/directive-tasks", { token: as(role) }),
  },
  "directives.matrix": {
    allowed: followsUp,
    call: (role) => http(server.url, "GET", "/directives/matrix", { token: as(role) }),
  },
  "directives.tasks.read": {
    allowed: (role, relation) => followsUp(role) && inScope(relation),
    call: async (role, relation) => http(server.url, "GET", `/directive-tasks/${(await directiveTask(relation)).taskId}`, { token: as(role) }),
  },
  "directives.tasks.report": {
    allowed: reportsOnTask,
    call: async (role, relation) =>
      http(server.url, "POST", `/directive-tasks/${(await directiveTask(relation)).taskId}/reports`, { token: as(role), body: { kind: "progress", text: "Tiến độ kiểm tra quyền" } }),
  },
  "directives.tasks.upload": {
    allowed: reportsOnTask,
    call: async (role, relation) => {
      const response = await fetch(`${server.url}/api/directive-tasks/${(await directiveTask(relation)).taskId}/attachments?name=bao-cao.pdf`, { method: "POST", headers: { authorization: `Bearer ${as(role)}` }, body: PDF });
      return { status: response.status, body: await response.json() };
    },
  },
  "directives.tasks.file": {
    allowed: (role, relation) => followsUp(role) && inScope(relation),
    call: async (role, relation) => {
      const { taskId, fileId } = await directiveTask(relation);
      return fetchFile(role, `/directive-tasks/${taskId}/attachments/${fileId}`);
    },
  },
  "rooms.state": {
    allowed: (role) => role !== "site" && role !== "viewer",
    call: async (role) => {
      // A live ad-hoc room to look at: the root officer's socket keeps one open, and the caller's unit is below theirs.
      return http(server.url, "GET", "/rooms/matrix-live", { token: as(role) });
    },
  },
  "public.lookup": "public",
  "guests.claimJoinLink": "public",
  "public.units": "public",
  "public.submit": "public",
  "public.receptionUnits": "public",
  "public.receptionSlots": "public",
  "public.book": "public",
  "public.cancelBooking": "public",
  "public.bookingAttachment": "public",
  // Reception: officers and leaders of the unit or above it; admins keep schedules and slots but see no citizen.
  "reception.schedules.list": {
    allowed: (role, relation) => (receptionStaff.includes(role) || role === "admin") && inScope(relation),
    call: (role, relation) => http(server.url, "GET", `/reception/schedules?unitId=${fx.units[relation].id}`, { token: as(role) }),
  },
  "reception.schedules.create": {
    allowed: (role, relation) => (receptionStaff.includes(role) || role === "admin") && inScope(relation),
    call: (role, relation) =>
      http(server.url, "POST", "/reception/schedules", {
        token: as(role),
        body: { unitId: fx.units[relation].id, title: "Lịch tiếp thử", kind: "regular", rule: "daily", startTime: "08:00", endTime: "10:00", slotMinutes: 30, capacityPerSlot: 2 },
      }),
  },
  "reception.schedules.update": {
    allowed: (role, relation) => (receptionStaff.includes(role) || role === "admin") && inScope(relation),
    call: async (role, relation) => http(server.url, "PATCH", `/reception/schedules/${(await receptionFixture(relation)).scheduleId}`, { token: as(role), body: { title: `Lịch ${unique()}` } }),
  },
  "reception.slots.generate": {
    allowed: (role, relation) => (receptionStaff.includes(role) || role === "admin") && inScope(relation),
    call: async (role, relation) =>
      http(server.url, "POST", `/reception/schedules/${(await receptionFixture(relation)).scheduleId}/slots`, { token: as(role), body: { from: "2030-03-05", to: "2030-03-05" } }),
  },
  "reception.slots.list": {
    allowed: (role, relation) => (receptionStaff.includes(role) || role === "admin") && inScope(relation),
    call: (role, relation) => http(server.url, "GET", `/reception/slots?unitId=${fx.units[relation].id}&from=2030-03-01&to=2030-03-31`, { token: as(role) }),
  },
  "reception.slots.bookings": {
    allowed: receptionStaffIn,
    call: async (role, relation) => http(server.url, "GET", `/reception/slots/${(await receptionFixture(relation)).slotId}/bookings`, { token: as(role) }),
  },
  "reception.bookings.file": {
    allowed: receptionStaffIn,
    call: async (role, relation) => {
      const { bookingId, fileId } = await receptionFixture(relation);
      return fetchFile(role, `/reception/bookings/${bookingId}/attachments/${fileId}`);
    },
  },
  "reception.sessions.list": {
    allowed: receptionStaffIn,
    call: (role, relation) => http(server.url, "GET", `/reception/sessions?unitId=${fx.units[relation].id}`, { token: as(role) }),
  },
  "reception.sessions.open": {
    allowed: receptionStaffIn,
    call: (role, relation) =>
      http(server.url, "POST", "/reception/sessions", { token: as(role), body: { unitId: fx.units[relation].id, shape: "office", kind: "regular", units: [{ unitId: fx.units[relation].id, role: "office" }] } }),
  },
  "reception.sessions.read": {
    allowed: receptionStaffIn,
    call: async (role, relation) => http(server.url, "GET", `/reception/sessions/${(await receptionFixture(relation)).sessionId}`, { token: as(role) }),
  },
  "reception.sessions.end": {
    allowed: receptionStaffIn,
    call: async (role, relation) => http(server.url, "POST", `/reception/sessions/${(await receptionSession(relation)).id}/end`, { token: as(role) }),
  },
  "reception.sessions.case": {
    allowed: receptionStaffIn,
    call: async (role, relation) => {
      const booking = await receptionBooking(relation, (await receptionFixture(relation)).slotId);
      const session = await receptionSession(relation, booking.id);
      return http(server.url, "POST", `/reception/sessions/${session.id}/case`, { token: as(role), body: { summary: "Khiếu nại từ buổi tiếp" } });
    },
  },
  "reception.book.list": {
    allowed: receptionStaffIn,
    call: (role, relation) => http(server.url, "GET", `/reception/book?unitId=${fx.units[relation].id}`, { token: as(role) }),
  },
  "reception.book.create": {
    allowed: receptionStaffIn,
    call: (role, relation) =>
      http(server.url, "POST", "/reception/book", {
        token: as(role),
        body: { unitId: fx.units[relation].id, receivedAt: "2026-03-10T09:00:00+07:00", kind: "regular", peopleCount: 1, content: "Công dân trình bày.", handling: "khac", citizens: [{ fullName: "Công dân", address: "Thôn Bắc" }] },
      }),
  },
  "reception.book.read": {
    allowed: receptionStaffIn,
    call: async (role, relation) => http(server.url, "GET", `/reception/book/${(await receptionFixture(relation)).entryId}`, { token: as(role) }),
  },
  "reception.book.update": {
    allowed: receptionStaffIn,
    call: async (role, relation) => http(server.url, "PATCH", `/reception/book/${(await receptionEntry(relation)).id}`, { token: as(role), body: { dossier: "Đơn đề nghị" } }),
  },
  "reception.book.confirm": {
    allowed: receptionStaffIn,
    call: async (role, relation) => http(server.url, "POST", `/reception/book/${(await receptionEntry(relation)).id}/confirm`, { token: as(role), body: { method: "office_screen" } }),
  },
  "reception.book.conclude": {
    // The conclusion notice is the leader's document.
    allowed: (role, relation) => role === "leader" && inScope(relation),
    call: async (role, relation) =>
      http(server.url, "POST", `/reception/book/${(await receptionEntry(relation)).id}/conclusion`, { token: as(role), body: { conclusion: "Kết luận của lãnh đạo về việc tiếp công dân." } }),
  },
  "reception.book.conclusionNotice": {
    allowed: receptionStaffIn,
    call: async (role, relation) => fetchFile(role, `/reception/book/${(await receptionFixture(relation)).concludedEntryId}/conclusion`),
  },
  "reception.book.export": {
    allowed: receptionStaffIn,
    call: (role, relation) => fetchFile(role, `/reception/book-export?unitId=${fx.units[relation].id}&from=2026-03-01&to=2026-03-31&format=xlsx`),
  },
  "reception.stats": {
    allowed: (role) => role === "leader" || role === "officer" || role === "inspector",
    call: (role) => http(server.url, "GET", "/reception/stats?from=2026-01-01&to=2026-12-31", { token: as(role) }),
  },
  "users.resetPassword": {
    allowed: (role, relation) => role === "admin" && inScope(relation),
    call: (role, relation) => http(server.url, "POST", `/users/${fx.targets[relation].id}/password`, { token: as(role), body: { newPassword: "a fresh long password" } }),
  },
};

const senders: Role[] = ["admin", "leader", "officer", "inspector", "site"];
/** Socket events: rooms are not scoped to units yet, so only the role matters. */
const socketExpectations: Record<ClientRequestName, (role: Role) => boolean> = {
  getRouterRtpCapabilities: () => true,
  join: () => true,
  resume: () => true,
  createWebRtcTransport: () => true,
  connectWebRtcTransport: () => true,
  restartIce: () => true,
  produce: (role) => senders.includes(role),
  consume: () => true,
  resumeConsumer: () => true,
  pauseConsumer: () => true,
  setConsumerPreferredLayers: () => true,
  pauseProducer: (role) => senders.includes(role),
  resumeProducer: (role) => senders.includes(role),
  closeProducer: (role) => senders.includes(role),
  leave: () => true,
  sendChat: () => true,
  getChat: () => true,
  muteSite: (role) => role === "leader",
  setMuteAll: (role) => role === "leader",
  stopCamera: (role) => role === "leader",
  removeSite: (role) => role === "leader",
  lockRoom: (role) => role === "leader",
  spotlight: (role) => role === "leader",
  grantFloor: (role) => role === "leader",
  raiseHand: (role) => senders.includes(role),
  endMeeting: (role) => role === "leader" || role === "officer",
  // Officers pass the policy (they host receptions); the handler refuses them in rooms they do not chair
  // (test/integration/briefing-media.test.ts).
  startRecording: (role) => role === "leader" || role === "officer",
  stopRecording: (role) => role === "leader" || role === "officer",
  // Only a citizen's booking-link token may use these.
  enterLobby: () => false,
  answerConsent: () => false,
  confirmEntry: () => false,
  // Receiving staff; the handler then requires a reception room this caller receives in.
  admitGuest: (role) => role === "leader" || role === "officer",
  recordOfficeConsent: (role) => role === "leader" || role === "officer",
  requestConfirmation: (role) => role === "leader" || role === "officer",
  issueCase: (role) => role === "leader" || role === "officer",
  getMinutes: () => true,
  setSecretary: (role) => role === "leader",
  // Officers pass the role rule (a chair may name them secretary); the handler then refuses anyone who is
  // neither this room's chair nor its secretary (test/integration/directives.test.ts, both ways).
  saveMinutesNotes: (role) => role === "leader" || role === "officer",
  addConclusion: (role) => role === "leader" || role === "officer",
  addDirective: (role) => role === "leader" || role === "officer",
};

beforeAll(async () => {
  server = await startTestServer();
  pki = createTestPki();
  const root = await buildUnit(server.db, { name: "Tỉnh thử" });
  const own = await buildUnit(server.db, { parent: root, name: "Đơn vị của người gọi" });
  const child = await buildUnit(server.db, { parent: own, name: "Đơn vị con" });
  const other = await buildUnit(server.db, { parent: root, name: "Đơn vị khác" });
  const units = { own, child, other };
  const targets = {
    own: await buildUser(server.db, { unit: own, roles: ["officer"] }),
    child: await buildUser(server.db, { unit: child, roles: ["officer"] }),
    other: await buildUser(server.db, { unit: other, roles: ["officer"] }),
  };
  const tokens = {} as Record<Role, string>;
  for (const role of roles) tokens[role] = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: own, roles: [role] })).token;
  const rootOfficer = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: root, roles: ["officer"] })).token;
  fx = { units, targets, tokens, rootOfficer, cases: {} as Fixture["cases"] };
  const withAttachment = async (unit: Unit) => {
    const item = await fileCase(unit);
    // A known, non-denunciation kind: the matrix checks unit scope; the identity rule has its own tests (cases.test.ts).
    await server.db.case.update({ where: { id: item.id }, data: { kind: "complaint" } });
    return { id: item.id, attachmentId: (await uploadAs(rootOfficer, item.id)).body.id };
  };
  fx.cases = { own: await withAttachment(own), child: await withAttachment(child), other: await withAttachment(other) };
  // A live room for the room-state route.
  const live = await connect(server.url, { token: rootOfficer });
  liveSockets.push(live);
  const liveCaps = (await ok(live, "getRouterRtpCapabilities", {})).rtpCapabilities;
  await ok(live, "join", { roomId: "matrix-live", rtpCapabilities: liveCaps });
  // The room's record (who attended from which unit) decides who may look at it: wait until it is written.
  await server.attendance.flush();
});

afterAll(async () => {
  for (const socket of liveSockets) socket.disconnect();
  await server?.close();
  pki?.close();
});

describe("authorization matrix", () => {
  it("has an entry for every REST route and every socket event", () => {
    expect(Object.keys(restScenarios).sort()).toEqual(server.routes.map((route) => route.id).sort());
    expect(Object.keys(socketExpectations).sort()).toEqual([...clientRequestNames].sort());
  });

  it("public routes are exactly the sign-in ones and the citizen's lookup", () => {
    const publicIds = server.routes.filter((route) => route.auth === "public").map((route) => route.id);
    expect(publicIds.sort()).toEqual(Object.entries(restScenarios).filter(([, s]) => s === "public").map(([id]) => id).sort());
  });

  it("every other route refuses a request without a token", async () => {
    for (const route of server.routes.filter((r) => r.auth === "user")) {
      const path = route.path.replace(":id", fx.targets.own.id);
      const result = await http(server.url, route.method.toUpperCase(), path, route.method === "get" ? {} : { body: {} });
      expect(result.status, route.id).toBe(401);
    }
  });

  for (const [routeId, scenario] of Object.entries(restScenarios)) {
    if (scenario === "public") continue;
    for (const role of roles) {
      for (const relation of relations) {
        const expected = scenario.allowed(role, relation);
        it(`${routeId} by ${role} on ${relation} unit → ${expected ? "allowed" : "denied"}`, async () => {
          const result = await scenario.call(role, relation);
          if (expected) {
            expect(result.status, JSON.stringify(result.body)).toBeLessThan(300);
            // Listing another unit's accounts is allowed, but must return none of them.
            if ((routeId === "users.list" || routeId === "cases.list") && relation === "other") expect((result.body as { items: unknown[] }).items).toEqual([]);
          } else {
            expect(result).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
          }
        });
      }
    }
  }
});

describe("socket events by role", () => {
  let caps: RtpCapabilities;
  const sockets: TestSocket[] = [];

  afterAll(() => {
    for (const socket of sockets) socket.disconnect();
  });

  for (const role of roles) {
    it(`${role}: each event allowed or FORBIDDEN as the room policy says`, async () => {
      const socket = await connect(server.url, { token: as(role) });
      sockets.push(socket);
      caps ??= (await ok(socket, "getRouterRtpCapabilities", {})).rtpCapabilities;
      await ok(socket, "join", { roomId: `matrix-${role}`, rtpCapabilities: caps });
      const send = await ok(socket, "createWebRtcTransport", { direction: "send" });
      const recv = await ok(socket, "createWebRtcTransport", { direction: "recv" });
      const payloads: Record<ClientRequestName, unknown> = {
        getRouterRtpCapabilities: {},
        join: { roomId: `matrix-${role}`, rtpCapabilities: caps },
        resume: { peerId: "someone-else", resumeToken: "x".repeat(32) },
        createWebRtcTransport: { direction: "recv" },
        connectWebRtcTransport: { transportId: recv.id, dtlsParameters: { role: "client", fingerprints: [{ algorithm: "sha-256", value: "AB" }] } },
        restartIce: { transportId: recv.id },
        produce: { transportId: send.id, kind: "audio", source: "mic", rtpParameters: audioProducerParameters() },
        consume: { transportId: recv.id, producerId: "none" },
        resumeConsumer: { consumerId: "none" },
        pauseConsumer: { consumerId: "none" },
        setConsumerPreferredLayers: { consumerId: "none", spatialLayer: 1 },
        pauseProducer: { producerId: "none" },
        resumeProducer: { producerId: "none" },
        closeProducer: { producerId: "none" },
        leave: {},
        sendChat: { text: "Xin chào" },
        getChat: {},
        muteSite: { peerId: "nobody", muted: true },
        setMuteAll: { on: false },
        stopCamera: { peerId: "nobody" },
        removeSite: { peerId: "nobody" },
        lockRoom: { locked: false },
        spotlight: { peerId: null },
        grantFloor: { peerId: null },
        raiseHand: { raised: true },
        endMeeting: {},
        startRecording: {},
        stopRecording: {},
        enterLobby: {},
        admitGuest: { bookingId: "nobody" },
        answerConsent: { accepted: true },
        recordOfficeConsent: { accepted: true },
        requestConfirmation: { entryId: "none" },
        confirmEntry: { entryId: "none" },
        issueCase: { summary: "Tạo hồ sơ thử" },
        getMinutes: {},
        setSecretary: { peerId: null },
        saveMinutesNotes: { notes: "Ghi chép thử" },
        addConclusion: { text: "Kết luận thử quyền" },
        addDirective: { text: "Chỉ đạo thử quyền", unitIds: ["nobody"], due: { kind: "calendar", days: 3 }, expectedReport: "Báo cáo thử" },
      };
      for (const event of clientRequestNames) {
        const ack = await rawRequest(socket, event, payloads[event]);
        const forbidden = !ack.ok && ack.error.code === "FORBIDDEN";
        expect(forbidden, `${role} ${event}: ${JSON.stringify(ack)}`).toBe(!socketExpectations[event](role));
      }
    });
  }
});

/**
 * The "is chair of this room" dimension: the role lets a leader try a chair event, but only the peer
 * that chairs this very room may do it — not a leader invited to another leader's briefing, nor an
 * invited agency's leader at a reception.
 */
describe("chair events need the chair of this room", () => {
  const chairEvents = (target: string): [ClientRequestName, unknown][] => [
    ["muteSite", { peerId: target, muted: true }],
    ["setMuteAll", { on: true }],
    ["stopCamera", { peerId: target }],
    ["spotlight", { peerId: target }],
    ["grantFloor", { peerId: target }],
    ["lockRoom", { locked: true }],
    ["removeSite", { peerId: target }],
    ["startRecording", {}],
    ["stopRecording", {}],
    ["setSecretary", { peerId: null }],
    ["endMeeting", {}],
  ];
  const sockets: TestSocket[] = [];
  afterAll(() => {
    for (const socket of sockets) socket.disconnect();
  });
  const joinAs = async (token: string, roomId: string) => {
    const socket = await connect(server.url, { token });
    sockets.push(socket);
    const caps = (await ok(socket, "getRouterRtpCapabilities", {})).rtpCapabilities;
    return { socket, joined: await ok(socket, "join", { roomId, rtpCapabilities: caps }) };
  };

  it("a leader who is not the scheduled briefing's chair is refused every chair event; the chair is not", async () => {
    const chairLeader = await tokenFor(server.db, DEMO_JWT_SECRET, { unit: fx.units.own, roles: ["leader"] });
    const roomId = `matrix-briefing-${unique()}`;
    await server.db.meeting.create({
      data: { roomId, title: "Giao ban", status: "scheduled", hostUnitId: fx.units.own.id, chairUserId: chairLeader.user.id, sites: { create: [{ unitId: fx.units.own.id }] } },
    });
    const chair = await joinAs(chairLeader.token, roomId);
    const site = await joinAs((await tokenFor(server.db, DEMO_JWT_SECRET, { unit: fx.units.own, roles: ["site"] })).token, roomId);
    const otherLeader = await joinAs(as("leader"), roomId);
    expect(chair.joined.moderation.self?.isChair).toBe(true);
    expect(otherLeader.joined.moderation.self?.isChair).toBe(false);
    for (const [event, payload] of chairEvents(site.joined.peerId)) {
      const ack = await rawRequest(otherLeader.socket, event, payload);
      expect(ack, `${event} by a leader who does not chair`).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    }
    await ok(chair.socket, "muteSite", { peerId: site.joined.peerId, muted: true });
    await ok(chair.socket, "lockRoom", { locked: true });
  });

  it("an invited agency's leader at a reception is refused the chair's and the receiving staff's events", async () => {
    const host = await tokenFor(server.db, DEMO_JWT_SECRET, { unit: fx.units.own, roles: ["officer"] });
    const reception = await server.db.receptionSession.create({
      data: { unitId: fx.units.own.id, roomId: `tiep-dan-matrix-${unique()}`, shape: "office", kind: "regular", hostUserId: host.user.id, units: { create: [{ unitId: fx.units.other.id, role: "agency" }] } },
    });
    const hosting = await joinAs(host.token, reception.roomId);
    const agencyLeader = await joinAs((await tokenFor(server.db, DEMO_JWT_SECRET, { unit: fx.units.other, roles: ["leader"] })).token, reception.roomId);
    expect(hosting.joined.moderation.self?.isChair).toBe(true);
    const receivingEvents: [ClientRequestName, unknown][] = [
      ["admitGuest", { bookingId: "nobody" }],
      ["recordOfficeConsent", { accepted: true }],
      ["requestConfirmation", { entryId: "none" }],
      ["issueCase", { summary: "Tạo hồ sơ thử" }],
    ];
    for (const [event, payload] of [...chairEvents(hosting.joined.peerId), ...receivingEvents]) {
      const ack = await rawRequest(agencyLeader.socket, event, payload);
      expect(ack, `${event} by an invited agency's leader`).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    }
  });
});
