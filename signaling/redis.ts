import { randomBytes } from "node:crypto";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import { Redis } from "ioredis";
import { type LimiterStore, memoryLimiterStore, redisLimiterStore } from "./auth/throttle";
import type { Logger } from "./logger";

/**
 * What several signaling processes share (README › Scaling out › Several signaling processes): with
 * REDIS_URL, the throttles' counts and socket.io's events (the Redis streams adapter, so an event
 * emitted on one process reaches sockets connected to another); without it, this process's memory and
 * socket.io's in-memory adapter, as a single process always had.
 */
export interface SharedState {
  limiters: LimiterStore;
  /** socket.io's adapter option: present only with Redis. */
  socketAdapter?: ReturnType<typeof createAdapter>;
  /** The connection itself, for room ownership and forwarding (realtime/RoomOwnership.ts); present only with Redis. */
  redis?: Redis;
  /** Once socket.io is attached: resolves when this process reads the event stream (see below). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** How long start-up waits for Redis before giving up (a wrong REDIS_URL must not hang the start). */
const CONNECT_TIMEOUT_MS = 10_000;
/** The adapter's blocking read returns at least this often, so a closing process lets go of Redis soon. */
const STREAM_BLOCK_MS = 1_000;

export async function openSharedState(redisUrl: string | undefined, keySecret: string, logger: Logger): Promise<SharedState> {
  if (!redisUrl) return { limiters: memoryLimiterStore(), ready: async () => undefined, close: async () => undefined };
  const log = logger.child({ component: "redis" });
  // One name for this process's connections (the adapter's duplicates inherit it), so start-up can see
  // its own stream reader in CLIENT LIST.
  const connectionName = `cau-noi-${process.pid}-${randomBytes(4).toString("hex")}`;
  const client = new Redis(redisUrl, { lazyConnect: true, connectionName, connectTimeout: CONNECT_TIMEOUT_MS });
  // ioredis reconnects by itself; these say when it is cut off and when it is back (never the URL, which
  // may carry a password).
  let down = false;
  let lastError: Error | undefined;
  client.on("error", (error: Error) => {
    lastError = error;
    if (!down) log.error({ err: error }, "Redis unreachable: until it is back, throttles count per process and events to other processes are delayed or lost");
    down = true;
  });
  client.on("ready", () => {
    if (down) log.warn("Redis reachable again");
    down = false;
  });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    // ioredis rejects with "Connection is closed"; the reason (refused, timeout, auth) came as an error event.
    const reason = lastError ?? error;
    throw new Error(`REDIS_URL: cannot connect to Redis (${reason instanceof Error ? reason.message : String(reason)})`, { cause: error });
  }
  return {
    limiters: redisLimiterStore(client, keySecret),
    socketAdapter: createAdapter(client, { blockTimeInMs: STREAM_BLOCK_MS }),
    redis: client,
    ready: () => waitForStreamReader(client, connectionName, log),
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
}

/**
 * The adapter reads the event stream from "$" (what is added from now on) on a connection of its own,
 * opened in the background. Until that read is in place, events other processes emit would be missed,
 * so the server starts listening only once Redis shows this process's connection blocked in XREAD.
 */
async function waitForStreamReader(client: Redis, connectionName: string, log: Logger): Promise<void> {
  const deadline = Date.now() + CONNECT_TIMEOUT_MS;
  for (;;) {
    let clients: string;
    try {
      clients = String(await client.call("CLIENT", "LIST", "TYPE", "normal"));
    } catch (error) {
      // A Redis whose ACL forbids CLIENT LIST: start anyway; only events in the first instant could be missed.
      log.warn({ err: error }, "cannot list Redis clients; not waiting for the socket.io stream reader");
      return;
    }
    if (clients.split("\n").some((line) => line.includes(` name=${connectionName} `) && / cmd=xread( |$)/.test(line))) return;
    if (Date.now() > deadline) throw new Error("the socket.io Redis adapter did not start reading its stream");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
