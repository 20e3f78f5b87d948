import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import type { Role, RtpCapabilities } from "../../signaling/protocol";
import { connect, nextEvent, ok, type TestSocket } from "../helpers/client";
import { buildUnit, tokenFor } from "../helpers/factories";
import { pdfText as pdfTextOf, xlsxText } from "../helpers/documents";
import { http } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

/**
 * Meeting records (list, record, attendance exports, recordings) and live room state are scoped to the
 * meeting's units: the host unit's subtree, the invited units' subtrees, the leaders and admins over
 * them. A reception room follows the reception policy, and the citizen's name in it is shown only to
 * whom that policy allows — masked for everyone else — with an audit row for every read that shows it.
 */

interface Unit {
  id: string;
  path: string;
}
interface Account {
  id: string;
  token: string;
}

let server: TestServer;
let caps: RtpCapabilities;
const sockets: TestSocket[] = [];
let serial = 0;
const CANARY = `Trần Thị Canary${Date.now().toString(36)}`;

let province: Unit;
let host: Unit;
let hostChild: Unit;
let invited: Unit;
let unrelated: Unit;
const as: Record<string, Account> = {};

async function account(name: string, unit: Unit, roles: Role[]): Promise<void> {
  const made = await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles, displayName: name });
  as[name] = { id: made.user.id, token: made.token };
}

async function socketFor(token: string): Promise<TestSocket> {
  const socket = await connect(server.url, { token });
  sockets.push(socket);
  caps ??= (await ok(socket, "getRouterRtpCapabilities", {})).rtpCapabilities;
  return socket;
}

const get = (who: string, route: string) => http<Record<string, unknown>>(server.url, "GET", route, { token: as[who]!.token });

async function download(who: string, route: string) {
  const response = await fetch(`${server.url}/api${route}`, { headers: { authorization: `Bearer ${as[who]!.token}` } });
  const data = Buffer.from(await response.arrayBuffer());
  const json = response.headers.get("content-type")?.includes("json") ? (JSON.parse(data.toString("utf8")) as unknown) : null;
  return { status: response.status, data, json };
}

const pdfText = (data: Buffer) => pdfTextOf(data, { layout: true });

async function listedIds(who: string): Promise<string[]> {
  const result = await http<{ items: { id: string }[]; total: number }>(server.url, "GET", "/meetings?pageSize=100", { token: as[who]!.token });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  // The list pages in the database (meetingPolicy.listScope) and judges each row again with readRecord: the
  // total counts what the condition let through, so a condition wider than the rule shows here.
  expect(result.body.total, `${who}: total vs rows`).toBe(result.body.items.length);
  return result.body.items.map((item) => item.id);
}

/** A ready recording of the meeting: a small real file stands in for a composed one (the route only streams it). */
async function readyRecording(meetingId: string): Promise<string> {
  const file = path.join("recordings", `scope-${++serial}`, "ghi-hinh.mp4");
  fs.mkdirSync(path.join(server.dataDir, path.dirname(file)), { recursive: true });
  fs.writeFileSync(path.join(server.dataDir, file), "not really a video");
  const row = await server.db.recording.create({ data: { meetingId, status: "ready", file, sha256: "00".repeat(32) } });
  return row.id;
}

const identityReads = (meetingId: string, actorId: string) =>
  server.db.auditLog.count({ where: { action: "meeting.identity.read", subjectType: "meeting", subjectId: meetingId, actorId } });

beforeAll(async () => {
  server = await startTestServer();
  province = await buildUnit(server.db, { name: "Tỉnh Phạm Vi" });
  host = await buildUnit(server.db, { parent: province, name: "Sở chủ trì" });
  hostChild = await buildUnit(server.db, { parent: host, name: "Phòng thuộc Sở chủ trì" });
  invited = await buildUnit(server.db, { parent: province, name: "UBND xã được mời" });
  unrelated = await buildUnit(server.db, { parent: province, name: "Sở không liên quan" });
  await account("chair", host, ["leader"]);
  await account("hostOfficer", host, ["officer"]);
  await account("hostDeskOfficer", host, ["officer"]);
  await account("hostChildInspector", hostChild, ["inspector"]);
  await account("invitedOfficer", invited, ["officer"]);
  await account("provinceLeader", province, ["leader"]);
  await account("provinceAdmin", province, ["admin"]);
  await account("provinceOfficer", province, ["officer"]);
  await account("unrelatedOfficer", unrelated, ["officer"]);
  await account("unrelatedLeader", unrelated, ["leader"]);
  await account("unrelatedInspector", unrelated, ["inspector"]);
  await account("unrelatedAdmin", unrelated, ["admin"]);
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});

afterAll(async () => {
  await server?.close();
});

describe("a briefing's record is scoped to its host and invited units", () => {
  let meetingId: string;
  let roomId: string;
  let recordingId: string;

  beforeAll(async () => {
    roomId = `giao-ban-pham-vi-${Date.now().toString(36)}`;
    const scheduled = await http<{ id: string }>(server.url, "POST", "/meetings", {
      token: as.chair!.token,
      body: { title: "Giao ban phạm vi", roomId, start: "2030-01-01T08:00:00+07:00", end: "2030-01-01T10:00:00+07:00", unitIds: [invited.id] },
    });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(201);
    meetingId = scheduled.body.id;
    const chair = await socketFor(as.chair!.token);
    await ok(chair, "join", { roomId, rtpCapabilities: caps });
    await ok(chair, "sendChat", { text: "Bắt đầu giao ban." });
    await ok(chair, "leave", {});
    await server.attendance.flush();
    recordingId = await readyRecording(meetingId);
  });

  const readers = ["chair", "hostOfficer", "hostChildInspector", "invitedOfficer", "provinceLeader", "provinceAdmin"];
  const outsiders = ["unrelatedOfficer", "unrelatedLeader", "unrelatedInspector", "unrelatedAdmin", "provinceOfficer"];

  it("is listed, read, exported and downloaded by the host's and invited units' staff and those over them", async () => {
    for (const who of readers) {
      expect(await listedIds(who), who).toContain(meetingId);
      const record = await get(who, `/meetings/${meetingId}`);
      expect(record.status, `${who}: ${JSON.stringify(record.body)}`).toBe(200);
      expect((await download(who, `/meetings/${meetingId}/attendance?format=xlsx`)).status, who).toBe(200);
      expect((await download(who, `/meetings/${meetingId}/recordings/${recordingId}`)).status, who).toBe(200);
    }
  });

  it("is neither listed nor readable by staff of an unrelated unit, nor by a non-leader above the host", async () => {
    for (const who of outsiders) {
      expect(await listedIds(who), who).not.toContain(meetingId);
      expect(await get(who, `/meetings/${meetingId}`), who).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
      for (const format of ["xlsx", "pdf"]) {
        const exported = await download(who, `/meetings/${meetingId}/attendance?format=${format}`);
        expect(exported.status, `${who} ${format}`).toBe(403);
        expect(exported.json).toMatchObject({ error: { code: "FORBIDDEN" } });
      }
      const recording = await download(who, `/meetings/${meetingId}/recordings/${recordingId}`);
      expect(recording.status, who).toBe(403);
    }
    // The list's total counts only what the caller may read.
    const page = await http<{ total: number; items: unknown[] }>(server.url, "GET", "/meetings", { token: as.unrelatedOfficer!.token });
    expect(page.body.total).toBe(page.body.items.length);
  });

  it("shows the live room's state only to the meeting's readers", async () => {
    const chair = await socketFor(as.chair!.token);
    await ok(chair, "join", { roomId, rtpCapabilities: caps });
    await server.attendance.flush();
    expect((await get("invitedOfficer", `/rooms/${roomId}`)).status).toBe(200);
    expect((await get("hostOfficer", `/rooms/${roomId}`)).status).toBe(200);
    for (const who of outsiders) {
      expect(await get(who, `/rooms/${roomId}`), who).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
    }
  });

  it("an ad-hoc room's record belongs to the units whose accounts attended", async () => {
    const adHoc = `phong-tu-do-${Date.now().toString(36)}`;
    const socket = await socketFor(as.unrelatedOfficer!.token);
    await ok(socket, "join", { roomId: adHoc, rtpCapabilities: caps });
    await ok(socket, "leave", {});
    await server.attendance.flush();
    const meeting = await server.db.meeting.findUniqueOrThrow({ where: { roomId: adHoc } });
    expect((await get("unrelatedInspector", `/meetings/${meeting.id}`)).status).toBe(200);
    expect(await listedIds("provinceLeader")).toContain(meeting.id);
    expect(await listedIds("hostOfficer")).not.toContain(meeting.id);
    expect((await get("hostOfficer", `/meetings/${meeting.id}`)).status).toBe(403);
  });
});

describe("a reception room's record follows the reception policy", () => {
  let meetingId: string;
  let roomId: string;
  let recordingId: string;
  let staffSocket: TestSocket;
  let guestRoom: TestSocket;

  /** A denouncer booked online at the host unit, received by its officer: the whole path through the real server. */
  beforeAll(async () => {
    const now = Date.now();
    const schedule = await server.db.receptionSchedule.create({
      data: { unitId: host.id, title: "Tiếp dân thường xuyên", kind: "regular", rule: null, startTime: "00:00", endTime: "23:59", slotMinutes: 60, capacityPerSlot: 5 },
    });
    const slot = await server.db.receptionSlot.create({
      data: { scheduleId: schedule.id, unitId: host.id, startsAt: new Date(now + 10 * 60_000), endsAt: new Date(now + 70 * 60_000), capacity: 5, mode: "online" },
    });
    const receipt = await http<{ bookingId: string; joinToken: string }>(server.url, "POST", "/public/reception/bookings", {
      body: {
        slotId: slot.id,
        fullName: CANARY,
        cccd: "001090077123",
        phone: "0912377123",
        address: "Thôn Bắc, xã Yên Phong",
        petitionKind: "denunciation",
        content: "Tố cáo hành vi nhận tiền của cán bộ địa chính xã.",
        consent: true,
      },
    });
    expect(receipt.status, JSON.stringify(receipt.body)).toBe(201);
    const pass = await http<{ guestToken: string }>(server.url, "POST", "/public/reception/join", { body: { bookingId: receipt.body.bookingId, token: receipt.body.joinToken } });
    expect(pass.status).toBe(200);
    const opened = await http<{ id: string; roomId: string }>(server.url, "POST", "/reception/sessions", {
      token: as.hostOfficer!.token,
      body: { unitId: host.id, shape: "direct", kind: "regular", bookingId: receipt.body.bookingId },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    roomId = opened.body.roomId;

    // These sockets stay open through the tests (the room's live state is read below).
    staffSocket = await connect(server.url, { token: as.hostOfficer!.token });
    caps ??= (await ok(staffSocket, "getRouterRtpCapabilities", {})).rtpCapabilities;
    const lobby = await connect(server.url, { token: pass.body.guestToken });
    guestRoom = await connect(server.url, { token: pass.body.guestToken });
    await ok(staffSocket, "join", { roomId, rtpCapabilities: caps });
    await ok(lobby, "enterLobby", {});
    const admitted = nextEvent(lobby, "admitted");
    await ok(staffSocket, "admitGuest", { bookingId: receipt.body.bookingId });
    await admitted;
    await ok(lobby, "answerConsent", { accepted: true });
    await ok(guestRoom, "join", { roomId, rtpCapabilities: caps });
    await ok(guestRoom, "sendChat", { text: `Tôi là ${CANARY}, ở thôn Bắc.` });
    lobby.disconnect();
    await server.attendance.flush();
    const meeting = await server.db.meeting.findUniqueOrThrow({ where: { roomId } });
    meetingId = meeting.id;
    recordingId = await readyRecording(meetingId);
  });

  afterAll(() => {
    staffSocket?.disconnect();
    guestRoom?.disconnect();
  });

  it("is refused, and not listed, to staff of an unrelated unit and to admins", async () => {
    for (const who of ["unrelatedOfficer", "unrelatedLeader", "unrelatedAdmin", "provinceAdmin", "invitedOfficer"]) {
      expect(await listedIds(who), who).not.toContain(meetingId);
      expect(await get(who, `/meetings/${meetingId}`), who).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
      expect((await download(who, `/meetings/${meetingId}/attendance?format=pdf`)).status, who).toBe(403);
      expect((await download(who, `/meetings/${meetingId}/recordings/${recordingId}`)).status, who).toBe(403);
      expect(await get(who, `/rooms/${roomId}`), who).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
    }
  });

  it("masks the denouncer's name for the unit's other desk officer, in the record, the exports and the live room, and refuses the recording", async () => {
    const who = "hostDeskOfficer";
    expect(await listedIds(who)).toContain(meetingId);
    const record = await get(who, `/meetings/${meetingId}`);
    expect(record.status, JSON.stringify(record.body)).toBe(200);
    expect(JSON.stringify(record.body)).not.toContain("Canary");
    expect(JSON.stringify(record.body)).toContain("được bảo mật");
    const xlsx = await download(who, `/meetings/${meetingId}/attendance?format=xlsx`);
    expect(xlsx.status).toBe(200);
    expect(await xlsxText(xlsx.data)).not.toContain("Canary");
    const pdf = await download(who, `/meetings/${meetingId}/attendance?format=pdf`);
    expect(pdf.status).toBe(200);
    expect(pdfText(pdf.data)).not.toContain("Canary");
    const live = await get(who, `/rooms/${roomId}`);
    expect(live.status).toBe(200);
    expect(JSON.stringify(live.body)).not.toContain("Canary");
    // The film shows the citizen: no masking is possible, so it is for the identity's readers only.
    expect((await download(who, `/meetings/${meetingId}/recordings/${recordingId}`)).status).toBe(403);
    expect(await identityReads(meetingId, as[who]!.id)).toBe(0);
  });

  it("shows the name to the receiving officer and the leaders over the unit, auditing every read", async () => {
    for (const who of ["hostOfficer", "chair", "provinceLeader"]) {
      const before = await identityReads(meetingId, as[who]!.id);
      const record = await get(who, `/meetings/${meetingId}`);
      expect(record.status, `${who}: ${JSON.stringify(record.body)}`).toBe(200);
      expect(JSON.stringify(record.body), who).toContain(CANARY);
      const xlsx = await download(who, `/meetings/${meetingId}/attendance?format=xlsx`);
      expect(await xlsxText(xlsx.data), who).toContain(CANARY);
      const pdf = await download(who, `/meetings/${meetingId}/attendance?format=pdf`);
      expect(pdfText(pdf.data), who).toContain("Canary");
      const live = await get(who, `/rooms/${roomId}`);
      expect(JSON.stringify(live.body), who).toContain(CANARY);
      expect((await download(who, `/meetings/${meetingId}/recordings/${recordingId}`)).status, who).toBe(200);
      expect(await identityReads(meetingId, as[who]!.id), who).toBe(before + 5);
    }
  });
});
