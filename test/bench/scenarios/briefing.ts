import os from "node:os";
import type { types } from "mediasoup";
import type { Peer } from "../../../sfu/Peer";
import { Room, type RoomSpreadOptions } from "../../../sfu/Room";
import { WorkerPool } from "../../../sfu/WorkerPool";
import { consumerSsrcs, sentPackets, statsOrNone, statsUnanswered, workerCpuMs } from "../lib/forwarding";
import { AUDIO_PT, encodeSimulcastClip, ffmpegAudioParameters, type RtpOutput, type SimulcastClip, simulcastVideoParameters, startRtpSender, stopProcess, VIDEO_PT } from "../lib/media";
import { RtpRelay, type StreamTarget } from "../lib/relay";
import { type BenchParticipant, joinWithTransport, RoomMediaHarness, sinkCapabilities } from "../lib/roomMedia";
import { UdpSink } from "../lib/sink";
import { hostBusyPercent, hostCpuTicks, mapLimit, round, sleep, udpDropsByPort } from "../lib/util";

/**
 * The province-wide briefing through `sfu/Room` itself (issue 17 item 5): 1 chair + S sites publishing +
 * V receive-only viewers in ONE room over every worker of the machine. Room places each receiving
 * transport (home worker until it carries `afterConsumers` consumers, then the least loaded worker) and
 * pipes each producer a receiver needs to that worker's router with `pipeToRouter` — the bench does
 * neither by hand. Publishers are fed by one ffmpeg (three simulcast VP8 layers + Opus) through the RTP
 * relay; receivers are PlainTransports sending to UDP sinks (see lib/roomMedia.ts).
 *
 * Second part, the cost of a pipe: the same publisher and N receivers consumed on the home router
 * ("local") and on another worker's router through Room's pipe ("piped"), worker CPU per forwarded packet.
 */
export interface BriefingPointSpec {
  sites: number;
  viewers: number;
}

export interface PipeCostOptions {
  /** Receivers of the one publisher, per run (each consumes its video and audio). */
  receivers: number[];
  repeats: number;
  warmupMs: number;
  windowMs: number;
}

export interface BriefingOptions {
  points: BriefingPointSpec[];
  warmupMs: number;
  windowMs: number;
  /** Sites whose camera sends (the floor site first); the chair's always does. Other cameras are off (producer paused). */
  sitesWithVideo?: number;
  /** Small tiles each receiver shows beside the featured one (the web client's rail: 6); the rest of its video is off. */
  railTiles?: number;
  /** MEDIASOUP_SPREAD_AFTER_CONSUMERS; the product's default is 200. */
  afterConsumers?: number;
  /** mediasoup workers; default one per core of the machine, as the server runs. */
  workers?: number;
  /**
   * Receivers joining at once (default 4). Room places a receiver by the consumers already on each worker,
   * so receivers joining together all see the same counts (as sites pressing "join" in the same second do).
   */
  joinConcurrency?: number;
  /**
   * Stop stepping after the first point where a worker passed the CPU limit (its successors can only be
   * worse). Loss alone does not stop it: on a shared machine it can come from other processes' load.
   */
  stopAtCpuLimit?: boolean;
  /** null: skip the pipe-cost runs. */
  pipeCost: PipeCostOptions | null;
  clip?: SimulcastClip;
}

export interface BriefingPoint extends BriefingPointSpec {
  receivers: number;
  /** Receiving transports Room placed on each worker (the chair, the sites and the viewers). */
  receiversPerWorker: number[];
  /** Consumers on each worker, pipe consumers included (what Room's placement counts). */
  consumersPerWorker: number[];
  /** Producers piped to each worker's router (0 on home). */
  pipedProducersPerWorker: number[];
  /** Worker CPU in the window, % of one core, per worker (ru_utime + ru_stime). */
  workerCpuPercent: number[];
  /** Packets the receivers' consumers sent per second, per worker. */
  packetsPerSecondPerWorker: number[];
  ingestPacketsPerSecond: number;
  pipedPacketsPerSecond: number;
  /** Sum of ingest, pipe and egress loss (an upper bound of what a receiver misses), %. */
  lossPercent: number;
  /** 1 − received by the producers ÷ sent to them by the relay, whole run, %. */
  ingestLossPercent: number;
  /** 1 − received by the far pipe producers ÷ sent by the home pipe consumers, whole run, %. */
  pipeLossPercent: number;
  /**
   * Sent by the consumers but never reaching the sink sockets, whole run, %: the SFU's egress loss. Packets
   * the kernel dropped at a full sink socket did leave mediasoup; they are in `sinkLossPercent`.
   */
  egressLossPercent: number;
  /** 1 − counted by the sinks ÷ sent by the consumers, whole run, % (egress loss + the sinks' own drops). */
  sinkLossPercent: number;
  egressLossPercentPerWorker: number[];
  /** Packets the kernel dropped at the sink sockets (the measuring sink, not the SFU, was too slow). */
  sinkKernelDrops: number;
  /**
   * Packets the kernel dropped at the SFU's own receiving sockets (publishers' transports, far pipe ends):
   * the worker did not read in time — too slow, or not given the CPU (host busy) while under 85 % itself.
   */
  sfuSocketDrops: number;
  /** Stats requests the workers did not answer within 5 s during the point (their figures count as 0). */
  statsUnanswered: number;
  /** All workers' CPU ÷ receivers: % of one core per receiver, everything included (ingest, pipes). */
  cpuPercentPerReceiver: number;
  /** Whole machine busy (all cores) in the window, %: the sinks, the relay and other users show here. */
  hostBusyPercent: number;
  loadAverage: number[];
  healthy: boolean;
}

export interface PipeCostRun {
  mode: "ingest only" | "local" | "piped";
  receivers: number;
  workerCpuMs: number[];
  /** Packets the receivers' consumers sent in the window. */
  forwardedPackets: number;
  /** Packets that crossed the pipe in the window (received by the far pipe producers). */
  pipedPackets: number;
  windowMs: number;
}

export interface PipeCostPoint {
  receivers: number;
  /** Worker CPU (all workers, ingest subtracted) per packet a local consumer sends, µs. */
  localUsPerPacket: number;
  /** The same through the pipe: both workers, the pipe's share included, µs per packet the receivers get. */
  pipedUsPerPacket: number;
  /** pipedUsPerPacket ÷ localUsPerPacket: what a piped consumer costs against a local one (goal ≤ 1.3). */
  pipedOverLocal: number;
  /** The pipe hop itself (home pipe consumer + far pipe producer) per piped packet, µs. */
  pipeHopUsPerPipedPacket: number;
  /** Of it, the home worker's side (the pipe consumer sending), µs per piped packet. */
  pipeSendUsPerPipedPacket: number;
}

export interface PipeCostResult {
  runs: PipeCostRun[];
  /** Medians over the repeats, per receiver count. */
  points: PipeCostPoint[];
  /** The pipe hop in units of one local consumer's packet (median over the points). */
  pipeHopInLocalConsumers: number;
}

export interface BriefingResult {
  model: { workers: number; sitesWithVideo: number; railTiles: number; afterConsumers: number; layerKbps: number[]; audioKbps: number };
  points: BriefingPoint[];
  /** The largest point with every worker under 85 % CPU and < 1 % loss. */
  largestHealthy: BriefingPointSpec | null;
  /** The first point over the limit (where it stops), if any was reached. */
  firstUnhealthy: BriefingPointSpec | null;
  /** 1 chair + 166 sites + 300 viewers: whether it was tried and how it went. */
  goal: { tried: boolean; healthy: boolean; workerCpuPercent: number[]; lossPercent: number } | null;
  /**
   * From the largest healthy point: receivers one 8-core server carries at 85 % of every core, at this
   * point's CPU per receiver (ingest and pipes included, which grow slower than receivers).
   */
  receiversPer8CoresAt85: number;
  /** Producers piped by Room (not by the bench): true when any point used more than one worker. */
  spreadByRoom: boolean;
  pipeCost: PipeCostResult | null;
  notes: string[];
}

const CPU_LIMIT = 85;
const LOSS_LIMIT = 1;
const network = { listenIp: "127.0.0.1", enableTcp: false, initialAvailableOutgoingBitrate: 1_000_000 };
/** Relay input streams: the three simulcast layers (low first) and the microphone. */
export const STREAMS = 4;
const AUDIO_STREAM = 3;
let roomCounter = 0;

/** UDP sinks over several threads (one thread counts ~100 k packets/s at most on this machine). */
export class Sinks {
  #next = 0;
  private constructor(readonly sinks: UdpSink[]) {}

  static async create(streams: number): Promise<Sinks> {
    const threads = streams > 1_000 ? 2 : 1;
    const sockets = Math.max(1, Math.min(32, Math.ceil(streams / threads / 40)));
    return new Sinks(await Promise.all(Array.from({ length: threads }, () => UdpSink.create(sockets))));
  }

  nextPort = (): number => {
    const index = this.#next++;
    return this.sinks[index % this.sinks.length]!.portFor(Math.floor(index / this.sinks.length));
  };

  async received(): Promise<Map<number, number>> {
    const counts = new Map<number, number>();
    for (const snapshot of await Promise.all(this.sinks.map((sink) => sink.snapshot()))) {
      for (const [ssrc, count] of snapshot.counts) counts.set(ssrc, (counts.get(ssrc) ?? 0) + count);
    }
    return counts;
  }

  kernelDrops(): number {
    return this.sinks.reduce((sum, sink) => sum + sink.kernelDrops(), 0);
  }

  async close(): Promise<void> {
    await Promise.all(this.sinks.map((sink) => sink.close()));
  }
}

/** Stops the sender first (no packets into closed transports), then the relay, the room and the sinks. */
async function tearDown(parts: { sender: ReturnType<typeof startRtpSender> | undefined; relay: RtpRelay | undefined; room: Room; harness: RoomMediaHarness; sinks: Sinks }): Promise<void> {
  if (parts.sender) await stopProcess(parts.sender);
  await parts.relay?.close();
  parts.room.close();
  parts.harness.uninstall();
  await parts.sinks.close();
}

export interface Publisher extends BenchParticipant {
  video: string;
  audio: string;
  target: StreamTarget;
}

/** Packets producers received so far (every simulcast stream), from mediasoup's stats. */
async function producersReceived(producers: readonly types.Producer[]): Promise<number> {
  const stats = await mapLimit(producers, 64, async (producer) => (producer.closed ? [] : statsOrNone(producer.getStats())));
  return stats.flat().reduce((sum, stat) => sum + stat.packetCount, 0);
}

/** Packets consumers sent so far, every outbound stream (a pipe consumer has one per simulcast layer). */
async function consumersSent(consumers: readonly types.Consumer[]): Promise<number> {
  const stats = await mapLimit(consumers, 64, async (consumer) => (consumer.closed ? [] : statsOrNone(consumer.getStats())));
  return stats.flat().reduce((sum, stat) => sum + (stat.type === "outbound-rtp" ? stat.packetCount : 0), 0);
}

const lossOf = (sent: number, received: number) => (sent > 0 ? Math.max(0, (1 - received / sent) * 100) : 0);

export function senderOutputs(relay: RtpRelay): RtpOutput[] {
  return Array.from({ length: STREAMS }, (_, stream) => ({
    stream: stream === AUDIO_STREAM ? "0:a:0" : `0:v:${stream}`,
    payloadType: stream === AUDIO_STREAM ? AUDIO_PT : VIDEO_PT,
    ssrc: 50_000_000 + stream,
    target: { port: relay.streamPorts.rtp[stream]!, rtcpPort: relay.streamPorts.rtcp[stream]! },
  }));
}

/** A publishing participant: camera (three layers) and microphone, each sent only when not paused. */
export async function publish(room: Room, harness: RoomMediaHarness, index: number, name: string, camera: boolean, mic: boolean, layers: "simulcast" | "top"): Promise<Publisher> {
  const participant = await joinWithTransport(room, harness, `pub-${index}`, name, "send");
  const base = 60_000_000 + index * 8;
  const videoSsrcs = layers === "simulcast" ? [base, base + 1, base + 2] : [base + 2];
  const video = await room.produce(participant.peer, {
    transportId: participant.transport.transport.id,
    kind: "video",
    source: "webcam",
    rtpParameters: simulcastVideoParameters(videoSsrcs),
    paused: !camera,
  });
  const audio = await room.produce(participant.peer, {
    transportId: participant.transport.transport.id,
    kind: "audio",
    source: "mic",
    rtpParameters: ffmpegAudioParameters(base + 3),
    paused: !mic,
  });
  // Relay stream i (layer i, then the mic) → this publisher's SSRC for it; 0 = not sent.
  const ssrcs = [0, 1, 2].map((layer) => (camera && videoSsrcs.includes(base + layer) ? base + layer : 0));
  ssrcs.push(mic ? base + 3 : 0);
  return { ...participant, video: video.id, audio: audio.id, target: { port: participant.transport.transport.tuple.localPort, ssrcs } };
}

interface Receiving {
  workerIndex: number;
  consumers: types.Consumer[];
}

/** A receiver as the web client behaves: joins, opens its receive transport, consumes what is on its page. */
async function receive(room: Room, harness: RoomMediaHarness, who: Peer | string, wants: readonly { producerId: string; spatialLayer?: number }[]): Promise<Receiving> {
  // A site receives as the same peer it publishes as; a viewer joins only to receive.
  const peer = typeof who === "string" ? room.join({ id: who, displayName: who, rtpCapabilities: sinkCapabilities(room.rtpCapabilities) }) : who;
  const { id: transportId } = await room.createWebRtcTransport(peer, "recv");
  const transport = harness.placed(transportId);
  const consumers: types.Consumer[] = [];
  for (const want of wants) {
    const consumed = await room.consume(peer, { transportId: transport.transport.id, ...want });
    await room.resumeConsumer(peer, consumed.consumerId);
    consumers.push(peer.localConsumer(consumed.consumerId));
  }
  return { workerIndex: transport.workerIndex, consumers };
}

async function runPoint(
  pool: WorkerPool,
  clip: SimulcastClip,
  spec: BriefingPointSpec,
  options: Required<Omit<BriefingOptions, "clip" | "pipeCost" | "points">>,
  log: (line: string) => void,
): Promise<BriefingPoint> {
  const started = performance.now();
  const unanswered0 = statsUnanswered();
  const phase = (what: string) => log(`    1+${spec.sites}+${spec.viewers}: ${what} (${round((performance.now() - started) / 1000)} s)`);
  const workers = pool.workers;
  const receivers = 1 + spec.sites + spec.viewers;
  const sinks = await Sinks.create(receivers * (options.railTiles + 3));
  const harness = new RoomMediaHarness(pool, sinks.nextPort);
  const room = await Room.create({ id: `bench-briefing-${++roomCounter}`, worker: workers[0]!, network, spread: { pool, afterConsumers: options.afterConsumers } });
  let relay: RtpRelay | undefined;
  let sender: ReturnType<typeof startRtpSender> | undefined;
  try {
    // The chair (camera + microphone open), the floor site (camera + microphone), sitesWithVideo − 1 more
    // sites with their camera on, every other site with camera and microphone off (paused producers).
    const publishers = await mapLimit(Array.from({ length: spec.sites + 1 }, (_, index) => index), 16, (index) =>
      publish(room, harness, index, index === 0 ? "Chủ trì" : `Điểm cầu ${index}`, index === 0 || index <= options.sitesWithVideo, index <= 1, "simulcast"),
    );
    const chair = publishers[0]!;
    const floor = publishers[1] ?? chair;
    const withVideo = publishers.slice(1, 1 + options.sitesWithVideo);
    // Each page: the featured tile large (the floor; the floor site itself features the chair), the rail's
    // small tiles (the chair, then the latest speakers among the sites with video), the open microphones.
    const wantsOf = (self: Publisher | null) => {
      const featured = self === floor ? chair : floor;
      const rail = [chair, ...withVideo].filter((publisher) => publisher !== featured && publisher !== self).slice(0, options.railTiles);
      const mics = [chair, floor].filter((publisher, index, all) => publisher !== self && all.indexOf(publisher) === index);
      return [
        ...(featured !== self ? [{ producerId: featured.video, spatialLayer: 2 }] : []),
        ...rail.map((publisher) => ({ producerId: publisher.video, spatialLayer: 0 })),
        ...mics.map((publisher) => ({ producerId: publisher.audio })),
      ];
    };
    // The chair and the sites first (they join before the viewers), then the viewers.
    const joins = [...publishers.map((publisher) => ({ who: publisher.peer, self: publisher })), ...Array.from({ length: spec.viewers }, (_, index) => ({ who: `viewer-${index}`, self: null }))];
    phase(`${publishers.length} publishers in`);
    const receiving = await mapLimit(joins, options.joinConcurrency, (join) => receive(room, harness, join.who, wantsOf(join.self)));
    phase(`${receiving.length} receivers in`);

    const consumersByWorker: types.Consumer[][] = workers.map(() => []);
    const receiversPerWorker = workers.map(() => 0);
    for (const one of receiving) {
      consumersByWorker[one.workerIndex]!.push(...one.consumers);
      receiversPerWorker[one.workerIndex]!++;
    }
    const homeProducers = publishers.flatMap((publisher) => publisher.peer.producers);
    const pipeProducers = harness.pipeProducers.map((piped) => piped.producer);

    const sfuPorts = [...publishers.map((publisher) => publisher.target.port), ...harness.pipePorts];
    const sfuDrops = () => {
      const drops = udpDropsByPort();
      return sfuPorts.reduce((sum, port) => sum + (drops.get(port) ?? 0), 0);
    };
    const sfuDrops0 = sfuDrops();
    relay = await RtpRelay.forStreams(STREAMS, publishers.map((publisher) => publisher.target));
    sender = startRtpSender(clip.file, senderOutputs(relay));
    await sleep(options.warmupMs);
    phase("warmed up");

    const before = await Promise.all(consumersByWorker.map((consumers) => sentPackets(consumers)));
    const ingest0 = await producersReceived(homeProducers);
    const piped0 = await producersReceived(pipeProducers);
    const host0 = hostCpuTicks();
    const usage0 = await Promise.all(workers.map((pooled) => pooled.worker.getResourceUsage()));
    const t0 = performance.now();
    await sleep(options.windowMs);
    const usage1 = await Promise.all(workers.map((pooled) => pooled.worker.getResourceUsage()));
    const t1 = performance.now();
    const host1 = hostCpuTicks();
    const ingest1 = await producersReceived(homeProducers);
    const piped1 = await producersReceived(pipeProducers);
    const after = await Promise.all(consumersByWorker.map((consumers) => sentPackets(consumers)));
    phase("window measured");
    await stopProcess(sender);
    await sleep(400);
    // Whole run, everything in flight arrived: the relay's packets against what the producers got, the
    // pipes' home ends against their far ends, the consumers against the sinks.
    const [relaySent, ingestReceived, pipeSent, pipeReceived] = await Promise.all([relay.sentRtp(), producersReceived(homeProducers), consumersSent(harness.pipeConsumers), producersReceived(pipeProducers)]);
    const final = await Promise.all(consumersByWorker.map((consumers) => sentPackets(consumers)));
    const received = await sinks.received();
    const receivedPerWorker = consumersByWorker.map((consumers) => consumerSsrcs(consumers).reduce((sum, ssrc) => sum + (received.get(ssrc) ?? 0), 0));
    const seconds = (t1 - t0) / 1000;
    const workerCpuPercent = usage0.map((usage, index) => round(((workerCpuMs(usage1[index]!) - workerCpuMs(usage)) / (t1 - t0)) * 100));
    const totalSent = final.reduce((sum, counts) => sum + counts.packets, 0);
    const totalReceived = receivedPerWorker.reduce((a, b) => a + b, 0);
    const sinkKernelDrops = sinks.kernelDrops();
    const sfuSocketDrops = sfuDrops() - sfuDrops0;
    const sinkLossPercent = lossOf(totalSent, totalReceived);
    const egressLossPercent = lossOf(totalSent, totalReceived + sinkKernelDrops);
    const ingestLossPercent = lossOf(relaySent, ingestReceived);
    const pipeLossPercent = lossOf(pipeSent, pipeReceived);
    const lossPercent = egressLossPercent + ingestLossPercent + pipeLossPercent;
    return {
      ...spec,
      receivers,
      receiversPerWorker,
      consumersPerWorker: workers.map((pooled) => pool.consumersOn(pooled.worker)),
      pipedProducersPerWorker: workers.map((pooled) => harness.pipeProducers.filter((piped) => piped.workerIndex === pooled.index && !piped.producer.closed).length),
      workerCpuPercent,
      packetsPerSecondPerWorker: before.map((counts, index) => round(((after[index]!.packets - counts.packets) * ((t1 - t0) / Math.max(1, after[index]!.at - counts.at))) / seconds)),
      ingestPacketsPerSecond: round((ingest1 - ingest0) / seconds),
      pipedPacketsPerSecond: round((piped1 - piped0) / seconds),
      lossPercent: round(lossPercent),
      ingestLossPercent: round(ingestLossPercent),
      pipeLossPercent: round(pipeLossPercent),
      egressLossPercent: round(egressLossPercent),
      sinkLossPercent: round(sinkLossPercent),
      egressLossPercentPerWorker: final.map((counts, index) => round(lossOf(counts.packets, receivedPerWorker[index]!))),
      sinkKernelDrops,
      sfuSocketDrops,
      statsUnanswered: statsUnanswered() - unanswered0,
      cpuPercentPerReceiver: round(workerCpuPercent.reduce((a, b) => a + b, 0) / receivers, 4),
      hostBusyPercent: round(hostBusyPercent(host0, host1)),
      loadAverage: os.loadavg().map((value) => round(value)),
      healthy: workerCpuPercent.every((cpu) => cpu < CPU_LIMIT) && lossPercent < LOSS_LIMIT,
    };
  } finally {
    await tearDown({ sender, relay, room, harness, sinks });
  }
}

/** One pipe-cost run: one publisher (the top layer + microphone) and N receivers, local or through the pipe. */
async function runPipeCost(pool: WorkerPool, clip: SimulcastClip, mode: PipeCostRun["mode"], receivers: number, options: PipeCostOptions): Promise<PipeCostRun> {
  const [home, far] = pool.workers;
  if (!home || !far) throw new Error("the pipe cost needs two workers");
  const sinks = await Sinks.create(receivers * 2);
  const harness = new RoomMediaHarness(pool, sinks.nextPort);
  // "piped": a placement policy that always names the other worker, so Room pipes for every receiver.
  const toFar: RoomSpreadOptions = { pool: { leastLoaded: () => far, consumersOn: (worker) => (worker === far.worker ? 0 : Number.MAX_SAFE_INTEGER) }, afterConsumers: 0 };
  const room = await Room.create({ id: `bench-pipe-${++roomCounter}`, worker: home, network, ...(mode === "piped" ? { spread: toFar } : {}) });
  let relay: RtpRelay | undefined;
  let sender: ReturnType<typeof startRtpSender> | undefined;
  try {
    const publisher = await publish(room, harness, 0, "Chủ trì", true, true, "top");
    const receiving = await mapLimit(Array.from({ length: mode === "ingest only" ? 0 : receivers }, (_, index) => index), 8, (index) =>
      receive(room, harness, `recv-${index}`, [{ producerId: publisher.video }, { producerId: publisher.audio }]),
    );
    const consumers = receiving.flatMap((one) => one.consumers);
    if (mode === "piped" && receiving.some((one) => one.workerIndex !== far.index)) throw new Error("Room placed a receiver off the far worker");
    relay = await RtpRelay.forStreams(STREAMS, [publisher.target]);
    sender = startRtpSender(clip.file, senderOutputs(relay));
    await sleep(options.warmupMs);
    const pipeProducers = harness.pipeProducers.map((piped) => piped.producer);
    const before = await sentPackets(consumers);
    const piped0 = await producersReceived(pipeProducers);
    const usage0 = await Promise.all([home, far].map((pooled) => pooled.worker.getResourceUsage()));
    const t0 = performance.now();
    await sleep(options.windowMs);
    const usage1 = await Promise.all([home, far].map((pooled) => pooled.worker.getResourceUsage()));
    const t1 = performance.now();
    const piped1 = await producersReceived(pipeProducers);
    const after = await sentPackets(consumers);
    return {
      mode,
      receivers: mode === "ingest only" ? 0 : receivers,
      workerCpuMs: usage0.map((usage, index) => workerCpuMs(usage1[index]!) - workerCpuMs(usage)),
      forwardedPackets: Math.round((after.packets - before.packets) * ((t1 - t0) / Math.max(1, after.at - before.at))),
      pipedPackets: piped1 - piped0,
      windowMs: t1 - t0,
    };
  } finally {
    await tearDown({ sender, relay, room, harness, sinks });
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? 0 : sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function pipeCostScenario(pool: WorkerPool, clip: SimulcastClip, options: PipeCostOptions, log: (line: string) => void): Promise<PipeCostResult> {
  const runs: PipeCostRun[] = [];
  const points: PipeCostPoint[] = [];
  // CPU per ms of window, so runs of slightly different lengths compare.
  const perMs = (run: PipeCostRun) => run.workerCpuMs.map((cpu) => cpu / run.windowMs);
  const samples = new Map<number, { local: number[]; piped: number[]; hop: number[]; send: number[] }>();
  for (let repeat = 0; repeat < options.repeats; repeat++) {
    const base = await runPipeCost(pool, clip, "ingest only", 0, options);
    runs.push(base);
    const [baseHome = 0, baseFar = 0] = perMs(base);
    for (const [index, receivers] of options.receivers.entries()) {
      // ABBA over the receiver counts and the repeats, so a drift in the machine's load hits both alike.
      const order: ("local" | "piped")[] = (index + repeat) % 2 === 0 ? ["local", "piped"] : ["piped", "local"];
      const pair: Partial<Record<"local" | "piped", PipeCostRun>> = {};
      for (const mode of order) {
        const run = await runPipeCost(pool, clip, mode, receivers, options);
        runs.push(run);
        pair[mode] = run;
      }
      const local = pair.local!;
      const piped = pair.piped!;
      const [localHome = 0, localFar = 0] = perMs(local);
      const [pipedHome = 0, pipedFar = 0] = perMs(piped);
      // µs of worker CPU per packet = (CPU ms per window ms − the ingest-only run's) × window ms ÷ packets × 1000.
      const localUs = (((localHome - baseHome + localFar - baseFar) * local.windowMs) / Math.max(1, local.forwardedPackets)) * 1000;
      const pipedExtraMs = (pipedHome - baseHome + pipedFar - baseFar) * piped.windowMs;
      const pipedUs = (pipedExtraMs / Math.max(1, piped.forwardedPackets)) * 1000;
      const hopUs = ((pipedExtraMs - (localUs / 1000) * piped.forwardedPackets) / Math.max(1, piped.pipedPackets)) * 1000;
      const sendUs = (((pipedHome - baseHome) * piped.windowMs) / Math.max(1, piped.pipedPackets)) * 1000;
      const sample = samples.get(receivers) ?? { local: [], piped: [], hop: [], send: [] };
      sample.local.push(localUs);
      sample.piped.push(pipedUs);
      sample.hop.push(hopUs);
      sample.send.push(sendUs);
      samples.set(receivers, sample);
      log(`  pipe cost N=${String(receivers).padStart(3)}: local ${round(localUs)} µs/pkt, piped ${round(pipedUs)} µs/pkt (× ${round(pipedUs / Math.max(1e-9, localUs))}), pipe hop ${round(hopUs)} µs per piped packet`);
    }
  }
  for (const [receivers, sample] of samples) {
    const local = median(sample.local);
    const piped = median(sample.piped);
    points.push({
      receivers,
      localUsPerPacket: round(local),
      pipedUsPerPacket: round(piped),
      pipedOverLocal: round(local > 0 ? piped / local : 0),
      pipeHopUsPerPipedPacket: round(median(sample.hop)),
      pipeSendUsPerPipedPacket: round(median(sample.send)),
    });
  }
  const hopInConsumers = points.filter((point) => point.localUsPerPacket > 0).map((point) => point.pipeHopUsPerPipedPacket / point.localUsPerPacket);
  return { runs, points, pipeHopInLocalConsumers: round(median(hopInConsumers)) };
}

export async function briefingScenario(options: BriefingOptions, log: (line: string) => void = console.log): Promise<BriefingResult> {
  const clip = options.clip ?? (await encodeSimulcastClip(10));
  const settings = {
    warmupMs: options.warmupMs,
    windowMs: options.windowMs,
    sitesWithVideo: options.sitesWithVideo ?? 8,
    railTiles: options.railTiles ?? 6,
    afterConsumers: options.afterConsumers ?? 200,
    workers: options.workers ?? Math.max(2, os.availableParallelism()),
    joinConcurrency: options.joinConcurrency ?? 4,
    stopAtCpuLimit: options.stopAtCpuLimit ?? true,
  };
  const pool = await WorkerPool.create({ size: settings.workers, portRange: { min: 40000, max: 49999 }, logLevel: "warn" });
  const points: BriefingPoint[] = [];
  let pipeCost: PipeCostResult | null = null;
  try {
    for (const spec of options.points) {
      const point = await runPoint(pool, clip, spec, settings, log);
      points.push(point);
      log(
        `  briefing 1+${spec.sites}+${spec.viewers}: receivers ${point.receiversPerWorker.join(" / ")} per worker, workers ${point.workerCpuPercent.join(" / ")} % CPU, ` +
          `${point.packetsPerSecondPerWorker.join(" / ")} pkt/s out, ${point.pipedPacketsPerSecond} pkt/s piped, loss ${point.lossPercent} % ` +
          `(ingest ${point.ingestLossPercent}, pipe ${point.pipeLossPercent}, egress ${point.egressLossPercent}; at the sinks ${point.sinkLossPercent} with their ${point.sinkKernelDrops} drops; SFU socket drops ${point.sfuSocketDrops}; stats unanswered ${point.statsUnanswered}), host ${point.hostBusyPercent} %, load ${point.loadAverage[0]}${point.healthy ? "" : "  ← over the limit"}`,
      );
      if (settings.stopAtCpuLimit && point.workerCpuPercent.some((cpu) => cpu >= CPU_LIMIT)) break;
    }
    if (options.pipeCost) pipeCost = await pipeCostScenario(pool, clip, options.pipeCost, log);
  } finally {
    pool.close();
  }
  const healthy = points.filter((point) => point.healthy);
  const largest = healthy.reduce<BriefingPoint | null>((best, point) => (!best || point.receivers > best.receivers ? point : best), null);
  const firstUnhealthy = points.find((point) => !point.healthy);
  const goalPoint = points.find((point) => point.sites === 166 && point.viewers === 300);
  return {
    model: { workers: settings.workers, sitesWithVideo: settings.sitesWithVideo, railTiles: settings.railTiles, afterConsumers: settings.afterConsumers, layerKbps: clip.layerKbps.map((kbps) => round(kbps)), audioKbps: round(clip.audioKbps) },
    points,
    largestHealthy: largest ? { sites: largest.sites, viewers: largest.viewers } : null,
    firstUnhealthy: firstUnhealthy ? { sites: firstUnhealthy.sites, viewers: firstUnhealthy.viewers } : null,
    goal: goalPoint ? { tried: true, healthy: goalPoint.healthy, workerCpuPercent: goalPoint.workerCpuPercent, lossPercent: goalPoint.lossPercent } : null,
    receiversPer8CoresAt85: largest && largest.cpuPercentPerReceiver > 0 ? Math.floor((8 * CPU_LIMIT) / largest.cpuPercentPerReceiver) : 0,
    spreadByRoom: points.some((point) => point.receiversPerWorker.filter((count) => count > 0).length > 1),
    pipeCost,
    notes: [
      "Through sfu/Room: Room.createWebRtcTransport places each receiver (home until it carries MEDIASOUP_SPREAD_AFTER_CONSUMERS consumers, then the worker with the fewest) and Room.consume pipes the producer there with pipeToRouter; the bench only swaps WebRTC transports for PlainTransports (lib/roomMedia.ts).",
      `Model: the chair (camera + mic) and ${settings.sitesWithVideo} sites with their camera on (simulcast 3 layers: ${clip.layerKbps.map((kbps) => Math.round(kbps)).join(" / ")} kbps); every other site's camera and every mic but the chair's and the floor site's are paused producers (muted, nothing sent).`,
      `Each page (chair, sites, viewers) shows the featured tile large (the floor site, layer 2; the floor site sees the chair) and ${settings.railTiles} small tiles (layer 0: the chair, then the sites with video), and hears the two open mics. Off-page cameras are not consumed at all (the web client holds them as paused consumers: memory, no packets).`,
      "Receivers are PlainTransport consumers to UDP sinks (no DTLS/SRTP, no receiver RTCP): a lower bound on browsers' cost. The sinks and the relay run in threads on the same cores.",
      `healthy = every worker < ${CPU_LIMIT} % of a core and ingest + pipe + egress loss < ${LOSS_LIMIT} % (packets the kernel dropped at a full sink socket left the SFU: reported as sinkLossPercent, not counted).`,
      "Pipe cost: one publisher (900 kbps layer + Opus), N receivers on the home router (local) or all on the other worker through Room's pipe (a placement policy naming that worker); CPU of both workers minus an ingest-only run, per packet the receivers get, ABBA order, medians.",
    ],
  };
}
