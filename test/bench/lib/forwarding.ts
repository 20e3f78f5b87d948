import { randomBytes } from "node:crypto";
import * as mediasoup from "mediasoup";
import type { types } from "mediasoup";
import { roomMediaCodecs } from "../../../sfu/codecs";
import { Room } from "../../../sfu/Room";
import type { TransportAppData } from "../../../sfu/Peer";
import type { PooledWorker } from "../../../sfu/WorkerPool";
import { ffmpegAudioParameters, ffmpegVideoParameters } from "./media";
import { mapLimit } from "./util";

/**
 * The same forwarding through two stacks: the project's `sfu/` Room/Peer ("ours") and bare mediasoup
 * calls ("bare"), with the same codecs and the same consumer life cycle (paused → resume → key frame).
 *
 * Room has no API for PlainTransports (browsers-only: WebRtcTransport). To drive it without a browser,
 * "ours" creates PlainTransports on the Room's own router (taken from the worker's `newrouter`
 * observer event) and hands them to the Peer as its transports; from there Room.produce, Room.consume
 * and Room.resumeConsumer run unchanged. What this leaves out of "ours" is the WebRtcTransport itself
 * (ICE, DTLS, SRTP), which a bare script would pay for just the same.
 */
export interface ForwardingStack {
  readonly kind: "ours" | "bare";
  readonly router: types.Router;
  readonly worker: types.Worker;
  /** Ingest: one producer per kind on the given transport(s). */
  produce(transport: types.PlainTransport, kind: types.MediaKind, rtpParameters: types.RtpParameters): Promise<string>;
  /** A receiving participant with one transport consuming the given producers (resumed). */
  subscribe(transport: types.PlainTransport, producerIds: readonly string[]): Promise<types.Consumer[]>;
  close(): void;
}

const network = { listenIp: "127.0.0.1", enableTcp: false, initialAvailableOutgoingBitrate: 1_000_000 };
let roomCounter = 0;

export async function oursStack(pooled: PooledWorker): Promise<ForwardingStack> {
  const routerCreated = new Promise<types.Router>((resolve) => pooled.worker.observer.once("newrouter", resolve));
  const room = await Room.create({ id: `bench-room-${++roomCounter}`, worker: pooled, network });
  const router = await routerCreated;
  const publisher = room.join({ id: "publisher", displayName: "Chủ trì (bench)", rtpCapabilities: room.rtpCapabilities });
  let subscribers = 0;
  const adopt = (peer: ReturnType<Room["join"]>, transport: types.PlainTransport, direction: "send" | "recv") => {
    (transport.appData as TransportAppData).direction = direction;
    peer.addTransport(transport as unknown as types.WebRtcTransport<TransportAppData>);
  };
  return {
    kind: "ours",
    router,
    worker: pooled.worker,
    async produce(transport, kind, rtpParameters) {
      if (!publisher.transports.some((t) => t.id === transport.id)) adopt(publisher, transport, "send");
      const producer = await room.produce(publisher, { transportId: transport.id, kind, source: kind === "audio" ? "mic" : "webcam", rtpParameters });
      return producer.id;
    },
    async subscribe(transport, producerIds) {
      const peer = room.join({ id: `subscriber-${++subscribers}`, displayName: `Điểm cầu ${subscribers}`, rtpCapabilities: room.rtpCapabilities });
      adopt(peer, transport, "recv");
      const consumers: types.Consumer[] = [];
      for (const producerId of producerIds) {
        const parameters = await room.consume(peer, { transportId: transport.id, producerId });
        await room.resumeConsumer(peer, parameters.consumerId);
        consumers.push(peer.localConsumer(parameters.consumerId));
      }
      return consumers;
    },
    close: () => room.close(),
  };
}

export async function bareStack(worker: types.Worker): Promise<ForwardingStack> {
  const router = await worker.createRouter({ mediaCodecs: roomMediaCodecs });
  return {
    kind: "bare",
    router,
    worker,
    async produce(transport, kind, rtpParameters) {
      return (await transport.produce({ kind, rtpParameters })).id;
    },
    async subscribe(transport, producerIds) {
      const consumers: types.Consumer[] = [];
      for (const producerId of producerIds) {
        const consumer = await transport.consume({ producerId, rtpCapabilities: router.rtpCapabilities, paused: true });
        await consumer.resume();
        if (consumer.kind === "video") await consumer.requestKeyFrame();
        consumers.push(consumer);
      }
      return consumers;
    },
    close: () => router.close(),
  };
}

export function createBareWorker(): Promise<types.Worker> {
  return mediasoup.createWorker({ logLevel: "warn" });
}

/** Ingest transports for an ffmpeg sender (comedia, RTCP on its own port as ffmpeg sends it). */
export async function ingestTransport(router: types.Router): Promise<types.PlainTransport> {
  return router.createPlainTransport({ listenInfo: { protocol: "udp", ip: "127.0.0.1" }, rtcpMux: false, comedia: true });
}

export async function ingestFfmpegPublisher(stack: ForwardingStack) {
  const videoTransport = await ingestTransport(stack.router);
  const audioTransport = await ingestTransport(stack.router);
  const videoProducerId = await stack.produce(videoTransport, "video", ffmpegVideoParameters());
  const audioProducerId = await stack.produce(audioTransport, "audio", ffmpegAudioParameters());
  return {
    producerIds: [videoProducerId, audioProducerId],
    video: { port: videoTransport.tuple.localPort, rtcpPort: videoTransport.rtcpTuple?.localPort },
    audio: { port: audioTransport.tuple.localPort, rtcpPort: audioTransport.rtcpTuple?.localPort },
  };
}

/** A subscriber's transport: sends to a sink port; SRTP (AES_CM_128_HMAC_SHA1_80) when asked. */
export async function sinkTransport(router: types.Router, sinkPort: number, srtp: boolean): Promise<types.PlainTransport> {
  const transport = await router.createPlainTransport({
    listenInfo: { protocol: "udp", ip: "127.0.0.1" },
    rtcpMux: true,
    comedia: false,
    ...(srtp ? { enableSrtp: true, srtpCryptoSuite: "AES_CM_128_HMAC_SHA1_80" as const } : {}),
  });
  await transport.connect({
    ip: "127.0.0.1",
    port: sinkPort,
    ...(srtp ? { srtpParameters: { cryptoSuite: "AES_CM_128_HMAC_SHA1_80" as const, keyBase64: randomBytes(30).toString("base64") } } : {}),
  });
  return transport;
}

let unansweredStats = 0;

/**
 * A stats request that gets no answer within 5 s counts as none (and is counted): mediasoup 3.19's
 * channel requests have no timeout, and a starved worker at the 1 + 166 + 300 point once left the
 * bench waiting for good.
 */
export async function statsOrNone<T>(request: Promise<T[]>): Promise<T[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T[]>((resolve) => {
    timer = setTimeout(() => {
      unansweredStats++;
      resolve([]);
    }, 5_000);
  });
  try {
    return await Promise.race([request, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Stats requests that got no answer in time, since the process started. */
export function statsUnanswered(): number {
  return unansweredStats;
}

export interface SentCounts {
  packets: number;
  videoPackets: number;
  audioPackets: number;
  /** performance.now() at the middle of the collection (stats of many consumers take a while). */
  at: number;
}

/** Packets sent so far by the consumers, from their `outbound-rtp` stats. */
export async function sentPackets(consumers: readonly types.Consumer[]): Promise<SentCounts> {
  const started = performance.now();
  const counts = await mapLimit(consumers, 64, async (consumer) => {
    if (consumer.closed) return { kind: consumer.kind, packets: 0 };
    const stats = await statsOrNone(consumer.getStats());
    const outbound = stats.find((stat) => stat.type === "outbound-rtp") as { packetCount?: number } | undefined;
    return { kind: consumer.kind, packets: outbound?.packetCount ?? 0 };
  });
  const ended = performance.now();
  let videoPackets = 0;
  let audioPackets = 0;
  for (const count of counts) {
    if (count.kind === "video") videoPackets += count.packets;
    else audioPackets += count.packets;
  }
  return { packets: videoPackets + audioPackets, videoPackets, audioPackets, at: (started + ended) / 2 };
}

export function consumerSsrcs(consumers: readonly types.Consumer[]): number[] {
  return consumers.map((consumer) => consumer.rtpParameters.encodings?.[0]?.ssrc).filter((ssrc): ssrc is number => typeof ssrc === "number");
}

export function workerCpuMs(usage: types.WorkerResourceUsage): number {
  return usage.ru_utime + usage.ru_stime;
}
