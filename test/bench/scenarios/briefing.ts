import type { types } from "mediasoup";
import { roomMediaCodecs } from "../../../sfu/codecs";
import { WorkerPool } from "../../../sfu/WorkerPool";
import { consumerSsrcs, sentPackets, sinkTransport, workerCpuMs } from "../lib/forwarding";
import { type Clip, encodeClip, ffmpegAudioParameters, ffmpegVideoParameters, startSender, stopProcess } from "../lib/media";
import { RtpRelay, type RelayTarget } from "../lib/relay";
import { UdpSink } from "../lib/sink";
import { hostBusyPercent, hostCpuTicks, mapLimit, round, sleep } from "../lib/util";

export interface BriefingPointSpec {
  sites: number;
  viewers: number;
}

export interface BriefingOptions {
  points: BriefingPointSpec[];
  warmupMs: number;
  windowMs: number;
  clip?: Clip;
}

export interface BriefingPoint extends BriefingPointSpec {
  /** Receivers (sites + viewers) placed on each worker; the chair and every publisher are on worker 0. */
  receiversPerWorker: number[];
  consumersPerWorker: number[];
  /** Worker CPU in the window, % of one core, per worker. */
  workerCpuPercent: number[];
  packetsPerSecondPerWorker: number[];
  lossPercent: number;
  lossPercentPerWorker: number[];
  /** Packets the kernel dropped at the sink sockets (the measuring sink, not the SFU, was too slow). */
  sinkKernelDrops: number;
  /** Whole machine busy (all cores) in the window, %: the sink, the relay and other users show here. */
  hostBusyPercent: number;
  healthy: boolean;
}

export interface BriefingResult {
  points: BriefingPoint[];
  /** The largest point tried with every worker under 85 % CPU and < 1 % loss. */
  largestHealthy: BriefingPointSpec | null;
  /** 1 chair + 40 sites + 300 viewers: whether it was tried and how it went. */
  goal: { tried: boolean; healthy: boolean; workerCpuPercent: number[]; lossPercent: number } | null;
  /** sfu/Room cannot pipe producers to another worker's router: this scenario had to use bare routers. */
  roomSupportsPipeToRouter: boolean;
  notes: string[];
}

const CPU_LIMIT = 85;
const LOSS_LIMIT = 1;

async function runPoint(pool: WorkerPool, clip: Clip, spec: BriefingPointSpec, options: BriefingOptions): Promise<BriefingPoint> {
  const [w0, w1] = pool.workers;
  if (!w0 || !w1) throw new Error("the briefing scenario needs two workers");
  const routers = [await w0.worker.createRouter({ mediaCodecs: roomMediaCodecs }), await w1.worker.createRouter({ mediaCodecs: roomMediaCodecs })] as const;
  const receivers = spec.sites + spec.viewers;
  const sink = await UdpSink.create(Math.max(1, Math.ceil((receivers * 4 + spec.sites) / 20)));
  let relay: RtpRelay | undefined;
  let sender: ReturnType<typeof startSender> | undefined;
  try {
    // Publishers: the chair (camera + microphone) and every site (camera; only the site holding the
    // floor has its microphone open, the others are muted by the chair), all ingested on worker 0.
    const publishers = await mapLimit(
      Array.from({ length: spec.sites + 1 }, (_, index) => index),
      16,
      async (index) => {
        const transport = await routers[0].createPlainTransport({ listenInfo: { protocol: "udp", ip: "127.0.0.1" }, rtcpMux: true, comedia: true });
        const videoSsrc = 30_000_000 + index * 2;
        const audioSsrc = index <= 1 ? 30_000_001 + index * 2 : 0;
        const video = await transport.produce({ kind: "video", rtpParameters: ffmpegVideoParameters(videoSsrc) });
        const audio = audioSsrc ? await transport.produce({ kind: "audio", rtpParameters: ffmpegAudioParameters(audioSsrc) }) : null;
        return { transport, video, audio, target: { port: transport.tuple.localPort, videoSsrc, audioSsrc } satisfies RelayTarget };
      },
    );
    const chair = publishers[0]!;
    const floor = publishers[1] ?? chair;
    const shown = [chair.video, chair.audio!, floor.video, floor.audio!].filter((producer, index, all) => all.indexOf(producer) === index);
    // What worker 1's receivers see is piped over from worker 0 (same producer ids on both routers).
    for (const producer of shown) await routers[0].pipeToRouter({ producerId: producer.id, router: routers[1] });

    // Receivers go where the forwarded packets balance: worker 0 also carries the chair's grid.
    const perReceiverPps = 2 * 64 + 2 * 50;
    const chairPps = spec.sites * 64 + 50;
    const onWorker0 = Math.max(0, Math.min(receivers, Math.round((receivers * perReceiverPps - chairPps) / (2 * perReceiverPps))));
    const consumersByWorker: types.Consumer[][] = [[], []];
    let next = 0;
    const subscribe = async (worker: 0 | 1, producerIds: string[]) => {
      const transport = await sinkTransport(routers[worker], sink.portFor(next++), false);
      for (const producerId of producerIds) {
        const consumer = await transport.consume({ producerId, rtpCapabilities: routers[worker].rtpCapabilities, paused: true });
        await consumer.resume();
        if (consumer.kind === "video") await consumer.requestKeyFrame();
        consumersByWorker[worker]!.push(consumer);
      }
    };
    // The chair sees every site's camera and hears the floor.
    await subscribe(0, [...publishers.slice(1).map((publisher) => publisher.video.id), ...(floor !== chair ? [floor.audio!.id] : [])]);
    await mapLimit(
      Array.from({ length: receivers }, (_, index) => index),
      16,
      async (index) => {
        // Sites and viewers see and hear the chair and the site holding the floor (the floor site: the chair only).
        const isFloorSite = index === 0 && floor !== chair;
        const producers = isFloorSite ? [chair.video.id, chair.audio!.id] : shown.map((producer) => producer.id);
        await subscribe(index < onWorker0 ? 0 : 1, producers);
      },
    );

    relay = await RtpRelay.create(publishers.map((publisher) => publisher.target));
    sender = startSender(clip, { port: relay.ports.video, rtcpPort: relay.ports.videoRtcp }, { port: relay.ports.audio, rtcpPort: relay.ports.audioRtcp });
    await sleep(options.warmupMs);

    const workers = [w0.worker, w1.worker];
    const before = await Promise.all(consumersByWorker.map((consumers) => sentPackets(consumers)));
    const host0 = hostCpuTicks();
    const usage0 = await Promise.all(workers.map((worker) => worker.getResourceUsage()));
    const t0 = performance.now();
    await sleep(options.windowMs);
    const usage1 = await Promise.all(workers.map((worker) => worker.getResourceUsage()));
    const t1 = performance.now();
    const host1 = hostCpuTicks();
    const after = await Promise.all(consumersByWorker.map((consumers) => sentPackets(consumers)));
    await stopProcess(sender);
    await sleep(400);
    const final = await Promise.all(consumersByWorker.map((consumers) => sentPackets(consumers)));
    const received = await sink.snapshot();
    const receivedPerWorker = consumersByWorker.map((consumers) => consumerSsrcs(consumers).reduce((sum, ssrc) => sum + (received.counts.get(ssrc) ?? 0), 0));
    const loss = (sent: number, got: number) => (sent > 0 ? Math.max(0, (1 - got / sent) * 100) : 0);
    const totalSent = final.reduce((sum, counts) => sum + counts.packets, 0);
    const totalReceived = receivedPerWorker.reduce((a, b) => a + b, 0);
    const workerCpuPercent = usage0.map((usage, index) => round(((workerCpuMs(usage1[index]!) - workerCpuMs(usage)) / (t1 - t0)) * 100));
    const lossPercent = round(loss(totalSent, totalReceived));
    return {
      ...spec,
      receiversPerWorker: [onWorker0, receivers - onWorker0],
      consumersPerWorker: consumersByWorker.map((consumers) => consumers.length),
      workerCpuPercent,
      packetsPerSecondPerWorker: before.map((counts, index) => round(((after[index]!.packets - counts.packets) * ((t1 - t0) / (after[index]!.at - counts.at))) / ((t1 - t0) / 1000))),
      lossPercent,
      lossPercentPerWorker: final.map((counts, index) => round(loss(counts.packets, receivedPerWorker[index]!))),
      sinkKernelDrops: sink.kernelDrops(),
      hostBusyPercent: round(hostBusyPercent(host0, host1)),
      healthy: workerCpuPercent.every((cpu) => cpu < CPU_LIMIT) && lossPercent < LOSS_LIMIT,
    };
  } finally {
    if (sender) await stopProcess(sender);
    await relay?.close();
    for (const router of routers) router.close();
    await sink.close();
  }
}

/**
 * Briefing shape: 1 chair + S publishing sites + V receive-only viewers over both workers. Bare
 * mediasoup routers on the project's WorkerPool workers, because sfu/Room has no pipeToRouter support
 * (a Room is one router on one worker). Publishers are fed by one ffmpeg through an RTP relay.
 */
export async function briefingScenario(options: BriefingOptions, log: (line: string) => void = console.log): Promise<BriefingResult> {
  const clip = options.clip ?? (await encodeClip({ seconds: 10 }));
  const pool = await WorkerPool.create({ size: 2, portRange: { min: 40000, max: 49999 }, logLevel: "warn" });
  const points: BriefingPoint[] = [];
  try {
    for (const spec of options.points) {
      const point = await runPoint(pool, clip, spec, options);
      points.push(point);
      log(
        `  briefing S=${String(spec.sites).padStart(3)} V=${String(spec.viewers).padStart(4)}: workers ${point.workerCpuPercent.join(" / ")} % CPU, ` +
          `${point.packetsPerSecondPerWorker.join(" / ")} pkt/s, loss ${point.lossPercent} % (sink drops ${point.sinkKernelDrops}), host ${point.hostBusyPercent} %${point.healthy ? "" : "  ← over the limit"}`,
      );
    }
  } finally {
    pool.close();
  }
  const healthy = points.filter((point) => point.healthy);
  const largest = healthy.reduce<BriefingPoint | null>((best, point) => (!best || point.sites + point.viewers > best.sites + best.viewers ? point : best), null);
  const goalPoint = points.find((point) => point.sites === 40 && point.viewers === 300);
  return {
    points,
    largestHealthy: largest ? { sites: largest.sites, viewers: largest.viewers } : null,
    goal: goalPoint ? { tried: true, healthy: goalPoint.healthy, workerCpuPercent: goalPoint.workerCpuPercent, lossPercent: goalPoint.lossPercent } : null,
    roomSupportsPipeToRouter: false,
    notes: [
      "FINDING: sfu/Room is one router on one worker and has no pipeToRouter support, so a briefing cannot spread over the workers; this scenario uses bare mediasoup routers on the project's WorkerPool workers.",
      "Model: chair (camera + mic) and S sites (camera; only the floor site's mic open, the others muted by the chair) publish on worker 0; every site and viewer receives the chair and the floor site (audio + video); the chair receives every site's camera and the floor's audio.",
      "Receivers are split between the workers to balance forwarded packets; the chair's and the floor's producers are piped to worker 1 with router.pipeToRouter().",
      "Subscribers are PlainTransport consumers to UDP sinks (no SRTP/DTLS/RTCP feedback): a lower bound on real cost. The sink and relay threads run on the same 2 cores.",
      `healthy = every worker < ${CPU_LIMIT} % of a core and loss < ${LOSS_LIMIT} %.`,
    ],
  };
}
