import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { repoRoot } from "./paths";
import type { LegacyKeyConfig } from "./keys/legacyKeys";
import type { IceConfig } from "./realtime/iceServers";
import type { RetentionPolicy } from "./services/retention/retention";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((value) => value === "true" || value === "1" || value === "yes");
const port = z.coerce.number().int().min(1).max(65535);
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value && value.trim() !== "" ? value.trim() : undefined));

const iceUrl = z.string().regex(/^(stun|turns?):[^\s,]+$/, "ICE server URLs start with stun:, turn: or turns:");
// ICE_SERVERS: a JSON array as RTCConfiguration.iceServers takes it (fixed STUN/TURN servers).
const iceServersJson = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "ICE_SERVERS must be JSON: [{\"urls\":\"turn:host:3478\",\"username\":\"…\",\"credential\":\"…\"}]" });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .array(z.object({ urls: z.union([iceUrl, z.array(iceUrl).min(1).max(8)]), username: z.string().max(256).optional(), credential: z.string().max(256).optional() }).strict())
      .max(8),
  );

/** Only for the demo and tests; production start-up refuses it. */
export const DEMO_JWT_SECRET = "cau-noi-demo-secret-do-not-use-in-production-0000";
/** Only for the demo and tests; production start-up refuses it (signaling/productionSafety.ts). */
export const DEMO_LOOKUP_HMAC_KEY = "cau-noi-demo-lookup-key-do-not-use-in-production";

/** Every environment variable the server reads; `.env.example` documents the same list. */
const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default("127.0.0.1"),
    PUBLIC_URL: optionalText.pipe(z.url().optional()),
    DATABASE_URL: z.string().min(1).default(`file:${path.join(repoRoot, "data", "cau-noi.db")}`),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    LOG_FORMAT: z.enum(["line", "json"]).optional(),
    CLIENT_DIST: z.string().min(1).default(path.join(repoRoot, "client", "dist")),
    DATA_DIR: z.string().min(1).default(path.join(repoRoot, "data")),
    MAX_ATTACHMENT_MB: z.coerce.number().int().min(1).max(200).default(20),
    // Citizens' files sent with a booking (no account): storage a unit, and one address, may receive per day.
    PUBLIC_UPLOAD_MB_PER_UNIT_DAY: z.coerce.number().positive().max(100_000).default(500),
    PUBLIC_UPLOAD_MB_PER_ADDRESS_DAY: z.coerce.number().positive().max(100_000).default(50),
    CORS_ORIGIN: optionalText,
    MEDIASOUP_WORKERS: z.coerce.number().int().min(1).max(64).default(os.availableParallelism()),
    MEDIASOUP_LISTEN_IP: z.ipv4().or(z.ipv6()).default("127.0.0.1"),
    MEDIASOUP_ANNOUNCED_ADDRESS: optionalText,
    MEDIASOUP_MIN_PORT: port.default(40000),
    MEDIASOUP_MAX_PORT: port.default(49999),
    MEDIASOUP_ENABLE_TCP: bool.default(true),
    // A room's receivers stay on its home worker until that worker carries this many consumers (all rooms);
    // beyond, each new receiver goes to the worker with the fewest and the producers it needs are piped there.
    MEDIASOUP_SPREAD_AFTER_CONSUMERS: z.coerce.number().int().min(0).max(1_000_000).default(200),
    MEDIASOUP_INITIAL_OUTGOING_BITRATE: z.coerce.number().int().min(100_000).max(100_000_000).default(1_000_000),
    MEDIASOUP_LOG_LEVEL: z.enum(["debug", "warn", "error", "none"]).default("warn"),
    RECORDER_MIN_PORT: port.default(50000),
    RECORDER_MAX_PORT: port.default(50999),
    FFMPEG_PATH: z.string().min(1).default("ffmpeg"),
    // How long a recording start waits for every track's first packet before announcing anyway: a camera
    // that never sends a keyframe must not keep the chair's button spinning. The gap is logged either way.
    RECORDING_START_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(10_000),
    // A recording is refused below this much free space where recordings are written (README › Disk and retention).
    RECORDING_MIN_FREE_MB: z.coerce.number().int().min(0).max(100_000_000).default(2048),
    // `npm run retention`: briefing recordings by age; a case file's attachments and reception recordings after its closing.
    RETENTION_BRIEFING_RECORDING_DAYS: z.coerce.number().int().min(1).max(36_500).default(365),
    RETENTION_CASE_FILE_YEARS: z.coerce.number().int().min(1).max(100).default(20),
    RECEPTION_JOIN_OPENS_MINUTES: z.coerce.number().int().min(0).max(43_200).default(30),
    RECEPTION_RECORD_DENUNCIATIONS: bool.default(false),
    RESUME_GRACE_SECONDS: z.coerce.number().int().min(0).max(600).default(30),
    JWT_SECRET: z.string().min(32, "JWT_SECRET needs at least 32 characters").default(DEMO_JWT_SECRET),
    LOOKUP_HMAC_KEY: z.string().min(1).default(DEMO_LOOKUP_HMAC_KEY),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(600),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(14),
    COOKIE_SECURE: bool.optional(),
    TLS_CERT: optionalText,
    TLS_KEY: optionalText,
    HTTP_REDIRECT_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    METRICS_TOKEN: optionalText.pipe(z.string().min(24, "METRICS_TOKEN needs at least 24 characters").optional()),
    // TURN relay (coturn with use-auth-secret): README › Production › Network (HTTPS, TURN, ports).
    TURN_URLS: optionalText.pipe(z.string().transform((text) => text.split(",").map((url) => url.trim()).filter(Boolean)).pipe(z.array(iceUrl).min(1).max(8)).optional()),
    TURN_SECRET: optionalText.pipe(z.string().min(16, "TURN_SECRET needs at least 16 characters (openssl rand -hex 32)").optional()),
    TURN_TTL_SECONDS: z.coerce.number().int().min(60).max(7 * 86_400).default(86_400),
    ICE_SERVERS: optionalText.pipe(iceServersJson.optional()),
    ICE_TRANSPORT_POLICY: z.enum(["all", "relay"]).default("all"),
    // The one key sealing stored secrets (certificate passwords, the SMTP password; README › Server key): 32
    // bytes as base64 or hex; without it a key file is made (mode 0600) at SERVER_KEY_FILE, default DATA_DIR/keys/server.key.
    SERVER_KEY: optionalText,
    SERVER_KEY_FILE: optionalText,
    // Earlier versions' two keys, read only to re-seal their values under the server key at start-up
    // (keys/legacyKeys.ts): SIGNING_KEY (else SIGNING_KEY_FILE, default DATA_DIR/keys/signing.key) and
    // SECRETS_KEY (else DATA_DIR/secrets.key).
    SIGNING_KEY: optionalText,
    SIGNING_KEY_FILE: optionalText,
    SECRETS_KEY: optionalText.pipe(
      z
        .string()
        .refine((text) => Buffer.from(text, "base64").length === 32, "SECRETS_KEY must be 32 random bytes in base64 (openssl rand -base64 32)")
        .optional(),
    ),
    // The mail queue (README › After the briefing › Mail): attempts before "failed", first retry pause (doubling), polling.
    MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
    MAIL_RETRY_BASE_MS: z.coerce.number().int().min(10).max(86_400_000).default(60_000),
    MAIL_RETRY_MAX_MS: z.coerce.number().int().min(10).max(86_400_000).default(3_600_000),
    MAIL_POLL_MS: z.coerce.number().int().min(20).max(3_600_000).default(5_000),
    MAIL_DEADLINE_CHECK_MINUTES: z.coerce.number().int().min(0).max(1440).default(60),
    MAIL_KEEP_BODY_DAYS: z.coerce.number().int().min(1).max(36_500).default(90),
    // Several signaling processes (README › Scaling out): throttles and socket.io events shared through this
    // Redis; unset, everything stays in this one process as before.
    REDIS_URL: optionalText.pipe(z.url({ protocol: /^rediss?$/, error: "REDIS_URL must be redis://host:port[/db] or rediss://…" }).optional()),
    // Media nodes on other hosts (README › Scaling out › Several media hosts): found through REDIS_URL. The
    // master the signaling processes share: each node holds only its key derived from it for its id
    // (mediaNodes/secret.ts, npm run media-node-key); unset, every room stays on this host's workers.
    MEDIA_NODE_SECRET: optionalText.pipe(z.string().min(32, "MEDIA_NODE_SECRET must be at least 32 characters (openssl rand -base64 32)").optional()),
    // Optional: the only node ids whose entries are accepted (comma-separated). Taking an id off it (and
    // restarting the signaling processes) revokes that node's key without changing the master and every
    // other node's key. Unset, any id whose entry is signed with the key derived for it.
    MEDIA_NODE_IDS: optionalText.pipe(
      z
        .string()
        .transform((list) => list.split(",").map((id) => id.trim()))
        .pipe(z.array(z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "MEDIA_NODE_IDS: node ids (letters, digits, - and _), separated by commas")).min(1))
        .optional(),
    ),
    MEDIA_NODE_HEARTBEAT_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
    // A lab's opt-out: accept media nodes whose control channel is in clear (http://, SRTP keys readable on
    // the wire). Unset, only TLS nodes with the certificate their signed entry names are connected.
    MEDIA_NODE_ALLOW_PLAIN: bool.default(false),
    // Receivers go to a media node before this host's other workers (a site whose signaling host is small).
    MEDIASOUP_REMOTE_FIRST: bool.default(false),
    // Where this host's ends of the pipes to media nodes listen (an address the nodes reach); default MEDIASOUP_LISTEN_IP.
    MEDIASOUP_PIPE_IP: optionalText.pipe(z.ipv4().or(z.ipv6()).optional()),
    // How long a room stays owned by a process that stopped renewing it (it renews at a third of this):
    // the longest a room is unreachable after its owner process dies.
    ROOM_OWNER_TTL_MS: z.coerce.number().int().min(1_000).max(120_000).default(6_000),
  })
  .refine((env) => env.MEDIA_NODE_SECRET === undefined || env.REDIS_URL !== undefined, {
    message: "MEDIA_NODE_SECRET needs REDIS_URL (media nodes register there)",
    path: ["MEDIA_NODE_SECRET"],
  })
  // A pipe's far end is told this address: 0.0.0.0 or :: would send the node's media nowhere, silently.
  .refine((env) => env.MEDIA_NODE_SECRET === undefined || !["0.0.0.0", "::"].includes(env.MEDIASOUP_PIPE_IP ?? env.MEDIASOUP_LISTEN_IP), {
    message: "media nodes need MEDIASOUP_PIPE_IP (an address the nodes reach) when MEDIASOUP_LISTEN_IP is 0.0.0.0 or ::",
    path: ["MEDIASOUP_PIPE_IP"],
  })
  .refine((env) => (env.TURN_URLS === undefined) === (env.TURN_SECRET === undefined), {
    message: "TURN_URLS and TURN_SECRET go together (the secret is coturn's static-auth-secret)",
    path: ["TURN_URLS"],
  })
  .refine((env) => env.ICE_TRANSPORT_POLICY !== "relay" || env.TURN_URLS !== undefined || (env.ICE_SERVERS ?? []).some((server) => [server.urls].flat().some((url) => url.startsWith("turn"))), {
    message: "ICE_TRANSPORT_POLICY=relay needs a TURN server (TURN_URLS + TURN_SECRET, or a turn: entry in ICE_SERVERS)",
    path: ["ICE_TRANSPORT_POLICY"],
  })
  .refine((env) => (env.TLS_CERT === undefined) === (env.TLS_KEY === undefined), {
    message: "TLS_CERT and TLS_KEY go together: set both (PEM files) or neither",
    path: ["TLS_CERT"],
  })
  .refine((env) => env.HTTP_REDIRECT_PORT === undefined || env.TLS_CERT !== undefined, {
    message: "HTTP_REDIRECT_PORT redirects to HTTPS, so it needs TLS_CERT and TLS_KEY",
    path: ["HTTP_REDIRECT_PORT"],
  })
  .refine((env) => env.NODE_ENV !== "production" || env.JWT_SECRET !== DEMO_JWT_SECRET, {
    message: "production refuses the demo JWT_SECRET: set a long random one (openssl rand -base64 48)",
    path: ["JWT_SECRET"],
  })
  .refine((env) => env.MEDIASOUP_MIN_PORT < env.MEDIASOUP_MAX_PORT, {
    message: "MEDIASOUP_MIN_PORT must be below MEDIASOUP_MAX_PORT",
    path: ["MEDIASOUP_MIN_PORT"],
  })
  .refine((env) => env.RECORDER_MIN_PORT < env.RECORDER_MAX_PORT, {
    message: "RECORDER_MIN_PORT must be below RECORDER_MAX_PORT",
    path: ["RECORDER_MIN_PORT"],
  })
  .refine((env) => env.RECORDER_MAX_PORT < env.MEDIASOUP_MIN_PORT || env.RECORDER_MIN_PORT > env.MEDIASOUP_MAX_PORT, {
    message: "the recorder's ports must lie outside MEDIASOUP_MIN_PORT–MEDIASOUP_MAX_PORT",
    path: ["RECORDER_MIN_PORT"],
  })
  .refine((env) => env.MEDIASOUP_LISTEN_IP !== "0.0.0.0" || env.MEDIASOUP_ANNOUNCED_ADDRESS !== undefined, {
    message: "listening on 0.0.0.0 needs MEDIASOUP_ANNOUNCED_ADDRESS (the address browsers can reach)",
    path: ["MEDIASOUP_ANNOUNCED_ADDRESS"],
  });

export interface Config {
  env: "development" | "production" | "test";
  http: { port: number; host: string; publicUrl?: string; corsOrigin?: string; clientDist: string; tls?: TlsConfig };
  /** `/metrics` answers only with this bearer token; without one it is off (see README › Production). */
  metrics: { token?: string };
  databaseUrl: string;
  /** Where files live: attachments and recordings. */
  files: { dataDir: string; maxAttachmentBytes: number; publicUploadBytesPerDay: { unit: number; address: number } };
  /** Server-side recording: ffmpeg, and the loopback UDP ports it receives RTP on. */
  recording: { ffmpegPath: string; portRange: { min: number; max: number }; startWaitMs: number; minFreeBytes: number };
  /** How long before its slot a citizen's one-time join link opens. */
  reception: { joinOpensMinutes: number; recordDenunciations: boolean };
  auth: { jwtSecret: string; accessTokenTtlSeconds: number; refreshTokenTtlDays: number; cookieSecure: boolean; lookupHmacKey: string };
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** `line` (readable, one per request) for the demo; `json` for production's collectors. */
  logFormat: "line" | "json";
  /** How long a peer whose socket dropped stays in its room, waiting to resume. */
  resumeGraceMs: number;
  mediasoup: {
    workers: number;
    logLevel: "debug" | "warn" | "error" | "none";
    portRange: { min: number; max: number };
    /** See MEDIASOUP_SPREAD_AFTER_CONSUMERS. */
    spreadAfterConsumers: number;
    network: { listenIp: string; announcedAddress?: string; enableTcp: boolean; initialAvailableOutgoingBitrate: number };
  };
  /** What `npm run retention` deletes, and when (signaling/services/retention/retention.ts). */
  retention: RetentionPolicy;
  /** STUN/TURN servers handed to browsers with each WebRTC transport. */
  ice: IceConfig;
  /** The one key sealing stored secrets (keys/serverKey.ts): given, or kept in a 0600 key file; and where earlier versions' keys may be. */
  serverKey: { key?: string; keyFile: string; legacy: LegacyKeyConfig };
  /** The mail queue's worker; 0 deadline minutes: no automatic deadline warnings (tests call the check). */
  mail: { maxAttempts: number; retryBaseMs: number; retryMaxMs: number; pollMs: number; keepBodyDays: number; deadlineCheckMs: number };
  /** Shared state for several signaling processes; absent: this process alone (memory). */
  redis?: { url: string; roomOwnerTtlMs: number };
  /** Media nodes of other hosts receivers may be placed on; absent: this host only. */
  mediaNodes?: { secret: string; heartbeatMs: number; remoteFirst: boolean; pipeListenIp: string; allowPlain?: true; allowedIds?: string[] };
}

/** HTTPS served by the server itself: PEM file paths, and the plain-HTTP port that only redirects. */
export interface TlsConfig {
  certFile: string;
  keyFile: string;
  redirectPort?: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

/** Parses the environment once at start-up; a bad value stops the server with every problem listed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`PORT=` in an env file) means "use the default", as it does for most tools.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ""));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".") || "env"}: ${issue.message}`));
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    http: {
      port: e.PORT,
      host: e.HOST,
      ...(e.PUBLIC_URL ? { publicUrl: e.PUBLIC_URL } : {}),
      ...(e.CORS_ORIGIN ? { corsOrigin: e.CORS_ORIGIN } : {}),
      clientDist: e.CLIENT_DIST,
      ...(e.TLS_CERT && e.TLS_KEY
        ? { tls: { certFile: e.TLS_CERT, keyFile: e.TLS_KEY, ...(e.HTTP_REDIRECT_PORT !== undefined ? { redirectPort: e.HTTP_REDIRECT_PORT } : {}) } }
        : {}),
    },
    metrics: e.METRICS_TOKEN ? { token: e.METRICS_TOKEN } : {},
    databaseUrl: e.DATABASE_URL,
    files: {
      dataDir: e.DATA_DIR,
      maxAttachmentBytes: e.MAX_ATTACHMENT_MB * 1024 * 1024,
      publicUploadBytesPerDay: { unit: Math.round(e.PUBLIC_UPLOAD_MB_PER_UNIT_DAY * 1024 * 1024), address: Math.round(e.PUBLIC_UPLOAD_MB_PER_ADDRESS_DAY * 1024 * 1024) },
    },
    recording: { ffmpegPath: e.FFMPEG_PATH, portRange: { min: e.RECORDER_MIN_PORT, max: e.RECORDER_MAX_PORT }, startWaitMs: e.RECORDING_START_WAIT_MS, minFreeBytes: e.RECORDING_MIN_FREE_MB * 1024 * 1024 },
    reception: { joinOpensMinutes: e.RECEPTION_JOIN_OPENS_MINUTES, recordDenunciations: e.RECEPTION_RECORD_DENUNCIATIONS },
    auth: {
      jwtSecret: e.JWT_SECRET,
      accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlDays: e.REFRESH_TOKEN_TTL_DAYS,
      // Secure cookies need HTTPS; production runs behind TLS, the demo on plain http://127.0.0.1.
      cookieSecure: e.COOKIE_SECURE ?? (e.NODE_ENV === "production" || e.TLS_CERT !== undefined),
      // Key of the HMAC that stores citizens' lookup and cancel codes (auth/citizenSecrets.ts).
      lookupHmacKey: e.LOOKUP_HMAC_KEY,
    },
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT ?? (e.NODE_ENV === "production" ? "json" : "line"),
    resumeGraceMs: e.RESUME_GRACE_SECONDS * 1000,
    mediasoup: {
      workers: e.MEDIASOUP_WORKERS,
      logLevel: e.MEDIASOUP_LOG_LEVEL,
      portRange: { min: e.MEDIASOUP_MIN_PORT, max: e.MEDIASOUP_MAX_PORT },
      spreadAfterConsumers: e.MEDIASOUP_SPREAD_AFTER_CONSUMERS,
      network: {
        listenIp: e.MEDIASOUP_LISTEN_IP,
        ...(e.MEDIASOUP_ANNOUNCED_ADDRESS ? { announcedAddress: e.MEDIASOUP_ANNOUNCED_ADDRESS } : {}),
        enableTcp: e.MEDIASOUP_ENABLE_TCP,
        initialAvailableOutgoingBitrate: e.MEDIASOUP_INITIAL_OUTGOING_BITRATE,
      },
    },
    retention: { briefingRecordingDays: e.RETENTION_BRIEFING_RECORDING_DAYS, caseFileYears: e.RETENTION_CASE_FILE_YEARS },
    ice: {
      servers: (e.ICE_SERVERS ?? []).map(({ urls, ...rest }) => ({ urls: [urls].flat(), ...rest })),
      ...(e.TURN_URLS && e.TURN_SECRET ? { turn: { urls: e.TURN_URLS, secret: e.TURN_SECRET, ttlSeconds: e.TURN_TTL_SECONDS } } : {}),
      transportPolicy: e.ICE_TRANSPORT_POLICY,
    },
    serverKey: {
      ...(e.SERVER_KEY ? { key: e.SERVER_KEY } : {}),
      keyFile: e.SERVER_KEY_FILE ?? path.join(e.DATA_DIR, "keys", "server.key"),
      legacy: {
        signing: { ...(e.SIGNING_KEY ? { key: e.SIGNING_KEY } : {}), keyFile: e.SIGNING_KEY_FILE ?? path.join(e.DATA_DIR, "keys", "signing.key") },
        secrets: { ...(e.SECRETS_KEY ? { key: e.SECRETS_KEY } : {}), keyFile: path.join(e.DATA_DIR, "secrets.key") },
      },
    },
    mail: { maxAttempts: e.MAIL_MAX_ATTEMPTS, retryBaseMs: e.MAIL_RETRY_BASE_MS, retryMaxMs: e.MAIL_RETRY_MAX_MS, pollMs: e.MAIL_POLL_MS, keepBodyDays: e.MAIL_KEEP_BODY_DAYS, deadlineCheckMs: e.MAIL_DEADLINE_CHECK_MINUTES * 60_000 },
    ...(e.REDIS_URL ? { redis: { url: e.REDIS_URL, roomOwnerTtlMs: e.ROOM_OWNER_TTL_MS } } : {}),
    ...(e.MEDIA_NODE_SECRET
      ? { mediaNodes: { secret: e.MEDIA_NODE_SECRET, heartbeatMs: e.MEDIA_NODE_HEARTBEAT_MS, remoteFirst: e.MEDIASOUP_REMOTE_FIRST, pipeListenIp: e.MEDIASOUP_PIPE_IP ?? e.MEDIASOUP_LISTEN_IP, ...(e.MEDIA_NODE_ALLOW_PLAIN ? { allowPlain: true as const } : {}), ...(e.MEDIA_NODE_IDS ? { allowedIds: e.MEDIA_NODE_IDS } : {}) } }
      : {}),
  };
}
