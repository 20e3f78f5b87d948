import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnyRoute } from "../../signaling/api/route";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import { type Role, roles, type RtpCapabilities } from "../../signaling/protocol";
import { connect, nextEvent, ok, rawRequest, type TestSocket } from "../helpers/client";
import { storeFileByContent } from "../../signaling/services/attachments/attachments";
import { buildUnit, buildUser, tokenFor } from "../helpers/factories";
import { xlsxText } from "../helpers/documents";
import { http } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

/**
 * The whole-system privacy canary (issue 11). Five citizens, each with a unique name, CCCD and phone, are
 * put through the real server: a denunciation filed online, one filed by a clerk, one filed from a
 * reception session's book entry, a denunciation booking whose citizen then joins a live reception as a
 * guest, and a book entry with a conclusion. Then every account — each role in the case's unit ("own"), in
 * the unit above it ("child": the case sits in a child of the caller's unit) and in a sibling ("other"),
 * plus the officer who hosts the reception, the inspector the cases are assigned to and the clerk — joins
 * the rooms it may join (every socket event it receives is kept) and calls EVERY route of the server's
 * route registry with parameters built from the fixture by parameter name; exports are read back (XLSX
 * with exceljs, PDF with pdftotext) together with their Content-Disposition. Finally: a canary appears
 * only where the policy in README "Who sees a petitioner's identity" allows, every such REST read wrote an
 * audit row, and the server log holds none of them.
 */

// ─── The canaries ──────────────────────────────────────────────────────────────────────────────────────

const SUFFIX = Date.now().toString(36).slice(-5);
const canaryKeys = ["online", "clerk", "session", "booking", "entry"] as const;
type CanaryKey = (typeof canaryKeys)[number];
interface Canary {
  /** An ASCII token inside the name, found whatever the encoding around it (JSON, URL, RFC 5987, PDF). */
  mark: string;
  name: string;
  cccd: string;
  phone: string;
  address: string;
}
const digits = String(Date.now()).slice(-7);
const canaries = Object.fromEntries(
  canaryKeys.map((key, index) => {
    const mark = `Canary${key[0]!.toUpperCase()}${key.slice(1)}${SUFFIX}`;
    return [key, { mark, name: `Trần Thị ${mark} Hoà`, cccd: `0019${index}${digits}`, phone: `09${index}${digits}`, address: `Thôn ${mark}, xã Bí Mật` }];
  }),
) as Record<CanaryKey, Canary>;

/** A few characters around the first canary in `text`, so a failure says which field leaked. */
function contextOf(text: string, found: CanaryKey[]): string {
  const canary = canaries[found[0]!];
  const lower = text.toLowerCase();
  const at = [lower.indexOf(canary.mark.toLowerCase()), text.indexOf(canary.cccd), text.indexOf(canary.phone)].filter((index) => index >= 0).sort((a, b) => a - b)[0]!;
  return text.slice(Math.max(0, at - 60), at + 30).replace(/\s+/g, " ");
}

function canariesIn(text: string): CanaryKey[] {
  const lower = text.toLowerCase();
  return canaryKeys.filter((key) => {
    const canary = canaries[key];
    return lower.includes(canary.mark.toLowerCase()) || text.includes(canary.cccd) || text.includes(canary.phone);
  });
}

// ─── Accounts ──────────────────────────────────────────────────────────────────────────────────────────

type Relation = "own" | "child" | "other";
const relations: Relation[] = ["own", "child", "other"];
type Special = "hostOfficer" | "assignedInspector" | "clerk";
interface Account {
  label: string;
  role: Role;
  /** The grid's accounts; the special ones sit in the case's unit. */
  relation: Relation | null;
  special: Special | null;
  id: string;
  token: string;
}

/**
 * What the policy lets the special accounts see (README › Privacy): the officer who hosts the reception is
 * the booking's desk officer, the book entries' receiving officer and the live room's chair; the assigned
 * inspector reads the cases assigned to them. Lists and period exports of the book are for leaders only.
 */
const HOST_OFFICER_ROUTES = new Set([
  "reception.slots.bookings",
  "reception.bookings.file",
  "reception.sessions.read",
  "reception.book.read",
  "reception.book.update",
  "reception.book.confirm",
  "reception.book.conclusionNotice",
  "meetings.read",
  "meetings.attendanceExport",
  "meetings.recordingDownload",
  "rooms.state",
]);
const INSPECTOR_ROUTES = /^(cases|attachments)\./;

/** Where an observation came from: a REST route or a socket event (pushed, or the ack of a request). */
interface Source {
  kind: "rest" | "socket";
  /** Route id, or event name. */
  name: string;
  /** The URL called, or the room the socket was in. */
  where: string;
}

function allowed(account: Account, source: Source): boolean {
  // The leaders over the case's unit (in it, or above it) see every identity, everywhere.
  if (account.role === "leader" && (account.relation === "own" || account.relation === "child")) return true;
  if (account.special === "assignedInspector") return source.kind === "rest" && INSPECTOR_ROUTES.test(source.name);
  if (account.special === "hostOfficer") return source.kind === "socket" ? source.where === "reception" : HOST_OFFICER_ROUTES.has(source.name);
  return false;
}

interface Observation {
  account: string;
  source: Source;
  /** body, Content-Disposition, xlsx, pdf, ack, event. */
  part: string;
  canaries: CanaryKey[];
  /** Around the first canary found. */
  context: string;
  allowed: boolean;
  /** REST reads: did the call add an audit row by this account? */
  audited: boolean | null;
  status: number | null;
}

// ─── Fixture ───────────────────────────────────────────────────────────────────────────────────────────

interface Unit {
  id: string;
  path: string;
}

let server: TestServer;
let logFile: string;
let caps: RtpCapabilities;
const accounts: Account[] = [];
const sockets: TestSocket[] = [];
const observations: Observation[] = [];
/** GET calls the walker could not make sensible (400): the walk would be vacuous for them. */
const badRequests: string[] = [];
const fx = {} as {
  root: Unit;
  parent: Unit;
  unit: Unit;
  other: Unit;
  targetUserId: string;
  cases: Record<"online" | "clerk" | "session", { id: string; attachmentId: string }>;
  scheduleId: string;
  slotId: string;
  bookingId: string;
  bookingFileId: string;
  liveSessionId: string;
  officeSessionId: string;
  receptionRoomId: string;
  receptionMeetingId: string;
  receptionRecordingId: string;
  briefingRoomId: string;
  briefingMeetingId: string;
  briefingRecordingId: string;
  /** A directive of the briefing to the unit: its task, with one file. */
  directiveTaskId: string;
  directiveFileId: string;
  entryIds: string[];
  holidayId: string;
};
const byLabel = (label: string) => accounts.find((account) => account.label === label)!;

async function addAccount(label: string, unit: Unit, role: Role, relation: Relation | null, special: Special | null): Promise<Account> {
  const made = await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles: [role], displayName: `Cán bộ ${label}`, ttlSeconds: 3600 });
  const account = { label, role, relation, special, id: made.user.id, token: made.token };
  accounts.push(account);
  return account;
}

async function api<T>(account: Account, method: string, url: string, body?: unknown): Promise<T> {
  const result = await http<T>(server.url, method, url, { token: account.token, ...(body !== undefined ? { body } : {}) });
  if (result.status >= 300) throw new Error(`${method} ${url} as ${account.label}: ${result.status} ${JSON.stringify(result.body)}`);
  return result.body;
}

const PDF_BYTES = new TextEncoder().encode("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

async function upload(url: string, headers: Record<string, string>): Promise<{ id: string }> {
  const response = await fetch(`${server.url}/api${url}`, { method: "POST", headers, body: PDF_BYTES });
  const body = (await response.json()) as { id: string };
  if (response.status !== 201) throw new Error(`upload ${url}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

async function buildFixture(): Promise<void> {
  fx.root = await buildUnit(server.db, { name: "Tỉnh Canary" });
  fx.parent = await buildUnit(server.db, { parent: fx.root, name: "Huyện Canary", kind: "district" });
  fx.unit = await buildUnit(server.db, { parent: fx.parent, name: "Xã Canary", kind: "commune" });
  fx.other = await buildUnit(server.db, { parent: fx.root, name: "Huyện Bên Cạnh", kind: "district" });
  const unitOf: Record<Relation, Unit> = { own: fx.unit, child: fx.parent, other: fx.other };
  for (const relation of relations) for (const role of roles) await addAccount(`${role}@${relation}`, unitOf[relation], role, relation, null);
  const host = await addAccount("hostOfficer", fx.unit, "officer", null, "hostOfficer");
  const inspector = await addAccount("assignedInspector", fx.unit, "inspector", null, "assignedInspector");
  const clerk = await addAccount("clerk", fx.unit, "officer", null, "clerk");
  const leader = byLabel("leader@own");
  fx.targetUserId = (await buildUser(server.db, { unit: fx.unit, roles: ["site"] })).id;
  fx.holidayId = (await server.db.holiday.create({ data: { date: "2031-09-03", name: "Ngày nghỉ thử" } })).id;

  // 1. A denunciation filed online by the citizen.
  const online = canaries.online;
  const submitted = await http<{ code: string }>(server.url, "POST", "/public/cases", {
    body: { unitId: fx.unit.id, kind: "denunciation", summary: "Tố cáo cán bộ địa chính", content: `Tôi là ${online.name}, tố cáo cán bộ địa chính nhận tiền.`, name: online.name, idNumber: online.cccd, phone: online.phone, address: online.address, consent: true },
  });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
  const onlineCaseId = (await server.db.case.findFirstOrThrow({ where: { code: submitted.body.code } })).id;

  // 2. A denunciation filed by a clerk at the desk.
  const clerkCanary = canaries.clerk;
  const filed = await api<{ case: { id: string } }>(clerk, "POST", "/cases", {
    unitId: fx.unit.id,
    channel: "inPerson",
    receivedDate: "2026-11-02",
    kind: "denunciation",
    // The clerk's one-line summary names the denouncer too: lists, search hits, exports and notifications
    // show the summary, so it must be masked there as in the case page.
    summary: `${clerkCanary.name} tố cáo nhận hối lộ`,
    content: `Công dân ${clerkCanary.name} tố cáo việc nhận hối lộ.`,
    parties: [{ role: "petitioner", name: clerkCanary.name, idNumber: clerkCanary.cccd, phone: clerkCanary.phone, address: clerkCanary.address }],
  });

  // 3. An office reception session whose book entry names a denouncer; the case is filed from the session.
  const office = await api<{ id: string }>(host, "POST", "/reception/sessions", { unitId: fx.unit.id, shape: "office", kind: "regular", units: [{ unitId: fx.unit.id, role: "office" }] });
  fx.officeSessionId = office.id;
  const sessionCanary = canaries.session;
  const sessionEntry = await api<{ id: string }>(host, "POST", "/reception/book", {
    unitId: fx.unit.id,
    sessionId: office.id,
    receivedAt: new Date().toISOString(),
    kind: "regular",
    peopleCount: 1,
    content: `Ông ${sessionCanary.name} (điện thoại ${sessionCanary.phone}) tố cáo cán bộ xã.`,
    handling: "tiep_nhan_don",
    petitionKind: "denunciation",
    citizens: [{ fullName: sessionCanary.name, address: sessionCanary.address, cccd: sessionCanary.cccd, phone: sessionCanary.phone }],
  });
  const fromSession = await api<{ caseId: string }>(host, "POST", `/reception/sessions/${office.id}/case`, { summary: "Tố cáo từ buổi tiếp dân" });

  // 4. A book entry about a denunciation, concluded by the leader.
  const entryCanary = canaries.entry;
  const entry = await api<{ id: string }>(host, "POST", "/reception/book", {
    unitId: fx.unit.id,
    receivedAt: new Date().toISOString(),
    kind: "regular",
    peopleCount: 1,
    content: `Bà ${entryCanary.name} tố cáo việc thu tiền trái phép.`,
    handling: "tiep_nhan_don",
    petitionKind: "denunciation",
    citizens: [{ fullName: entryCanary.name, address: entryCanary.address, cccd: entryCanary.cccd, phone: entryCanary.phone }],
  });
  await api(leader, "POST", `/reception/book/${entry.id}/conclusion`, { conclusion: "Chuyển đơn tố cáo đến cơ quan có thẩm quyền giải quyết." });
  fx.entryIds = [sessionEntry.id, entry.id];

  // The three cases: assigned to the inspector, each with a file named after its citizen.
  const caseIds = { online: onlineCaseId, clerk: filed.case.id, session: fromSession.caseId } as const;
  fx.cases = {} as typeof fx.cases;
  for (const [key, caseId] of Object.entries(caseIds) as [keyof typeof caseIds, string][]) {
    await api(leader, "POST", `/cases/${caseId}/assign`, { assigneeId: inspector.id });
    const file = await upload(`/cases/${caseId}/attachments?name=${encodeURIComponent(`Đơn của ${canaries[key].name}.pdf`)}`, { authorization: `Bearer ${leader.token}` });
    fx.cases[key] = { id: caseId, attachmentId: file.id };
  }

  // 5. A denunciation booking for a slot starting soon, with a file named after the citizen.
  const now = Date.now();
  const schedule = await server.db.receptionSchedule.create({
    data: { unitId: fx.unit.id, title: "Tiếp dân trực tuyến", kind: "regular", rule: null, startTime: "00:00", endTime: "23:59", slotMinutes: 60, capacityPerSlot: 5 },
  });
  const slot = await server.db.receptionSlot.create({
    data: { scheduleId: schedule.id, unitId: fx.unit.id, startsAt: new Date(now + 10 * 60_000), endsAt: new Date(now + 70 * 60_000), capacity: 5, mode: "online" },
  });
  fx.scheduleId = schedule.id;
  fx.slotId = slot.id;
  const booking = canaries.booking;
  const receipt = await http<{ bookingId: string; joinToken: string; cancelSecret: string }>(server.url, "POST", "/public/reception/bookings", {
    body: { slotId: slot.id, fullName: booking.name, cccd: booking.cccd, phone: booking.phone, address: booking.address, petitionKind: "denunciation", content: `Tôi là ${booking.name}, tố cáo cán bộ thu tiền.`, consent: true },
  });
  expect(receipt.status, JSON.stringify(receipt.body)).toBe(201);
  fx.bookingId = receipt.body.bookingId;
  fx.bookingFileId = (
    await upload(`/public/reception/bookings/${fx.bookingId}/attachments?name=${encodeURIComponent(`Đơn của ${booking.name}.pdf`)}`, { "x-booking-secret": receipt.body.cancelSecret })
  ).id;
  const pass = await http<{ guestToken: string }>(server.url, "POST", "/public/reception/join", { body: { bookingId: fx.bookingId, token: receipt.body.joinToken } });
  expect(pass.status, JSON.stringify(pass.body)).toBe(200);
  const live = await api<{ id: string; roomId: string }>(host, "POST", "/reception/sessions", { unitId: fx.unit.id, shape: "direct", kind: "regular", bookingId: fx.bookingId });
  fx.liveSessionId = live.id;
  fx.receptionRoomId = live.roomId;

  // A briefing of the unit, chaired by its leader.
  fx.briefingRoomId = `giao-ban-canary-${SUFFIX}`;
  fx.briefingMeetingId = (
    await server.db.meeting.create({ data: { roomId: fx.briefingRoomId, title: "Giao ban Canary", status: "scheduled", hostUnitId: fx.unit.id, chairUserId: leader.id, sites: { create: [{ unitId: fx.unit.id }] } } })
  ).id;
  const directive = await server.db.directive.create({
    data: {
      meetingId: fx.briefingMeetingId,
      seq: 1,
      text: "Rà soát và báo cáo",
      expectedReport: "Báo cáo bằng văn bản",
      issuerUnitId: fx.unit.id,
      addressedTo: JSON.stringify({ allCommunes: false, unitIds: [fx.unit.id] }),
      dueKind: "working",
      dueDays: 5,
      issuedOn: "2026-11-02",
      dueDate: "2026-11-09",
      createdById: leader.id,
      tasks: { create: [{ unitId: fx.unit.id, dueDate: "2026-11-09" }] },
    },
    include: { tasks: true },
  });
  fx.directiveTaskId = directive.tasks[0]!.id;
  const stored = storeFileByContent(server.dataDir, Buffer.from(PDF_BYTES));
  fx.directiveFileId = (
    await server.db.directiveAttachment.create({ data: { taskId: fx.directiveTaskId, sha256: stored.sha256, size: PDF_BYTES.length, mimeType: stored.kind.mimeType, originalName: "bao-cao.pdf", uploadedById: leader.id } })
  ).id;

  await runRooms(pass.body.guestToken);
}

// ─── Rooms: every account joins what it may, and every event it receives is kept ─────────────────────

function observe(account: Account, source: Source, part: string, payload: unknown, status: number | null = null, audited: boolean | null = null): void {
  const text = typeof payload === "string" ? payload : JSON.stringify(payload) ?? "";
  const found = canariesIn(text);
  observations.push({ account: account.label, source, part, canaries: found, context: found.length ? contextOf(text, found) : "", allowed: allowed(account, source), audited, status });
}

async function runRooms(guestToken: string): Promise<void> {
  const host = byLabel("hostOfficer");
  const chair = byLabel("leader@own");
  const joined = new Map<string, { account: Account; socket: TestSocket; rooms: ("briefing" | "reception")[] }>();
  const socketOf = async (account: Account, room: "briefing" | "reception") => {
    const socket = await connect(server.url, { token: account.token });
    sockets.push(socket);
    caps ??= (await ok(socket, "getRouterRtpCapabilities", {})).rtpCapabilities;
    socket.onAny((event: string, payload: unknown) => observe(account, { kind: "socket", name: event, where: room }, "event", payload));
    return socket;
  };
  const join = async (account: Account, room: "briefing" | "reception") => {
    const socket = await socketOf(account, room);
    const roomId = room === "briefing" ? fx.briefingRoomId : fx.receptionRoomId;
    const ack = await rawRequest(socket, "join", { roomId, rtpCapabilities: caps });
    observe(account, { kind: "socket", name: "join", where: room }, "ack", ack);
    if (ack.ok) joined.set(`${account.label}/${room}`, { account, socket, rooms: [room] });
    else socket.disconnect();
    return ack.ok ? socket : null;
  };

  // The chairs come first; then everyone tries both rooms.
  const hostSocket = (await join(host, "reception"))!;
  const chairSocket = (await join(chair, "briefing"))!;
  for (const account of accounts) {
    if (account !== chair) await join(account, "briefing");
    if (account !== host) await join(account, "reception");
  }

  // The citizen waits in the lobby, is admitted, consents, joins and speaks; the officer answers by name.
  const lobby = await connect(server.url, { token: guestToken });
  sockets.push(lobby);
  const lobbyShown = nextEvent(hostSocket, "lobby");
  await ok(lobby, "enterLobby", {});
  await lobbyShown;
  const admitted = nextEvent(lobby, "admitted");
  await ok(hostSocket, "admitGuest", { bookingId: fx.bookingId });
  await admitted;
  await ok(lobby, "answerConsent", { accepted: true });
  const guest = await connect(server.url, { token: guestToken });
  sockets.push(guest);
  const guestJoined = nextEvent(hostSocket, "peerJoined");
  await ok(guest, "join", { roomId: fx.receptionRoomId, rtpCapabilities: caps });
  await guestJoined;
  const booking = canaries.booking;
  await ok(guest, "sendChat", { text: `Tôi là ${booking.name}, số điện thoại ${booking.phone}.` });
  await ok(hostSocket, "sendChat", { text: `Chào bà ${booking.name}, tôi đã nhận đơn của bà.` });
  await ok(chairSocket, "sendChat", { text: "Bắt đầu giao ban." });

  // Everyone in a room reads the chat history (its ack is kept like an event).
  for (const { account, socket, rooms } of joined.values()) {
    const ack = await rawRequest(socket, "getChat", {});
    observe(account, { kind: "socket", name: "getChat", where: rooms[0]! }, "ack", ack);
  }
  // The record: attendance rows and the chat are written; a ready recording of each meeting.
  await server.attendance.flush();
  fx.receptionMeetingId = (await server.db.meeting.findUniqueOrThrow({ where: { roomId: fx.receptionRoomId } })).id;
  fx.receptionRecordingId = await readyRecording(fx.receptionMeetingId);
  fx.briefingRecordingId = await readyRecording(fx.briefingMeetingId);
}

async function readyRecording(meetingId: string): Promise<string> {
  const file = path.join("recordings", `canary-${meetingId}`, "ghi-hinh.mp4");
  fs.mkdirSync(path.join(server.dataDir, path.dirname(file)), { recursive: true });
  fs.writeFileSync(path.join(server.dataDir, file), "not really a video");
  return (await server.db.recording.create({ data: { meetingId, status: "ready", file, sha256: "00".repeat(32) } })).id;
}

// ─── The route walker ──────────────────────────────────────────────────────────────────────────────────

/** What a path parameter names: the value (and what it is, for the parameter after it). */
interface ParamValue {
  value: string;
  of: string;
}

/**
 * Path parameters by "<segment before>/:<name>". A route with a parameter not here fails the test, so a
 * new route cannot be added without the canary test calling it.
 */
const paramValues: Record<string, (previous: ParamValue | null) => ParamValue[]> = {
  "cases/:id": () => Object.values(fx.cases).map((item) => ({ value: item.id, of: "case" })),
  "attachments/:attachmentId": (previous) => {
    if (previous?.of === "case") return [{ value: Object.values(fx.cases).find((item) => item.id === previous.value)!.attachmentId, of: "file" }];
    if (previous?.of === "booking") return [{ value: fx.bookingFileId, of: "file" }];
    if (previous?.of === "directiveTask") return [{ value: fx.directiveFileId, of: "file" }];
    throw new Error(`attachments/:attachmentId after ${previous?.of ?? "nothing"}`);
  },
  "actions/:action": () => [{ value: "classify", of: "action" }],
  "users/:id": () => [{ value: fx.targetUserId, of: "user" }],
  "units/:id": () => [{ value: fx.unit.id, of: "unit" }],
  "meetings/:id": () => [
    { value: fx.receptionMeetingId, of: "meeting" },
    { value: fx.briefingMeetingId, of: "meeting" },
  ],
  "recordings/:recordingId": (previous) => [{ value: previous?.value === fx.briefingMeetingId ? fx.briefingRecordingId : fx.receptionRecordingId, of: "recording" }],
  "rooms/:roomId": () => [
    { value: fx.receptionRoomId, of: "room" },
    { value: fx.briefingRoomId, of: "room" },
  ],
  "holidays/:id": () => [{ value: fx.holidayId, of: "holiday" }],
  "directive-tasks/:id": () => [{ value: fx.directiveTaskId, of: "directiveTask" }],
  "schedules/:id": () => [{ value: fx.scheduleId, of: "schedule" }],
  "slots/:id": () => [{ value: fx.slotId, of: "slot" }],
  "bookings/:id": () => [{ value: fx.bookingId, of: "booking" }],
  "sessions/:id": () => [
    { value: fx.liveSessionId, of: "session" },
    { value: fx.officeSessionId, of: "session" },
  ],
  "book/:id": () => fx.entryIds.map((value) => ({ value, of: "entry" })),
  // The mail queue holds no message here (mail is off): a made-up id, answered 403 or 404.
  "messages/:id": () => [{ value: "no-such-message", of: "mail" }],
};

/** Query values by key; optional keys not here are left out, a required one not here fails the test. */
const queryValues: Record<string, () => string[]> = {
  unitId: () => [fx.unit.id],
  // Searching for each canary: a protected petitioner must not be found by someone who may not see them.
  q: () => canaryKeys.flatMap((key) => [canaries[key].name, canaries[key].cccd, canaries[key].phone]),
  from: () => ["2026-01-01"],
  to: () => ["2026-12-31"],
  format: () => ["xlsx", "pdf"],
  period: () => ["2026"],
  year: () => ["2026"],
  name: () => ["thu.pdf"],
};

/**
 * Bodies of the routes that change something, chosen so the canaries' records stay what they are (the same
 * kind, the same assignee) while the answers still carry what the route returns. The session is ended last.
 */
const bodies: Record<string, () => unknown> = {
  "auth.login": () => ({ username: "nobody-here", password: "wrong password" }),
  "auth.refresh": () => ({}),
  "auth.logout": () => ({}),
  "auth.changePassword": () => ({ currentPassword: "wrong-password", newPassword: "another long passphrase" }),
  "units.create": () => ({ parentId: fx.unit.id, code: `C-${SUFFIX}-${observations.length}`.toUpperCase(), name: "Đơn vị mới", kind: "commune" }),
  "units.update": () => ({ name: "Xã Canary" }),
  "users.create": () => ({ username: `canary-${SUFFIX}-${observations.length}`, displayName: "Tài khoản mới", unitId: fx.unit.id, roles: ["site"], password: "a long enough password" }),
  "users.update": () => ({ displayName: "Điểm cầu thử" }),
  "users.resetPassword": () => ({ newPassword: "a fresh long password" }),
  "cases.create": () => ({ unitId: fx.unit.id, channel: "post", receivedDate: "2026-11-03", summary: "Đơn khác", content: "Nội dung đơn khác đủ dài.", parties: [{ role: "petitioner", name: "Công dân Khác" }] }),
  "cases.act": () => ({ kind: "denunciation", eligible: true, withinCompetence: true }),
  "cases.assign": () => ({ assigneeId: byLabel("assignedInspector").id }),
  "attachments.upload": () => PDF_BYTES,
  // The walked briefings were never scheduled with a time: both answer 404 (or 403) and change nothing.
  "meetings.update": () => ({ title: "Giao ban Canary" }),
  "meetings.cancel": () => undefined,
  // Mail stays off and unconfigured: the settings are saved as they are, the test message has nowhere to go.
  "mail.updateSettings": () => ({ enabled: false, host: "", port: 587, security: "starttls", username: null, fromAddress: "", fromName: null, caCertPem: null }),
  "mail.test": () => ({ to: "kiemtra@tinh.gov.vn" }),
  "mail.retry": () => undefined,
  "meetings.schedule": () => ({ title: "Giao ban khác", roomId: `canary-other-${observations.length}`, start: "2030-01-01T08:00:00+07:00", end: "2030-01-01T10:00:00+07:00", unitIds: [fx.unit.id] }),
  "holidays.create": () => ({ date: "2031-09-04", name: "Ngày nghỉ thử" }),
  "meetings.minutes.update": () => ({ noticeNumber: "1/TB-UBND" }),
  "directives.tasks.report": () => ({ kind: "progress", text: "Tiến độ thực hiện" }),
  "directives.tasks.upload": () => PDF_BYTES,
  "holidays.delete": () => undefined,
  // Not a PKCS#12: refused (CERTIFICATE_INVALID) for an admin, 403 for everyone else; nothing is stored.
  "certificates.upload": () => ({ p12Base64: "AAAA", password: "sai mật khẩu" }),
  // The fixture's unit has no certificate: nothing to remove.
  "certificates.remove": () => undefined,
  "public.submit": () => ({ unitId: fx.unit.id, kind: "complaint", summary: "Khiếu nại khác", content: "Nội dung khiếu nại khác đủ dài.", name: "Công dân Khác", phone: "0900000001", address: "Thôn Khác, xã Khác", consent: true }),
  "public.lookup": () => ({ code: "KHONG-CO", secret: "khong-co-ma-nay" }),
  "public.book": () => ({ slotId: fx.slotId, fullName: "Công dân Khác", cccd: "001000000001", phone: "0900000002", address: "Thôn Khác, xã Khác", petitionKind: "complaint", content: "Nội dung đặt lịch khác.", consent: true }),
  "public.cancelBooking": () => ({ code: "KHONG-CO", secret: "khong-co-ma-nay" }),
  "public.bookingAttachment": () => PDF_BYTES,
  "guests.claimJoinLink": () => ({ bookingId: fx.bookingId, token: "x".repeat(43) }),
  "reception.schedules.create": () => ({ unitId: fx.unit.id, title: "Lịch khác", kind: "regular", rule: "daily", startTime: "08:00", endTime: "10:00", slotMinutes: 30, capacityPerSlot: 2 }),
  "reception.schedules.update": () => ({ title: "Tiếp dân trực tuyến" }),
  "reception.slots.generate": () => ({ from: "2030-03-05", to: "2030-03-05" }),
  "reception.sessions.open": () => ({ unitId: fx.unit.id, shape: "office", kind: "regular", units: [{ unitId: fx.unit.id, role: "office" }] }),
  "reception.sessions.end": () => undefined,
  "reception.sessions.case": () => ({ summary: "Hồ sơ khác từ buổi tiếp" }),
  "reception.book.create": () => ({ unitId: fx.unit.id, receivedAt: new Date().toISOString(), kind: "regular", peopleCount: 1, content: "Công dân khác trình bày.", handling: "khac", citizens: [{ fullName: "Công dân Khác", address: "Thôn Khác" }] }),
  "reception.book.update": () => ({ dossier: "Đơn tố cáo" }),
  "reception.book.confirm": () => ({ method: "office_screen" }),
  "reception.book.conclude": () => ({ conclusion: "Chuyển đơn tố cáo đến cơ quan có thẩm quyền giải quyết." }),
};

function product(lists: Record<string, string[]>): Record<string, string>[] {
  return Object.entries(lists).reduce<Record<string, string>[]>((combos, [key, values]) => combos.flatMap((combo) => values.map((value) => ({ ...combo, [key]: value }))), [{}]);
}

/** Every URL the walker calls for a route: its path parameters and query built from the fixture. */
function urlsOf(route: AnyRoute): string[] {
  let paths: { path: string; previous: ParamValue | null }[] = [{ path: route.path, previous: null }];
  for (const match of route.path.matchAll(/([^/]+)\/:(\w+)/g)) {
    const key = `${match[1]}/:${match[2]}`;
    const values = paramValues[key];
    if (!values) throw new Error(`route ${route.id} (${route.path}) has the path parameter "${key}" the privacy canary cannot fill: add it to paramValues`);
    paths = paths.flatMap(({ path: current, previous }) => values(previous).map((value) => ({ path: current.replace(`:${match[2]}`, value.value), previous: value })));
  }
  const schema = route.query as { shape?: Record<string, { safeParse: (value: unknown) => { success: boolean } }>; safeParse: (value: unknown) => { success: boolean } } | undefined;
  if (!schema) return paths.map(({ path: current }) => current);
  if (!schema.shape) throw new Error(`route ${route.id}: its query schema is not an object the privacy canary can read`);
  const lists: Record<string, string[]> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    const values = queryValues[key];
    if (values) lists[key] = values();
    else if (!field.safeParse(undefined).success) throw new Error(`route ${route.id} has the required query key "${key}" the privacy canary cannot fill: add it to queryValues`);
  }
  // The searches also run without a search term (the plain list).
  if (lists.q) lists.q = ["", ...lists.q];
  const queries = product(lists)
    .map((combo) => Object.fromEntries(Object.entries(combo).filter(([, value]) => value !== "")))
    .filter((combo) => schema.safeParse(combo).success);
  if (queries.length === 0) throw new Error(`route ${route.id}: no query built from queryValues passes its schema`);
  return paths.flatMap(({ path: current }) => queries.map((query) => (Object.keys(query).length ? `${current}?${new URLSearchParams(query).toString()}` : current)));
}

function pdfText(data: Buffer): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-canary-")), "file.pdf");
  fs.writeFileSync(file, data);
  try {
    return execFileSync("pdftotext", ["-q", file, "-"], { encoding: "utf8" });
  } catch {
    // Not a PDF pdftotext can read (a test upload): its bytes are what was sent.
    return data.toString("latin1");
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

const auditCount = (actorId: string) => server.db.auditLog.count({ where: { actorId } });

/** Calls one URL as one account and keeps what came back: the body (files read back) and Content-Disposition. */
async function call(account: Account, route: AnyRoute, url: string): Promise<void> {
  const source: Source = { kind: "rest", name: route.id, where: `${route.method.toUpperCase()} ${url}` };
  const makeBody = bodies[route.id];
  const body = route.method === "get" ? undefined : makeBody?.();
  const headers: Record<string, string> = { authorization: `Bearer ${account.token}`, "accept-language": "vi" };
  if (body !== undefined && !(body instanceof Uint8Array)) headers["content-type"] = "application/json";
  const before = await auditCount(account.id);
  const response = await fetch(`${server.url}/api${url}`, {
    method: route.method.toUpperCase(),
    headers,
    ...(body === undefined ? {} : { body: body instanceof Uint8Array ? new Uint8Array(body) : JSON.stringify(body) }),
  });
  const data = Buffer.from(await response.arrayBuffer());
  const type = response.headers.get("content-type") ?? "";
  const parts: [string, string][] = [];
  if (type.includes("spreadsheetml")) parts.push(["xlsx", await xlsxText(data)]);
  else if (type.includes("pdf")) parts.push(["pdf", pdfText(data)]);
  else parts.push(["body", data.toString("utf8")]);
  const disposition = response.headers.get("content-disposition");
  if (disposition) {
    let decoded = disposition;
    try {
      decoded = decodeURIComponent(disposition);
    } catch {
      // Left as sent.
    }
    parts.push(["Content-Disposition", decoded]);
  }
  const audited = (await auditCount(account.id)) > before;
  for (const [part, text] of parts) observe(account, source, part, text, response.status, route.method === "get" ? audited : null);
  if (route.method === "get" && response.status === 400) badRequests.push(`${account.label} ${source.where}: ${data.toString("utf8").slice(0, 200)}`);
}

/** Reads first, then changes; ending the live session and signing out come last of all. */
function walkOrder(routes: readonly AnyRoute[]): AnyRoute[] {
  const rank = (route: AnyRoute) => (route.id === "reception.sessions.end" || route.id === "auth.logout" ? 2 : route.method === "get" ? 0 : 1);
  return [...routes].sort((a, b) => rank(a) - rank(b));
}

async function walk(routes: AnyRoute[]): Promise<void> {
  const slowest: [string, number][] = [];
  for (const route of routes) {
    const urls = urlsOf(route);
    if (route.method !== "get" && !(route.id in bodies)) throw new Error(`route ${route.id} changes something and has no body in the privacy canary's bodies: add one`);
    const started = performance.now();
    for (const account of accounts) for (const url of urls) await call(account, route, url);
    slowest.push([route.id, Math.round(performance.now() - started)]);
  }
  // Where the time of this long walk goes (information only, never asserted).
  console.log(slowest.sort((a, b) => b[1] - a[1]).slice(0, 8).map(([id, ms]) => `${id} ${ms} ms`).join(", "));
}

// ─── The run ───────────────────────────────────────────────────────────────────────────────────────────

const describeObservation = (o: Observation) => `${o.source.kind === "rest" ? `${o.source.name} ${o.source.where}` : `socket ${o.source.name} in the ${o.source.where} room`} as ${o.account}: ${o.canaries.join(", ")} in ${o.part}${o.status ? ` (${o.status})` : ""}: …${o.context}…`;

beforeAll(async () => {
  logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-canary-log-")), "server.log");
  server = await startTestServer({ LOG_LEVEL: "trace", LOG_FORMAT: "json" }, { logFile });
  await buildFixture();
}, 300_000);

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server?.close();
  if (!process.env.KEEP_CANARY_LOG) fs.rmSync(path.dirname(logFile), { recursive: true, force: true });
});

describe("privacy canary: the whole system", () => {
  it("every route of the registry can be called with the fixture's ids (a new route fails here until it is covered)", () => {
    for (const route of server.routes) {
      expect(() => urlsOf(route), route.id).not.toThrow();
      if (route.method !== "get") expect(bodies, `${route.id} has no body`).toHaveProperty([route.id]);
    }
  });

  it("walks every route as every account (reads, then changes)", async () => {
    await walk(walkOrder(server.routes));
    expect(badRequests, "GET routes the walker called with a query they refuse").toEqual([]);
    // Every route of the registry was called by every account.
    const called = new Set(observations.filter((o) => o.source.kind === "rest").map((o) => `${o.source.name} ${o.account}`));
    for (const route of server.routes) for (const account of accounts) expect(called.has(`${route.id} ${account.label}`), `${route.id} by ${account.label}`).toBe(true);
  }, 1_200_000);

  it("the walk is not vacuous: the policy's readers do see each canary", () => {
    const seen = (label: string, canary: CanaryKey, name: string) => observations.some((o) => o.account === label && o.source.name === name && o.canaries.includes(canary));
    for (const label of ["leader@own", "leader@child"]) {
      for (const key of ["online", "clerk", "session"] as const) expect(seen(label, key, "cases.read"), `${label} reads the ${key} case`).toBe(true);
      expect(seen(label, "booking", "reception.slots.bookings"), `${label} reads the booking`).toBe(true);
      expect(seen(label, "entry", "reception.book.export"), `${label} exports the book`).toBe(true);
    }
    expect(seen("assignedInspector", "online", "cases.read")).toBe(true);
    expect(seen("assignedInspector", "clerk", "attachments.download")).toBe(true);
    expect(seen("hostOfficer", "booking", "meetings.attendanceExport")).toBe(true);
    expect(seen("hostOfficer", "entry", "reception.book.conclusionNotice")).toBe(true);
    expect(seen("hostOfficer", "booking", "peerJoined")).toBe(true);
    expect(seen("leader@own", "booking", "lobby")).toBe(true);
  });

  it("a canary appears only in answers and events the policy allows", () => {
    const leaks = observations.filter((o) => o.canaries.length > 0 && !o.allowed).map(describeObservation);
    expect(leaks).toEqual([]);
  });

  it("every REST read that showed a canary wrote an audit row", () => {
    const unaudited = observations.filter((o) => o.canaries.length > 0 && o.allowed && o.audited === false && o.status === 200).map(describeObservation);
    expect(unaudited).toEqual([]);
  });

  it("the server log holds none of the canaries", () => {
    const log = fs.readFileSync(logFile, "utf8").toLowerCase();
    expect(log).toContain("/api/cases");
    for (const key of canaryKeys) {
      const canary = canaries[key];
      for (const value of [canary.mark, canary.cccd, canary.phone]) expect(log.includes(value.toLowerCase()), `${key}: ${value} is in the log`).toBe(false);
    }
  });
});
