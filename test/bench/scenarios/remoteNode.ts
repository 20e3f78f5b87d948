import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import { Room } from "../../../sfu/Room";
import { WorkerPool } from "../../../sfu/WorkerPool";
import type { PeerConsumer } from "../../../sfu/mediaObjects";
import { MediaNodeDirectory } from "../../../signaling/mediaNodes/registry";
import { repoRoot } from "../../../signaling/paths";
import { startTestRedis } from "../../helpers/redis";
import { encodeSimulcastClip, type SimulcastClip, startRtpSender, stopProcess } from "../lib/media";
import { RtpRelay } from "../lib/relay";
import { RoomMediaHarness, sinkCapabilities } from "../lib/roomMedia";
import { mapLimit, round, sleep } from "../lib/util";
import { workerCpuMs } from "../lib/forwarding";
import { STREAMS, Sinks, publish, senderOutputs } from "./briefing";

/**
 * What a receiver on a media node costs against one on this host (issue 17 item 5), through `sfu/Room`:
 * one publisher (the 900 kbps layer + Opus) on the home worker, N receivers placed by Room either on the
 * home router ("local") or on a media node, a second process on loopback running the product's control
 * channel over TLS (lib/benchMediaNode.ts), which Room pipes the producers to over SRTP ("remote"). CPU of
 * the mediasoup workers (both hosts') minus an ingest-only run, per packet the receivers' consumers send;
 * ABBA, medians. The node's Node.js process (control channel only, no packets) is reported apart.
 */
export interface RemoteNodeOptions {
  receivers: number[];
  repeats: number;
  warmupMs: number;
  windowMs: number;
  clip?: SimulcastClip;
}

export interface RemoteNodeRun {
  mode: "ingest only" | "local" | "remote";
  receivers: number;
  /** CPU ms in the window: home worker, the node's worker, the node's Node.js process. */
  homeWorkerCpuMs: number;
  nodeWorkerCpuMs: number;
  nodeProcessCpuMs: number;
  forwardedPackets: number;
  /** Consumers whose stats did not come back (counted as 0 packets: the pair is left out of the figures). */
  statsFailed: number;
  windowMs: number;
}

export interface RemoteNodePoint {
  receivers: number;
  /** Worker CPU (ingest subtracted) per packet a local consumer sends, µs. */
  localUsPerPacket: number;
  /** Both hosts' workers (the pipe's two ends included) per packet a consumer on the node sends, µs. */
  remoteUsPerPacket: number;
  /** remoteUsPerPacket ÷ localUsPerPacket (goal ≤ 1.5). */
  remoteOverLocal: number;
  /** The node's Node.js process (control channel, stats calls) per packet, µs: not in the ratio. */
  nodeProcessUsPerPacket: number;
}

export interface RemoteNodeResult {
  runs: RemoteNodeRun[];
  points: RemoteNodePoint[];
  /** Median over the points of remoteOverLocal. */
  remoteOverLocal: number;
  /** Pairs left out: a run whose consumers' stats did not all come back, or that forwarded nothing. */
  discardedPairs: number;
  goal: number;
  notes: string[];
}

const GOAL = 1.5;
const NODE_IP = "127.0.0.3";
const SECRET = "bench-media-node-secret-0123456789abcdef";
const network = { listenIp: "127.0.0.1", enableTcp: false, initialAvailableOutgoingBitrate: 1_000_000 };
let roomCounter = 0;

interface BenchNode {
  child: ChildProcess;
  /** CPU ms so far of the node's mediasoup worker and of its Node.js process. */
  cpu(): Promise<{ worker: number; process: number }>;
  stop(): Promise<void>;
}

async function startBenchNode(redisUrl: string, sinkPorts: readonly number[]): Promise<BenchNode> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join("test", "bench", "lib", "benchMediaNode.ts")], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "test",
      BENCH_NODE_ID: "bench-node",
      BENCH_NODE_IP: NODE_IP,
      BENCH_NODE_SECRET: SECRET,
      BENCH_NODE_PORTS: "46000-46999",
      BENCH_SINK_PORTS: sinkPorts.join(","),
      REDIS_URL: redisUrl,
      ...(process.env.MEDIASOUP_WORKER_BIN ? { MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN } : {}),
    },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const output: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) {
        output.push(line);
        if (line.startsWith("{")) resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code, signal) => reject(new Error(`bench media node exited (${code ?? signal}):\n${output.join("\n")}`)));
  });
  return {
    child,
    cpu: () =>
      new Promise((resolve) => {
        child.once("message", (message) => resolve(message as { worker: number; process: number }));
        child.send("cpu");
      }),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Packets sent so far by the consumers (their outbound stream), wherever they live. */
async function sent(consumers: readonly PeerConsumer[]): Promise<{ packets: number; failed: number; at: number }> {
  const started = performance.now();
  const counts = await mapLimit(consumers, 16, async (consumer) => {
    if (consumer.closed) return undefined;
    const stats = await consumer.getStats().catch(() => undefined);
    return stats?.find((stat) => stat.type === "outbound-rtp")?.packetCount ?? 0;
  });
  return { packets: counts.reduce<number>((a, b) => a + (b ?? 0), 0), failed: counts.filter((count) => count === undefined).length, at: (started + performance.now()) / 2 };
}

async function runOnce(
  parts: { pool: WorkerPool; directory: MediaNodeDirectory; node: BenchNode; sinks: Sinks; clip: SimulcastClip },
  mode: RemoteNodeRun["mode"],
  receivers: number,
  options: RemoteNodeOptions,
): Promise<RemoteNodeRun> {
  const home = parts.pool.workers[0]!;
  const harness = new RoomMediaHarness(parts.pool, parts.sinks.nextPort);
  const room = await Room.create({ id: `bench-remote-${++roomCounter}`, worker: home, network, ...(mode === "remote" ? { spread: { pool: parts.pool, afterConsumers: 0, remote: parts.directory } } : {}) });
  let relay: RtpRelay | undefined;
  let sender: ReturnType<typeof startRtpSender> | undefined;
  try {
    const publisher = await publish(room, harness, 0, "Chủ trì", true, true, "top");
    const count = mode === "ingest only" ? 0 : receivers;
    const consumers = (
      await mapLimit(Array.from({ length: count }, (_, index) => index), 4, async (index) => {
        const peer = room.join({ id: `recv-${index}`, displayName: `recv-${index}`, rtpCapabilities: sinkCapabilities(room.rtpCapabilities) });
        const { id: transportId } = await room.createWebRtcTransport(peer, "recv");
        const mine: PeerConsumer[] = [];
        for (const producerId of [publisher.video, publisher.audio]) {
          const consumed = await room.consume(peer, { transportId, producerId });
          await room.resumeConsumer(peer, consumed.consumerId);
          mine.push(peer.consumer(consumed.consumerId));
        }
        return mine;
      })
    ).flat();
    const onNode = consumers.filter((consumer) => consumer.nodeId !== undefined).length;
    if (onNode !== (mode === "remote" ? consumers.length : 0)) throw new Error(`Room placed ${onNode} of ${consumers.length} consumers on the node in the ${mode} run`);
    relay = await RtpRelay.forStreams(STREAMS, [publisher.target]);
    sender = startRtpSender(parts.clip.file, senderOutputs(relay));
    await sleep(options.warmupMs);
    const cpu = async () => {
      const [usage, node] = await Promise.all([home.worker.getResourceUsage(), parts.node.cpu()]);
      return [workerCpuMs(usage), node.worker, node.process];
    };
    const before = await sent(consumers);
    const cpu0 = await cpu();
    const t0 = performance.now();
    await sleep(options.windowMs);
    const cpu1 = await cpu();
    const t1 = performance.now();
    const after = await sent(consumers);
    const [homeCpu = 0, nodeWorkerCpu = 0, nodeProcessCpu = 0] = cpu1.map((value, index) => value - cpu0[index]!);
    return {
      mode,
      receivers: count,
      homeWorkerCpuMs: homeCpu,
      nodeWorkerCpuMs: nodeWorkerCpu,
      nodeProcessCpuMs: nodeProcessCpu,
      forwardedPackets: Math.round((after.packets - before.packets) * ((t1 - t0) / Math.max(1, after.at - before.at))),
      statsFailed: before.failed + after.failed,
      windowMs: t1 - t0,
    };
  } finally {
    if (sender) await stopProcess(sender);
    await relay?.close();
    room.close();
    harness.uninstall();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? 0 : sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export async function remoteNodeScenario(options: RemoteNodeOptions, log: (line: string) => void = console.log): Promise<RemoteNodeResult> {
  const clip = options.clip ?? (await encodeSimulcastClip(10));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-bench-node-"));
  const redis = await startTestRedis(dir);
  const maxReceivers = Math.max(1, ...options.receivers);
  const sinks = await Sinks.create(maxReceivers * 4);
  const pool = await WorkerPool.create({ size: 1, portRange: { min: 44000, max: 45999 }, logLevel: "warn" });
  let node: BenchNode | undefined;
  let directory: MediaNodeDirectory | undefined;
  const runs: RemoteNodeRun[] = [];
  const samples = new Map<number, { local: number[]; remote: number[]; control: number[] }>();
  let discarded = 0;
  try {
    node = await startBenchNode(redis.url, sinks.sinks.flatMap((sink) => sink.ports));
    directory = await MediaNodeDirectory.open({ redisUrl: redis.url, secret: SECRET, heartbeatMs: 300, first: true, pipeListenIp: "127.0.0.1", allowPlain: false,
      // A bench on a shared machine: give the node time to answer, and a short back-off if it does not.
      callTimeoutMs: 20_000,
      backoff: { baseMs: 1_000, maxMs: 1_000 },
      logger: pino({ level: "warn" }),
    });
    for (let attempt = 0; directory.nodeIds.length === 0; attempt++) {
      if (attempt > 100) throw new Error("the bench media node never appeared in Redis");
      await directory.refresh();
      await sleep(100);
    }
    const parts = { pool, directory, node, sinks, clip };
    // CPU per ms of window, so runs of slightly different lengths compare.
    const perMs = (run: RemoteNodeRun) => ({ home: run.homeWorkerCpuMs / run.windowMs, node: run.nodeWorkerCpuMs / run.windowMs, control: run.nodeProcessCpuMs / run.windowMs });
    for (let repeat = 0; repeat < options.repeats; repeat++) {
      const base = await runOnce(parts, "ingest only", 0, options);
      runs.push(base);
      const b = perMs(base);
      for (const [index, receivers] of options.receivers.entries()) {
        const order: ("local" | "remote")[] = (index + repeat) % 2 === 0 ? ["local", "remote"] : ["remote", "local"];
        const pair: Partial<Record<"local" | "remote", RemoteNodeRun>> = {};
        for (const mode of order) {
          const run = await runOnce(parts, mode, receivers, options);
          runs.push(run);
          pair[mode] = run;
        }
        const local = pair.local!;
        const remote = pair.remote!;
        if ([local, remote].some((run) => run.statsFailed > 0 || run.forwardedPackets === 0)) {
          // On a machine this loaded the node's stats answers can time out (and put it in back-off): no figure.
          discarded++;
          log(`  remote node N=${String(receivers).padStart(3)}: pair left out (stats unanswered: local ${local.statsFailed}, remote ${remote.statsFailed})`);
          await sleep(1_500);
          continue;
        }
        const l = perMs(local);
        const r = perMs(remote);
        // µs of worker CPU per packet = (CPU ms per window ms − the ingest-only run's) × window ms ÷ packets × 1000.
        const localUs = (((l.home - b.home + l.node - b.node) * local.windowMs) / Math.max(1, local.forwardedPackets)) * 1000;
        const remoteUs = (((r.home - b.home + r.node - b.node) * remote.windowMs) / Math.max(1, remote.forwardedPackets)) * 1000;
        const controlUs = (((r.control - b.control) * remote.windowMs) / Math.max(1, remote.forwardedPackets)) * 1000;
        const sample = samples.get(receivers) ?? { local: [], remote: [], control: [] };
        sample.local.push(localUs);
        sample.remote.push(remoteUs);
        sample.control.push(controlUs);
        samples.set(receivers, sample);
        log(`  remote node N=${String(receivers).padStart(3)}: local ${round(localUs)} µs/pkt, on the node ${round(remoteUs)} µs/pkt (× ${round(remoteUs / Math.max(1e-9, localUs))}), node process ${round(controlUs)} µs/pkt`);
      }
    }
  } finally {
    await directory?.close();
    await node?.stop();
    pool.close();
    await sinks.close();
    await redis.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const points: RemoteNodePoint[] = [...samples].map(([receivers, sample]) => {
    const local = median(sample.local);
    const remote = median(sample.remote);
    return { receivers, localUsPerPacket: round(local), remoteUsPerPacket: round(remote), remoteOverLocal: round(local > 0 ? remote / local : 0), nodeProcessUsPerPacket: round(median(sample.control)) };
  });
  return {
    runs,
    points,
    remoteOverLocal: round(median(points.map((point) => point.remoteOverLocal))),
    discardedPairs: discarded,
    goal: GOAL,
    notes: [
      "Through sfu/Room: Room.createWebRtcTransport places every receiver on the media node (MEDIASOUP_REMOTE_FIRST) and Room.consume pipes the producer there over an SRTP pipe transport on each host; the node is its own process on 127.0.0.3 running MediaNodeServer over TLS and the heartbeat in Redis.",
      "Receivers are PlainTransport consumers to UDP sinks on both hosts (lib/roomMedia.ts); the node's receiving transports pose as WebRTC ones towards its control channel. A lower bound on browsers' cost, the same on both sides.",
      "remote = home worker (ingest, the pipe consumer) + the node's worker (pipe producer, consumers), minus an ingest-only run; local = the home worker alone (the node's worker idles). The node's Node.js process handles control only: reported as nodeProcessUsPerPacket, not in the ratio.",
      "Both hosts share this machine's cores, with the sinks and the relay: ratios measured alternately (ABBA) are the figure to trust.",
    ],
  };
}
