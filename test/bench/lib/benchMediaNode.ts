/**
 * A media node for the bench (`node --import tsx test/bench/lib/benchMediaNode.ts`), its own process as on
 * another host: the product's control channel (MediaNodeServer, TLS with its pinned certificate) and
 * heartbeat (registry.ts) over one mediasoup worker, as `--role=media` runs them (signaling/mediaNodes/
 * start.ts), except that receiving transports are PlainTransports sending to the bench's UDP sinks
 * (lib/roomMedia.ts: no browser could take hundreds of WebRTC transports on this machine). Prints one JSON
 * line with its URL when it is listed; answers "cpu" on the IPC channel with its worker's CPU (mediasoup's
 * resource usage, µs resolution) and its own, in ms.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { pino } from "pino";
import { z } from "zod";
import { WorkerPool } from "../../../sfu/WorkerPool";
import { startMediaNodeServer } from "../../../signaling/mediaNodes/MediaNodeServer";
import { startNodeHeartbeat } from "../../../signaling/mediaNodes/registry";
import { deriveNodeKey } from "../../../signaling/mediaNodes/secret";
import { nodeCertificate } from "../../../signaling/mediaNodes/tls";
import { RoomMediaHarness } from "./roomMedia";

const env = z
  .object({
    BENCH_NODE_ID: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
    BENCH_NODE_IP: z.ipv4(),
    BENCH_NODE_SECRET: z.string().min(32),
    BENCH_NODE_PORTS: z.string().regex(/^\d+-\d+$/),
    BENCH_SINK_PORTS: z.string().regex(/^\d+(,\d+)*$/),
    REDIS_URL: z.string().startsWith("redis://"),
  })
  .parse(process.env);

const [min, max] = env.BENCH_NODE_PORTS.split("-").map(Number) as [number, number];
const sinkPorts = env.BENCH_SINK_PORTS.split(",").map(Number);
const logger = pino({ level: "warn" });
const pool = await WorkerPool.create({ size: 1, portRange: { min, max }, logLevel: "warn" });
let next = 0;
new RoomMediaHarness(pool, () => sinkPorts[next++ % sinkPorts.length]!, { posingAsWebRtc: true });
const tls = nodeCertificate(env.BENCH_NODE_ID);
// BENCH_NODE_SECRET is the master the bench's directory holds; the node gets only its key, as in production.
const key = deriveNodeKey(env.BENCH_NODE_SECRET, env.BENCH_NODE_ID);
const server = await startMediaNodeServer({
  pool,
  network: { listenIp: env.BENCH_NODE_IP, enableTcp: false },
  pipeListenIp: env.BENCH_NODE_IP,
  host: env.BENCH_NODE_IP,
  port: 0,
  key,
  id: env.BENCH_NODE_ID,
  tls,
  logger,
});
const url = `https://${env.BENCH_NODE_IP}:${server.port}`;
const redis = new Redis(env.REDIS_URL);
const instance = randomBytes(16).toString("hex");
const heartbeat = startNodeHeartbeat(redis, () => ({ id: env.BENCH_NODE_ID, instance, url, certificate: tls.certPem, consumers: server.consumers(), workers: 1 }), key, 300, logger);
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.on("message", (message: unknown) => {
  if (message !== "cpu") return;
  void pool.workers[0]!.worker.getResourceUsage().then((usage) => {
    const own = process.cpuUsage();
    process.send!({ worker: usage.ru_utime + usage.ru_stime, process: (own.user + own.system) / 1000 });
  });
});
process.once("SIGTERM", () => {
  void heartbeat
    .stop()
    .then(() => server.close())
    .finally(() => {
      pool.close();
      redis.disconnect();
      process.exit(0);
    });
});
