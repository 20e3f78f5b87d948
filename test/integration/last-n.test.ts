import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { consumerWanted, decideLastN, emptyLastN, type LastNState } from "../../client/src/media/lastN";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import type { Moderation, Role, RtpCapabilities } from "../../signaling/protocol";
import { connect, nextEvent, ok, type TestSocket } from "../helpers/client";
import { buildUnit, tokenFor } from "../helpers/factories";
import { audioProducerParameters, videoProducerParameters } from "../helpers/media";
import { startTestServer, type TestServer } from "../helpers/server";

/**
 * Last-N on the server (issue 12 item 5 / 17 item 5): a site's page asks the policy which cameras it
 * receives and pauses the others' consumers on the server, so mediasoup forwards nothing for them. Real
 * mediasoup and socket.io: the consumers' `paused` state in the worker is what is checked, step by step,
 * against what the client's policy (client/src/media/lastN.ts, the module the page runs) decided.
 */

let server: TestServer;
let caps: RtpCapabilities;
let unit: { id: string; path: string };
const sockets: TestSocket[] = [];

async function member(roomId: string, roles: Role[], displayName: string) {
  const { token } = await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles, displayName });
  const socket = await connect(server.url, { token });
  sockets.push(socket);
  caps ??= (await ok(socket, "getRouterRtpCapabilities", {})).rtpCapabilities;
  const joined = await ok(socket, "join", { roomId, rtpCapabilities: caps });
  const send = await ok(socket, "createWebRtcTransport", { direction: "send" });
  const recv = await ok(socket, "createWebRtcTransport", { direction: "recv" });
  return { socket, peerId: joined.peerId, moderation: joined.moderation, send, recv };
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

describe("last-N: a site's cameras paused on the server follow its page's policy", () => {
  it("receives the chair and N − 1 sites, all audio, then the site given the floor instead of the last one", async () => {
    const roomId = "giao-ban-last-n";
    const chair = await member(roomId, ["leader"], "Chủ trì");
    const sites = [await member(roomId, ["site"], "Xã A"), await member(roomId, ["site"], "Xã B"), await member(roomId, ["site"], "Xã C")];
    const viewer = await member(roomId, ["site"], "Xã đang xem");

    // Every sender has a camera and a microphone (mediasoup accepts them without packets flowing).
    const senders = [chair, ...sites];
    const consumers: { consumerId: string; peerId: string; kind: "audio" | "video"; source: "mic" | "webcam" }[] = [];
    let ssrc = 70_000;
    for (const sender of senders) {
      for (const [kind, source] of [["video", "webcam"], ["audio", "mic"]] as const) {
        const rtpParameters = kind === "video" ? videoProducerParameters(++ssrc) : audioProducerParameters(++ssrc);
        const { producerId } = await ok(sender.socket, "produce", { transportId: sender.send.id, kind, source, rtpParameters });
        const consumed = await ok(viewer.socket, "consume", { transportId: viewer.recv.id, producerId, spatialLayer: 1 });
        consumers.push({ consumerId: consumed.consumerId, peerId: sender.peerId, kind, source });
      }
    }
    const room = (await server.rooms.get(roomId))!;
    const serverPaused = () => new Map(consumers.map(({ consumerId }) => [consumerId, room.peer(viewer.peerId)!.consumer(consumerId).paused]));
    // Consumers start paused on the server until the page asks for them.
    expect([...serverPaused().values()].every(Boolean)).toBe(true);

    // What the page does: ask the policy, then resume what it wants and pause the rest (RoomClient.#syncConsumers).
    let state: LastNState = emptyLastN;
    const pausedHere = new Map(consumers.map(({ consumerId }) => [consumerId, true]));
    const apply = async (moderation: Moderation, now: number) => {
      const decision = decideLastN(
        {
          onScreen: senders.map((sender) => sender.peerId),
          spotlightPeerId: moderation.spotlightPeerId,
          floorPeerId: moderation.floorPeerId,
          chairPeerIds: moderation.chairPeerIds,
          recentSpeakers: [],
          n: 2,
          now,
        },
        state,
      );
      state = decision.state;
      const video = new Set(decision.video);
      for (const consumer of consumers) {
        const wanted = consumerWanted(consumer, { audioOnly: false, video });
        if (wanted === !pausedHere.get(consumer.consumerId)) continue;
        pausedHere.set(consumer.consumerId, !wanted);
        await ok(viewer.socket, wanted ? "resumeConsumer" : "pauseConsumer", { consumerId: consumer.consumerId });
      }
      return decision.video;
    };
    const expectForwarded = (videoFrom: string[]) => {
      const paused = serverPaused();
      for (const consumer of consumers) {
        const forwarded = consumer.kind === "audio" || videoFrom.includes(consumer.peerId);
        expect(paused.get(consumer.consumerId), `${consumer.kind} of ${consumer.peerId}`).toBe(!forwarded);
      }
    };

    const moderation = viewer.moderation;
    expect(moderation.chairPeerIds).toEqual([chair.peerId]);
    const first = await apply(moderation, 1_000);
    expect(first).toEqual([chair.peerId, sites[0]!.peerId]);
    expectForwarded(first);

    // The chair gives the floor to the last site, which was outside the set: it takes the other site's slot at once.
    const told = nextEvent(viewer.socket, "moderation");
    await ok(chair.socket, "grantFloor", { peerId: sites[2]!.peerId });
    const withFloor = await told;
    expect(withFloor.floorPeerId).toBe(sites[2]!.peerId);
    const second = await apply(withFloor, 2_000);
    expect(second).toEqual([sites[2]!.peerId, chair.peerId]);
    expectForwarded(second);

    // The floor taken back: after the hold, the quiet room's order again.
    const back = nextEvent(viewer.socket, "moderation");
    await ok(chair.socket, "grantFloor", { peerId: null });
    const third = await apply(await back, 60_000);
    expect(third).toHaveLength(2);
    expect(third[0]).toBe(chair.peerId);
    expectForwarded(third);
  });
});
