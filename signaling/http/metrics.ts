import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { WorkerPool } from "../../sfu";
import { DUE_SOON_DAYS } from "../services/cases/cases";
import type { Db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { addDays, type LocalDate, vietnamDateOf } from "../domain/deadlines";
import { AppError } from "../errors";
import type { IoServer } from "../realtime/io";
import type { RoomDirectory } from "../realtime/RoomDirectory";

export interface MetricsSources {
  pool: WorkerPool;
  rooms: RoomDirectory;
  io: IoServer;
  db: Db;
}

/**
 * The server's Prometheus metrics, on a registry of its own (tests run several servers in one process).
 * Labels carry only bounded, non-personal values: worker index, HTTP method, route *template*, status,
 * SQLite error code. A raw URL could hold a case code or a citizen's link token, so it is never a label.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly #httpDuration: Histogram<"method" | "route">;
  readonly #httpRequests: Counter<"method" | "route" | "status">;
  readonly #dbErrors: Counter<"code">;
  #sources: MetricsSources | undefined;

  constructor() {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- prom-client calls collect() with the metric as `this`.
    const self = this;
    collectDefaultMetrics({ register: this.registry, prefix: "cau_noi_" });
    this.#httpDuration = new Histogram({
      name: "cau_noi_http_request_duration_seconds",
      help: "HTTP request latency by method and route template",
      labelNames: ["method", "route"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    // Status codes on a counter of their own keeps the histogram's series (×12 buckets) fewer.
    this.#httpRequests = new Counter({
      name: "cau_noi_http_requests_total",
      help: "HTTP requests by method, route template and status code",
      labelNames: ["method", "route", "status"],
      registers: [this.registry],
    });
    this.#dbErrors = new Counter({
      name: "cau_noi_db_errors_total",
      help: "Database statements that failed, by SQLite error code (or PG_<SQLSTATE> in PostgreSQL mode)",
      labelNames: ["code"],
      registers: [this.registry],
    });
    // Counted per error code, so a constraint violation and a locked database are told apart.
    this.#dbErrors.inc({ code: "SQLITE_BUSY" }, 0);

    const perWorker = (name: string, help: string, measure: (sources: MetricsSources) => Promise<Map<number, number>>) =>
      new Gauge({
        name,
        help,
        labelNames: ["worker"],
        registers: [this.registry],
        collect: async function (this: Gauge<"worker">) {
          this.reset();
          if (!self.#sources) return;
          for (const [worker, value] of await measure(self.#sources)) this.set({ worker: String(worker) }, value);
        },
      });
    perWorker("cau_noi_rooms", "Live rooms, by mediasoup worker", (s) => roomTally(s, () => 1));
    perWorker("cau_noi_peers", "Participants in live rooms, by mediasoup worker", (s) => roomTally(s, (room) => room.peers.length));
    perWorker("cau_noi_producers", "Media tracks sent into rooms (producers), by mediasoup worker", (s) =>
      roomTally(s, (room) => room.peers.reduce((sum, peer) => sum + peer.producers.length, 0)),
    );
    // Counted on the worker itself: a room's receivers may sit on other workers than its home one, and a
    // producer piped to another worker is one more (pipe) consumer on its home worker.
    perWorker("cau_noi_consumers", "Media tracks received from rooms (consumers, including pipes between workers), by mediasoup worker", async (s) =>
      new Map(s.pool.workers.map((worker) => [worker.index, s.pool.consumersOn(worker.worker)])),
    );
    perWorker("cau_noi_recordings_active", "Rooms being recorded, by mediasoup worker", (s) => roomTally(s, (room) => (room.recording ? 1 : 0)));
    perWorker("cau_noi_mediasoup_worker_cpu_seconds", "CPU time (user + system) the mediasoup worker process has used since it started", (s) =>
      workerUsage(s, (usage) => (usage.ru_utime + usage.ru_stime) / 1000),
    );
    perWorker("cau_noi_mediasoup_worker_max_rss_bytes", "Peak resident memory of the mediasoup worker process", (s) =>
      workerUsage(s, (usage) => usage.ru_maxrss * 1024),
    );
    new Gauge({
      name: "cau_noi_mediasoup_workers_alive",
      help: "mediasoup workers running (a dead one is restarted)",
      registers: [this.registry],
      collect: function (this: Gauge) {
        this.set(self.#sources?.pool.workers.length ?? 0);
      },
    });
    new Gauge({
      name: "cau_noi_socket_connections",
      help: "Open socket.io connections",
      registers: [this.registry],
      collect: function (this: Gauge) {
        this.set(self.#sources?.io.engine.clientsCount ?? 0);
      },
    });
    this.#casesByDeadline();
  }

  #casesByDeadline(): void {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- prom-client calls collect() with the metric as `this`.
    const self = this;
    // The same definitions as the work queue's filters: a running deadline (dueDate is null when none runs)
    // before today, or within DUE_SOON_DAYS. Both counts are index range scans ([state, dueDate]).
    const count = (where: (today: LocalDate) => Prisma.CaseWhereInput) =>
      async function (this: Gauge) {
        const db = self.#sources?.db;
        if (!db) return;
        const today = vietnamDateOf(new Date());
        this.set(await db.case.count({ where: where(today) }).catch(() => Number.NaN));
      };
    new Gauge({
      name: "cau_noi_cases_overdue",
      help: "Cases whose running statutory deadline has passed",
      registers: [this.registry],
      collect: count((today) => ({ dueDate: { lt: today } })),
    });
    new Gauge({
      name: "cau_noi_cases_due_soon",
      help: `Cases whose running statutory deadline falls within ${DUE_SOON_DAYS} days`,
      registers: [this.registry],
      collect: count((today) => ({ dueDate: { gte: today, lte: addDays(today, DUE_SOON_DAYS) } })),
    });
  }

  /** The live parts are built after the metrics (the database needs its error hook first). */
  observe(sources: MetricsSources): void {
    this.#sources = sources;
  }

  /** For the database client: counts a failed statement. */
  readonly dbError = (error: unknown): void => {
    const code = (error as { code?: unknown } | null)?.code;
    this.#dbErrors.inc({ code: typeof code === "string" && /^(SQLITE_[A-Z_]{1,40}|PG_[0-9A-Z]{5})$/.test(code) ? code : "other" });
  };

  /** Times every request and labels it with the route it matched, once the response is finished. */
  readonly observeRequests: RequestHandler = (req, res, next) => {
    const end = this.#httpDuration.startTimer();
    res.once("finish", () => {
      const route = req.route as { path?: unknown } | undefined;
      const template =
        typeof route?.path === "string"
          ? // An error leaves the router before `finish`, taking its mount path off `baseUrl`: API routes are all under /api.
            `${req.baseUrl || (req.originalUrl.startsWith("/api/") ? "/api" : "")}${route.path}`
          : req.originalUrl.startsWith("/api/")
            ? "/api/(unknown)"
            : "(static)";
      const labels = { method: METHODS.has(req.method) ? req.method : "other", route: template };
      end(labels);
      this.#httpRequests.inc({ ...labels, status: String(res.statusCode) });
    });
    next();
  };

  /**
   * `GET /metrics`: off (404) without METRICS_TOKEN, and only with that bearer token otherwise. A token, not
   * an address list: behind the reverse proxy every request comes from the loopback, so "local only"
   * would let the whole network read it.
   */
  serve(token: string | undefined): RequestHandler {
    const expected = token ? digest(token) : undefined;
    return async (req, res) => {
      if (!expected) throw new AppError("NOT_FOUND");
      const header = req.headers.authorization;
      const given = header?.startsWith("Bearer ") ? header.slice("Bearer ".length).trim() : "";
      if (!timingSafeEqual(digest(given), expected)) {
        res.setHeader("WWW-Authenticate", 'Bearer realm="metrics"');
        throw new AppError("UNAUTHENTICATED", { detail: "metrics token missing or wrong" });
      }
      res.setHeader("Cache-Control", "no-store");
      res.type(this.registry.contentType).send(await this.registry.metrics());
    };
  }
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** Equal-length digests, so the comparison takes the same time whatever was sent. */
const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

type LiveRoom = NonNullable<Awaited<ReturnType<RoomDirectory["get"]>>>;

async function roomTally(sources: MetricsSources, count: (room: LiveRoom) => number): Promise<Map<number, number>> {
  const tally = new Map<number, number>(sources.pool.workers.map((worker) => [worker.index, 0]));
  for (const room of await sources.rooms.live()) tally.set(room.workerIndex, (tally.get(room.workerIndex) ?? 0) + count(room));
  return tally;
}

async function workerUsage(
  sources: MetricsSources,
  pick: (usage: Awaited<ReturnType<WorkerPool["workers"][number]["worker"]["getResourceUsage"]>>) => number,
): Promise<Map<number, number>> {
  const values = new Map<number, number>();
  await Promise.all(
    sources.pool.workers.map(async (pooled) => {
      // A worker dying between the list and the call has no usage to report; the next scrape sees its successor.
      const usage = await pooled.worker.getResourceUsage().catch(() => undefined);
      if (usage) values.set(pooled.index, pick(usage));
    }),
  );
  return values;
}
