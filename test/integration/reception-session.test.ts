import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import type { RtpCapabilities } from "../../signaling/protocol";
import { connect, nextEvent, ok, request, type TestSocket } from "../helpers/client";
import { buildUnit, tokenFor } from "../helpers/factories";
import { http } from "../helpers/http";
import { audioProducerParameters } from "../helpers/media";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
let caps: RtpCapabilities;
let commune: { id: string; path: string };
let officer: string;
let officerId: string;
let serial = 0;
const sockets: TestSocket[] = [];

async function socketFor(token: string): Promise<TestSocket> {
  const socket = await connect(server.url, { token });
  sockets.push(socket);
  caps ??= (await ok(socket, "getRouterRtpCapabilities", {})).rtpCapabilities;
  return socket;
}

/** An online slot starting in 10 minutes (its link already opens), booked through the public form: the receipt carries the join link. */
async function bookNow(petitionKind: "complaint" | "denunciation" = "complaint") {
  const now = Date.now();
  const schedule = await server.db.receptionSchedule.create({
    data: { unitId: commune.id, title: "Tiếp dân thường xuyên", kind: "regular", rule: null, startTime: "00:00", endTime: "23:59", slotMinutes: 60, capacityPerSlot: 5 },
  });
  const slot = await server.db.receptionSlot.create({
    data: { scheduleId: schedule.id, unitId: commune.id, startsAt: new Date(now + 10 * 60_000), endsAt: new Date(now + 70 * 60_000), capacity: 5, mode: "online" },
  });
  serial++;
  const receipt = await http<{ bookingId: string; joinToken: string; code: string }>(server.url, "POST", "/public/reception/bookings", {
    body: {
      slotId: slot.id,
      fullName: "Nguyễn Thị Lan",
      cccd: `0010900${String(10000 + serial).padStart(5, "0")}`,
      phone: `09${String(12345670 + serial).padStart(8, "0")}`,
      address: "Thôn Đông, xã Yên Phong",
      petitionKind,
      content: "Đề nghị xem xét việc cấp giấy chứng nhận quyền sử dụng đất cho gia đình.",
      consent: true,
    },
  });
  expect(receipt.status, JSON.stringify(receipt.body)).toBe(201);
  return receipt.body;
}

async function claim(bookingId: string, token: string) {
  return http<{ guestToken: string; displayName: string }>(server.url, "POST", "/public/reception/join", { body: { bookingId, token } });
}

async function openDirectSession(bookingId: string) {
  const opened = await http<{ id: string; roomId: string }>(server.url, "POST", "/reception/sessions", {
    token: officer,
    body: { unitId: commune.id, shape: "direct", kind: "regular", bookingId },
  });
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  return opened.body;
}

beforeAll(async () => {
  server = await startTestServer();
  commune = await buildUnit(server.db, { name: "UBND xã Thử Nghiệm" });
  const staff = await tokenFor(server.db, DEMO_JWT_SECRET, { unit: commune, roles: ["officer"], displayName: "Cán bộ tiếp dân xã" });
  officer = staff.token;
  officerId = staff.user.id;
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});

afterAll(async () => {
  await server?.close();
});

describe("the one-time join link", () => {
  it("becomes a guest pass once; a reused or forged link is refused, and the pass opens no staff route", async () => {
    const booking = await bookNow();
    expect(await claim(booking.bookingId, "x".repeat(32))).toMatchObject({ status: 404, body: { error: { code: "JOIN_LINK_INVALID" } } });
    const first = await claim(booking.bookingId, booking.joinToken);
    expect(first.status).toBe(200);
    expect(first.body.displayName).toBe("Nguyễn Thị Lan");
    expect((await claim(booking.bookingId, booking.joinToken)).body).toMatchObject({ error: { code: "JOIN_LINK_USED" } });
    expect((await http(server.url, "GET", "/cases", { token: first.body.guestToken })).status).toBe(401);
  });

  it("is refused once the slot is over", async () => {
    const booking = await bookNow();
    await server.db.receptionSlot.updateMany({ where: { bookings: { some: { id: booking.bookingId } } }, data: { startsAt: new Date(Date.now() - 3 * 3_600_000), endsAt: new Date(Date.now() - 2 * 3_600_000) } });
    expect((await claim(booking.bookingId, booking.joinToken)).body).toMatchObject({ error: { code: "JOIN_LINK_EXPIRED" } });
  });
});

describe("a direct reception (citizen by phone)", () => {
  it("waits, is admitted, answers the notice before any media, and leaves with a case and a confirmed book entry", async () => {
    const booking = await bookNow();
    const pass = (await claim(booking.bookingId, booking.joinToken)).body.guestToken;
    const guestLobby = await socketFor(pass);
    expect(await ok(guestLobby, "enterLobby", {})).toEqual({ status: "notOpen" });

    const session = await openDirectSession(booking.bookingId);
    const staff = await socketFor(officer);
    const firstLobby = nextEvent(staff, "lobby");
    await ok(staff, "join", { roomId: session.roomId, rtpCapabilities: caps });
    expect((await firstLobby).waiting).toEqual([]);
    const announced = nextEvent(staff, "lobby");
    expect(await ok(guestLobby, "enterLobby", {})).toEqual({ status: "waiting" });
    expect((await announced).waiting).toEqual([expect.objectContaining({ bookingId: booking.bookingId, displayName: "Nguyễn Thị Lan" })]);

    // Not in the room before the officer lets them in, nor before answering the notice.
    const guestRoom = await socketFor(pass);
    expect(await request(guestRoom, "join", { roomId: session.roomId, rtpCapabilities: caps })).toMatchObject({ ok: false, error: { code: "NOT_ADMITTED" } });
    expect(await request(guestRoom, "join", { roomId: "giao-ban-demo", rtpCapabilities: caps })).toMatchObject({ ok: false, error: { code: "NOT_ADMITTED" } });
    expect(await request(guestRoom, "muteSite", { peerId: "x", muted: true })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });

    // Another citizen cannot get in: not theirs to join, and the officer cannot admit them here.
    const other = await bookNow();
    const otherPass = (await claim(other.bookingId, other.joinToken)).body.guestToken;
    const intruder = await socketFor(otherPass);
    expect(await request(intruder, "join", { roomId: session.roomId, rtpCapabilities: caps })).toMatchObject({ ok: false, error: { code: "NOT_ADMITTED" } });
    expect(await request(staff, "admitGuest", { bookingId: other.bookingId })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });

    const admitted = nextEvent(guestLobby, "admitted");
    await ok(staff, "admitGuest", { bookingId: booking.bookingId });
    expect(await admitted).toEqual({ recordingPlanned: true });
    expect(await request(guestRoom, "join", { roomId: session.roomId, rtpCapabilities: caps })).toMatchObject({ ok: false, error: { code: "NOT_ADMITTED" } });
    expect(await request(staff, "startRecording", {})).toMatchObject({ ok: false, error: { code: "CONSENT_REQUIRED" } });
    expect((await server.rooms.get(session.roomId))!.peers.flatMap((peer) => peer.producers)).toEqual([]);

    const consentSeen = nextEvent(staff, "lobby");
    expect(await ok(guestLobby, "answerConsent", { accepted: true })).toEqual({ roomId: session.roomId });
    expect((await consentSeen).consent).toBe(true);
    const joined = await ok(guestRoom, "join", { roomId: session.roomId, rtpCapabilities: caps });
    expect(joined.displayName).toBe("Nguyễn Thị Lan");
    const send = await ok(guestRoom, "createWebRtcTransport", { direction: "send" });
    await ok(guestRoom, "produce", { transportId: send.id, kind: "audio", source: "mic", rtpParameters: audioProducerParameters(701) });
    expect(await request(guestRoom, "raiseHand", { raised: true })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });

    // The officer records (consent given) and the recording is linked to the session.
    const { recordingId } = await ok(staff, "startRecording", {});
    expect((await server.db.receptionSession.findUniqueOrThrow({ where: { id: session.id } })).recordingId).toBe(recordingId);
    await ok(staff, "stopRecording", {});

    // A case from the session: the citizen is handed its code and lookup code, which work.
    const issued = nextEvent(guestLobby, "caseIssued");
    const filed = await ok(staff, "issueCase", { summary: "Đề nghị cấp giấy chứng nhận quyền sử dụng đất" });
    const handed = await issued;
    expect(handed.code).toBe(filed.code);
    const lookup = await http<{ code: string }>(server.url, "POST", "/public/lookup", { body: { code: handed.code, secret: handed.lookupSecret } });
    expect(lookup.status).toBe(200);

    // The book entry, confirmed by the citizen on screen instead of a signature.
    const entry = await http<{ id: string }>(server.url, "POST", "/reception/book", {
      token: officer,
      body: {
        unitId: commune.id,
        sessionId: session.id,
        bookingId: booking.bookingId,
        receivedAt: new Date().toISOString(),
        kind: "regular",
        receivingOfficerUserId: officerId,
        peopleCount: 1,
        content: "Công dân đề nghị cấp giấy chứng nhận quyền sử dụng đất.",
        handling: "tiep_nhan_don",
        citizens: [{ fullName: "Nguyễn Thị Lan", address: "Thôn Đông, xã Yên Phong" }],
      },
    });
    expect(entry.status, JSON.stringify(entry.body)).toBe(201);
    const asked = nextEvent(guestLobby, "confirmationRequested");
    await ok(staff, "requestConfirmation", { entryId: entry.body.id });
    expect((await asked).content).toContain("giấy chứng nhận");
    await ok(guestLobby, "confirmEntry", { entryId: entry.body.id });
    expect((await server.db.receptionBookEntry.findUniqueOrThrow({ where: { id: entry.body.id } })).citizenConfirmedAt).not.toBeNull();

    // Ending the room ends the session.
    await ok(staff, "endMeeting", {});
    expect((await server.db.receptionSession.findUniqueOrThrow({ where: { id: session.id } })).status).toBe("ended");
  });

  it("never records a denunciation, and staff of other units cannot enter", async () => {
    const booking = await bookNow("denunciation");
    const pass = (await claim(booking.bookingId, booking.joinToken)).body.guestToken;
    const session = await openDirectSession(booking.bookingId);
    const staff = await socketFor(officer);
    await ok(staff, "join", { roomId: session.roomId, rtpCapabilities: caps });
    const guest = await socketFor(pass);
    await ok(guest, "enterLobby", {});
    const admitted = nextEvent(guest, "admitted");
    await ok(staff, "admitGuest", { bookingId: booking.bookingId });
    expect(await admitted).toEqual({ recordingPlanned: false });
    await ok(guest, "answerConsent", { accepted: true });
    expect(await request(staff, "startRecording", {})).toMatchObject({ ok: false, error: { code: "RECORDING_NOT_ALLOWED" } });

    const elsewhere = await buildUnit(server.db, { name: "UBND xã Khác" });
    const outsider = await socketFor((await tokenFor(server.db, DEMO_JWT_SECRET, { unit: elsewhere, roles: ["officer"] })).token);
    expect(await request(outsider, "join", { roomId: session.roomId, rtpCapabilities: caps })).toMatchObject({ ok: false, error: { code: "NOT_INVITED" } });
  });
});

describe("the receiving staff's channel", () => {
  it("is left with the room: a staff member who leaves is in it no more (review of h17a item 5)", async () => {
    const booking = await bookNow();
    const session = await openDirectSession(booking.bookingId);
    const staff = await socketFor(officer);
    await ok(staff, "join", { roomId: session.roomId, rtpCapabilities: caps });
    const onServer = server.io.sockets.sockets.get(staff.id!);
    const staffChannels = () => [...(onServer?.rooms ?? [])].filter((channel) => channel.startsWith("staff:"));
    expect(staffChannels()).toEqual([`staff:local:${session.roomId}`]);
    await ok(staff, "leave", {});
    expect(staffChannels()).toEqual([]);
  });

  it("is rejoined by a staff member who resumes, and left when the room closes (re-review of h17a item 6)", async () => {
    const booking = await bookNow();
    const session = await openDirectSession(booking.bookingId);
    const first = await socketFor(officer);
    const joined = await ok(first, "join", { roomId: session.roomId, rtpCapabilities: caps });
    const firstId = first.id!;
    first.disconnect();
    // The server holds the peer for resumption once it has seen the socket go.
    await expect.poll(() => server.io.sockets.sockets.has(firstId), { timeout: 10_000 }).toBe(false);
    const again = await socketFor(officer);
    const onServer = server.io.sockets.sockets.get(again.id!);
    const staffChannels = () => [...(onServer?.rooms ?? [])].filter((channel) => channel.startsWith("staff:"));
    const lobby = nextEvent(again, "lobby");
    await ok(again, "resume", { peerId: joined.peerId, resumeToken: joined.resumeToken });
    expect(staffChannels()).toEqual([`staff:local:${session.roomId}`]);
    await lobby;
    (await server.rooms.get(session.roomId))?.close();
    await expect.poll(staffChannels).toEqual([]);
  });
});

describe("an office reception (citizen at a local reception office, agencies joining)", () => {
  it("admits the office, the agency and a receive-only observer; the host records after the office's consent", async () => {
    const office = await buildUnit(server.db, { parent: commune, name: "Điểm tiếp công dân thôn Đông" });
    const agency = await buildUnit(server.db, { name: "Sở Tài nguyên thử" });
    const observer = await buildUnit(server.db, { name: "Ủy ban MTTQ thử" });
    const opened = await http<{ id: string; roomId: string }>(server.url, "POST", "/reception/sessions", {
      token: officer,
      body: { unitId: commune.id, shape: "office", kind: "regular", units: [{ unitId: office.id, role: "office" }, { unitId: agency.id, role: "agency" }, { unitId: observer.id, role: "observer" }] },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const roomId = opened.body.roomId;
    const host = await socketFor(officer);
    await ok(host, "join", { roomId, rtpCapabilities: caps });
    const site = async (unit: { id: string }) => socketFor((await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles: ["site"] })).token);
    const atOffice = await site(office);
    const atAgency = await site(agency);
    const watching = await site(observer);
    for (const socket of [atOffice, atAgency, watching]) await ok(socket, "join", { roomId, rtpCapabilities: caps });
    const observerSend = await ok(watching, "createWebRtcTransport", { direction: "send" });
    expect(await request(watching, "produce", { transportId: observerSend.id, kind: "audio", source: "mic", rtpParameters: audioProducerParameters(801) })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    expect(await request(atOffice, "recordOfficeConsent", { accepted: true })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await request(host, "startRecording", {})).toMatchObject({ ok: false, error: { code: "CONSENT_REQUIRED" } });
    await ok(host, "recordOfficeConsent", { accepted: true });
    // Consent alone is not enough at an office: what the visit is about is declared before recording.
    expect(await request(host, "startRecording", {})).toMatchObject({ ok: false, error: { code: "RECORDING_KIND_UNDECLARED" } });
    await ok(host, "recordOfficeConsent", { accepted: true, petitionKind: "recommendation" });
    await ok(host, "startRecording", {});
    await ok(host, "stopRecording", {});
  });
});
