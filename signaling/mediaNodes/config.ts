import os from "node:os";
import { z } from "zod";
import { MAX_NODE_WORKERS } from "./protocol";
import { type NodeKey, nodeKeyHexSchema } from "./secret";
import { DEFAULT_CERTIFICATE_LIFETIME_MS } from "./tls";

const port = z.coerce.number().int().min(0).max(65535);
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value && value.trim() !== "" ? value.trim() : undefined));
const ip = z.ipv4().or(z.ipv6());
const flag = z.enum(["true", "false", "1", "0", "yes", "no"]).transform((value) => value === "true" || value === "1" || value === "yes");

/**
 * What `--role=media` reads (README › Scaling out › Several media hosts). A media node has no database,
 * no HTTP app and no accounts: only mediasoup workers, its control channel and its entry in Redis.
 */
const mediaNodeEnvSchema = z
  .object({
    MEDIA_NODE_ID: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "MEDIA_NODE_ID: letters, digits, - and _ (at most 64)").default(os.hostname().replace(/[^a-zA-Z0-9_-]/g, "-").slice(0, 64)),
    /** This node's own key, derived for MEDIA_NODE_ID from the signaling hosts' MEDIA_NODE_SECRET (secret.ts). */
    MEDIA_NODE_KEY: nodeKeyHexSchema,
    /**
     * The master stays on the signaling hosts (second review, finding 5): a node that holds it could sign
     * for every node. Refused here rather than quietly ignored, so an upgrade cannot leave it in place.
     */
    MEDIA_NODE_SECRET: z
      .undefined({ error: "MEDIA_NODE_SECRET belongs on the signaling hosts only: give this node MEDIA_NODE_KEY instead (npm run media-node-key -- <MEDIA_NODE_ID> on a signaling host) and remove MEDIA_NODE_SECRET here" })
      .optional(),
    MEDIA_NODE_HOST: z.string().min(1).default("127.0.0.1"),
    MEDIA_NODE_PORT: port.default(4500),
    /** The URL signaling processes connect to; default https://MEDIA_NODE_HOST:port. */
    MEDIA_NODE_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
    /**
     * A lab's opt-out of TLS on the control channel (it then carries the SRTP keys in clear): the signaling
     * processes must set it too, or they refuse the node. Never on a network others share.
     */
    MEDIA_NODE_ALLOW_PLAIN: flag.default(false),
    MEDIA_NODE_HEARTBEAT_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
    /** How long the control channel's certificate lives; a new one is made a third of that (at most 30 days) before its end. */
    MEDIA_NODE_CERT_LIFETIME_S: z.coerce.number().int().min(15).max(825 * 24 * 3600).default(DEFAULT_CERTIFICATE_LIFETIME_MS / 1000),
    REDIS_URL: z.url({ protocol: /^rediss?$/, error: "REDIS_URL must be redis://host:port[/db] or rediss://…" }),
    MEDIASOUP_WORKERS: z.coerce.number().int().min(1).max(MAX_NODE_WORKERS).default(os.availableParallelism()),
    MEDIASOUP_LISTEN_IP: ip.default("127.0.0.1"),
    MEDIASOUP_ANNOUNCED_ADDRESS: optionalText,
    MEDIASOUP_PIPE_IP: optionalText.pipe(ip.optional()),
    MEDIASOUP_MIN_PORT: port.default(40000),
    MEDIASOUP_MAX_PORT: port.default(49999),
    MEDIASOUP_ENABLE_TCP: flag.default(true),
    MEDIASOUP_LOG_LEVEL: z.enum(["debug", "warn", "error", "none"]).default("warn"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    LOG_FORMAT: z.enum(["line", "json"]).optional(),
  })
  .refine((env) => env.MEDIA_NODE_URL === undefined || env.MEDIA_NODE_URL.startsWith(env.MEDIA_NODE_ALLOW_PLAIN ? "http:" : "https:"), {
    message: "MEDIA_NODE_URL must be https://… (http://… only with MEDIA_NODE_ALLOW_PLAIN=1, a lab's opt-out)",
    path: ["MEDIA_NODE_URL"],
  })
  .refine((env) => env.MEDIASOUP_MIN_PORT < env.MEDIASOUP_MAX_PORT, { message: "MEDIASOUP_MIN_PORT must be below MEDIASOUP_MAX_PORT", path: ["MEDIASOUP_MIN_PORT"] })
  .refine((env) => !["0.0.0.0", "::"].includes(env.MEDIASOUP_PIPE_IP ?? env.MEDIASOUP_LISTEN_IP), {
    message: "a media node needs MEDIASOUP_PIPE_IP (an address the signaling hosts reach) when MEDIASOUP_LISTEN_IP is 0.0.0.0 or ::",
    path: ["MEDIASOUP_PIPE_IP"],
  })
  .refine((env) => env.MEDIASOUP_LISTEN_IP !== "0.0.0.0" || env.MEDIASOUP_ANNOUNCED_ADDRESS !== undefined, {
    message: "listening on 0.0.0.0 needs MEDIASOUP_ANNOUNCED_ADDRESS (the address browsers can reach)",
    path: ["MEDIASOUP_ANNOUNCED_ADDRESS"],
  });

export interface MediaNodeConfig {
  id: string;
  /** MEDIA_NODE_KEY: this node's own key (never the signaling hosts' master). */
  key: NodeKey;
  host: string;
  port: number;
  url?: string;
  /** Control channel in clear (a lab's explicit opt-out); otherwise TLS with the node's pinned certificate. */
  allowPlain: boolean;
  heartbeatMs: number;
  /** How long each of its certificates lives (renewed before the end while it runs). */
  certificateLifetimeMs: number;
  redisUrl: string;
  workers: number;
  logLevel: "debug" | "warn" | "error" | "none";
  portRange: { min: number; max: number };
  network: { listenIp: string; announcedAddress?: string; enableTcp: boolean };
  pipeListenIp: string;
  log: { level: string; format: "line" | "json" };
}

/** Parses the media node's environment; the problems, each on a line, when it is wrong. */
export function loadMediaNodeConfig(env: NodeJS.ProcessEnv = process.env): MediaNodeConfig | { problems: string[] } {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ""));
  const parsed = mediaNodeEnvSchema.safeParse(present);
  if (!parsed.success) return { problems: parsed.error.issues.map((issue) => `${issue.path.join(".") || "env"}: ${issue.message}`) };
  const e = parsed.data;
  return {
    id: e.MEDIA_NODE_ID,
    key: Buffer.from(e.MEDIA_NODE_KEY, "hex"),
    host: e.MEDIA_NODE_HOST,
    port: e.MEDIA_NODE_PORT,
    ...(e.MEDIA_NODE_URL ? { url: e.MEDIA_NODE_URL } : {}),
    allowPlain: e.MEDIA_NODE_ALLOW_PLAIN,
    heartbeatMs: e.MEDIA_NODE_HEARTBEAT_MS,
    certificateLifetimeMs: e.MEDIA_NODE_CERT_LIFETIME_S * 1000,
    redisUrl: e.REDIS_URL,
    workers: e.MEDIASOUP_WORKERS,
    logLevel: e.MEDIASOUP_LOG_LEVEL,
    portRange: { min: e.MEDIASOUP_MIN_PORT, max: e.MEDIASOUP_MAX_PORT },
    network: { listenIp: e.MEDIASOUP_LISTEN_IP, ...(e.MEDIASOUP_ANNOUNCED_ADDRESS ? { announcedAddress: e.MEDIASOUP_ANNOUNCED_ADDRESS } : {}), enableTcp: e.MEDIASOUP_ENABLE_TCP },
    pipeListenIp: e.MEDIASOUP_PIPE_IP ?? e.MEDIASOUP_LISTEN_IP,
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT ?? "line" },
  };
}
