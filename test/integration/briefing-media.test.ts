import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import type { RequestInput, Role, RtpCapabilities } from "../../signaling/protocol";
import { connect, nextEvent, ok, request, type TestSocket } from "../helpers/client";
import { buildUnit, tokenFor } from "../helpers/factories";
import { audioProducerParameters, videoProducerParameters } from "../helpers/media";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
let caps: RtpCapabilities;
let unit: { id: string; path: string };
const sockets: TestSocket[] = [];

async function member(roomId: string, roles: Role[], displayName: string) {
  const { token, user } = await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles, displayName });
  const socket = await connect(server.url, { token });
  sockets.push(socket);
  caps ??= (await ok(socket, "getRouterRtpCapabilities", {})).rtpCapabilities;
  const joined = await ok(socket, "join", { roomId, rtpCapabilities: caps });
  const send = await ok(socket, "createWebRtcTransport", { direction: "send" });
  const recv = await ok(socket, "createWebRtcTransport", { direction: "recv" });
  return { socket, user, peerId: joined.peerId, moderation: joined.moderation, send, recv };
}

/** A camera as Chrome sends it with three simulcast encodings (rids, no SSRCs). */
function simulcastParameters(): RequestInput<"produce">["rtpParameters"] {
  const base = videoProducerParameters();
  return {
    ...base,
    headerExtensions: [
      { uri: "urn:ietf:params:rtp-hdrext:sdes:mid", id: 1 },
      { uri: "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id", id: 10 },
    ],
    encodings: [
      { rid: "r0", scaleResolutionDownBy: 4, maxBitrate: 120_000 },
      { rid: "r1", scaleResolutionDownBy: 2, maxBitrate: 350_000 },
      { rid: "r2", scaleResolutionDownBy: 1, maxBitrate: 900_000 },
    ],
  };
}

beforeAll(async () => {
  server = await startTestServer();
  unit = await buildUnit(server.db);
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});

afterAll(async () => {
  await server?.close();
});

describe("simulcast and what each receiver takes", () => {
  it("announces the layers, starts a consumer at the layer asked for, follows the tile, and pauses it for a page off screen", async () => {
    const sender = await member("giao-ban-simulcast", ["officer"], "Điểm cầu phát");
    const viewer = await member("giao-ban-simulcast", ["viewer"], "Điểm cầu xem");
    const announced = nextEvent(viewer.socket, "newProducer");
    const { producerId } = await ok(sender.socket, "produce", { transportId: sender.send.id, kind: "video", source: "webcam", rtpParameters: simulcastParameters() });
    expect((await announced).producer).toMatchObject({ id: producerId, layers: 3 });

    const consumed = await ok(viewer.socket, "consume", { transportId: viewer.recv.id, producerId, spatialLayer: 0 });
    const room = await server.rooms.get("giao-ban-simulcast");
    const consumer = room!.peer(viewer.peerId)!.consumer(consumed.consumerId);
    expect(consumer.type).toBe("simulcast");
    expect(consumer.preferredLayers?.spatialLayer).toBe(0);

    await ok(viewer.socket, "setConsumerPreferredLayers", { consumerId: consumed.consumerId, spatialLayer: 2 });
    expect(consumer.preferredLayers?.spatialLayer).toBe(2);

    await ok(viewer.socket, "resumeConsumer", { consumerId: consumed.consumerId });
    expect(consumer.paused).toBe(false);
    await ok(viewer.socket, "pauseConsumer", { consumerId: consumed.consumerId });
    expect(consumer.paused).toBe(true);

    const bad = await request(viewer.socket, "setConsumerPreferredLayers", { consumerId: consumed.consumerId, spatialLayer: 7 });
    expect(bad).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
    const foreign = await request(sender.socket, "pauseConsumer", { consumerId: consumed.consumerId });
    expect(foreign).toMatchObject({ ok: false, error: { code: "CONSUMER_NOT_FOUND" } });
  });
});

describe("the first picture of a simulcast consumer", () => {
  it("keeps the starting layer until the first frame is out, then takes the tile's layer (a new target would discard the awaited key frame)", async () => {
    const sender = await member("giao-ban-lop-dau", ["officer"], "Điểm cầu phát");
    const viewer = await member("giao-ban-lop-dau", ["viewer"], "Điểm cầu xem");
    const { producerId } = await ok(sender.socket, "produce", { transportId: sender.send.id, kind: "video", source: "webcam", rtpParameters: simulcastParameters() });
    const consumed = await ok(viewer.socket, "consume", { transportId: viewer.recv.id, producerId, spatialLayer: 1 });
    const room = await server.rooms.get("giao-ban-lop-dau");
    const peer = room!.peer(viewer.peerId)!;
    const consumer = peer.localConsumer(consumed.consumerId);
    await ok(viewer.socket, "resumeConsumer", { consumerId: consumed.consumerId });
    expect(consumer.currentLayers).toBeUndefined();

    // The tile reports its size before any frame came: the wish is kept, mediasoup's target is not moved.
    await ok(viewer.socket, "setConsumerPreferredLayers", { consumerId: consumed.consumerId, spatialLayer: 2 });
    expect(consumer.preferredLayers?.spatialLayer).toBe(1);
    expect(room!.wantedLayer(peer, consumed.consumerId)).toBe(2);

    // The worker reports the first forwarded frame (what mediasoup emits when a key frame starts the stream).
    consumer.emit("layerschange", { spatialLayer: 1, temporalLayer: 0 });
    await expect.poll(() => consumer.preferredLayers?.spatialLayer).toBe(2);
    expect(room!.wantedLayer(peer, consumed.consumerId)).toBe(2);
  });
});

describe("a consumer that closes while the receiver resumes it", () => {
  it("answers CONSUMER_NOT_FOUND, not an internal error (the producer left during the request)", async () => {
    const sender = await member("giao-ban-dong-giua-chung", ["officer"], "Điểm cầu phát");
    const viewer = await member("giao-ban-dong-giua-chung", ["viewer"], "Điểm cầu xem");
    const { producerId } = await ok(sender.socket, "produce", { transportId: sender.send.id, kind: "video", source: "webcam", rtpParameters: videoProducerParameters(611) });
    const consumed = await ok(viewer.socket, "consume", { transportId: viewer.recv.id, producerId });
    const room = await server.rooms.get("giao-ban-dong-giua-chung");
    const peer = room!.peer(viewer.peerId)!;
    const consumer = peer.consumer(consumed.consumerId);
    // The resume is on its way to the worker when the consumer closes: its key-frame request then meets a
    // consumer the worker no longer has. That is the receiver's stale id, not a server failure.
    const resuming = room!.resumeConsumer(peer, consumed.consumerId);
    consumer.close();
    await expect(resuming).rejects.toMatchObject({ code: "CONSUMER_NOT_FOUND" });
  });

  it("answers CONSUMER_NOT_FOUND when the worker closed it and Node has not heard yet (the producer closed first)", async () => {
    const sender = await member("giao-ban-dong-truoc-tin", ["officer"], "Điểm cầu phát");
    const viewer = await member("giao-ban-dong-truoc-tin", ["viewer"], "Điểm cầu xem");
    const { producerId } = await ok(sender.socket, "produce", { transportId: sender.send.id, kind: "video", source: "webcam", rtpParameters: videoProducerParameters(612) });
    const consumed = await ok(viewer.socket, "consume", { transportId: viewer.recv.id, producerId });
    const room = await server.rooms.get("giao-ban-dong-truoc-tin");
    const peer = room!.peer(viewer.peerId)!;
    // The worker closes the consumer with its producer and answers the resume "handler not found";
    // mediasoup delivers its close notice to Node a tick after that answer, so Node still holds it open.
    room!.peer(sender.peerId)!.producer(producerId).close();
    const resuming = room!.resumeConsumer(peer, consumed.consumerId);
    await expect(resuming).rejects.toMatchObject({ code: "CONSUMER_NOT_FOUND" });
  });
});

describe("screen sharing", () => {
  it("is for the chair and the site with the floor, one at a time, and ends when the floor is taken back", async () => {
    const chair = await member("giao-ban-man-hinh", ["leader"], "Chủ trì");
    const site = await member("giao-ban-man-hinh", ["site"], "Điểm cầu xã");
    const screen = (at: { send: { id: string } }, ssrc: number) => ({ transportId: at.send.id, kind: "video" as const, source: "screen" as const, rtpParameters: videoProducerParameters(ssrc) });

    expect(await request(site.socket, "produce", screen(site, 501))).toMatchObject({ ok: false, error: { code: "SCREEN_SHARE_NOT_ALLOWED" } });
    const chairShare = await ok(chair.socket, "produce", screen(chair, 502));
    await ok(chair.socket, "grantFloor", { peerId: site.peerId });
    expect(await request(site.socket, "produce", screen(site, 503))).toMatchObject({ ok: false, error: { code: "SCREEN_SHARE_IN_USE" } });

    await ok(chair.socket, "closeProducer", { producerId: chairShare.producerId });
    const siteShare = await ok(site.socket, "produce", screen(site, 504));
    const toldSite = nextEvent(site.socket, "producerClosed");
    const toldChair = nextEvent(chair.socket, "producerClosed");
    await ok(chair.socket, "grantFloor", { peerId: null });
    expect(await toldSite).toEqual({ peerId: site.peerId, producerId: siteShare.producerId });
    expect(await toldChair).toEqual({ peerId: site.peerId, producerId: siteShare.producerId });
    const room = await server.rooms.get("giao-ban-man-hinh");
    expect(room!.producersOf("screen")).toEqual([]);
  });
});

describe("recording controls", () => {
  it("tells every site, refuses a second start or a stop without one, and keeps a failed composition visible with its tracks", async () => {
    const chair = await member("giao-ban-ghi", ["leader"], "Chủ trì");
    const site = await member("giao-ban-ghi", ["site"], "Điểm cầu xã");
    await ok(site.socket, "produce", { transportId: site.send.id, kind: "audio", source: "mic", rtpParameters: audioProducerParameters(601) });
    expect(await request(chair.socket, "stopRecording", {})).toMatchObject({ ok: false, error: { code: "NOT_RECORDING" } });
    expect(await request(site.socket, "startRecording", {})).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });

    const told = nextEvent(site.socket, "moderation");
    const { recordingId } = await ok(chair.socket, "startRecording", {});
    expect((await told).recording).toBe(true);
    expect(await request(chair.socket, "startRecording", {})).toMatchObject({ ok: false, error: { code: "RECORDING_ACTIVE" } });
    // A site joining later is told at once, in its join answer.
    const late = await member("giao-ban-ghi", ["site"], "Điểm cầu đến sau");
    expect(late.moderation.recording).toBe(true);

    const stoppedForSite = nextEvent(site.socket, "moderation");
    const progress = nextEvent(site.socket, "recordingProgress");
    expect(await ok(chair.socket, "stopRecording", {})).toEqual({ recordingId });
    expect((await stoppedForSite).recording).toBe(false);
    expect(await progress).toMatchObject({ recordingId, status: "composing" });

    // No packet ever flowed (these producers have no browser behind them): the composition must fail
    // loudly — status and reason stored — and the track files stay on disk for an operator.
    await server.recordings.flush();
    const row = await server.db.recording.findUniqueOrThrow({ where: { id: recordingId } });
    expect(row).toMatchObject({ status: "failed", tracks: 1 });
    expect(row.error).toBeTruthy();
    expect(fs.readdirSync(path.join(server.dataDir, "recordings", recordingId, "tracks")).length).toBeGreaterThan(0);
  });

  it("refuses an officer who does not chair the room: no recording, no ending it", async () => {
    await member("giao-ban-khong-chu-tri", ["leader"], "Chủ trì");
    const officer = await member("giao-ban-khong-chu-tri", ["officer"], "Cán bộ");
    for (const event of ["startRecording", "stopRecording", "endMeeting"] as const) {
      expect(await request(officer.socket, event, {}), event).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    }
  });

  it("stops and keeps the recording when the chair ends the meeting", async () => {
    const chair = await member("giao-ban-ket-thuc", ["leader"], "Chủ trì");
    const { recordingId } = await ok(chair.socket, "startRecording", {});
    await ok(chair.socket, "endMeeting", {});
    await server.recordings.flush();
    const row = await server.db.recording.findUniqueOrThrow({ where: { id: recordingId } });
    expect(row.stoppedAt).not.toBeNull();
    expect(["failed", "ready"]).toContain(row.status);
  });
});
