import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CaseService } from "../../signaling/services/cases/cases";
import { ReceptionService } from "../../signaling/services/reception/reception";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import type { BookingDto, EntryDto, RtpCapabilities, SessionDto } from "../../signaling/protocol";
import { connect, nextEvent, ok, request, type TestSocket } from "../helpers/client";
import { buildUnit, staffAccounts, testCitizenSecrets } from "../helpers/factories";
import { pdfText as pdfTextOf, xlsxText } from "../helpers/documents";
import { http } from "../helpers/http";
import { audioProducerParameters, videoProducerParameters } from "../helpers/media";
import { startTestServer, type TestServer } from "../helpers/server";

/**
 * Issue 11 items 12 and 11: who sees a denouncer in the reception book's lists and exports, in bookings,
 * and what a reception's recording may hold (the kind declared first, a later denunciation protects it,
 * a withdrawn consent stops the citizen's tracks at once).
 */

let server: TestServer;
let reception: ReceptionService;
let province: { id: string; path: string };
let commune: { id: string; path: string };
const tokens = {} as Record<Key, string>;
const ids = {} as Record<Key, string>;
type Key = "officer" | "deskOfficer" | "communeLeader" | "provinceLeader" | "provinceOfficer";

const PROTECTED = "Người tố cáo (được bảo mật)";
const DENOUNCER = { fullName: "Lý Thị Kín Đáo", address: "Xóm Kín, xã Riêng", cccd: "001099054321", phone: "0987654321" };
const meta = { ip: "127.0.0.1" };

const actorOf = (key: Key, unit: { id: string; path: string }, role: "officer" | "leader") => ({ id: ids[key], roles: [role] as const, unitId: unit.id, unitPath: unit.path });

async function entry(token: string, body: Record<string, unknown>) {
  const result = await http<EntryDto>(server.url, "POST", "/reception/book", {
    token,
    body: {
      unitId: commune.id,
      receivedAt: "2026-07-10T09:00:00+07:00",
      kind: "regular",
      peopleCount: 1,
      content: "Công dân trình bày nội dung vụ việc.",
      handling: "tiep_nhan_don",
      citizens: [{ fullName: "Phan Văn Thường", address: "Thôn Thường" }],
      ...body,
    },
  });
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  return result.body;
}

async function download(token: string, url: string) {
  const response = await fetch(`${server.url}/api${url}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, data: Buffer.from(await response.arrayBuffer()) };
}

const pdfText = (data: Buffer) => pdfTextOf(data).replace(/\s+/g, " ");

/** Everything a reader gets of a period of the book: the list (JSON), the PDF and the XLSX export. */
async function periodViews(token: string, from: string, to: string) {
  const query = `unitId=${commune.id}&from=${from}&to=${to}`;
  const list = await http<{ items: EntryDto[] }>(server.url, "GET", `/reception/book?${query}`, { token });
  expect(list.status).toBe(200);
  const pdf = await download(token, `/reception/book-export?${query}&format=pdf`);
  const xlsx = await download(token, `/reception/book-export?${query}&format=xlsx`);
  expect([pdf.status, xlsx.status]).toEqual([200, 200]);
  return { list: JSON.stringify(list.body), pdf: pdfText(pdf.data), xlsx: await xlsxText(xlsx.data) };
}

function expectNoDenouncer(text: string, who: string) {
  for (const value of Object.values(DENOUNCER)) expect(text, `${who}: ${value}`).not.toContain(value);
}

beforeAll(async () => {
  server = await startTestServer();
  reception = new ReceptionService(server.db, { cases: new CaseService(server.db, testCitizenSecrets), secrets: testCitizenSecrets, dataDir: server.dataDir });
  province = await buildUnit(server.db, { name: "UBND tỉnh Riêng Tư" });
  commune = await buildUnit(server.db, { parent: province, name: "UBND xã Riêng", kind: "commune" });
  await staffAccounts(
    server.db,
    DEMO_JWT_SECRET,
    [
      ["officer", commune, "officer", "Cán Bộ Tiếp Nhận"],
      ["deskOfficer", commune, "officer", "Cán Bộ Bàn Bên"],
      ["communeLeader", commune, "leader", "Chủ Tịch Xã Riêng"],
      ["provinceLeader", province, "leader", "Chủ Tịch Tỉnh Riêng"],
      ["provinceOfficer", province, "officer", "Cán Bộ Tỉnh Riêng"],
    ],
    { tokens, ids },
  );
});

afterAll(async () => {
  await server?.close();
});

describe("item 12: the book's lists and period exports", () => {
  let denunciation: EntryDto;

  beforeAll(async () => {
    denunciation = await entry(tokens.officer, { receivedAt: "2026-07-03T10:00:00+07:00", petitionKind: "denunciation", content: "Tố cáo cán bộ thu tiền trái phép.", citizens: [DENOUNCER] });
    await entry(tokens.officer, { receivedAt: "2026-07-04T10:00:00+07:00", citizens: [{ fullName: "Đặng Văn Công Khai", address: "Thôn Mở" }] });
  });

  it("mask the denouncer even for the officer who received them; the visit and other citizens stay", async () => {
    const identityReads = () => server.db.auditLog.count({ where: { action: "reception.identity.read", subjectId: denunciation.id, actorId: { in: [ids.officer, ids.deskOfficer, ids.provinceOfficer] } } });
    const before = await identityReads();
    for (const key of ["officer", "deskOfficer", "provinceOfficer"] as const) {
      const views = await periodViews(tokens[key], "2026-07-01", "2026-07-05");
      for (const [name, text] of Object.entries(views)) {
        expectNoDenouncer(text, `${key} ${name}`);
        expect(text, `${key} ${name}`).toContain("Đặng Văn Công Khai");
      }
      expect(views.pdf).toContain(PROTECTED);
      expect(views.xlsx).toContain(PROTECTED);
    }
    expect(await identityReads()).toBe(before);
  });

  it("name the denouncer to the leaders over the unit, each read audited", async () => {
    for (const key of ["communeLeader", "provinceLeader"] as const) {
      const before = await server.db.auditLog.count({ where: { action: "reception.identity.read", subjectId: denunciation.id, actorId: ids[key] } });
      const views = await periodViews(tokens[key], "2026-07-01", "2026-07-05");
      for (const [name, text] of Object.entries(views)) expect(text, `${key} ${name}`).toContain(DENOUNCER.fullName);
      expect(await server.db.auditLog.count({ where: { action: "reception.identity.read", subjectId: denunciation.id, actorId: ids[key] } })).toBe(before + 3);
    }
  });

  it("the receiving officer sees the identity in that one entry and its conclusion notice; another officer sees neither", async () => {
    const own = await http<EntryDto>(server.url, "GET", `/reception/book/${denunciation.id}`, { token: tokens.officer });
    expect(own.body).toMatchObject({ identityProtected: false, citizens: [{ fullName: DENOUNCER.fullName, cccd: DENOUNCER.cccd }] });
    const theirs = await http<EntryDto>(server.url, "GET", `/reception/book/${denunciation.id}`, { token: tokens.deskOfficer });
    expect(theirs.body).toMatchObject({ identityProtected: true, citizens: [{ fullName: PROTECTED, cccd: null }] });

    await http(server.url, "POST", `/reception/book/${denunciation.id}/conclusion`, { token: tokens.communeLeader, body: { conclusion: "Chuyển đơn tố cáo đến cơ quan có thẩm quyền giải quyết." } });
    const notice = await download(tokens.officer, `/reception/book/${denunciation.id}/conclusion`);
    expect(notice.status).toBe(200);
    expect(pdfText(notice.data)).toContain(DENOUNCER.fullName);
    const otherNotice = await download(tokens.deskOfficer, `/reception/book/${denunciation.id}/conclusion`);
    expect(otherNotice.status).toBe(200);
    expectNoDenouncer(pdfText(otherNotice.data), "deskOfficer notice");
  });

  it("an entry about a denunciation booking, or one reclassified later, stays protected", async () => {
    const slotSchedule = await server.db.receptionSchedule.create({ data: { unitId: commune.id, title: "Bàn tiếp", kind: "regular", rule: "daily", startTime: "08:00", endTime: "09:00", slotMinutes: 60, capacityPerSlot: 5 } });
    const slot = await server.db.receptionSlot.create({ data: { scheduleId: slotSchedule.id, unitId: commune.id, startsAt: new Date("2026-07-08T01:00:00Z"), endsAt: new Date("2026-07-08T02:00:00Z"), capacity: 5, mode: "office" } });
    const booking = await server.db.booking.create({
      data: { code: `TD-RT-${Date.now()}`, slotId: slot.id, unitId: commune.id, ...DENOUNCER, petitionKind: "denunciation", content: "Tố cáo.", cancelSecretHash: "x" },
    });
    // The officer writes the visit without repeating the kind: the booking says denunciation.
    const fromBooking = await entry(tokens.officer, { receivedAt: "2026-07-08T09:00:00+07:00", bookingId: booking.id, citizens: [DENOUNCER] });
    expect(fromBooking.identityProtected).toBe(false);
    const read = await http<EntryDto>(server.url, "GET", `/reception/book/${fromBooking.id}`, { token: tokens.deskOfficer });
    expect(read.body.identityProtected).toBe(true);
    expectNoDenouncer(JSON.stringify(read.body), "entry of a denunciation booking");

    const reclassified = await entry(tokens.officer, { receivedAt: "2026-07-09T09:00:00+07:00", petitionKind: "denunciation", citizens: [DENOUNCER] });
    const patched = await http<EntryDto>(server.url, "PATCH", `/reception/book/${reclassified.id}`, { token: tokens.officer, body: { petitionKind: "complaint" } });
    expect(patched.status).toBe(200);
    const after = await http<EntryDto>(server.url, "GET", `/reception/book/${reclassified.id}`, { token: tokens.deskOfficer });
    expect(after.body.identityProtected).toBe(true);
    expectNoDenouncer(JSON.stringify(after.body), "reclassified entry");
    expectNoDenouncer((await periodViews(tokens.deskOfficer, "2026-07-08", "2026-07-09")).list, "list after reclassification");
  });
});

describe("item 12: desk officers see the denouncer's booking they handle", () => {
  it("a denunciation booking is masked to the unit's officers until one of them hosts its session; leaders over the unit see it", async () => {
    const schedule = await server.db.receptionSchedule.create({ data: { unitId: commune.id, title: "Bàn tiếp 2", kind: "regular", rule: "daily", startTime: "08:00", endTime: "09:00", slotMinutes: 60, capacityPerSlot: 5 } });
    const slot = await server.db.receptionSlot.create({ data: { scheduleId: schedule.id, unitId: commune.id, startsAt: new Date("2030-07-08T01:00:00Z"), endsAt: new Date("2030-07-08T02:00:00Z"), capacity: 5, mode: "online" } });
    const booking = await server.db.booking.create({
      data: { code: `TD-RT2-${Date.now()}`, slotId: slot.id, unitId: commune.id, ...DENOUNCER, petitionKind: "denunciation", content: "Tố cáo.", cancelSecretHash: "x" },
    });
    const seenBy = async (key: Key) => {
      const listed = await http<{ items: BookingDto[] }>(server.url, "GET", `/reception/slots/${slot.id}/bookings`, { token: tokens[key] });
      expect(listed.status, key).toBe(200);
      return listed.body.items.find((item) => item.id === booking.id)!;
    };
    for (const key of ["officer", "deskOfficer", "provinceOfficer"] as const) {
      const seen = await seenBy(key);
      expect(seen, key).toMatchObject({ identityProtected: true, fullName: PROTECTED, cccd: null, phone: null });
      expectNoDenouncer(JSON.stringify(seen), key);
    }
    for (const key of ["communeLeader", "provinceLeader"] as const) expect((await seenBy(key)).fullName, key).toBe(DENOUNCER.fullName);

    const session = await http<SessionDto>(server.url, "POST", "/reception/sessions", { token: tokens.officer, body: { unitId: commune.id, shape: "direct", kind: "regular", bookingId: booking.id } });
    expect(session.status).toBe(201);
    expect(await seenBy("officer")).toMatchObject({ identityProtected: false, fullName: DENOUNCER.fullName, cccd: DENOUNCER.cccd });
    expect((await seenBy("deskOfficer")).fullName).toBe(PROTECTED);
    expect(await server.db.auditLog.count({ where: { action: "reception.identity.read", subjectType: "booking", subjectId: booking.id, actorId: ids.officer } })).toBe(1);
  });
});

describe("item 11: what a reception's recording may hold", () => {
  it("an office session is recorded only once the officer declared what the visit is about, and never a declared denunciation", async () => {
    const office = await reception.sessions.open(actorOf("officer", commune, "officer"), { unitId: commune.id, shape: "office", kind: "regular", units: [{ unitId: commune.id, role: "office" }] }, meta);
    await reception.sessions.recordConsent(office.id, true, new Date());
    expect(await reception.sessions.recordingRefusal(office.id)).toBe("RECORDING_KIND_UNDECLARED");
    await reception.sessions.recordConsent(office.id, true, new Date(), "recommendation");
    expect(await reception.sessions.recordingRefusal(office.id)).toBeNull();

    const secret = await reception.sessions.open(actorOf("officer", commune, "officer"), { unitId: commune.id, shape: "office", kind: "regular", units: [{ unitId: commune.id, role: "office" }] }, meta);
    await reception.sessions.recordConsent(secret.id, true, new Date(), "denunciation");
    expect(await reception.sessions.recordingRefusal(secret.id)).toBe("RECORDING_NOT_ALLOWED");
    // A declared denunciation is not undone by declaring something else afterwards.
    await reception.sessions.recordConsent(secret.id, true, new Date(), "complaint");
    expect(await reception.sessions.recordingRefusal(secret.id)).toBe("RECORDING_NOT_ALLOWED");
  });

  it("a book entry marking a denunciation after the recording protects it: only the policy's readers download it", async () => {
    const office = await reception.sessions.open(actorOf("officer", commune, "officer"), { unitId: commune.id, shape: "office", kind: "regular", units: [{ unitId: commune.id, role: "office" }] }, meta);
    await reception.sessions.recordConsent(office.id, true, new Date(), "complaint");
    const meeting = await server.db.meeting.create({ data: { roomId: office.roomId, title: "Tiếp công dân" } });
    const file = path.join("recordings", "privacy-test", "ghi-hinh.mp4");
    fs.mkdirSync(path.join(server.dataDir, path.dirname(file)), { recursive: true });
    fs.writeFileSync(path.join(server.dataDir, file), "not really an mp4");
    const recording = await server.db.recording.create({ data: { meetingId: meeting.id, status: "ready", file } });
    await reception.sessions.linkRecording(office.id, recording.id);
    const url = `/meetings/${meeting.id}/recordings/${recording.id}`;
    expect((await download(tokens.deskOfficer, url)).status).toBe(200);

    await entry(tokens.officer, { sessionId: office.id, petitionKind: "denunciation", citizens: [DENOUNCER] });
    expect((await reception.sessions.read(actorOf("officer", commune, "officer"), office.id)).identityProtected).toBe(true);
    expect(await reception.sessions.recordingRefusal(office.id)).toBe("RECORDING_NOT_ALLOWED");
    for (const key of ["deskOfficer", "provinceOfficer"] as const) expect((await download(tokens[key], url)).status, key).toBe(403);
    for (const key of ["officer", "communeLeader", "provinceLeader"] as const) expect((await download(tokens[key], url)).status, key).toBe(200);
  });
});

describe("item 11: a citizen who withdraws consent", () => {
  const sockets: TestSocket[] = [];
  let caps: RtpCapabilities;
  const socketFor = async (token: string) => {
    const socket = await connect(server.url, { token });
    sockets.push(socket);
    caps ??= (await ok(socket, "getRouterRtpCapabilities", {})).rtpCapabilities;
    return socket;
  };
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });

  it("a book entry written during a recording that says denunciation stops the recording at once; it cannot restart", async () => {
    const office = (
      await http<SessionDto>(server.url, "POST", "/reception/sessions", { token: tokens.officer, body: { unitId: commune.id, shape: "office", kind: "regular", units: [{ unitId: commune.id, role: "office" }] } })
    ).body;
    const staff = await socketFor(tokens.officer);
    await ok(staff, "join", { roomId: office.roomId, rtpCapabilities: caps });
    const send = await ok(staff, "createWebRtcTransport", { direction: "send" });
    await ok(staff, "produce", { transportId: send.id, kind: "audio", source: "mic", rtpParameters: audioProducerParameters(911), paused: true });
    // The officer declares a complaint with the consent: recording is allowed.
    await ok(staff, "recordOfficeConsent", { accepted: true, petitionKind: "complaint" });
    const { recordingId } = await ok(staff, "startRecording", {});
    const room = (await server.rooms.get(office.roomId))!;
    expect(room.recording).toBe(true);

    // The book entry written while recording says what the petition really is.
    await entry(tokens.officer, { sessionId: office.id, petitionKind: "denunciation", citizens: [DENOUNCER] });
    // By the time the entry is answered the recording is stopped (what was recorded is kept, protected).
    expect(room.recording).toBe(false);
    expect((await server.db.recording.findUniqueOrThrow({ where: { id: recordingId } })).status).not.toBe("recording");
    expect(await request(staff, "startRecording", {})).toMatchObject({ ok: false, error: { code: "RECORDING_NOT_ALLOWED" } });
    await server.recordings.flush();
  });

  it("stops the recording of their media at once with the real recorder; the officer's tracks go on, the room is told, the row says so", async () => {
    const now = Date.now();
    const schedule = await server.db.receptionSchedule.create({ data: { unitId: commune.id, title: "Trực tuyến", kind: "regular", rule: null, startTime: "00:00", endTime: "23:59", slotMinutes: 60, capacityPerSlot: 5 } });
    const slot = await server.db.receptionSlot.create({ data: { scheduleId: schedule.id, unitId: commune.id, startsAt: new Date(now + 10 * 60_000), endsAt: new Date(now + 70 * 60_000), capacity: 5, mode: "online" } });
    const receipt = await http<{ bookingId: string; joinToken: string }>(server.url, "POST", "/public/reception/bookings", {
      body: { slotId: slot.id, fullName: "Vương Thị Rút Lại", cccd: "001090077777", phone: "0977777777", address: "Thôn Rút", petitionKind: "complaint", content: "Khiếu nại quyết định thu hồi đất của xã.", consent: true },
    });
    expect(receipt.status, JSON.stringify(receipt.body)).toBe(201);
    const pass = (await http<{ guestToken: string }>(server.url, "POST", "/public/reception/join", { body: { bookingId: receipt.body.bookingId, token: receipt.body.joinToken } })).body.guestToken;
    const session = (await http<SessionDto>(server.url, "POST", "/reception/sessions", { token: tokens.officer, body: { unitId: commune.id, shape: "direct", kind: "regular", bookingId: receipt.body.bookingId } })).body;

    const staff = await socketFor(tokens.officer);
    await ok(staff, "join", { roomId: session.roomId, rtpCapabilities: caps });
    const staffSend = await ok(staff, "createWebRtcTransport", { direction: "send" });
    await ok(staff, "produce", { transportId: staffSend.id, kind: "audio", source: "mic", rtpParameters: audioProducerParameters(901), paused: true });
    const lobby = await socketFor(pass);
    await ok(lobby, "enterLobby", {});
    await ok(staff, "admitGuest", { bookingId: receipt.body.bookingId });
    await ok(lobby, "answerConsent", { accepted: true });
    const guest = await socketFor(pass);
    const joined = await ok(guest, "join", { roomId: session.roomId, rtpCapabilities: caps });
    const guestSend = await ok(guest, "createWebRtcTransport", { direction: "send" });
    await ok(guest, "produce", { transportId: guestSend.id, kind: "audio", source: "mic", rtpParameters: audioProducerParameters(902), paused: true });

    // Paused producers (no packets in this test): the start does not wait for their first packet.
    const { recordingId } = await ok(staff, "startRecording", {});
    const room = (await server.rooms.get(session.roomId))!;
    const guestTracks = () => room.recorder!.tracks.filter((track) => track.label.peerId === joined.peerId);
    const otherTracks = () => room.recorder!.tracks.filter((track) => track.label.peerId !== joined.peerId);
    // The start is announced after a short wait; a track still starting then joins on its "trackStarted".
    const trackOf = (peerIsGuest: boolean) =>
      new Promise<void>((resolve) => {
        const recorder = room.recorder!;
        if ((peerIsGuest ? guestTracks() : otherTracks()).length > 0) return resolve();
        recorder.on("trackStarted", (track) => {
          if ((track.label.peerId === joined.peerId) === peerIsGuest) resolve();
        });
      });
    await Promise.all([trackOf(true), trackOf(false)]);
    expect(guestTracks().map((track) => track.state)).toEqual(["recording"]);

    const told = nextEvent(staff, "recordingConsentWithdrawn");
    await ok(lobby, "answerConsent", { accepted: false });
    // At once: by the time the answer is acknowledged the citizen's track is finished.
    expect(guestTracks().map((track) => track.state)).toEqual(["ended"]);
    expect(otherTracks().map((track) => track.state)).toEqual(["recording"]);
    expect(await told).toEqual({ recordingId, peerIds: [joined.peerId] });
    expect((await server.db.recording.findUniqueOrThrow({ where: { id: recordingId } })).consentWithdrawnAt).not.toBeNull();

    // Media the citizen sends afterwards is not recorded, and the recording cannot restart without consent.
    await ok(guest, "produce", { transportId: guestSend.id, kind: "video", source: "webcam", rtpParameters: videoProducerParameters(904), paused: true });
    await ok(staff, "stopRecording", {});
    expect(await request(staff, "startRecording", {})).toMatchObject({ ok: false, error: { code: "CONSENT_REQUIRED" } });
    await server.recordings.flush();
    const written = JSON.parse(fs.readFileSync(path.join(server.dataDir, "recordings", recordingId, "tracks.json"), "utf8")) as { tracks: { label: { peerId: string } }[] };
    expect(written.tracks.filter((track) => track.label.peerId === joined.peerId)).toHaveLength(1);
  });
});
