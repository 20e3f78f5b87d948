import { Redis } from "ioredis";
import { z } from "zod";
import type { RemoteMediaNode, RemoteNodes } from "../../sfu/mediaObjects";
import type { Logger } from "../logger";
import { type BackoffOptions, DEFAULT_BACKOFF, NodeHealth } from "./health";
import { MediaNodeClient } from "./MediaNodeClient";
import { MAX_ENTRY_BYTES, NODE_KEY_PREFIX, type NodeEntry } from "./protocol";
import { type NodeKey, checkNodeEntry, deriveNodeKey, signNodeEntry } from "./secret";

/**
 * Media nodes find each other through Redis: each node SETs `media-node:<id>` (its URL and load) with a
 * time to live of three heartbeats and renews it every heartbeat. A node that stops beating (killed,
 * frozen, cut off) lapses on its own; signaling processes read the keys every heartbeat.
 */
export const heartbeatTtl = (heartbeatMs: number): number => heartbeatMs * 3;

/** The node's side: keeps its entry alive until `stop()`, which removes it at once; `beat()` renews it now. */
export function startNodeHeartbeat(redis: Redis, entry: () => NodeEntry, key: NodeKey, heartbeatMs: number, logger: Logger): { beat(): Promise<void>; stop(): Promise<void> } {
  const log = logger.child({ component: "media-node-heartbeat" });
  const redisKey = `${NODE_KEY_PREFIX}${entry().id}`;
  let failing = false;
  const beat = () =>
    redis.set(redisKey, JSON.stringify(signNodeEntry(key, entry())), "PX", heartbeatTtl(heartbeatMs)).then(
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
    beat,
    stop: async () => {
      clearInterval(timer);
      await redis.del(redisKey).catch(() => undefined);
    },
  };
}

/**
 * Each key's value if it is a string of at most ARGV[1] bytes; its length (a number) if longer; -1 if it is
 * not a string; nil if gone. In one script, so a value cannot grow between the check and the read, and a long
 * one never leaves Redis.
 */
const READ_SHORT_VALUES = `
local out = {}
local limit = tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  local kind = redis.call('TYPE', key)['ok']
  if kind == 'none' then out[i] = false
  elseif kind ~= 'string' then out[i] = -1
  else
    local length = redis.call('STRLEN', key)
    if length > limit then out[i] = length else out[i] = redis.call('GET', key) end
  end
end
return out`;
const shortValuesSchema = z.array(z.union([z.string(), z.number().int(), z.null()]));

/**
 * Entries now in Redis. One that is longer than MAX_ENTRY_BYTES (not fetched), malformed, stale, not signed
 * with the key derived from `master` for the id it claims, or kept under a Redis key naming another id (a
 * copy: the same node listed twice, second review finding 6), or, given `allowedIds` (MEDIA_NODE_IDS), of an
 * id not in it, is not a node of ours; `onRefused` hears which and why (the same words each time for the
 * same fault, so a directory logs it once).
 */
export async function listNodeEntries(
  redis: Redis,
  master: string,
  onRefused: (redisKey: string, why: string) => void = () => undefined,
  allowedIds?: ReadonlySet<string>,
): Promise<NodeEntry[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", `${NODE_KEY_PREFIX}*`, "COUNT", 100);
    cursor = next;
    keys.push(...found);
  } while (cursor !== "0");
  if (keys.length === 0) return [];
  const values = shortValuesSchema.parse(await redis.eval(READ_SHORT_VALUES, keys.length, ...keys, MAX_ENTRY_BYTES));
  return keys.flatMap((redisKey, index) => {
    const value = values[index] ?? null;
    if (value === null) return [];
    if (typeof value === "number") {
      onRefused(redisKey, value < 0 ? "not a string" : `larger than ${MAX_ENTRY_BYTES} bytes`);
      return [];
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      onRefused(redisKey, "malformed");
      return [];
    }
    const checked = checkNodeEntry(master, parsed);
    if ("refused" in checked) {
      onRefused(redisKey, checked.refused);
      return [];
    }
    const entry = checked.entry;
    if (redisKey !== `${NODE_KEY_PREFIX}${entry.id}`) {
      onRefused(redisKey, `its entry names node ${entry.id}: a copy, not a node`);
      return [];
    }
    // Checked last, so only an entry its node's key really signed is reported as left off the list.
    if (allowedIds && !allowedIds.has(entry.id)) {
      onRefused(redisKey, `node ${entry.id} is not in MEDIA_NODE_IDS`);
      return [];
    }
    return [{ id: entry.id, instance: entry.instance, url: entry.url, ...(entry.certificate === undefined ? {} : { certificate: entry.certificate }), consumers: entry.consumers, workers: entry.workers }];
  });
}

export interface MediaNodeDirectoryOptions {
  redisUrl: string;
  /** MEDIA_NODE_SECRET, the master each node's key is derived from (secret.ts). */
  secret: string;
  heartbeatMs: number;
  /** Send overflow to nodes even while local workers have room (MEDIASOUP_REMOTE_FIRST). */
  first: boolean;
  pipeListenIp: string;
  /** Connect to nodes whose control channel is in clear (a lab's MEDIA_NODE_ALLOW_PLAIN). */
  allowPlain: boolean;
  /** MEDIA_NODE_IDS: when given, the only node ids accepted (an id left off it: its key counts for nothing here). */
  allowedIds?: readonly string[];
  /** How long a call may go unanswered (default DEFAULT_CALL_TIMEOUT_MS). */
  callTimeoutMs?: number;
  /** How long a failing node sits out of placement. */
  backoff?: BackoffOptions;
  logger: Logger;
}

/**
 * The signaling process's view of the live media nodes (sfu's RemoteNodes): connects to each listed node,
 * and takes a node out when its entry lapses or its control channel drops — the rooms then move the
 * receivers placed there (they rejoin). A node still listed is connected anew at the next look, unless it
 * is in back-off: a node whose calls fail or go unanswered, whose channel dropped, or that could not be
 * connected is left out of placement for a while (health.ts), and rooms use their own workers meanwhile.
 */
export class MediaNodeDirectory implements RemoteNodes {
  readonly first: boolean;
  readonly pipeListenIp: string;
  readonly #options: MediaNodeDirectoryOptions;
  readonly #redis: Redis;
  readonly #nodes = new Map<string, { client: MediaNodeClient; entry: NodeEntry }>();
  readonly #connecting = new Set<string>();
  readonly #health: NodeHealth;
  readonly #logger: Logger;
  readonly #timer: NodeJS.Timeout;
  /** Refused Redis keys already logged, with why: logged again only when the reason changes. */
  readonly #refused = new Map<string, string>();
  readonly #allowedIds: ReadonlySet<string> | undefined;
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
    this.#health = new NodeHealth(options.backoff ?? DEFAULT_BACKOFF);
    this.#allowedIds = options.allowedIds ? new Set(options.allowedIds) : undefined;
    this.#timer = setInterval(() => void this.refresh(), options.heartbeatMs);
    this.#timer.unref();
  }

  /** Nodes connected now, by id. */
  get nodeIds(): string[] {
    return [...this.#nodes.keys()];
  }

  /** Whether placement may use the node now (connected and not in back-off). */
  usable(nodeId: string): boolean {
    const node = this.#nodes.get(nodeId);
    return node !== undefined && !node.client.closed && this.#health.usable(nodeId);
  }

  /** The connected node, not in back-off, with the fewest consumers at its last heartbeat. */
  pick(): RemoteMediaNode | undefined {
    let best: { client: MediaNodeClient; entry: NodeEntry } | undefined;
    for (const node of this.#nodes.values()) {
      if (node.client.closed || !this.#health.usable(node.entry.id)) continue;
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
    const refusedNow = new Map<string, string>();
    const entries = await listNodeEntries(this.#redis, this.#options.secret, (redisKey, why) => {
      refusedNow.set(redisKey, why);
      if (this.#refused.get(redisKey) !== why) this.#logger.warn({ key: redisKey, why }, "ignored an entry in Redis that is not a media node of ours");
    }, this.#allowedIds);
    this.#refused.clear();
    for (const [redisKey, why] of refusedNow) this.#refused.set(redisKey, why);
    const listed = new Map(entries.map((entry) => [entry.id, entry]));
    for (const [id, node] of this.#nodes) {
      const entry = listed.get(id);
      // Another start of the node (or another address): its channel is not this one. A new certificate
      // alone is the running node's renewal: the open channel goes on, new connections pin the new one.
      if (!entry || entry.url !== node.client.url || entry.instance !== node.entry.instance) {
        this.#nodes.delete(id);
        node.client.lose("its heartbeat lapsed in Redis");
        // A node listed again later (restarted, or thawed) starts with a clean slate.
        if (!entry) this.#health.forget(id);
      } else {
        if (entry.certificate !== node.entry.certificate) this.#logger.info({ node: id }, "media node renewed its certificate");
        node.entry = entry;
      }
    }
    await Promise.all(
      entries
        .filter((entry) => !this.#nodes.has(entry.id) && !this.#connecting.has(entry.id) && this.#health.usable(entry.id))
        .map(async (entry) => {
          this.#connecting.add(entry.id);
          try {
            const client = await MediaNodeClient.connect(entry, deriveNodeKey(this.#options.secret, entry.id), this.#options.logger, {
              allowPlain: this.#options.allowPlain,
              ...(this.#options.callTimeoutMs === undefined ? {} : { callTimeoutMs: this.#options.callTimeoutMs }),
              onOutcome: (ok, method) => (ok ? this.#health.succeeded(entry.id) : this.#failed(entry.id, `${method} failed or went unanswered`)),
            });
            if (this.#closed) return client.close();
            this.#nodes.set(entry.id, { client, entry });
            client.onLost((reason) => {
              if (this.#nodes.get(entry.id)?.client !== client) return;
              // Still listed, its channel dropped: not to be reconnected and picked at once.
              this.#nodes.delete(entry.id);
              this.#failed(entry.id, reason);
            });
            this.#logger.info({ node: entry.id, url: entry.url }, "media node connected");
          } catch (error) {
            this.#failed(entry.id, "cannot connect", error);
          } finally {
            this.#connecting.delete(entry.id);
          }
        }),
    );
  }

  #failed(nodeId: string, why: string, error?: unknown): void {
    const backoffMs = this.#health.failed(nodeId);
    this.#logger.warn({ node: nodeId, why, backoffMs, ...(error === undefined ? {} : { err: error }) }, "media node failing: out of placement for a while");
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
