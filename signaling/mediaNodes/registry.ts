import { Redis } from "ioredis";
import type { RemoteMediaNode, RemoteNodes } from "../../sfu/mediaObjects";
import type { Logger } from "../logger";
import { MediaNodeClient } from "./MediaNodeClient";
import { NODE_KEY_PREFIX, type NodeEntry } from "./protocol";
import { signNodeEntry, verifyNodeEntry } from "./secret";

/**
 * Media nodes find each other through Redis: each node SETs `media-node:<id>` (its URL and load) with a
 * time to live of three heartbeats and renews it every heartbeat. A node that stops beating (killed,
 * frozen, cut off) lapses on its own; signaling processes read the keys every heartbeat.
 */
export const heartbeatTtl = (heartbeatMs: number): number => heartbeatMs * 3;

/** The node's side: keeps its entry alive until `stop()`, which removes it at once. */
export function startNodeHeartbeat(redis: Redis, entry: () => NodeEntry, secret: string, heartbeatMs: number, logger: Logger): { stop(): Promise<void> } {
  const log = logger.child({ component: "media-node-heartbeat" });
  const key = `${NODE_KEY_PREFIX}${entry().id}`;
  let failing = false;
  const beat = () =>
    redis.set(key, JSON.stringify(signNodeEntry(secret, entry())), "PX", heartbeatTtl(heartbeatMs)).then(
      () => {
        if (failing) log.warn("heartbeat reaches Redis again");
        failing = false;
      },
      (error: unknown) => {
        if (!failing) log.error({ err: error }, "heartbeat cannot reach Redis: signaling processes will take this node out");
        failing = true;
      },
    );
  void beat();
  const timer = setInterval(() => void beat(), heartbeatMs);
  return {
    stop: async () => {
      clearInterval(timer);
      await redis.del(key).catch(() => undefined);
    },
  };
}

/** Entries now in Redis; one that is malformed, stale or not signed with the secret is not a node of ours. */
export async function listNodeEntries(redis: Redis, secret: string): Promise<NodeEntry[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", `${NODE_KEY_PREFIX}*`, "COUNT", 100);
    cursor = next;
    keys.push(...found);
  } while (cursor !== "0");
  if (keys.length === 0) return [];
  const values = await redis.mget(keys);
  return values.flatMap((value) => {
    if (value === null) return [];
    try {
      const entry = verifyNodeEntry(secret, JSON.parse(value));
      return entry ? [{ id: entry.id, url: entry.url, consumers: entry.consumers, workers: entry.workers }] : [];
    } catch {
      return [];
    }
  });
}

export interface MediaNodeDirectoryOptions {
  redisUrl: string;
  secret: string;
  heartbeatMs: number;
  /** Send overflow to nodes even while local workers have room (MEDIASOUP_REMOTE_FIRST). */
  first: boolean;
  pipeListenIp: string;
  logger: Logger;
}

/**
 * The signaling process's view of the live media nodes (sfu's RemoteNodes): connects to each listed node,
 * and takes a node out when its entry lapses or its control channel drops — the rooms then move the
 * receivers placed there (they rejoin). A node still listed is connected anew at the next look.
 */
export class MediaNodeDirectory implements RemoteNodes {
  readonly first: boolean;
  readonly pipeListenIp: string;
  readonly #options: MediaNodeDirectoryOptions;
  readonly #redis: Redis;
  readonly #nodes = new Map<string, { client: MediaNodeClient; entry: NodeEntry }>();
  readonly #connecting = new Set<string>();
  readonly #logger: Logger;
  readonly #timer: NodeJS.Timeout;
  #looking: Promise<void> = Promise.resolve();
  #closed = false;

  static async open(options: MediaNodeDirectoryOptions): Promise<MediaNodeDirectory> {
    const redis = new Redis(options.redisUrl, { lazyConnect: true, connectionName: `cau-noi-media-nodes-${process.pid}` });
    redis.on("error", () => undefined);
    await redis.connect();
    const directory = new MediaNodeDirectory(options, redis);
    await directory.refresh();
    return directory;
  }

  private constructor(options: MediaNodeDirectoryOptions, redis: Redis) {
    this.#options = options;
    this.first = options.first;
    this.pipeListenIp = options.pipeListenIp;
    this.#redis = redis;
    this.#logger = options.logger.child({ component: "media-nodes" });
    this.#timer = setInterval(() => void this.refresh(), options.heartbeatMs);
    this.#timer.unref();
  }

  /** Nodes connected now, by id. */
  get nodeIds(): string[] {
    return [...this.#nodes.keys()];
  }

  /** The connected node with the fewest consumers at its last heartbeat. */
  pick(): RemoteMediaNode | undefined {
    let best: { client: MediaNodeClient; entry: NodeEntry } | undefined;
    for (const node of this.#nodes.values()) {
      if (node.client.closed) continue;
      if (!best || node.entry.consumers / node.entry.workers < best.entry.consumers / best.entry.workers) best = node;
    }
    return best?.client;
  }

  /** Reads the entries once (also every heartbeat); resolves when lapsed nodes are out and new ones connected. */
  refresh(): Promise<void> {
    this.#looking = this.#looking.then(() => this.#look()).catch((error: unknown) => this.#logger.warn({ err: error }, "cannot read the media nodes from Redis"));
    return this.#looking;
  }

  async #look(): Promise<void> {
    if (this.#closed) return;
    const entries = await listNodeEntries(this.#redis, this.#options.secret);
    const listed = new Map(entries.map((entry) => [entry.id, entry]));
    for (const [id, node] of this.#nodes) {
      const entry = listed.get(id);
      if (!entry || entry.url !== node.client.url) {
        this.#nodes.delete(id);
        node.client.lose("its heartbeat lapsed in Redis");
      } else node.entry = entry;
    }
    await Promise.all(
      entries
        .filter((entry) => !this.#nodes.has(entry.id) && !this.#connecting.has(entry.id))
        .map(async (entry) => {
          this.#connecting.add(entry.id);
          try {
            const client = await MediaNodeClient.connect(entry, this.#options.secret, this.#options.logger);
            if (this.#closed) return client.close();
            this.#nodes.set(entry.id, { client, entry });
            client.onLost(() => {
              if (this.#nodes.get(entry.id)?.client === client) this.#nodes.delete(entry.id);
            });
            this.#logger.info({ node: entry.id, url: entry.url }, "media node connected");
          } catch (error) {
            this.#logger.warn({ err: error, node: entry.id }, "cannot connect to a listed media node");
          } finally {
            this.#connecting.delete(entry.id);
          }
        }),
    );
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#looking;
    for (const { client } of this.#nodes.values()) client.close();
    this.#nodes.clear();
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }
}
