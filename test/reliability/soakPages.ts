/**
 * Child process of `npm run soak`: Debian's Chromium with fake camera and microphone, one chair page
 * and N site pages in the briefing through the real client, chatting; the chair toggles "mute all". A
 * site whose camera the (second) chair stopped turns it back on, as a site does once it has been told why:
 * otherwise a long run ends with every camera stopped and nothing left to decode.
 * A separate process, so Playwright's own memory does not show up in the server being measured.
 * Run as `node --import tsx test/reliability/soakPages.ts` with an IPC channel.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Browser, type CDPSession, chromium, type Page } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../e2e/chromium";
import { signInAndJoin } from "../helpers/roomPage";

/** A fake camera clip's size; undefined: Chromium's own generator at whatever the client asks. */
export type SoakCamera = { width: number; height: number; fps: number } | undefined;
export type PagesCommand =
  | { type: "start"; url: string; roomId: string; chair: string; sites: string[]; camera: SoakCamera; lastN: number | null }
  | { type: "sample" }
  | { type: "stop" };
export type PagesReport =
  | { type: "ready"; joined: number; failures: string[] }
  | {
      type: "sample";
      framesDecoded: number;
      /** Video tracks that decoded a new frame since the last sample, summed over the pages (what last-N limits). */
      videosDecoding: number;
      /** CPU seconds used so far by this process and its Chromium processes (the pages' encoding, decoding, scripts). */
      browserCpuSeconds: number;
      pagesJoined: number;
      chats: number;
      muteToggles: number;
      camerasBackOn: number;
      statuses: Record<string, number>;
      failures: string[];
    }
  | { type: "done" };

/** Keeps the page's RTCPeerConnections for inbound-rtp stats (a string: see test/bench/scenarios/joinFirstFrame.ts). */
const RECORD_PEER_CONNECTIONS = `(() => {
  const Native = window.RTCPeerConnection;
  window.__peerConnections = [];
  window.RTCPeerConnection = class extends Native {
    constructor(config) { super(config); window.__peerConnections.push(this); }
  };
})();`;

const FRAMES_DECODED = `(async () => {
  let frames = 0;
  for (const pc of window.__peerConnections || []) {
    if (pc.connectionState === "closed") continue;
    (await pc.getStats()).forEach((stat) => { if (stat.type === "inbound-rtp" && stat.kind === "video") frames += stat.framesDecoded || 0; });
  }
  return frames;
})()`;

/** Decoded frames per received video track (the probator left out), to count the tracks that are decoding. */
const FRAMES_BY_TRACK = `(async () => {
  const frames = {};
  for (const pc of window.__peerConnections || []) {
    if (pc.connectionState === "closed") continue;
    (await pc.getStats()).forEach((stat) => {
      if (stat.type === "inbound-rtp" && stat.kind === "video" && stat.trackIdentifier && stat.trackIdentifier !== "probator") frames[stat.trackIdentifier] = stat.framesDecoded || 0;
    });
  }
  return frames;
})()`;

/** CPU seconds (user + system) of this process and every process below it: the pages' Chromium. */
function treeCpuSeconds(): number {
  const parents = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command (which may hold spaces), from field 3: state, ppid, … utime (14), stime (15).
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parents.set(Number(entry), Number(fields[1]));
      ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
    } catch {
      // The process ended while the list was read.
    }
  }
  const inTree = (pid: number): boolean => {
    for (let current = pid, hops = 0; current > 1 && hops < 64; current = parents.get(current) ?? 0, hops++) if (current === process.pid) return true;
    return false;
  };
  let total = 0;
  for (const [pid, used] of ticks) if (inTree(pid)) total += used;
  // Linux reports in clock ticks of 1/100 s (USER_HZ) on every architecture Node runs on.
  return total / 100;
}
const lastFrames = new Map<Page, Record<string, number>>();

let browser: Browser | undefined;
const pages: Page[] = [];
const failures: string[] = [];
let chats = 0;
let muteToggles = 0;
let camerasBackOn = 0;
let stopping = false;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function joinedPage(url: string, roomId: string, username: string, lastN: number | null): Promise<Page> {
  const context = await browser!.newContext({ baseURL: url, permissions: ["camera", "microphone"], locale: "vi-VN", viewport: { width: 960, height: 540 } });
  const page = await context.newPage();
  try {
    await page.addInitScript({ content: RECORD_PEER_CONNECTIONS });
    // `--last-n`: the pages' "Videos received" choice, as a user sets it in the room's controls.
    if (lastN !== null) await page.addInitScript({ content: `localStorage.setItem("cau-noi.lastN", "${lastN}");` });
    await signInAndJoin(page, `/?room=${roomId}`, username);
    return page;
  } catch (error) {
    // A half-joined page would stay in the room as a ghost site; the retry starts from a clean context.
    await context.close().catch(() => undefined);
    throw error;
  }
}

async function activity(chair: Page): Promise<void> {
  let lastMuteToggle = Date.now();
  while (!stopping) {
    await sleep(15_000 + Math.random() * 15_000);
    if (stopping) break;
    try {
      const page = pages[Math.floor(Math.random() * pages.length)]!;
      await page.getByTestId("chat-input").fill(`Tin nhắn thử tải lúc ${new Date().toISOString().slice(11, 19)}`);
      await page.getByTestId("chat-send").click();
      chats++;
      for (const site of pages) {
        const camera = site.getByTestId("toggle-camera");
        if ((await camera.getAttribute("aria-pressed", { timeout: 5_000 })) === "true" && (await camera.isEnabled())) {
          await camera.click({ timeout: 5_000 });
          camerasBackOn++;
        }
      }
      if (Date.now() - lastMuteToggle > 60_000) {
        await chair.getByTestId("mute-all").click();
        muteToggles++;
        lastMuteToggle = Date.now();
      }
    } catch (error) {
      if (failures.length < 20) failures.push(`activity: ${(error as Error).message.split("\n")[0]}`);
    }
  }
}

let activityDone: Promise<void> | undefined;

/**
 * `SOAK_PAGE_CPU=1`: where each page's main thread spends its time between samples (Chromium's own
 * Performance.getMetrics counters), to tell a heavy client from a starved machine.
 */
const lastMetrics = new Map<Page, Record<string, number>>();
const cdpSessions = new Map<Page, CDPSession>();
async function printPageCpu(): Promise<void> {
  const keys = ["TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration", "Timestamp"];
  const rows: string[] = [];
  for (const [index, page] of pages.entries()) {
    // One session per page: Performance.enable starts the counters afresh for the session that sends it.
    let session = cdpSessions.get(page);
    if (!session) {
      session = await page.context().newCDPSession(page);
      await session.send("Performance.enable");
      cdpSessions.set(page, session);
    }
    const { metrics } = await session.send("Performance.getMetrics");
    const now = Object.fromEntries(metrics.filter((m) => keys.includes(m.name)).map((m) => [m.name, m.value]));
    const before = lastMetrics.get(page);
    lastMetrics.set(page, now);
    if (!before) continue;
    const wall = now.Timestamp! - before.Timestamp!;
    const share = (key: string) => `${(((now[key]! - before[key]!) / wall) * 100).toFixed(1)}%`;
    rows.push(`page ${index}: task ${share("TaskDuration")} script ${share("ScriptDuration")} layout ${share("LayoutDuration")} style ${share("RecalcStyleDuration")}`);
  }
  if (rows.length) console.error(`[page cpu] ${rows.join(" | ")}`);
  if (rows.length && !profiled && pages[1]) {
    profiled = true;
    console.error(`[page cpu] page 1, 10 s profile, self time: ${await topSelfTime(pages[1])}`);
  }
}
let profiled = false;

/** The functions a page's main thread spent its own time in over 10 s, most first. */
async function topSelfTime(page: Page): Promise<string> {
  const session = await page.context().newCDPSession(page);
  await session.send("Profiler.enable");
  await session.send("Profiler.start");
  await sleep(10_000);
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
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([key, ms]) => `${key} ${ms.toFixed(0)} ms`).join("; ");
}

/**
 * Chromium plays a y4m file as the fake camera, in a loop, at the file's own size and rate. Ten seconds of
 * a moving test pattern with a clock, so every frame differs and the encoder does real work.
 */
function cameraArgs(camera: SoakCamera): string[] {
  if (!camera) return [];
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "cau-noi-soak-camera-")), "camera.y4m");
  execFileSync("ffmpeg", ["-loglevel", "error", "-f", "lavfi", "-i", `testsrc2=size=${camera.width}x${camera.height}:rate=${camera.fps}:duration=10`, "-pix_fmt", "yuv420p", file]);
  return [`--use-file-for-fake-video-capture=${file}`];
}

process.on("message", (message: PagesCommand) => {
  void (async () => {
    if (message.type === "start") {
      browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...cameraArgs(message.camera)] });
      // One at a time: eleven pages negotiating at once would measure the 2-core machine, not the server.
      // A page that could not even sign in within its timeouts (the browser starved on a busy 2-core box) is
      // loaded again, as a user presses reload; only a page that fails three times counts as not joined.
      for (const username of [message.chair, ...message.sites]) {
        for (let attempt = 1; attempt <= 3; attempt++) {
          try {
            pages.push(await joinedPage(message.url, message.roomId, username, message.lastN));
            break;
          } catch (error) {
            failures.push(`${username} (attempt ${attempt}): ${(error as Error).message.split("\n")[0]}`);
          }
        }
      }
      process.send?.({ type: "ready", joined: pages.length, failures } satisfies PagesReport);
      if (pages[0]) activityDone = activity(pages[0]);
    } else if (message.type === "sample") {
      if (process.env.SOAK_PAGE_CPU === "1") await printPageCpu();
      let framesDecoded = 0;
      let videosDecoding = 0;
      // Where each page is (joined, reconnecting, …, or unreadable): a stall is explained by these.
      const statuses: Record<string, number> = {};
      for (const page of pages) {
        framesDecoded += await (page.evaluate(FRAMES_DECODED) as Promise<number>).catch(() => 0);
        const frames = await (page.evaluate(FRAMES_BY_TRACK) as Promise<Record<string, number>>).catch(() => ({}) as Record<string, number>);
        const before = lastFrames.get(page) ?? {};
        videosDecoding += Object.entries(frames).filter(([track, count]) => count > (before[track] ?? 0)).length;
        lastFrames.set(page, frames);
        const status = (await page.getByTestId("room-status").getAttribute("data-status", { timeout: 5_000 }).catch(() => null)) ?? "unknown";
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
      process.send?.({ type: "sample", framesDecoded, videosDecoding, browserCpuSeconds: treeCpuSeconds(), pagesJoined: pages.length, chats, muteToggles, camerasBackOn, statuses, failures } satisfies PagesReport);
    } else {
      stopping = true;
      await activityDone;
      for (const page of pages) await page.getByTestId("leave-button").click({ timeout: 10_000 }).catch(() => undefined);
      await browser?.close();
      process.send?.({ type: "done" } satisfies PagesReport, () => process.exit(0));
    }
  })();
});
