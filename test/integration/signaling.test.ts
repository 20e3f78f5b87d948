import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { io } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../helpers/server";
import { startTestServer } from "../helpers/server";
import { connect, nextEvent, ok, rawRequest, request, type TestSocket } from "../helpers/client";
import { audioProducerParameters, videoProducerParameters } from "../helpers/media";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import type { Role, RtpCapabilities } from "../../signaling/protocol";
import { buildUnit, tokenFor } from "../helpers/factories";

let server: TestServer;
let caps: RtpCapabilities;
const sockets: TestSocket[] = [];

let unit: { id: string; path: string };

/** A connected socket signed in as a new account with the given name and roles. */
async function client(options: { lang?: "vi" | "en"; name?: string; roles?: Role[]; transports?: ("websocket" | "polling")[] } = {}): Promise<TestSocket> {
  const { token } = await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles: options.roles ?? ["officer"], displayName: options.name ?? "Cán bộ thử" });
  const socket = await connect(server.url, { token, lang: options.lang ?? "en", ...(options.transports ? { transports: options.transports } : {}) });
  sockets.push(socket);
  return socket;
}

/** Connects, joins and creates both transports, as the browser client does. */
async function joinedClient(roomId: string, displayName: string) {
  const { token } = await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles: ["officer"], displayName });
  const socket = await connect(server.url, { token });
  sockets.push(socket);
  const joined = await ok(socket, "join", { roomId, rtpCapabilities: caps });
  const send = await ok(socket, "createWebRtcTransport", { direction: "send" });
  const recv = await ok(socket, "createWebRtcTransport", { direction: "recv" });
  return { socket, token, peerId: joined.peerId, resumeToken: joined.resumeToken, peers: joined.peers, startedAt: joined.startedAt, send, recv };
}

beforeAll(async () => {
  // A short grace period keeps disconnect tests quick; resumption within it is tested below.
  server = await startTestServer({ RESUME_GRACE_SECONDS: "1" });
  unit = await buildUnit(server.db);
  const probe = await client();
  caps = (await ok(probe, "getRouterRtpCapabilities", {})).rtpCapabilities;
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});

afterAll(async () => {
  await server?.close();
});

describe("health", () => {
  it("reports the workers and the database", async () => {
    const response = await fetch(`${server.url}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", workers: { alive: 1, total: 1 }, database: "ok" });
  });

  it("answers unknown API paths with a stable error body", async () => {
    const response = await fetch(`${server.url}/api/nope`, { headers: { "accept-language": "vi" } });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: "NOT_FOUND", message: "Không tìm thấy." } });
  });
});

describe("socket sign-in", () => {
  async function refusal(auth: Record<string, unknown>) {
    const socket = io(server.url, { transports: ["websocket"], auth, reconnection: false, forceNew: true });
    try {
      return await new Promise<{ message: string; data?: { code: string } }>((resolve, reject) => {
        socket.once("connect", () => reject(new Error("connected without a valid token")));
        socket.once("connect_error", (error) => resolve(error as Error & { data?: { code: string } }));
      });
    } finally {
      socket.disconnect();
    }
  }

  it("refuses a connection without a token, with a forged one, or for a deactivated account", async () => {
    expect((await refusal({ lang: "vi" })).data).toEqual({ code: "UNAUTHENTICATED", message: "Vui lòng đăng nhập." });
    expect((await refusal({ token: "not-a-jwt" })).data?.code).toBe("UNAUTHENTICATED");
    const { user, token } = await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles: ["site"] });
    await server.db.user.update({ where: { id: user.id }, data: { active: false } });
    expect((await refusal({ token })).data?.code).toBe("UNAUTHENTICATED");
  });

  it("names a site account by its unit and records the account and unit in attendance", async () => {
    const commune = await buildUnit(server.db, { parent: unit, name: "UBND xã Tân Thịnh" });
    const { user, token } = await tokenFor(server.db, DEMO_JWT_SECRET, { unit: commune, roles: ["site"], displayName: "Máy điểm cầu 1" });
    const socket = await connect(server.url, { token });
    sockets.push(socket);
    const joined = await ok(socket, "join", { roomId: "giao-ban-site-name", rtpCapabilities: caps });
    expect(joined.displayName).toBe("UBND xã Tân Thịnh");
    await ok(socket, "leave", {});
    await server.attendance.flush();
    const row = await server.db.attendance.findFirst({ where: { peerId: joined.peerId } });
    expect(row).toMatchObject({ displayName: "UBND xã Tân Thịnh", userId: user.id, unitId: commune.id, leaveReason: "left" });
  });

  it("lets a viewer watch but not send media", async () => {
    const viewer = await client({ roles: ["viewer"] });
    await ok(viewer, "join", { roomId: "giao-ban-viewer", rtpCapabilities: caps });
    const send = await ok(viewer, "createWebRtcTransport", { direction: "send" });
    expect(await request(viewer, "produce", { transportId: send.id, kind: "audio", source: "mic", rtpParameters: audioProducerParameters() })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
  });
});

describe("transports", () => {
  it("serves socket.io over HTTP long-polling too, for networks whose proxies block WebSocket", async () => {
    const socket = await client({ transports: ["polling"] });
    expect(socket.io.engine.transport.name).toBe("polling");
    expect((await request(socket, "getRouterRtpCapabilities", {})).ok).toBe(true);
  });
});

describe("joining a room", () => {
  it("gives router capabilities with Opus, VP8 and H264", () => {
    const mimeTypes = caps.codecs?.map((codec) => codec.mimeType) ?? [];
    expect(mimeTypes).toEqual(expect.arrayContaining(["audio/opus", "video/VP8", "video/H264"]));
  });

  it("lets two sites join, see each other and create WebRTC transports on loopback", async () => {
    const first = await joinedClient("giao-ban-join", "UBND tỉnh");
    expect(first.peers).toEqual([]);
    const joinedEvent = nextEvent(first.socket, "peerJoined");
    const second = await joinedClient("giao-ban-join", "UBND xã Tân Thịnh");
    expect((await joinedEvent).peer).toMatchObject({ id: second.peerId, displayName: "UBND xã Tân Thịnh" });
    expect(second.peers).toEqual([{ id: first.peerId, displayName: "UBND tỉnh", producers: [] }]);
    // The meeting's running time counts from the room's first join, for the late site too.
    expect(first.startedAt).toEqual(expect.any(String));
    expect(second.startedAt).toBe(first.startedAt);
    for (const transport of [first.send, first.recv, second.send, second.recv]) {
      expect(transport.iceCandidates.length).toBeGreaterThan(0);
      expect(transport.iceCandidates.every((candidate) => candidate.address === "127.0.0.1")).toBe(true);
      expect(transport.dtlsParameters.fingerprints.length).toBeGreaterThan(0);
    }
  });

  it("records attendance and ends the ad-hoc meeting when the room empties", async () => {
    const first = await joinedClient("giao-ban-attendance", "Sở Y tế");
    const second = await joinedClient("giao-ban-attendance", "Phường Đông Ngàn");
    await ok(second.socket, "leave", {});
    first.socket.disconnect();
    await waitFor(async () => (await server.db.meeting.findUnique({ where: { roomId: "giao-ban-attendance" } }))?.status === "ended");
    await server.attendance.flush();
    const rows = await server.db.attendance.findMany({ where: { meeting: { roomId: "giao-ban-attendance" } }, orderBy: { joinedAt: "asc" } });
    expect(rows.map((row) => [row.displayName, row.leaveReason])).toEqual([
      ["Sở Y tế", "disconnected"],
      ["Phường Đông Ngàn", "left"],
    ]);
    expect(rows.every((row) => row.leftAt && row.leftAt >= row.joinedAt)).toBe(true);
  });
});

describe("media flow between two peers", () => {
  it("announces, consumes, pauses, resumes and closes a producer", async () => {
    const chair = await joinedClient("giao-ban-media", "Chủ trì");
    const site = await joinedClient("giao-ban-media", "Điểm cầu 1");

    const announced = nextEvent(site.socket, "newProducer");
    const { producerId } = await ok(chair.socket, "produce", {
      transportId: chair.send.id,
      kind: "video",
      source: "webcam",
      rtpParameters: videoProducerParameters(),
    });
    expect(await announced).toEqual({ peerId: chair.peerId, producer: { id: producerId, kind: "video", source: "webcam", paused: false, layers: 1 } });

    const consumer = await ok(site.socket, "consume", { transportId: site.recv.id, producerId });
    expect(consumer).toMatchObject({ producerId, peerId: chair.peerId, kind: "video", source: "webcam", producerPaused: false });
    expect(consumer.rtpParameters.codecs[0]?.mimeType).toBe("video/VP8");
    await ok(site.socket, "resumeConsumer", { consumerId: consumer.consumerId });

    const paused = nextEvent(site.socket, "producerPaused");
    await ok(chair.socket, "pauseProducer", { producerId });
    expect(await paused).toEqual({ peerId: chair.peerId, producerId });
    expect((await fetch(`${server.url}/api/rooms/giao-ban-media`)).status).toBe(401);
    const { token: staff } = await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles: ["officer"] });
    const snapshot = (await (await fetch(`${server.url}/api/rooms/giao-ban-media`, { headers: { authorization: `Bearer ${staff}` } })).json()) as {
      peers: { id: string; producers: { paused: boolean }[] }[];
    };
    expect(snapshot.peers.find((peer) => peer.id === chair.peerId)?.producers).toEqual([expect.objectContaining({ id: producerId, paused: true })]);

    const resumed = nextEvent(site.socket, "producerResumed");
    await ok(chair.socket, "resumeProducer", { producerId });
    expect(await resumed).toEqual({ peerId: chair.peerId, producerId });

    const closed = nextEvent(site.socket, "producerClosed");
    const consumerClosed = nextEvent(site.socket, "consumerClosed");
    await ok(chair.socket, "closeProducer", { producerId });
    expect(await closed).toEqual({ peerId: chair.peerId, producerId });
    expect(await consumerClosed).toEqual({ consumerId: consumer.consumerId });
  });

  it("shows a late joiner the producers already in the room", async () => {
    const chair = await joinedClient("giao-ban-late", "Chủ trì");
    const { producerId } = await ok(chair.socket, "produce", {
      transportId: chair.send.id,
      kind: "audio",
      source: "mic",
      rtpParameters: audioProducerParameters(),
      paused: true,
    });
    const late = await joinedClient("giao-ban-late", "Xã Yên Phong");
    expect(late.peers).toEqual([{ id: chair.peerId, displayName: "Chủ trì", producers: [{ id: producerId, kind: "audio", source: "mic", paused: true, layers: 1 }] }]);
    const consumer = await ok(late.socket, "consume", { transportId: late.recv.id, producerId });
    expect(consumer.producerPaused).toBe(true);
  });

  it("closes a disconnected peer's transports and tells the others", async () => {
    const leaving = await joinedClient("giao-ban-disconnect", "Sẽ rời");
    const staying = await joinedClient("giao-ban-disconnect", "Ở lại");
    await ok(leaving.socket, "produce", { transportId: leaving.send.id, kind: "video", source: "webcam", rtpParameters: videoProducerParameters() });
    const room = await server.rooms.get("giao-ban-disconnect");
    const peer = room?.peer(leaving.peerId);
    const transports = peer?.transports ?? [];
    const producers = peer?.producers ?? [];
    expect(transports).toHaveLength(2);
    expect(producers).toHaveLength(1);

    const left = nextEvent(staying.socket, "peerLeft");
    leaving.socket.disconnect();
    expect(await left).toEqual({ peerId: leaving.peerId });
    expect(transports.every((transport) => transport.closed)).toBe(true);
    expect(producers.every((producer) => producer.closed)).toBe(true);
    expect(room?.peer(leaving.peerId)).toBeUndefined();
  });
});

describe("chair controls and chat", () => {
  async function chairClient(roomId: string) {
    const { token } = await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles: ["leader"], displayName: "Chủ tịch tỉnh" });
    const socket = await connect(server.url, { token });
    sockets.push(socket);
    const joined = await ok(socket, "join", { roomId, rtpCapabilities: caps });
    return { socket, peerId: joined.peerId };
  }

  it("mutes one site, which cannot unmute itself until the chair allows it", async () => {
    const chair = await chairClient("giao-ban-mute-one");
    const site = await joinedClient("giao-ban-mute-one", "Xã Ồn Ào");
    const { producerId } = await ok(site.socket, "produce", { transportId: site.send.id, kind: "audio", source: "mic", rtpParameters: audioProducerParameters() });
    const paused = nextEvent(chair.socket, "producerPaused");
    const announced = nextEvent(site.socket, "moderation");
    await ok(chair.socket, "muteSite", { peerId: site.peerId, muted: true });
    expect(await paused).toEqual({ peerId: site.peerId, producerId });
    expect(await announced).toMatchObject({ muteAll: false, mutedPeerIds: [site.peerId] });
    expect(await request(site.socket, "resumeProducer", { producerId })).toMatchObject({ ok: false, error: { code: "MUTED_BY_CHAIR" } });
    await ok(chair.socket, "muteSite", { peerId: site.peerId, muted: false });
    expect((await request(site.socket, "resumeProducer", { producerId })).ok).toBe(true);
    // A site cannot use the chair's controls.
    expect(await request(site.socket, "muteSite", { peerId: chair.peerId, muted: true })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });

  it("mute-all holds for sites that join later, spares the chair, and lifts for everyone", async () => {
    const chair = await chairClient("giao-ban-mute-all");
    const early = await joinedClient("giao-ban-mute-all", "Xã Sớm");
    const earlyMic = await ok(early.socket, "produce", { transportId: early.send.id, kind: "audio", source: "mic", rtpParameters: audioProducerParameters(31_000_001) });
    await ok(chair.socket, "setMuteAll", { on: true });
    const room = await server.rooms.get("giao-ban-mute-all");
    expect(room?.peer(early.peerId)?.producer(earlyMic.producerId).paused).toBe(true);

    const late = await joinedClient("giao-ban-mute-all", "Xã Muộn");
    const lateMic = await ok(late.socket, "produce", { transportId: late.send.id, kind: "audio", source: "mic", rtpParameters: audioProducerParameters(31_000_002) });
    expect(lateMic.paused).toBe(true);
    expect(await request(late.socket, "resumeProducer", { producerId: lateMic.producerId })).toMatchObject({ ok: false, error: { code: "MUTED_BY_CHAIR" } });
    const lateCamera = await ok(late.socket, "produce", { transportId: late.send.id, kind: "video", source: "webcam", rtpParameters: videoProducerParameters(31_000_003) });
    expect(lateCamera.paused).toBe(false);

    const chairTransport = await ok(chair.socket, "createWebRtcTransport", { direction: "send" });
    const chairMic = await ok(chair.socket, "produce", { transportId: chairTransport.id, kind: "audio", source: "mic", rtpParameters: audioProducerParameters(31_000_004) });
    expect(chairMic.paused).toBe(false);

    await ok(chair.socket, "setMuteAll", { on: false });
    expect((await request(late.socket, "resumeProducer", { producerId: lateMic.producerId })).ok).toBe(true);
  });

  it("queues raised hands; giving the floor unmutes and spotlights the site under mute-all; taking it back mutes it again", async () => {
    const chair = await chairClient("giao-ban-floor");
    const site = await joinedClient("giao-ban-floor", "Xã Xin Nói");
    const mic = await ok(site.socket, "produce", { transportId: site.send.id, kind: "audio", source: "mic", rtpParameters: audioProducerParameters(32_000_001) });
    await ok(chair.socket, "setMuteAll", { on: true });
    const raised = nextEvent(chair.socket, "moderation");
    await ok(site.socket, "raiseHand", { raised: true });
    expect((await raised).hands).toEqual([site.peerId]);

    await ok(chair.socket, "grantFloor", { peerId: site.peerId });
    expect((await request(site.socket, "resumeProducer", { producerId: mic.producerId })).ok).toBe(true);
    const room = await server.rooms.get("giao-ban-floor");
    const granted = nextEvent(site.socket, "moderation");
    await ok(chair.socket, "spotlight", { peerId: site.peerId });
    expect(await granted).toMatchObject({ floorPeerId: site.peerId, spotlightPeerId: site.peerId, hands: [] });

    await ok(chair.socket, "grantFloor", { peerId: null });
    expect(room?.peer(site.peerId)?.producer(mic.producerId).paused).toBe(true);
    expect(await request(site.socket, "resumeProducer", { producerId: mic.producerId })).toMatchObject({ ok: false, error: { code: "MUTED_BY_CHAIR" } });
  });

  it("removes a site, which cannot come back while the meeting is locked; ends the meeting for all", async () => {
    const chair = await chairClient("giao-ban-remove");
    const site = await joinedClient("giao-ban-remove", "Xã Bị Mời Ra");
    const camera = await ok(site.socket, "produce", { transportId: site.send.id, kind: "video", source: "webcam", rtpParameters: videoProducerParameters(33_000_001) });
    const paused = nextEvent(chair.socket, "producerPaused");
    // The site itself is told too: its own page must show the camera off, or it would look on while stopped.
    const toldSite = nextEvent(site.socket, "producerPaused");
    await ok(chair.socket, "stopCamera", { peerId: site.peerId });
    expect(await paused).toEqual({ peerId: site.peerId, producerId: camera.producerId });
    expect(await toldSite).toEqual({ peerId: site.peerId, producerId: camera.producerId });

    await ok(chair.socket, "lockRoom", { locked: true });
    const removed = nextEvent(site.socket, "removed");
    const left = nextEvent(chair.socket, "peerLeft");
    await ok(chair.socket, "removeSite", { peerId: site.peerId });
    expect(await removed).toEqual({ locked: true });
    expect(await left).toEqual({ peerId: site.peerId });
    expect(await request(site.socket, "createWebRtcTransport", { direction: "send" })).toMatchObject({ ok: false, error: { code: "NOT_JOINED" } });
    expect(await request(site.socket, "join", { roomId: "giao-ban-remove", rtpCapabilities: caps })).toMatchObject({ ok: false, error: { code: "ROOM_LOCKED" } });
    expect(await request(site.socket, "resume", { peerId: site.peerId, resumeToken: site.resumeToken })).toMatchObject({ ok: false, error: { code: "NOT_JOINED" } });
    // Another chair still gets in.
    const deputy = await chairClient("giao-ban-remove");

    const ended = nextEvent(deputy.socket, "roomClosed");
    await ok(chair.socket, "endMeeting", {});
    expect(await ended).toEqual({ reason: "ended" });
    await server.attendance.flush();
    expect((await server.db.meeting.findUnique({ where: { roomId: "giao-ban-remove" } }))?.status).toBe("ended");
  });

  it("carries chat to everyone in the room and keeps it with the meeting", async () => {
    const chair = await chairClient("giao-ban-chat");
    const site = await joinedClient("giao-ban-chat", "Xã Nhắn Tin");
    const received = nextEvent(chair.socket, "chatMessage");
    const sent = await ok(site.socket, "sendChat", { text: "  Đề nghị chủ trì cho phát biểu.  " });
    expect(sent).toMatchObject({ peerId: site.peerId, displayName: "Xã Nhắn Tin", text: "Đề nghị chủ trì cho phát biểu." });
    expect(await received).toEqual(sent);
    expect((await ok(chair.socket, "getChat", {})).messages).toEqual([sent]);
    const stored = await server.db.chatMessage.findMany({ where: { meeting: { roomId: "giao-ban-chat" } } });
    expect(stored.map((row) => row.text)).toEqual(["Đề nghị chủ trì cho phát biểu."]);
    expect(await request(site.socket, "sendChat", { text: "x".repeat(1001) })).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
  });
});

describe("ICE restart", () => {
  it("gives fresh ICE credentials for a transport, and refuses unknown ones", async () => {
    const site = await joinedClient("giao-ban-ice", "Xã Đổi Mạng");
    const restarted = await ok(site.socket, "restartIce", { transportId: site.recv.id });
    expect(restarted.iceParameters.usernameFragment).not.toBe(site.recv.iceParameters.usernameFragment);
    expect(restarted.iceParameters.password).not.toBe(site.recv.iceParameters.password);
    expect(await request(site.socket, "restartIce", { transportId: "nope" })).toMatchObject({ ok: false, error: { code: "TRANSPORT_NOT_FOUND" } });
  });
});

describe("resuming after a dropped connection", () => {
  it("brings a site back as the same peer within the grace period, unseen by the others", async () => {
    const site = await joinedClient("giao-ban-resume", "Điểm cầu mạng yếu");
    const chair = await joinedClient("giao-ban-resume", "Chủ trì");
    const { producerId } = await ok(site.socket, "produce", { transportId: site.send.id, kind: "audio", source: "mic", rtpParameters: audioProducerParameters() });
    let sawLeave = false;
    chair.socket.on("peerLeft", () => (sawLeave = true));

    site.socket.disconnect();
    const again = await connect(server.url, { token: site.token });
    sockets.push(again);
    const resumed = await ok(again, "resume", { peerId: site.peerId, resumeToken: site.resumeToken });
    expect(resumed).toMatchObject({ peerId: site.peerId, roomId: "giao-ban-resume", displayName: "Điểm cầu mạng yếu" });
    expect(resumed.peers.map((peer) => peer.id)).toEqual([chair.peerId]);
    expect(resumed.startedAt).toBe(site.startedAt);
    // Still the same peer: its producer is there and answers to it.
    const paused = nextEvent(chair.socket, "producerPaused");
    await ok(again, "pauseProducer", { producerId });
    expect(await paused).toEqual({ peerId: site.peerId, producerId });
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    expect(sawLeave).toBe(false);
    // This socket already holds the peer; a second resume is refused.
    expect(await request(again, "resume", { peerId: site.peerId, resumeToken: site.resumeToken })).toMatchObject({ ok: false, error: { code: "ALREADY_JOINED" } });
    // The chair's record shows the drop: the stay ended as a disconnection, and the same peer goes on.
    await server.attendance.flush();
    const stays = await server.db.attendance.findMany({ where: { peerId: site.peerId }, orderBy: { joinedAt: "asc" } });
    expect(stays.map((stay) => [stay.leaveReason, stay.leftAt === null])).toEqual([
      ["disconnected", false],
      [null, true],
    ]);
  });

  it("refuses a wrong token, another account, and lets the peer go when the grace period ends", async () => {
    const site = await joinedClient("giao-ban-resume-2", "Điểm cầu mất mạng");
    const chair = await joinedClient("giao-ban-resume-2", "Chủ trì 2");
    const left = nextEvent(chair.socket, "peerLeft");
    site.socket.disconnect();
    const stranger = await client({ name: "Người khác" });
    expect(await request(stranger, "resume", { peerId: site.peerId, resumeToken: site.resumeToken })).toMatchObject({ ok: false, error: { code: "NOT_JOINED" } });
    const owner = await connect(server.url, { token: site.token });
    sockets.push(owner);
    expect(await request(owner, "resume", { peerId: site.peerId, resumeToken: "A".repeat(32) })).toMatchObject({ ok: false, error: { code: "NOT_JOINED" } });
    expect(await left).toEqual({ peerId: site.peerId });
    expect(await request(owner, "resume", { peerId: site.peerId, resumeToken: site.resumeToken })).toMatchObject({ ok: false, error: { code: "NOT_JOINED" } });
  });
});

describe("bad and out-of-order requests", () => {
  it("refuses media requests before join with NOT_JOINED", async () => {
    const socket = await client();
    for (const [event, payload] of [
      ["createWebRtcTransport", { direction: "send" }],
      ["consume", { transportId: "t", producerId: "p" }],
      ["produce", { transportId: "t", kind: "audio", source: "mic", rtpParameters: audioProducerParameters() }],
      ["leave", {}],
    ] as const) {
      const ack = await rawRequest(socket, event, payload);
      expect(ack, event).toMatchObject({ ok: false, error: { code: "NOT_JOINED" } });
    }
  });

  it("answers unknown ids with their own codes", async () => {
    const { socket, recv, send } = await joinedClient("giao-ban-unknown-ids", "Thử lỗi");
    expect(await request(socket, "consume", { transportId: recv.id, producerId: "no-such-producer" })).toMatchObject({
      ok: false,
      error: { code: "PRODUCER_NOT_FOUND" },
    });
    expect(await request(socket, "connectWebRtcTransport", { transportId: "no-such-transport", dtlsParameters: { fingerprints: [{ algorithm: "sha-256", value: "AB" }] } })).toMatchObject({
      ok: false,
      error: { code: "TRANSPORT_NOT_FOUND" },
    });
    const dtlsParameters = { role: "client" as const, fingerprints: [{ algorithm: "sha-256", value: "AB:CD" }] };
    expect((await request(socket, "connectWebRtcTransport", { transportId: send.id, dtlsParameters })).ok).toBe(true);
    expect(await request(socket, "connectWebRtcTransport", { transportId: send.id, dtlsParameters })).toMatchObject({
      ok: false,
      error: { code: "MEDIA_REJECTED" },
    });
    expect(await request(socket, "resumeConsumer", { consumerId: "nope" })).toMatchObject({ ok: false, error: { code: "CONSUMER_NOT_FOUND" } });
    expect(await request(socket, "pauseProducer", { producerId: "nope" })).toMatchObject({ ok: false, error: { code: "PRODUCER_NOT_FOUND" } });
    // Producing on the receive transport, or with a codec the router does not offer, is the client's fault.
    expect(await request(socket, "produce", { transportId: recv.id, kind: "video", source: "webcam", rtpParameters: videoProducerParameters() })).toMatchObject({
      ok: false,
      error: { code: "MEDIA_REJECTED" },
    });
    const unsupported = { ...videoProducerParameters(), codecs: [{ mimeType: "video/AV2", payloadType: 99, clockRate: 90000 }] };
    expect(await request(socket, "produce", { transportId: send.id, kind: "video", source: "webcam", rtpParameters: unsupported })).toMatchObject({
      ok: false,
      error: { code: "MEDIA_REJECTED" },
    });
    expect(await request(socket, "join", { roomId: "giao-ban-unknown-ids", rtpCapabilities: caps })).toMatchObject({
      ok: false,
      error: { code: "ALREADY_JOINED" },
    });
  });

  it("rejects wrong types, missing fields and oversized strings with VALIDATION_FAILED and the paths", async () => {
    const socket = await client({ lang: "vi" });
    const wrongType = await rawRequest(socket, "join", { roomId: 42, displayName: ["x"], rtpCapabilities: "none" });
    expect(wrongType).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", message: "Dữ liệu gửi lên không hợp lệ." } });
    const paths = (wrongType as { error: { details: { path: string }[] } }).error.details.map((detail) => detail.path);
    expect(paths).toEqual(expect.arrayContaining(["roomId", "rtpCapabilities"]));
    // A client may not choose its own name: the server names peers from their accounts.
    expect(await rawRequest(socket, "join", { roomId: "giao-ban", displayName: "Giả danh", rtpCapabilities: caps })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED" },
    });

    const oversized = await rawRequest(socket, "join", { roomId: "x".repeat(20_000), rtpCapabilities: caps });
    expect(oversized).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", details: [{ path: "roomId" }] } });
    expect(await rawRequest(socket, "createWebRtcTransport", null)).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
    expect(await rawRequest(socket, "createWebRtcTransport", "send")).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
  });

  it("answers unknown events, ignores ack-less ones and keeps serving everyone", async () => {
    const hostile = await client();
    expect(await rawRequest(hostile, "dropDatabase", {})).toMatchObject({ ok: false, error: { code: "UNKNOWN_EVENT" } });
    (hostile as unknown as { emit: (event: string, payload: unknown) => void }).emit("join", { roomId: "x" });
    (hostile as unknown as { emit: (event: string, ...payload: unknown[]) => void }).emit("produce");
    const other = await joinedClient("giao-ban-still-alive", "Vẫn chạy");
    expect(other.send.id).toBeTruthy();
    expect(hostile.connected).toBe(true);
  });

  it("rate-limits a client that floods requests", async () => {
    const flooder = await client();
    const acks = await Promise.all(Array.from({ length: 260 }, () => rawRequest(flooder, "getRouterRtpCapabilities", {})));
    const limited = acks.filter((ack) => !ack.ok && ack.error.code === "RATE_LIMITED");
    expect(limited.length).toBeGreaterThan(0);
    const polite = await client();
    expect((await request(polite, "getRouterRtpCapabilities", {})).ok).toBe(true);
  });
});

describe("media worker failure", () => {
  it("restarts a dead worker, tells the room's clients and lets them rejoin", async () => {
    const { socket } = await joinedClient("giao-ban-crash", "Điểm cầu bị ảnh hưởng");
    const room = await server.rooms.get("giao-ban-crash");
    const victim = server.pool.workers.find((slot) => slot.index === room?.workerIndex);
    expect(victim).toBeDefined();
    const closed = nextEvent(socket, "roomClosed");
    process.kill(victim!.worker.pid, "SIGKILL");
    expect(await closed).toEqual({ reason: "mediaServerRestarted" });
    await waitFor(() => server.pool.workers.length === server.pool.size && server.pool.workers.every((slot) => slot.worker !== victim!.worker));
    const rejoined = await ok(socket, "join", { roomId: "giao-ban-crash", rtpCapabilities: caps });
    expect(rejoined.peers).toEqual([]);
    expect((await request(socket, "createWebRtcTransport", { direction: "recv" })).ok).toBe(true);
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as { status: string };
    expect(health.status).toBe("ok");
  });
});

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("ad-hoc rooms (no schedule)", () => {
  it("an ended one is not reopened for a unit that was not in it: it starts a new record, and the old one stays its attendees' (review finding)", async () => {
    const roomId = `hop-nhanh-${Date.now().toString(36)}`;
    const ownUnit = await buildUnit(server.db, { name: "UBND xã Họp Nhanh" });
    const strangerUnit = await buildUnit(server.db, { name: "UBND xã Đến Sau" });
    const own = await tokenFor(server.db, DEMO_JWT_SECRET, { unit: ownUnit, roles: ["leader"] });
    const stranger = await tokenFor(server.db, DEMO_JWT_SECRET, { unit: strangerUnit, roles: ["leader"] });
    const meetingOf = () => server.db.meeting.findUniqueOrThrow({ where: { roomId } });
    const enterAndLeave = async (token: string, chat?: string) => {
      const socket = await connect(server.url, { token });
      sockets.push(socket);
      await ok(socket, "join", { roomId, rtpCapabilities: caps });
      if (chat) await ok(socket, "sendChat", { text: chat });
      const history = await ok(socket, "getChat", {});
      await ok(socket, "leave", {});
      await server.attendance.flush();
      await waitFor(async () => (await meetingOf()).status === "ended");
      return history.messages.map((message) => message.text);
    };

    await enterAndLeave(own.token, "Nội dung chỉ những người dự được đọc");
    const first = await meetingOf();
    // The same unit back soon after (a reload, everyone dropped): the same meeting goes on.
    expect(await enterAndLeave(own.token)).toContain("Nội dung chỉ những người dự được đọc");
    expect((await meetingOf()).id).toBe(first.id);

    // Another unit enters the ended room: a new record, without the first one's chat.
    expect(await enterAndLeave(stranger.token)).toEqual([]);
    const second = await meetingOf();
    expect(second.id).not.toBe(first.id);
    expect(second.title).toBe(first.title);
    const archived = await server.db.meeting.findUniqueOrThrow({ where: { id: first.id } });
    expect(archived.roomId.startsWith(`${roomId}~`)).toBe(true);
    expect(await server.db.attendance.count({ where: { meetingId: first.id, unitId: strangerUnit.id } })).toBe(0);
    expect((await fetch(`${server.url}/api/meetings/${first.id}`, { headers: { authorization: `Bearer ${stranger.token}` } })).status).toBe(403);
    expect((await fetch(`${server.url}/api/meetings/${first.id}`, { headers: { authorization: `Bearer ${own.token}` } })).status).toBe(200);
  });

  it("a meeting a crash left live is ended at the next start, so the next unit to enter gets a new record (second review)", async () => {
    const roomId = `sau-su-co-${Date.now().toString(36)}`;
    const left = await server.db.meeting.create({ data: { roomId, title: roomId, status: "live", startedAt: new Date(Date.now() - 60_000) } });
    await server.attendance.closeInterrupted();
    expect(await server.db.meeting.findUniqueOrThrow({ where: { id: left.id } })).toMatchObject({ status: "ended", endedAt: expect.any(Date) });
    const stranger = await tokenFor(server.db, DEMO_JWT_SECRET, { unit: await buildUnit(server.db, { name: "UBND xã Vào Sau Sự Cố" }), roles: ["leader"] });
    const socket = await connect(server.url, { token: stranger.token });
    sockets.push(socket);
    await ok(socket, "join", { roomId, rtpCapabilities: caps });
    expect((await server.db.meeting.findUniqueOrThrow({ where: { roomId } })).id).not.toBe(left.id);
  });
});

describe("scheduled meetings", () => {
  it("admit the chair, the host unit and invited units (and units below them), and list them for those invited", async () => {
    const commune = await buildUnit(server.db, { parent: unit, name: "UBND xã Được Mời" });
    const hamlet = await buildUnit(server.db, { parent: commune, name: "Thôn Trực Thuộc" });
    const outsider = await buildUnit(server.db, { name: "Tỉnh Khác" });
    const leader = await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles: ["leader"] });
    const scheduled = await fetch(`${server.url}/api/meetings`, {
      method: "POST",
      headers: { authorization: `Bearer ${leader.token}`, "content-type": "application/json" },
      body: JSON.stringify({ title: "Giao ban tháng 12", roomId: "giao-ban-thang-12", start: new Date().toISOString(), end: new Date(Date.now() + 3_600_000).toISOString(), unitIds: [commune.id] }),
    });
    expect(scheduled.status).toBe(201);
    expect(await scheduled.json()).toMatchObject({ roomId: "giao-ban-thang-12", invitedUnits: 1, isChair: true });

    const invited = await tokenFor(server.db, DEMO_JWT_SECRET, { unit: hamlet, roles: ["site"] });
    const upcoming = await fetch(`${server.url}/api/meetings/upcoming`, { headers: { authorization: `Bearer ${invited.token}` } });
    expect(((await upcoming.json()) as { items: { roomId: string }[] }).items.map((item) => item.roomId)).toContain("giao-ban-thang-12");
    const site = await connect(server.url, { token: invited.token });
    sockets.push(site);
    expect((await request(site, "join", { roomId: "giao-ban-thang-12", rtpCapabilities: caps })).ok).toBe(true);

    const stranger = await tokenFor(server.db, DEMO_JWT_SECRET, { unit: outsider, roles: ["site"] });
    const strangerSocket = await connect(server.url, { token: stranger.token });
    sockets.push(strangerSocket);
    expect(await request(strangerSocket, "join", { roomId: "giao-ban-thang-12", rtpCapabilities: caps })).toMatchObject({ ok: false, error: { code: "NOT_INVITED" } });
    const strangerList = await fetch(`${server.url}/api/meetings/upcoming`, { headers: { authorization: `Bearer ${stranger.token}` } });
    expect(((await strangerList.json()) as { items: unknown[] }).items).toEqual([]);
    const chairSocket = await connect(server.url, { token: leader.token });
    sockets.push(chairSocket);
    expect((await request(chairSocket, "join", { roomId: "giao-ban-thang-12", rtpCapabilities: caps })).ok).toBe(true);
  });

  it("refuse a taken room, an unknown unit and an end before the start", async () => {
    const leader = await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles: ["leader"] });
    const post = (body: Record<string, unknown>) =>
      fetch(`${server.url}/api/meetings`, { method: "POST", headers: { authorization: `Bearer ${leader.token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    const base = { title: "Giao ban", roomId: "giao-ban-trung", start: "2030-01-01T08:00:00+07:00", end: "2030-01-01T09:00:00+07:00", unitIds: [unit.id] };
    expect((await post(base)).status).toBe(201);
    expect((await post(base)).status).toBe(409);
    expect((await post({ ...base, roomId: "giao-ban-khac", unitIds: ["nope"] })).status).toBe(404);
    expect((await post({ ...base, roomId: "giao-ban-khac-2", end: "2030-01-01T07:00:00+07:00" })).status).toBe(400);
  });
});

describe("meeting record", () => {
  it("lists attendance per site and the chat, and exports them with Vietnamese text", async () => {
    const roomId = "giao-ban-bien-ban";
    const first = await joinedClient(roomId, "UBND xã Đông Tiến");
    await ok(first.socket, "sendChat", { text: "Đông Tiến đã sẵn sàng." });
    const second = await joinedClient(roomId, "Sở Nội vụ");
    await ok(second.socket, "leave", {});
    await ok(first.socket, "leave", {});
    await server.attendance.flush();
    const meeting = await server.db.meeting.findUniqueOrThrow({ where: { roomId } });
    const { token } = await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles: ["leader"] });
    const response = await fetch(`${server.url}/api/meetings/${meeting.id}`, { headers: { authorization: `Bearer ${token}` } });
    const record = (await response.json()) as { sites: number; attendance: { site: string; stays: number }[]; chat: { text: string }[] };
    expect(record.sites).toBe(2);
    expect(record.attendance.map((row) => row.site)).toEqual(["UBND xã Đông Tiến", "Sở Nội vụ"]);
    expect(record.chat.map((message) => message.text)).toEqual(["Đông Tiến đã sẵn sàng."]);

    const pdf = await fetch(`${server.url}/api/meetings/${meeting.id}/attendance?format=pdf`, { headers: { authorization: `Bearer ${token}` } });
    expect(pdf.status).toBe(200);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-attendance-")), "a.pdf");
    fs.writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    expect(text).toContain("DANH SÁCH ĐIỂM CẦU THAM DỰ");
    expect(text).toContain("UBND xã Đông Tiến");
    expect(text).toContain("Sở Nội vụ");

    const xlsx = await fetch(`${server.url}/api/meetings/${meeting.id}/attendance?format=xlsx`, { headers: { authorization: `Bearer ${token}` } });
    const workbook = new ExcelJS.Workbook();
    const data = Buffer.from(await xlsx.arrayBuffer());
    await workbook.xlsx.load(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer);
    const names: string[] = [];
    workbook.getWorksheet("Điểm danh")?.eachRow((row) => names.push(String(row.getCell(1).value)));
    expect(names).toEqual(expect.arrayContaining(["UBND xã Đông Tiến", "Sở Nội vụ"]));
  });
});
