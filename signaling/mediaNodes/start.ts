import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { WorkerPool } from "../../sfu";
import type { Logger } from "../logger";
import type { MediaNodeConfig } from "./config";
import { startMediaNodeServer } from "./MediaNodeServer";
import { MAX_NODE_CONSUMERS, MAX_NODE_WORKERS } from "./protocol";
import { startNodeHeartbeat } from "./registry";
import { type CertificateRenewal, renewCertificates } from "./renewal";
import { nodeCertificate } from "./tls";

export interface RunningMediaNode {
  /** The control channel's URL as registered in Redis. */
  url: string;
  close(): Promise<void>;
}

/**
 * A media node (`--role=media`): mediasoup workers, the control channel, and the heartbeat in Redis. The
 * heartbeat starts last, so a node is listed only once it answers.
 */
export async function startMediaNode(config: MediaNodeConfig, logger: Logger): Promise<RunningMediaNode> {
  // Only what the node's Redis user is allowed (deploy/redis-media-node.acl): no ready check (it sends INFO),
  // no CLIENT SETINFO (refused by that user from Redis 7.2 on, and a line in its ACL LOG at each connection).
  const redis = new Redis(config.redisUrl, { lazyConnect: true, enableReadyCheck: false, disableClientInfo: true, connectionName: `cau-noi-media-node-${config.id}` });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error("REDIS_URL: cannot connect to Redis", { cause: error });
  }
  const pool = await WorkerPool.create({ size: config.workers, portRange: config.portRange, logLevel: config.logLevel });
  pool.on("workerDied", (index, error) => logger.error({ err: error, worker: index }, "mediasoup worker died; restarting"));
  // A fresh certificate each start: signaling processes learn it from the signed entry (tls.ts), so there is
  // nothing to distribute; a node running long enough makes a new one before the end (renewal.ts).
  const tls = config.allowPlain ? undefined : nodeCertificate(config.id, new Date(), config.certificateLifetimeMs);
  if (!tls) logger.warn("MEDIA_NODE_ALLOW_PLAIN: the control channel is in clear, SRTP keys of the pipes included (a lab only)");
  const server = await startMediaNodeServer({ pool, network: config.network, pipeListenIp: config.pipeListenIp, host: config.host, port: config.port, key: config.key, id: config.id, tls, logger });
  const url = config.url ?? `${tls ? "https" : "http"}://${config.host.includes(":") ? `[${config.host}]` : config.host}:${server.port}`;
  const instance = randomBytes(16).toString("hex");
  let renewal: CertificateRenewal | undefined;
  const heartbeat = startNodeHeartbeat(
    redis,
    () => {
      const certificate = renewal?.current().certPem ?? tls?.certPem;
      // Clamped to the bounds signaling checks (protocol.ts): a node past them still beats, as the busiest.
      return { id: config.id, instance, url, ...(certificate === undefined ? {} : { certificate }), consumers: Math.min(MAX_NODE_CONSUMERS, server.consumers()), workers: Math.min(MAX_NODE_WORKERS, Math.max(1, pool.workers.length)) };
    },
    config.key,
    config.heartbeatMs,
    logger,
  );
  if (tls) {
    renewal = renewCertificates({
      nodeId: config.id,
      first: tls,
      lifetimeMs: config.certificateLifetimeMs,
      // Served first, then published at once: a signaling process connecting in between is refused once
      // (the old pin) and tries again after its back-off.
      onRenewed: (renewed) => {
        server.useCertificate(renewed);
        void heartbeat.beat();
      },
      logger,
    });
  }
  return {
    url,
    close: async () => {
      renewal?.stop();
      await heartbeat.stop();
      await server.close();
      pool.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
