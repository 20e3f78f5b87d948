import type { types } from "mediasoup";
import { WorkerPool } from "../../../sfu/WorkerPool";
import {
  bareStack,
  consumerSsrcs,
  createBareWorker,
  type ForwardingStack,
  ingestFfmpegPublisher,
  oursStack,
  sentPackets,
  sinkTransport,
  workerCpuMs,
} from "../lib/forwarding";
import { type Clip, encodeClip, startSender, stopProcess } from "../lib/media";
import { UdpSink } from "../lib/sink";
import { hostBusyPercent, hostCpuTicks, mapLimit, round, sleep } from "../lib/util";

export interface FanOutOptions {
  /** Subscriber counts to step through (each subscriber = one video + one audio consumer). */
  steps: number[];
  /** Extra steps run with SRTP on the subscriber transports (closer to WebRTC's cost). */
  srtpSteps?: number[];
  warmupMs: number;
  windowMs: number;
  /** An already encoded clip (the runner encodes one for all media scenarios). */
  clip?: Clip;
  /** Runs per stack and step (ratios use the medians); default 1. */
  repeats?: number;
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? 0 : sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface FanOutRun {
  stack: "ours" | "bare";
  subscribers: number;
  consumers: number;
  srtp: boolean;
  /** Packets the consumers sent per second in the measuring window. */
  packetsPerSecond: number;
  /** Worker CPU time (ru_utime + ru_stime) per 1 000 forwarded packets, in ms. */
  cpuMsPer1000Packets: number;
  /** Worker CPU in the window, % of one core. */
  workerCpuPercent: number;
  /** 1 − received at the sink / sent by the consumers, over the whole run, in %. */
  lossPercent: number;
  /** Of the packets lost, those the kernel dropped at the sink sockets (sink too slow, not the SFU). */
  sinkKernelDrops: number;
  sent: number;
  received: number;
  videoPacketsPerConsumerPerSecond: number;
  /** Whole machine busy share (all cores) in the window, %: other people's tests show here. */
  hostBusyPercent: number;
}

export interface FanOutResult {
  clip: { videoKbps: number; audioKbps: number; gopFrames: number; fps: number };
  runs: FanOutRun[];
  /** Per step: ours/bare forwarding efficiency (bare CPU per packet ÷ ours CPU per packet, medians of the repeats). */
  ratios: { subscribers: number; srtp: boolean; efficiencyRatio: number; ppsRatio: number }[];
  /** Median of the plain (no SRTP) efficiency ratios. */
  efficiencyRatio: number;
  /** Largest subscriber count where ours stayed under 85 % worker CPU with < 1 % loss. */
  largestHealthySubscribers: number;
  /** Extrapolated from ours' CPU per packet at the largest step: 500 kbps video consumers per worker at 85 % of a core. */
  extrapolatedVideoConsumersAt85: number;
  notes: string[];
}

async function runOnce(stack: ForwardingStack, clip: Clip, subscribers: number, srtp: boolean, options: FanOutOptions): Promise<FanOutRun> {
  const consumersPerSocket = 20;
  const sink = await UdpSink.create(Math.max(1, Math.ceil((subscribers * 2) / consumersPerSocket)));
  const ingest = await ingestFfmpegPublisher(stack);
  const perSubscriber = await mapLimit(
    Array.from({ length: subscribers }, (_, index) => index),
    16,
    async (index) => stack.subscribe(await sinkTransport(stack.router, sink.portFor(index), srtp), ingest.producerIds),
  );
  const consumers = perSubscriber.flat();
  const sender = startSender(clip, ingest.video, ingest.audio);
  try {
    await sleep(options.warmupMs);
    const before = await sentPackets(consumers);
    const host0 = hostCpuTicks();
    const usage0 = await stack.worker.getResourceUsage();
    const t0 = performance.now();
    await sleep(options.windowMs);
    const usage1 = await stack.worker.getResourceUsage();
    const t1 = performance.now();
    const host1 = hostCpuTicks();
    const after = await sentPackets(consumers);
    // The stats are read over a few ms around the CPU readings: scale the packet delta to the CPU window.
    const scale = (t1 - t0) / (after.at - before.at);
    const packets = (after.packets - before.packets) * scale;
    const videoPackets = (after.videoPackets - before.videoPackets) * scale;
    const cpuMs = workerCpuMs(usage1) - workerCpuMs(usage0);
    await stopProcess(sender);
    await sleep(400);
    const final = await sentPackets(consumers);
    const received = await sink.snapshot();
    const ssrcs = consumerSsrcs(consumers);
    const receivedByConsumers = ssrcs.reduce((sum, ssrc) => sum + (received.counts.get(ssrc) ?? 0), 0);
    const seconds = (t1 - t0) / 1000;
    return {
      stack: stack.kind,
      subscribers,
      consumers: consumers.length,
      srtp,
      packetsPerSecond: round(packets / seconds),
      cpuMsPer1000Packets: round(packets > 0 ? (cpuMs / packets) * 1000 : 0),
      workerCpuPercent: round((cpuMs / (t1 - t0)) * 100),
      lossPercent: round(final.packets > 0 ? Math.max(0, (1 - receivedByConsumers / final.packets) * 100) : 0),
      sinkKernelDrops: sink.kernelDrops(),
      sent: final.packets,
      received: receivedByConsumers,
      videoPacketsPerConsumerPerSecond: round(videoPackets / seconds / Math.max(1, subscribers)),
      hostBusyPercent: round(hostBusyPercent(host0, host1)),
    };
  } finally {
    await stopProcess(sender);
    stack.close();
    await sink.close();
  }
}

/**
 * Fan-out efficiency: one ffmpeg publisher (VP8 ~500 kbps + Opus, `-c copy`) into a PlainTransport
 * (comedia), N subscribers on PlainTransports sending to UDP sinks — a lower bound on the cost of real
 * WebRTC subscribers (no DTLS, no RTCP feedback, SRTP only in the srtp rows). Ours and bare alternate
 * at each step, on their own worker, in the same process.
 */
export async function fanOutScenario(options: FanOutOptions, log: (line: string) => void = console.log): Promise<FanOutResult> {
  const clip = options.clip ?? (await encodeClip({ seconds: 10 }));
  const pool = await WorkerPool.create({ size: 1, portRange: { min: 40000, max: 49999 }, logLevel: "warn" });
  const bareWorker: types.Worker = await createBareWorker();
  const runs: FanOutRun[] = [];
  const ratios: FanOutResult["ratios"] = [];
  try {
    const plan = [...options.steps.map((n) => ({ n, srtp: false })), ...(options.srtpSteps ?? []).map((n) => ({ n, srtp: true }))];
    const repeats = Math.max(1, options.repeats ?? 1);
    for (const [index, { n, srtp }] of plan.entries()) {
      const byStack: Record<"ours" | "bare", FanOutRun[]> = { ours: [], bare: [] };
      for (let repeat = 0; repeat < repeats; repeat++) {
        // ABBA order across steps and repeats, so a drift in the machine's load hits both stacks alike.
        const order: ("ours" | "bare")[] = (index + repeat) % 2 === 0 ? ["ours", "bare"] : ["bare", "ours"];
        for (const kind of order) {
          const pooled = pool.workers[0];
          if (!pooled) throw new Error("the pooled worker died");
          const stack = kind === "ours" ? await oursStack(pooled) : await bareStack(bareWorker);
          const result = await runOnce(stack, clip, n, srtp, options);
          byStack[kind].push(result);
          runs.push(result);
          log(
            `  fan-out ${kind.padEnd(4)} N=${String(n).padStart(4)}${srtp ? " srtp" : "     "}: ${result.packetsPerSecond} pkt/s, ` +
              `${result.cpuMsPer1000Packets} ms CPU/1000 pkt, worker ${result.workerCpuPercent} %, loss ${result.lossPercent} % (sink drops ${result.sinkKernelDrops}), host ${result.hostBusyPercent} %`,
          );
        }
      }
      const ours = medianOf(byStack.ours.map((run) => run.cpuMsPer1000Packets));
      const bare = medianOf(byStack.bare.map((run) => run.cpuMsPer1000Packets));
      const oursPps = medianOf(byStack.ours.map((run) => run.packetsPerSecond));
      const barePps = medianOf(byStack.bare.map((run) => run.packetsPerSecond));
      ratios.push({
        subscribers: n,
        srtp,
        efficiencyRatio: round(ours > 0 ? bare / ours : 0),
        ppsRatio: round(barePps > 0 ? oursPps / barePps : 0),
      });
    }
  } finally {
    pool.close();
    bareWorker.close();
  }
  const plainRatios = ratios.filter((ratio) => !ratio.srtp).map((ratio) => ratio.efficiencyRatio).sort((a, b) => a - b);
  const oursPlain = runs.filter((run) => run.stack === "ours" && !run.srtp);
  const healthy = oursPlain.filter((run) => run.lossPercent < 1 && run.workerCpuPercent < 85);
  const largest = oursPlain.at(-1);
  const cpuPerPacketMs = largest ? largest.cpuMsPer1000Packets / 1000 : 0;
  const videoPps = largest?.videoPacketsPerConsumerPerSecond ?? 0;
  return {
    clip: { videoKbps: round(clip.videoKbps), audioKbps: round(clip.audioKbps), gopFrames: clip.gopFrames, fps: clip.fps },
    runs,
    ratios,
    efficiencyRatio: plainRatios.length ? plainRatios[Math.floor((plainRatios.length - 1) / 2)]! : 0,
    largestHealthySubscribers: healthy.reduce((max, run) => Math.max(max, run.subscribers), 0),
    extrapolatedVideoConsumersAt85: cpuPerPacketMs > 0 && videoPps > 0 ? Math.round(850 / cpuPerPacketMs / videoPps) : 0,
    notes: [
      "Subscribers are PlainTransport consumers sending to local UDP sinks: a LOWER BOUND on WebRTC cost (no DTLS, no RTCP feedback/NACK/REMB from receivers; SRTP only in the srtp rows).",
      "'ours' = sfu/Room + sfu/Peer (Room.produce / Room.consume / Room.resumeConsumer) on a WorkerPool worker; Room has no PlainTransport API, so PlainTransports created on the Room's router are handed to the Peers.",
      "'bare' = mediasoup.createWorker + router.createPlainTransport/produce/consume with the same codecs (sfu/codecs.ts) and the same paused→resume→key-frame consumer life cycle.",
      "efficiency ratio = bare CPU per packet ÷ ours CPU per packet (1.0 = same cost; ≥ 0.9 is the goal), medians over the repeats, ABBA order.",
      "extrapolated consumers = 85 % of one core ÷ (ours CPU per packet × video packets/s of one 500 kbps consumer), assuming cost scales with packets.",
    ],
  };
}
