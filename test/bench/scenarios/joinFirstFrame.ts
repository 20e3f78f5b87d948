import fs from "node:fs";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../e2e/chromium";
import path from "node:path";
import { type Browser, chromium, type Page } from "@playwright/test";
import { repoRoot } from "../../../signaling/paths";
import { buildUnit, buildUser, TEST_PASSWORD } from "../../helpers/factories";
import { startTestServer } from "../../helpers/server";
import { round, type Summary, summarize } from "../lib/util";

export interface JoinFirstFrameOptions {
  iterations: number;
  chromiumPath?: string;
  /** Page size; it decides the remote tile's width and so the simulcast layer the client asks for. Default 1280×720. */
  viewport?: { width: number; height: number };
}

export interface JoinFirstFrameResult {
  iterations: number;
  /** Press of the join button → first decoded remote video frame (in-page clock), ms. */
  joinToFirstFrameMs: Summary;
  /** The same without the first join (cold caches, first ICE/DTLS of the page). */
  warmJoinToFirstFrameMs: Summary;
  /** Median ms after the press at which each step was reached (receive PC created, connected, first packet, first frame). */
  phasesP50Ms: Omit<JoinTiming, "pliCount" | "layerRequests" | "publisherPlis" | "publisherKeyFrames">;
  /** Joins that took 300 ms or more. */
  slowJoins: number;
  /** Every join, in order. */
  joins: JoinTiming[];
  timeouts: number;
  viewport: { width: number; height: number };
  chromium: string;
  notes: string[];
}


const ROOM = "bench-join";

/**
 * Keeps the page's RTCPeerConnections (as test/e2e/media-stats.ts does), given as a string: tsx
 * compiles functions with esbuild's name-keeping helpers, which do not exist inside the page.
 */
const RECORD_PEER_CONNECTIONS = `(() => {
  const Native = window.RTCPeerConnection;
  window.__peerConnections = [];
  window.RTCPeerConnection = class extends Native {
    constructor(config) {
      super(config);
      this.__createdAt = performance.now();
      this.addEventListener("connectionstatechange", () => {
        if (this.connectionState === "connected" && !this.__connectedAt) this.__connectedAt = performance.now();
      });
      window.__peerConnections.push(this);
    }
  };
  // Counts the client's requests for another simulcast layer (socket.io frames on the WebSocket).
  window.__layerRequests = 0;
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (typeof data === "string" && data.includes("setConsumerPreferredLayers")) window.__layerRequests++;
    return send.call(this, data);
  };
})();`;

declare global {
  interface Window {
    __peerConnections?: RTCPeerConnection[];
    __layerRequests?: number;
  }
}

async function signedInPage(browser: Browser, baseURL: string, username: string, viewport = { width: 1280, height: 720 }): Promise<Page> {
  const context = await browser.newContext({ baseURL, permissions: ["camera", "microphone"], locale: "vi-VN", viewport });
  const page = await context.newPage();
  await page.addInitScript({ content: RECORD_PEER_CONNECTIONS });
  await page.goto(`/?room=${ROOM}`);
  await page.getByTestId("login-username").fill(username);
  await page.getByTestId("login-password").fill(TEST_PASSWORD);
  await page.getByTestId("login-submit").click();
  // Attached, not visible: narrow layouts fold the user box into a menu.
  await page.getByTestId("user-box").waitFor({ state: "attached", timeout: 30_000 });
  return page;
}

/** Waits until the pre-join screen has its media and the join button is enabled. */
async function readyToJoin(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const button = document.querySelector<HTMLButtonElement>('[data-testid="join-button"]');
    return button !== null && !button.disabled;
  }, undefined, { timeout: 30_000 });
}

interface JoinTiming {
  /** ms after the press: the receive PeerConnection exists (join acked, transport created) … */
  pcCreated: number;
  /** … ICE + DTLS connected … */
  connected: number;
  /** … the first video RTP payload arrived (bytesReceived > 0: mediasoup's padding-only probation packets do not count) … */
  firstPacket: number;
  /** … the first complete frame was received … */
  firstFrameReceived: number;
  /** … and the first frame was decoded. */
  firstFrame: number;
  /** PLIs the page had sent for that stream by then (> 0: it waited for a key frame). */
  pliCount: number;
  /** setConsumerPreferredLayers requests the joining page sent before its first frame (tile size → another layer). */
  layerRequests: number;
  /** At the publisher, during this join: PLIs its camera received (from mediasoup) and key frames it encoded, all layers. */
  publisherPlis?: number;
  publisherKeyFrames?: number;
}

/**
 * Presses join in the page and polls the page's new RTCPeerConnections every 5 ms until an inbound
 * video stream has a decoded frame; every time on the page's own clock (no Playwright round trip in it).
 * A string, for the reason given at RECORD_PEER_CONNECTIONS.
 */
const TIME_JOIN = `async (limit) => {
  const before = new Set(window.__peerConnections || []);
  const button = document.querySelector('[data-testid="join-button"]');
  if (!button) return null;
  const started = performance.now();
  const layerRequestsBefore = window.__layerRequests || 0;
  let firstPacket = -1;
  let firstFrameReceived = -1;
  button.click();
  while (performance.now() - started < limit) {
    for (const pc of window.__peerConnections || []) {
      if (before.has(pc) || pc.connectionState === "closed") continue;
      const report = await pc.getStats();
      let decoded = null;
      const now = performance.now() - started;
      report.forEach((stat) => {
        if (stat.type !== "inbound-rtp" || stat.kind !== "video") return;
        if ((stat.bytesReceived || 0) > 0 && firstPacket < 0) firstPacket = now;
        if ((stat.framesReceived || 0) > 0 && firstFrameReceived < 0) firstFrameReceived = now;
        if ((stat.framesDecoded || 0) > 0) decoded = stat;
      });
      if (decoded) {
        return {
          pcCreated: pc.__createdAt - started,
          connected: (pc.__connectedAt || performance.now()) - started,
          firstPacket: firstPacket < 0 ? now : firstPacket,
          firstFrameReceived: firstFrameReceived < 0 ? now : firstFrameReceived,
          firstFrame: now,
          pliCount: decoded.pliCount || 0,
          layerRequests: (window.__layerRequests || 0) - layerRequestsBefore,
        };
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return null;
}`;

/** PLIs received and key frames encoded so far by the page's outbound video (all simulcast layers). */
const OUTBOUND_KEY_FRAMES = `(async () => {
  let plis = 0;
  let keyFrames = 0;
  for (const pc of window.__peerConnections || []) {
    if (pc.connectionState === "closed") continue;
    const report = await pc.getStats();
    report.forEach((stat) => {
      if (stat.type !== "outbound-rtp" || stat.kind !== "video") return;
      plis += stat.pliCount || 0;
      keyFrames += stat.keyFramesEncoded || 0;
    });
  }
  return { plis, keyFrames };
})()`;

function outboundKeyFrames(page: Page): Promise<{ plis: number; keyFrames: number }> {
  return page.evaluate(OUTBOUND_KEY_FRAMES) as Promise<{ plis: number; keyFrames: number }>;
}

function timeJoin(page: Page, timeoutMs: number): Promise<JoinTiming | null> {
  return page.evaluate(`(${TIME_JOIN})(${timeoutMs})`) as Promise<JoinTiming | null>;
}

/**
 * Join → first frame: Debian's Chromium against the real server serving the built client. A publisher
 * page stays in the room; a second page joins `iterations` times (leaving in between) and each time
 * the delay from pressing join to its first decoded frame of the publisher's camera is taken.
 */
export async function joinFirstFrameScenario(options: JoinFirstFrameOptions): Promise<JoinFirstFrameResult> {
  const chromiumPath = options.chromiumPath ?? CHROMIUM_PATH;
  const clientDist = path.join(repoRoot, "client", "dist");
  if (!fs.existsSync(path.join(clientDist, "index.html"))) throw new Error(`${clientDist}/index.html is missing: the client is not built`);
  const server = await startTestServer({ CLIENT_DIST: clientDist, MEDIASOUP_WORKERS: "1", MEDIASOUP_ENABLE_TCP: "false" });
  let browser: Browser | undefined;
  try {
    const unit = await buildUnit(server.db, { name: "UBND tỉnh (bench)" });
    await buildUser(server.db, { unit, roles: ["leader"], username: "bench-publisher" });
    await buildUser(server.db, { unit, roles: ["officer"], username: "bench-joiner" });
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
    const publisher = await signedInPage(browser, server.url, "bench-publisher");
    await readyToJoin(publisher);
    await publisher.getByTestId("join-button").click();
    await publisher.getByTestId("local-tile").waitFor({ timeout: 30_000 });

    const joiner = await signedInPage(browser, server.url, "bench-joiner", options.viewport);
    const timings: JoinTiming[] = [];
    let timeouts = 0;
    for (let i = 0; i < options.iterations; i++) {
      await readyToJoin(joiner);
      const before = await outboundKeyFrames(publisher);
      const timing = await timeJoin(joiner, 20_000);
      const after = await outboundKeyFrames(publisher);
      if (timing) timings.push({ ...timing, publisherPlis: after.plis - before.plis, publisherKeyFrames: after.keyFrames - before.keyFrames });
      else timeouts++;
      await joiner.getByTestId("leave-button").click();
      // Leaving goes home (the camera is released with the room page); the room page again, for the next join.
      await joiner.getByTestId("home").waitFor({ timeout: 30_000 });
      await joiner.evaluate(() => {
        window.location.hash = "#/room";
      });
      await joiner.getByTestId("join-button").waitFor({ timeout: 30_000 });
    }
    const r = (summary: Summary): Summary => ({ ...summary, p50: round(summary.p50), p95: round(summary.p95), p99: round(summary.p99), max: round(summary.max), mean: round(summary.mean) });
    const samples = timings.map((timing) => timing.firstFrame);
    const p50 = (key: "pcCreated" | "connected" | "firstPacket" | "firstFrameReceived" | "firstFrame") => round(summarize(timings.map((timing) => timing[key])).p50);
    return {
      iterations: options.iterations,
      joinToFirstFrameMs: r(summarize(samples)),
      warmJoinToFirstFrameMs: r(summarize(samples.length > 1 ? samples.slice(1) : samples)),
      phasesP50Ms: { pcCreated: p50("pcCreated"), connected: p50("connected"), firstPacket: p50("firstPacket"), firstFrameReceived: p50("firstFrameReceived"), firstFrame: p50("firstFrame") },
      joins: timings.map((timing) => ({
        pcCreated: round(timing.pcCreated),
        connected: round(timing.connected),
        firstPacket: round(timing.firstPacket),
        firstFrameReceived: round(timing.firstFrameReceived),
        firstFrame: round(timing.firstFrame),
        pliCount: timing.pliCount,
        layerRequests: timing.layerRequests,
        publisherPlis: timing.publisherPlis ?? 0,
        publisherKeyFrames: timing.publisherKeyFrames ?? 0,
      })),
      slowJoins: timings.filter((timing) => timing.firstFrame >= 300).length,
      timeouts,
      viewport: options.viewport ?? { width: 1280, height: 720 },
      chromium: browser.version(),
      notes: [
        "Real Chromium (fake camera and microphone, flags of test/e2e/playwright.config.ts) against startServer() with client/dist, on loopback: no network delay, so this is the signaling + ICE + DTLS + key frame path alone.",
        "Each join opens a new socket (the client disconnects on leave): connect → getRouterRtpCapabilities → join → recv transport → consume → resume → key frame → decode.",
        "Timed in the page: button.click() to the first inbound-rtp video stat with framesDecoded > 0, polled every 5 ms (so ±5 ms).",
        "Phases: pcCreated = the receive RTCPeerConnection exists (socket connected, capabilities, join and createWebRtcTransport acked); connected = ICE + DTLS done; firstPacket (payload bytes > 0), firstFrameReceived, firstFrame (decoded) and pliCount from its inbound-rtp stats.",
      ],
    };
  } finally {
    await browser?.close();
    await server.close();
  }
}
