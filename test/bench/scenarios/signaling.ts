import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { createClient } from "@libsql/client";
import { runInNewContext } from "node:vm";
import { DEMO_JWT_SECRET } from "../../../signaling/config";
import { repoRoot } from "../../../signaling/paths";
import { buildUnit, tokenFor } from "../../helpers/factories";
import { startTestServer } from "../../helpers/server";
import { type HotFunction, profileHotFunctions } from "../lib/profile";
import type { ClientCommand, ClientReport } from "../lib/signalingClients";
import { round, type Summary, summarize } from "../lib/util";

export interface SignalingOptions {
  clients: number;
  /** Seconds of steady load after everyone joined: each client sends one request per second. */
  loadSeconds: number;
  /** Parallel connection attempts while joining. */
  concurrency?: number;
  /** The cheap request timed under load. */
  event?: "getRouterRtpCapabilities" | "getChat";
  /** Run it all again with the database copy in WAL mode (before/after for the journal finding). */
  compareWal?: boolean;
}

type Percentiles = { p50: number; p99: number; max: number };

export interface SignalingResult {
  /** The database's journal: as the product ships it (rollback journal) or switched to WAL on the copy. */
  journal: "as shipped" | "wal";
  clients: number;
  joined: number;
  joinFailures: string[];
  joinSeconds: number;
  connectMs: Summary;
  joinAckMs: Summary;
  event: string;
  /** Ack latency of the cheap request under load, seen by the clients (their own process). */
  ackMs: Summary;
  requestsPerSecond: number;
  requestFailures: number;
  /** Server process memory per joined client (after GC): heap and RSS deltas ÷ clients, in kB. */
  heapKBPerClient: number;
  rssKBPerClient: number;
  /** Event-loop delay of the server process, ms: while everyone joined, and under steady load. */
  eventLoopLagJoin: Percentiles;
  eventLoopLagLoad: Percentiles;
  /** Where the server process spent its CPU while everyone joined (self time, top functions). */
  joinProfile: { totalMs: number; hot: HotFunction[] };
  /** ms per autocommitted INSERT on this disk, by journal mode (libsql runs it on the event loop). */
  sqliteCommitMs?: { rollbackJournal: number; wal: number; walNormal: number };
  /** The same run with the database copy switched to WAL (when compareWal). */
  withWal?: { joinSeconds: number; joinAckMs: Summary; connectMs: Summary; ackMs: Summary; eventLoopLagJoin: Percentiles; eventLoopLagLoad: Percentiles };
  notes: string[];
}

/** `global.gc`, without starting node with --expose-gc. */
function gcFunction(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

function memory(gc: () => void) {
  gc();
  gc();
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed, rss: usage.rss };
}

const LAG_RESOLUTION_MS = 5;

/** The histogram records the timer's whole interval: the lag is what exceeds the resolution. */
function lagOf(histogram: ReturnType<typeof monitorEventLoopDelay>) {
  const ms = (ns: number) => round(Math.max(0, ns / 1e6 - LAG_RESOLUTION_MS));
  return { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max) };
}

function nextReport<T extends ClientReport["type"]>(child: ChildProcess, type: T, timeoutMs: number): Promise<Extract<ClientReport, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`signaling clients: no ${type} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (report: ClientReport) => {
      if (report.type !== type) return;
      clearTimeout(timer);
      child.off("message", onMessage);
      resolve(report as Extract<ClientReport, { type: T }>);
    };
    child.on("message", onMessage);
    child.once("exit", (code) => reject(new Error(`signaling clients exited (${code}) before ${type}`)));
  });
}

/**
 * Signaling load: the real server in this process (so its memory and event loop can be read), N
 * socket.io clients in a child process that connect with a real access token, join one room and then
 * each send a cheap request every second.
 */
export async function signalingScenario(options: SignalingOptions): Promise<SignalingResult> {
  const result = await runSignaling(options, "as shipped");
  result.sqliteCommitMs = await sqliteCommitCost();
  if (options.compareWal) {
    const wal = await runSignaling(options, "wal");
    result.withWal = { joinSeconds: wal.joinSeconds, joinAckMs: wal.joinAckMs, connectMs: wal.connectMs, ackMs: wal.ackMs, eventLoopLagJoin: wal.eventLoopLagJoin, eventLoopLagLoad: wal.eventLoopLagLoad };
  }
  return result;
}

/**
 * What one autocommitted INSERT costs on this disk (libsql runs it synchronously, on the event loop):
 * the journal mode the product ships (rollback journal, synchronous=FULL), WAL, WAL + synchronous=NORMAL.
 */
async function sqliteCommitCost(): Promise<{ rollbackJournal: number; wal: number; walNormal: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-bench-commit-"));
  const cost = async (mode: "delete" | "wal" | "walNormal") => {
    const client = createClient({ url: `file:${path.join(dir, `${mode}.db`)}` });
    try {
      await client.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
      if (mode !== "delete") await client.execute("PRAGMA journal_mode = WAL");
      if (mode === "walNormal") await client.execute("PRAGMA synchronous = NORMAL");
      const started = performance.now();
      for (let i = 0; i < 50; i++) await client.execute({ sql: "INSERT INTO t (v) VALUES (?)", args: ["x".repeat(200)] });
      return round((performance.now() - started) / 50);
    } finally {
      client.close();
    }
  };
  try {
    return { rollbackJournal: await cost("delete"), wal: await cost("wal"), walNormal: await cost("walNormal") };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function runSignaling(options: SignalingOptions, journal: "as shipped" | "wal"): Promise<SignalingResult> {
  const event = options.event ?? "getRouterRtpCapabilities";
  const server = await startTestServer({ MEDIASOUP_WORKERS: "1", RESUME_GRACE_SECONDS: "0" });
  let child: ChildProcess | undefined;
  try {
    // journal_mode is kept in the database file: switching the copy to WAL needs no product code.
    if (journal === "wal") await server.db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    const unit = await buildUnit(server.db);
    const tokens: string[] = [];
    for (let i = 0; i < options.clients; i++) tokens.push((await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles: ["viewer"] })).token);
    const gc = gcFunction();
    child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "test", "bench", "lib", "signalingClients.ts")], {
      cwd: repoRoot,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const command = (message: ClientCommand) => child!.send(message);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = memory(gc);

    const lagJoin = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
    lagJoin.enable();
    const joinedReport = nextReport(child, "joined", 120_000 + options.clients * 200);
    // The joins run under V8's profiler: what the server spends its time on while the room fills.
    const profiled = await profileHotFunctions(async () => {
      command({ type: "connect", url: server.url, tokens, roomId: "bench-signaling", concurrency: options.concurrency ?? 25 });
      return joinedReport;
    });
    const joined = profiled.value;
    lagJoin.disable();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const after = memory(gc);

    const lagLoad = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
    lagLoad.enable();
    const loadReport = nextReport(child, "loadDone", options.loadSeconds * 1000 + 60_000);
    command({ type: "load", durationMs: options.loadSeconds * 1000, intervalMs: 1000, event });
    const load = await loadReport;
    lagLoad.disable();

    const closed = nextReport(child, "closed", 30_000);
    command({ type: "close" });
    await closed.catch(() => undefined);

    const count = Math.max(1, joined.joinAckMs.length);
    const r = (summary: Summary): Summary => ({ ...summary, p50: round(summary.p50), p95: round(summary.p95), p99: round(summary.p99), max: round(summary.max), mean: round(summary.mean) });
    return {
      journal,
      clients: options.clients,
      joined: joined.joinAckMs.length,
      joinFailures: joined.failures,
      joinSeconds: round(joined.elapsedMs / 1000),
      connectMs: r(summarize(joined.connectMs)),
      joinAckMs: r(summarize(joined.joinAckMs)),
      event,
      ackMs: r(summarize(load.latenciesMs)),
      requestsPerSecond: round(load.requests / options.loadSeconds),
      requestFailures: load.failures,
      heapKBPerClient: round((after.heap - before.heap) / 1024 / count),
      rssKBPerClient: round((after.rss - before.rss) / 1024 / count),
      eventLoopLagJoin: lagOf(lagJoin),
      eventLoopLagLoad: lagOf(lagLoad),
      joinProfile: { totalMs: Math.round(profiled.totalMs), hot: profiled.hot },
      notes: [
        "Server: startServer() in this process on an ephemeral port (1 media worker, its own SQLite copy); clients: socket.io-client in a child process (WebSocket), real access tokens (viewer accounts), all in one room.",
        "Each client: connect (token checked against the database) → getRouterRtpCapabilities → join; no media transports. Every join is announced to everyone already in the room (peerJoined), so joining is O(N²) messages.",
        "Ack latency is measured in the client process, so it includes that process's own delays on the shared 2 cores.",
        "Memory per client = (heapUsed and RSS after joins − before, both after GC) ÷ clients in the server process (the bench process).",
        "joinProfile = V8 CPU profile of the server process during the joins; libsql runs SQLite synchronously, so its time (and each commit's fsync) is spent on the event loop.",
      ],
    };
  } finally {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    await server.close();
  }
}
