import type { types } from "mediasoup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Room, WorkerPool } from "../../sfu";
import type { Peer } from "../../sfu";
import { audioProducerParameters, videoProducerParameters } from "../helpers/media";

/**
 * A briefing over every core: the home worker keeps the producers, receivers are placed on the worker
 * with the fewest consumers, and a producer is piped once to each other router that needs it. Real
 * mediasoup workers; no browser (the e2e `room-workers.spec.ts` shows pictures decoded across workers).
 */
let pool: WorkerPool;

beforeAll(async () => {
  pool = await WorkerPool.create({ size: 2, portRange: { min: 42_000, max: 42_999 }, restartDelayMs: 200 });
});

afterAll(() => pool?.close());

const network = { listenIp: "127.0.0.1", enableTcp: false, initialAvailableOutgoingBitrate: 600_000 };

async function roomOnTwoWorkers(id: string): Promise<Room> {
  const home = pool.workers[0]!;
  return Room.create({ id, worker: home, network, spread: { pool, afterConsumers: 0 } });
}

function join(room: Room, name: string): Peer {
  return room.join({ id: `${name}-${Math.random().toString(36).slice(2, 8)}`, displayName: name, rtpCapabilities: room.rtpCapabilities as types.RtpCapabilities });
}

describe("a room over two workers", () => {
  it("keeps producers home, places the next receiver on the idle worker, pipes each producer there once and takes the pipe down with its last consumer", async () => {
    const room = await roomOnTwoWorkers("giao-ban-hai-nhan");
    const [home, other] = pool.workers as [(typeof pool.workers)[0], (typeof pool.workers)[0]];
    const chair = join(room, "chair");
    const send = await room.createWebRtcTransport(chair, "send");
    const video = await room.produce(chair, { transportId: send.id, kind: "video", source: "webcam", rtpParameters: videoProducerParameters(70_001) as types.RtpParameters });
    const audio = await room.produce(chair, { transportId: send.id, kind: "audio", source: "mic", rtpParameters: audioProducerParameters(70_002) as types.RtpParameters });

    // Both workers idle: the first receiver stays home (no pipe for a small meeting).
    const first = join(room, "site-1");
    const firstRecv = await room.createWebRtcTransport(first, "recv");
    await room.consume(first, { transportId: firstRecv.id, producerId: video.id });
    await room.consume(first, { transportId: firstRecv.id, producerId: audio.id });
    expect(room.workerIndexes).toEqual([home.index]);
    const homeBefore = pool.consumersOn(home.worker);

    // Home now carries consumers, the other worker none: the next receivers go there.
    const second = join(room, "site-2");
    const third = join(room, "site-3");
    const secondRecv = await room.createWebRtcTransport(second, "recv");
    const thirdRecv = await room.createWebRtcTransport(third, "recv");
    const [secondVideo] = await Promise.all([
      room.consume(second, { transportId: secondRecv.id, producerId: video.id }),
      room.consume(third, { transportId: thirdRecv.id, producerId: video.id }),
    ]);
    expect(room.workerIndexes).toEqual([home.index, other.index]);
    expect(pool.consumersOn(other.worker)).toBe(2);
    // One pipe for the video, shared by both receivers (a pipe consumer on the home worker).
    expect(pool.consumersOn(home.worker)).toBe(homeBefore + 1);
    expect(secondVideo.producerId).toBe(video.id);

    // The pipe stays while one receiver there still uses it, and goes with the last one.
    second.consumer(secondVideo.consumerId).close();
    await expect.poll(() => pool.consumersOn(other.worker)).toBe(1);
    expect(pool.consumersOn(home.worker)).toBe(homeBefore + 1);
    room.leave(third);
    await expect.poll(() => pool.consumersOn(home.worker)).toBe(homeBefore);
    expect(pool.consumersOn(other.worker)).toBe(0);

    // A receiver there consumes again: the producer is piped anew.
    await room.consume(second, { transportId: secondRecv.id, producerId: audio.id });
    expect(pool.consumersOn(home.worker)).toBe(homeBefore + 1);
    room.close();
  });

  it("loses only the receivers of a worker that dies; producers and the home receivers go on", async () => {
    const room = await roomOnTwoWorkers("giao-ban-nhan-chet");
    const chair = join(room, "chair");
    const send = await room.createWebRtcTransport(chair, "send");
    const video = await room.produce(chair, { transportId: send.id, kind: "video", source: "webcam", rtpParameters: videoProducerParameters(71_001) as types.RtpParameters });
    const near = join(room, "near");
    const nearRecv = await room.createWebRtcTransport(near, "recv");
    await room.consume(near, { transportId: nearRecv.id, producerId: video.id });
    const far = join(room, "far");
    const farRecv = await room.createWebRtcTransport(far, "recv");
    await room.consume(far, { transportId: farRecv.id, producerId: video.id });
    const other = pool.workers[1]!;
    expect(room.workerIndexes).toContain(other.index);

    const lost = new Promise<Peer[]>((resolve) => room.once("peersLostMedia", resolve));
    const left: string[] = [];
    room.on("peerLeft", (peer, reason) => left.push(`${peer.displayName}:${reason}`));
    process.kill(other.worker.pid, "SIGKILL");
    expect((await lost).map((peer) => peer.displayName)).toEqual(["far"]);
    expect(left).toEqual(["far:workerDied"]);
    expect(room.closed).toBe(false);
    expect(room.peers.map((peer) => peer.displayName).sort()).toEqual(["chair", "near"]);
    expect(near.consumers).toHaveLength(1);

    // The lost site rejoins: placed on a live worker (home, or the restarted one), it consumes again.
    const back = join(room, "far");
    const backRecv = await room.createWebRtcTransport(back, "recv");
    await room.consume(back, { transportId: backRecv.id, producerId: video.id });
    expect(back.consumers).toHaveLength(1);
    room.close();
    await expect.poll(() => pool.workers.length, { timeout: 10_000 }).toBe(2);
  });
});
