// `npm run soak -- --minutes 30 [--pages 10] [--sites 30] [--warmup-minutes 5] [--sample-seconds 60] [--camera 320x180@15|chromium] [--last-n 4]`
//
// A long briefing: 1 chair + N real-media Chromium pages (fake camera and microphone, the real client)
// + M signaling-only sites joining and leaving at random (consuming, chatting, raising hands; half leave,
// half drop), a second chair moderating, and a clerk writing cases and reception-book entries. Every
// sample reports memory and handles of the server and each mediasoup worker, and the live mediasoup
// objects. Checks: after warm-up nothing grows beyond a bound, and once everyone has gone no transport,
// producer or consumer is left and timers and file descriptors are back near where they started.
// The server runs in THIS process (so mediasoup's observer can count its objects); the pages and the
// signaling load run in child processes, so their memory is not the server's. Figures go to
// test/bench/results/soak-<date>-<minutes>min[-N].json; exit code 1 when a check failed.
import { type ChildProcess, fork } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import * as mediasoup from "mediasoup";
import { signAccessToken } from "../../signaling/auth/tokens";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import { repoRoot } from "../../signaling/paths";
import type { Role } from "../../signaling/protocol";
import { LAST_N_CHOICES, parseLastNChoice } from "../../client/src/media/lastN";
import { unusedResultFile } from "../bench/lib/util";
import { buildUnit, buildUser } from "../helpers/factories";
import { startTestServer } from "../helpers/server";
import type { LoadCommand, LoadCounts, LoadReport } from "./soakLoad";
import type { PagesCommand, PagesReport } from "./soakPages";

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "30" },
    pages: { type: "string", default: "10" },
    sites: { type: "string", default: "30" },
    "warmup-minutes": { type: "string" },
    "sample-seconds": { type: "string", default: "60" },
    // What the pages' fake cameras send. The default is a small clip, as a commune PC on a weak link sends:
    // eleven Chromium instances encoding the client's 960x540 simulcast with Chromium's built-in generator
    // use both cores of the CI machine by themselves, and the run then measures the starved browsers
    // (socket.io ping timeouts), not the server. `chromium` keeps the built-in generator.
    camera: { type: "string", default: "320x180@15" },
    // The pages' "Videos received" choice (last-N, client/src/media/lastN.ts); unset: the screen's default.
    "last-n": { type: "string" },
  },
});
const minutes = Number(values.minutes);
const pageCount = Number(values.pages);
const siteCount = Number(values.sites);
const warmupMinutes = values["warmup-minutes"] === undefined ? Math.min(5, Math.max(1, Math.floor(minutes / 4))) : Number(values["warmup-minutes"]);
const sampleSeconds = Number(values["sample-seconds"]);
const cameraMatch = /^(\d{2,4})x(\d{2,4})@(\d{1,2})$/.exec(values.camera ?? "");
const lastN = values["last-n"] === undefined ? null : parseLastNChoice(values["last-n"]);
const camera = values.camera === "chromium" ? undefined : cameraMatch ? { width: Number(cameraMatch[1]), height: Number(cameraMatch[2]), fps: Number(cameraMatch[3]) } : null;
if (![minutes, pageCount, siteCount, warmupMinutes, sampleSeconds].every((value) => Number.isFinite(value) && value >= 0) || minutes <= warmupMinutes || sampleSeconds < 5 || camera === null || (values["last-n"] !== undefined && lastN === null)) {
  console.error(`usage: npm run soak -- --minutes 30 [--pages 10] [--sites 30] [--warmup-minutes 5] [--sample-seconds 60] [--camera 320x180@15|chromium] [--last-n ${LAST_N_CHOICES.join("|")}]  (minutes > warm-up)`);
  process.exit(2);
}

/** Growth allowed after warm-up (max over the run minus the first sample after warm-up). */
const BOUNDS = { serverHeapMB: 40, serverRssMB: 120, serverFds: 40, workerRssMB: 80, workerFds: 20, timers: 30 };

// ---- live mediasoup objects, counted through mediasoup's observer (registered before any worker starts)
const live = { routers: 0, transports: 0, producers: 0, consumers: 0 };
const count = (key: keyof typeof live, observer: { on(event: "close", listener: () => void): unknown }) => {
  live[key]++;
  observer.on("close", () => live[key]--);
};
/** `SOAK_TRACE=1`: every transport state change and media close, with the minute, on stderr. */
const tracing = process.env.SOAK_TRACE === "1";
const traceStart = Date.now();
const trace = (message: string) => {
  if (tracing) console.error(`[trace ${((Date.now() - traceStart) / 60_000).toFixed(2)} min] ${message}`);
};
mediasoup.observer.on("newworker", (worker) => {
  worker.observer.on("newrouter", (router) => {
    count("routers", router.observer);
    router.observer.on("newtransport", (transport) => {
      count("transports", transport.observer);
      if (tracing && "iceState" in transport) {
        const webRtc = transport as mediasoup.types.WebRtcTransport;
        webRtc.observer.on("icestatechange", (state) => trace(`transport ${webRtc.id.slice(0, 8)} ice ${state}`));
        webRtc.observer.on("dtlsstatechange", (state) => trace(`transport ${webRtc.id.slice(0, 8)} dtls ${state}`));
        webRtc.observer.on("close", () => trace(`transport ${webRtc.id.slice(0, 8)} closed (ice ${webRtc.iceState}, dtls ${webRtc.dtlsState})`));
      }
      transport.observer.on("newproducer", (producer) => {
        count("producers", producer.observer);
        producer.observer.on("close", () => trace(`producer ${producer.id.slice(0, 8)} ${producer.kind} closed (transport ${transport.id.slice(0, 8)} ${transport.closed ? "closed" : "open"})`));
      });
      transport.observer.on("newconsumer", (consumer) => count("consumers", consumer.observer));
    });
  });
});

interface ProcessFigures {
  pid: number;
  rssMB: number;
  fds: number;
  threads: number;
}

function processFigures(pid: number): ProcessFigures {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? Number.NaN);
  return { pid, rssMB: Math.round(field("VmRSS") / 102.4) / 10, fds: fs.readdirSync(`/proc/${pid}/fd`).length, threads: field("Threads") };
}

interface Sample {
  minute: number;
  server: ProcessFigures & { heapUsedMB: number; externalMB: number; timers: number; handles: Record<string, number> };
  workers: ProcessFigures[];
  mediasoup: typeof live;
  roomPeers: number;
  sockets: number;
  framesDecoded: number;
  /** Video tracks the pages decoded new frames of in the last interval, summed over the pages (last-N limits it). */
  videosDecoding: number;
  /** Cores the pages' Chromium used over the last interval (all its processes: encoding, decoding, scripts). */
  browserCores: number | null;
  /** How many real-media pages were in each room status (joined, reconnecting, …) when sampled. */
  pageStatuses: Record<string, number>;
}

const mb = (bytes: number) => Math.round(bytes / 104_857.6) / 10;

const server = await startTestServer({
  CLIENT_DIST: path.join(repoRoot, "client", "dist"),
  MEDIASOUP_WORKERS: "2",
  MEDIASOUP_ENABLE_TCP: "false",
  LOG_LEVEL: "warn",
});
const ROOM = "giao-ban-soak";
/**
 * Why the real pages' sockets closed, as the server saw it (socket.io's reason: "ping timeout",
 * "transport close", "client namespace disconnect"…): a page shown "reconnecting" is explained by these.
 */
const pageAccounts = new Set<string>();
const pageSocketCloses: Record<string, number> = {};
server.io.on("connection", (socket) => {
  socket.on("disconnect", (reason) => {
    if (!pageAccounts.has(socket.data.actor?.id ?? "")) return;
    pageSocketCloses[reason] = (pageSocketCloses[reason] ?? 0) + 1;
    trace(`page socket of ${socket.data.actor.id.slice(-6)} closed: ${reason}`);
  });
});
const startedAt = Date.now();
const children: ChildProcess[] = [];
let framesDecoded = 0;
let videosDecoding = 0;
let browserCores: number | null = null;
let lastBrowserCpu: { seconds: number; at: number } | null = null;
let pageStatuses: Record<string, number> = {};

async function sample(): Promise<Sample> {
  const memory = process.memoryUsage();
  const handles: Record<string, number> = {};
  for (const resource of process.getActiveResourcesInfo()) handles[resource] = (handles[resource] ?? 0) + 1;
  const room = await server.rooms.get(ROOM);
  return {
    minute: Math.round((Date.now() - startedAt) / 6_000) / 10,
    server: { ...processFigures(process.pid), heapUsedMB: mb(memory.heapUsed), externalMB: mb(memory.external), timers: handles.Timeout ?? 0, handles },
    workers: server.pool.workers.map((pooled) => processFigures(pooled.worker.pid)),
    mediasoup: { ...live },
    roomPeers: room?.snapshot().peers.length ?? 0,
    sockets: server.io.engine.clientsCount,
    framesDecoded,
    videosDecoding,
    browserCores,
    pageStatuses,
  };
}

function line(s: Sample): string {
  return (
    `[${s.minute.toFixed(1).padStart(5)} min] server ${s.server.rssMB} MB rss, ${s.server.heapUsedMB} MB heap, ${s.server.fds} fds, ${s.server.timers} timers | ` +
    `workers ${s.workers.map((w) => `${w.rssMB} MB/${w.fds} fds`).join(", ")} | ${s.mediasoup.transports} transports, ${s.mediasoup.producers} producers, ` +
    `${s.mediasoup.consumers} consumers | ${s.roomPeers} peers, ${s.sockets} sockets | frames decoded ${s.framesDecoded}, ${s.videosDecoding} videos decoding, pages' Chromium ${s.browserCores ?? "?"} cores | pages ${Object.entries(s.pageStatuses).map(([status, n]) => `${n} ${status}`).join(", ")}`
  );
}

function child(script: string): ChildProcess {
  const process_ = fork(path.join(repoRoot, "test", "reliability", script), [], { execArgv: ["--import", "tsx"], cwd: repoRoot, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  children.push(process_);
  return process_;
}

function nextMessage<T extends { type: string }>(process_: ChildProcess, type: T["type"], timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${type}" from a soak child within ${timeoutMs / 1000} s`)), timeoutMs);
    const listener = (message: T) => {
      if (message.type !== type) return;
      clearTimeout(timer);
      process_.off("message", listener);
      resolve(message);
    };
    process_.on("message", listener);
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const samples: Sample[] = [];
const checks: { name: string; ok: boolean; detail: string }[] = [];
let loadCounts: LoadCounts | undefined;
let pagesReady: Extract<PagesReport, { type: "ready" }> | undefined;
let pagesLast: Extract<PagesReport, { type: "sample" }> | undefined;

try {
  // ---- accounts: the chair, the page sites, the signaling sites (each its own unit), a second chair, a clerk
  const province = await buildUnit(server.db, { name: "UBND tỉnh (soak)" });
  const ttl = (minutes + 30) * 60;
  const token = (user: { id: string }, unitId: string, role: Role) => signAccessToken({ sub: user.id, unitId, roles: [role], name: `soak ${role}` }, DEMO_JWT_SECRET, ttl);
  pageAccounts.add((await buildUser(server.db, { unit: province, roles: ["leader"], username: "soak-chair" })).id);
  const pageSites: string[] = [];
  for (let index = 1; index <= pageCount; index++) {
    const unit = await buildUnit(server.db, { parent: province, name: `UBND xã Trang ${index}` });
    pageAccounts.add((await buildUser(server.db, { unit, roles: ["site"], username: `soak-page-${index}` })).id);
    pageSites.push(`soak-page-${index}`);
  }
  const siteTokens: string[] = [];
  for (let index = 1; index <= siteCount; index++) {
    const unit = await buildUnit(server.db, { parent: province, name: `UBND xã Tín hiệu ${index}` });
    siteTokens.push(token(await buildUser(server.db, { unit, roles: ["site"] }), unit.id, "site"));
  }
  const secretaryToken = token(await buildUser(server.db, { unit: province, roles: ["leader"] }), province.id, "leader");
  const officerToken = token(await buildUser(server.db, { unit: province, roles: ["officer"] }), province.id, "officer");

  const before = await sample();
  console.log(`soak: ${minutes} min (warm-up ${warmupMinutes} min), 1 chair + ${pageCount} pages + ${siteCount} signaling sites, room ${ROOM}, cameras ${camera ? `${camera.width}x${camera.height}@${camera.fps} clip` : "Chromium's generator"}`);
  console.log(`before the load: ${line(before)}`);

  const pagesChild = child("soakPages.ts");
  pagesChild.on("message", (message: PagesReport) => {
    if (message.type === "sample") {
      pagesLast = message;
      framesDecoded = message.framesDecoded;
      videosDecoding = message.videosDecoding;
      pageStatuses = message.statuses;
      const now = Date.now();
      // Answers queued behind a slow join arrive together: a rate over less than 5 s says nothing.
      if (lastBrowserCpu && now - lastBrowserCpu.at < 5_000) return;
      browserCores = lastBrowserCpu ? Math.round(((message.browserCpuSeconds - lastBrowserCpu.seconds) / ((now - lastBrowserCpu.at) / 1000)) * 100) / 100 : null;
      lastBrowserCpu = { seconds: message.browserCpuSeconds, at: now };
    }
  });
  const ready = nextMessage<Extract<PagesReport, { type: "ready" }>>(pagesChild, "ready", 15 * 60_000);
  pagesChild.send({ type: "start", url: server.url, roomId: ROOM, chair: "soak-chair", sites: pageSites, camera, lastN } satisfies PagesCommand);
  pagesReady = await ready;
  console.log(`pages joined: ${pagesReady.joined}/${pageCount + 1}${pagesReady.failures.length ? ` (failures: ${pagesReady.failures.join("; ")})` : ""}`);

  const loadChild = child("soakLoad.ts");
  loadChild.on("message", (message: LoadReport) => {
    loadCounts = message.counts;
  });
  loadChild.send({ type: "start", url: server.url, roomId: ROOM, siteTokens, secretaryToken, officerToken, unitId: province.id } satisfies LoadCommand);

  const loadStarted = Date.now();
  const end = loadStarted + minutes * 60_000;
  while (Date.now() < end) {
    await sleep(Math.min(sampleSeconds * 1000, Math.max(0, end - Date.now())));
    pagesChild.send({ type: "sample" } satisfies PagesCommand);
    await nextMessage(pagesChild, "sample", 60_000).catch(() => undefined);
    const current = await sample();
    samples.push(current);
    console.log(
      line(current) +
        (loadCounts ? ` | load: ${loadCounts.joins} joins, ${loadCounts.chats} chats, ${loadCounts.moderation} moderation, ${loadCounts.cases} cases` : "") +
        ` | page sockets closed: ${JSON.stringify(pageSocketCloses)}`,
    );
  }

  // ---- everyone goes; dropped sites are held for the resume grace (30 s) before their peers close
  const loadDone = nextMessage<Extract<LoadReport, { type: "done" }>>(loadChild, "done", 5 * 60_000);
  loadChild.send({ type: "stop" } satisfies LoadCommand);
  loadCounts = (await loadDone).counts;
  const pagesDone = nextMessage(pagesChild, "done", 5 * 60_000);
  pagesChild.send({ type: "stop" } satisfies PagesCommand);
  await pagesDone;
  await sleep(45_000);
  const after = await sample();
  console.log(`after everyone left: ${line(after)}`);

  // ---- checks
  const warm = samples.filter((s) => (s.minute * 60_000 + startedAt) - loadStarted >= warmupMinutes * 60_000);
  const baseline = warm[0];
  if (!baseline) {
    checks.push({ name: "samples after warm-up", ok: false, detail: "none (run longer than the warm-up)" });
  } else {
    const growth = (value: (s: Sample) => number) => Math.max(...warm.map(value)) - value(baseline);
    const bounded = (name: string, value: (s: Sample) => number, bound: number, unit: string) => {
      const grew = Math.round(growth(value) * 10) / 10;
      checks.push({ name: `${name} growth after warm-up ≤ ${bound} ${unit}`, ok: grew <= bound, detail: `${grew} ${unit} (from ${value(baseline)})` });
    };
    bounded("server heap", (s) => s.server.heapUsedMB, BOUNDS.serverHeapMB, "MB");
    bounded("server RSS", (s) => s.server.rssMB, BOUNDS.serverRssMB, "MB");
    bounded("server file descriptors", (s) => s.server.fds, BOUNDS.serverFds, "");
    bounded("server timers", (s) => s.server.timers, BOUNDS.timers, "");
    baseline.workers.forEach((_, index) => {
      bounded(`worker ${index} RSS`, (s) => s.workers[index]?.rssMB ?? 0, BOUNDS.workerRssMB, "MB");
      bounded(`worker ${index} file descriptors`, (s) => s.workers[index]?.fds ?? 0, BOUNDS.workerFds, "");
    });
    // Media keeps flowing: the pages decode more frames at the end than after warm-up.
    // framesDecoded is summed over the pages' current consumers, so a page that re-subscribes starts again
    // from 0: judge each interval (did the count move at all), not the first sample against the last.
    const stalled = warm.slice(1).filter((s, index) => s.framesDecoded === warm[index]!.framesDecoded).map((s) => `${s.minute} min`);
    checks.push({
      name: "pages keep decoding video (every interval after warm-up)",
      ok: warm.length > 1 && stalled.length === 0,
      detail: stalled.length === 0 ? `${warm.length - 1} intervals, last ${samples.at(-1)?.framesDecoded ?? 0} frames` : `no new frame in the interval ending at ${stalled.join(", ")}`,
    });
  }
  checks.push({ name: "no transport left after everyone left", ok: after.mediasoup.transports === 0, detail: String(after.mediasoup.transports) });
  checks.push({ name: "no producer left", ok: after.mediasoup.producers === 0, detail: String(after.mediasoup.producers) });
  checks.push({ name: "no consumer left", ok: after.mediasoup.consumers === 0, detail: String(after.mediasoup.consumers) });
  checks.push({ name: "no socket left", ok: after.sockets === 0, detail: String(after.sockets) });
  checks.push({ name: "timers back near the start (+10)", ok: after.server.timers <= before.server.timers + 10, detail: `${before.server.timers} → ${after.server.timers}` });
  checks.push({ name: "server file descriptors back near the start (+10)", ok: after.server.fds <= before.server.fds + 10, detail: `${before.server.fds} → ${after.server.fds}` });
  after.workers.forEach((worker, index) =>
    checks.push({ name: `worker ${index} file descriptors back near the start (+10)`, ok: worker.fds <= (before.workers[index]?.fds ?? 0) + 10, detail: `${before.workers[index]?.fds} → ${worker.fds}` }),
  );
  checks.push({ name: "every page joined", ok: pagesReady.joined === pageCount + 1, detail: `${pagesReady.joined}/${pageCount + 1}` });
  // The load itself must have happened, or the bounds above prove nothing about it.
  for (const [name, value] of [["site joins", loadCounts?.joins ?? 0], ["chat messages", loadCounts?.chats ?? 0], ["moderation actions of the second chair", loadCounts?.moderation ?? 0], ["cases filed", loadCounts?.cases ?? 0], ["book entries", loadCounts?.entries ?? 0]] as const) {
    checks.push({ name: `load ran: ${name}`, ok: value > 0, detail: String(value) });
  }

  const ok = checks.every((check) => check.ok);
  const report = {
    kind: "soak",
    at: new Date().toISOString(),
    minutes,
    warmupMinutes,
    pages: pageCount,
    camera: camera ?? "chromium",
    lastN,
    signalingSites: siteCount,
    bounds: BOUNDS,
    ok,
    checks,
    load: loadCounts,
    pageSocketCloses,
    pagesActivity: pagesLast ? { chats: pagesLast.chats, muteToggles: pagesLast.muteToggles, camerasBackOn: pagesLast.camerasBackOn, failures: pagesLast.failures } : undefined,
    before,
    samples,
    after,
  };
  const file = unusedResultFile(path.join(repoRoot, "test", "bench", "results"), `soak-${report.at.slice(0, 10)}-${minutes}min${lastN === null ? "" : `-last-n${lastN}`}`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log("");
  for (const check of checks) console.log(`${check.ok ? "ok  " : "FAIL"} ${check.name}: ${check.detail}`);
  console.log(`\nfigures: ${path.relative(repoRoot, file)}`);
  process.exitCode = ok ? 0 : 1;
} catch (error) {
  console.error("soak failed:", error);
  process.exitCode = 1;
} finally {
  for (const process_ of children) if (process_.exitCode === null) process_.kill("SIGTERM");
  await server.close();
  process.exit();
}
