import path from "node:path";
import { type Browser, type BrowserContext, type CDPSession, chromium, type Page } from "@playwright/test";
import { DEMO_JWT_SECRET } from "../../../signaling/config";
import { repoRoot } from "../../../signaling/paths";
import { connect, ok, request, type TestSocket } from "../../helpers/client";
import { buildUnit, buildUser, tokenFor } from "../../helpers/factories";
import { signInAndJoin } from "../../helpers/roomPage";
import { startTestServer } from "../../helpers/server";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../e2e/chromium";
import { round } from "../lib/util";

/**
 * The chair's page in a briefing with 40 sites (issue 15 item 6): Debian's Chromium opens the real client
 * (client/dist) as a province leader who chairs the room; `mediaSites` further Chromium pages join with the
 * fake camera and microphone, the rest are signaling-only sites (sockets that join, as the soak's do). The
 * chair's page is measured over two windows: `idle` (everyone present, nobody doing anything) and `busy`
 * (one site raises or lowers a hand and one sends a chat message every second, as a briefing's floor
 * requests and reports do). Figures: Chromium's own main-thread counters (CDP Performance.getMetrics:
 * TaskDuration, ScriptDuration, LayoutDuration, RecalcStyleDuration) as ms per second of wall time, and the
 * long tasks (> 50 ms, PerformanceObserver "longtask") in the window. Then a CPU profile of the busy page:
 * the functions with the most self time.
 */
export interface ChairGridOptions {
  sites?: number;
  mediaSites?: number;
  windowSeconds?: number;
  profileSeconds?: number;
}

export interface PageWindow {
  seconds: number;
  /** Main-thread time per second of wall time, ms/s (1000 = one core busy). */
  taskMsPerS: number;
  scriptMsPerS: number;
  layoutMsPerS: number;
  styleMsPerS: number;
  longTasks: { count: number; totalMs: number; maxMs: number };
  /** Site events the page received in the window (hands and chat messages sent by the sites). */
  siteEvents: number;
}

export interface ChairGridResult {
  sites: number;
  mediaSites: number;
  /** Participants the chair's list shows when measuring starts (the sites; the chair is not listed). */
  participantsShown: number;
  tilesShown: number;
  idle: PageWindow;
  busy: PageWindow;
  /** Self time over `profileSeconds` of the busy page, most first: "function file:line ms". */
  topSelfTime: string[];
  notes: string[];
}

const ROOM = "giao-ban-40-diem-cau";
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Long tasks of the page, kept from the start (buffered) so a window can take its own. */
const OBSERVE_LONG_TASKS = `(() => {
  window.__longTasks = [];
  try {
    new PerformanceObserver((list) => { for (const entry of list.getEntries()) window.__longTasks.push([entry.startTime, entry.duration]); })
      .observe({ type: "longtask", buffered: true });
  } catch {}
})();`;

/** A page that could not join on the loaded machine is loaded again (as a user presses reload), three times at most. */
async function joinedPage(browser: Browser, url: string, username: string): Promise<{ context: BrowserContext; page: Page }> {
  for (let attempt = 1; ; attempt++) {
    const context = await browser.newContext({ baseURL: url, permissions: ["camera", "microphone"], locale: "vi-VN", viewport: { width: 1366, height: 768 } });
    try {
      return { context, page: await join(context, username) };
    } catch (error) {
      // A half-joined page would stay in the room as a ghost site: the retry starts from a clean context.
      await context.close().catch(() => undefined);
      if (attempt === 3) throw error;
    }
  }
}

async function join(context: BrowserContext, username: string): Promise<Page> {
  const page = await context.newPage();
  await page.addInitScript({ content: OBSERVE_LONG_TASKS });
  await signInAndJoin(page, `/?room=${ROOM}`, username);
  return page;
}

type Metrics = Record<"TaskDuration" | "ScriptDuration" | "LayoutDuration" | "RecalcStyleDuration" | "Timestamp", number>;

async function metrics(session: CDPSession): Promise<Metrics> {
  const { metrics: all } = await session.send("Performance.getMetrics");
  const value = (name: keyof Metrics) => all.find((metric) => metric.name === name)?.value ?? 0;
  return { TaskDuration: value("TaskDuration"), ScriptDuration: value("ScriptDuration"), LayoutDuration: value("LayoutDuration"), RecalcStyleDuration: value("RecalcStyleDuration"), Timestamp: value("Timestamp") };
}

/** One measuring window of the chair's page while `activity` runs (it stops when the window ends). */
async function measureWindow(page: Page, session: CDPSession, seconds: number, activity: (until: () => boolean) => Promise<number>): Promise<PageWindow> {
  const startedAt = await page.evaluate(() => performance.now());
  const before = await metrics(session);
  let done = false;
  const events = activity(() => done);
  await sleep(seconds * 1000);
  done = true;
  const siteEvents = await events;
  const after = await metrics(session);
  const longTasks = await page.evaluate((from) => ((window as unknown as { __longTasks: [number, number][] }).__longTasks ?? []).filter(([start]) => start >= from), startedAt);
  const wall = after.Timestamp - before.Timestamp;
  const perSecond = (key: keyof Metrics) => round(((after[key] - before[key]) / wall) * 1000);
  return {
    seconds: round(wall),
    taskMsPerS: perSecond("TaskDuration"),
    scriptMsPerS: perSecond("ScriptDuration"),
    layoutMsPerS: perSecond("LayoutDuration"),
    styleMsPerS: perSecond("RecalcStyleDuration"),
    longTasks: { count: longTasks.length, totalMs: round(longTasks.reduce((sum, [, duration]) => sum + duration, 0)), maxMs: round(Math.max(0, ...longTasks.map(([, duration]) => duration))) },
    siteEvents,
  };
}

/** The functions the page's main thread spent its own time in over `seconds`, most first. */
async function topSelfTime(page: Page, seconds: number): Promise<string[]> {
  const session = await page.context().newCDPSession(page);
  await session.send("Profiler.enable");
  await session.send("Profiler.start");
  await sleep(seconds * 1000);
  const { profile } = await session.send("Profiler.stop");
  await session.detach();
  const self = new Map<string, number>();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const deltas = profile.timeDeltas ?? [];
  (profile.samples ?? []).forEach((id, index) => {
    const frame = byId.get(id)!.callFrame;
    const key = `${frame.functionName || "(anonymous)"} ${frame.url.split("/").at(-1)}:${frame.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (deltas[index] ?? 0) / 1000);
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([key, ms]) => `${key} ${ms.toFixed(0)} ms`);
}

export async function chairGridScenario(options: ChairGridOptions = {}, log: (line: string) => void = console.log): Promise<ChairGridResult> {
  const siteCount = options.sites ?? 40;
  const mediaSites = Math.min(options.mediaSites ?? 2, siteCount);
  const windowSeconds = options.windowSeconds ?? 30;
  const profileSeconds = options.profileSeconds ?? 10;
  const server = await startTestServer({ CLIENT_DIST: path.join(repoRoot, "client", "dist") });
  let browser: Browser | undefined;
  const sockets: TestSocket[] = [];
  try {
    const province = await buildUnit(server.db, { name: "UBND tỉnh (40 điểm cầu)" });
    await buildUser(server.db, { unit: province, roles: ["leader"], username: "bench-chair" });
    const pageSites: string[] = [];
    for (let index = 1; index <= mediaSites; index++) {
      const unit = await buildUnit(server.db, { parent: province, name: `UBND xã Hình ${index}` });
      pageSites.push((await buildUser(server.db, { unit, roles: ["site"], username: `bench-site-page-${index}` })).username);
    }
    const siteTokens: string[] = [];
    for (let index = mediaSites + 1; index <= siteCount; index++) {
      const unit = await buildUnit(server.db, { parent: province, name: `UBND xã Điểm cầu ${index}` });
      siteTokens.push((await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles: ["site"] })).token);
    }

    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    // The chair first, so the server names them chair; then the pages with a camera, one at a time.
    const chair = await joinedPage(browser, server.url, "bench-chair");
    for (const username of pageSites) await joinedPage(browser, server.url, username);
    for (const token of siteTokens) {
      const socket = await connect(server.url, { token });
      sockets.push(socket);
      const { rtpCapabilities } = await ok(socket, "getRouterRtpCapabilities", {});
      await ok(socket, "join", { roomId: ROOM, rtpCapabilities });
    }
    const page = chair.page;
    await page.waitForFunction((count) => document.querySelectorAll('[data-testid="participant"]').length >= count, siteCount, { timeout: 120_000 });
    const participantsShown = await page.getByTestId("participant").count();
    const tilesShown = await page.getByTestId("remote-tile").count();
    log(`  chair page: ${participantsShown} participants listed, ${tilesShown} tiles on the grid's page (${mediaSites} sites with a camera, ${siteTokens.length} signaling-only)`);
    // Let the joins' renders and the first frames settle before measuring.
    await sleep(5_000);
    const session = await page.context().newCDPSession(page);
    await session.send("Performance.enable");

    const idle = await measureWindow(page, session, windowSeconds, async () => 0);
    log(`  idle ${idle.seconds} s: main thread ${idle.taskMsPerS} ms/s (script ${idle.scriptMsPerS}, layout ${idle.layoutMsPerS}, style ${idle.styleMsPerS}); long tasks ${idle.longTasks.count} (total ${idle.longTasks.totalMs} ms, max ${idle.longTasks.maxMs} ms)`);

    let tick = 0;
    const activity = async (until: () => boolean) => {
      let sent = 0;
      while (!until()) {
        const site = sockets[tick % sockets.length];
        const other = sockets[(tick * 7 + 3) % sockets.length];
        tick++;
        if (site) sent += (await request(site, "raiseHand", { raised: tick % 2 === 1 })).ok ? 1 : 0;
        if (other) sent += (await request(other, "sendChat", { text: `Điểm cầu báo cáo số ${tick}` })).ok ? 1 : 0;
        await sleep(1_000);
      }
      return sent;
    };
    const busy = await measureWindow(page, session, windowSeconds, activity);
    log(`  busy ${busy.seconds} s (${busy.siteEvents} hands and messages): main thread ${busy.taskMsPerS} ms/s (script ${busy.scriptMsPerS}, layout ${busy.layoutMsPerS}, style ${busy.styleMsPerS}); long tasks ${busy.longTasks.count} (total ${busy.longTasks.totalMs} ms, max ${busy.longTasks.maxMs} ms)`);

    let profiling = true;
    const profiled = activity(() => !profiling);
    const top = await topSelfTime(page, profileSeconds);
    profiling = false;
    await profiled;
    log(`  busy page, ${profileSeconds} s profile, self time: ${top.slice(0, 8).join("; ")}`);

    return {
      sites: siteCount,
      mediaSites,
      participantsShown,
      tilesShown,
      idle,
      busy,
      topSelfTime: top,
      notes: [
        `Debian Chromium (${CHROMIUM_PATH}), the built client, 1366×768; the chair is a province leader (participants panel open, the chair's controls on every tile); ${mediaSites} sites are Chromium pages with the fake camera and microphone, ${siteTokens.length} are signaling-only sockets (no media), in this process.`,
        "ms/s = CDP Performance.getMetrics counters of the chair's page over the window ÷ its wall time (1000 ms/s = one core busy). Long tasks: PerformanceObserver 'longtask' (> 50 ms) in the window.",
        "busy = every second one site raises or lowers a hand and one site sends a chat message. The machine is shared: the site pages, the server and other people's tests take the same two cores.",
      ],
    };
  } finally {
    for (const socket of sockets) socket.disconnect();
    await browser?.close().catch(() => undefined);
    await server.close();
  }
}
