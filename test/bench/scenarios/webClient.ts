import fs from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";
import { repoRoot } from "../../../signaling/paths";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../e2e/chromium";
import { startTestServer } from "../../helpers/server";
import { round } from "../lib/util";

/**
 * What a citizen's phone and a commune PC download and wait for (issue 15 item 6): each page is opened in a
 * fresh Chromium context (empty cache) on a throttled 3G profile with a 4× slower CPU, and the bench
 * records the JavaScript bytes on the wire (after compression), all bytes on the wire, and when the page's
 * first form control could be used.
 */
export interface WebClientOptions {
  /** Network: Chrome DevTools' "Fast 3G" (1.6 Mbps down, 750 kbps up, 150 ms added latency) by default. */
  downloadKbps?: number;
  uploadKbps?: number;
  latencyMs?: number;
  cpuSlowdown?: number;
}

export interface WebClientPage {
  path: string;
  audience: "public" | "staff";
  jsWireKB: number;
  totalWireKB: number;
  scripts: number;
  /** Navigation start → the page's first input or button is in the DOM and enabled, ms. */
  interactiveMs: number;
}

export interface WebClientResult {
  profile: Required<WebClientOptions>;
  pages: WebClientPage[];
  /** The largest JavaScript download among the public pages, kB on the wire. */
  publicJsWireKBMax: number;
  publicInteractiveMsMax: number;
  notes: string[];
}

const PAGES: { path: string; audience: "public" | "staff" }[] = [
  { path: "/tra-cuu", audience: "public" },
  { path: "/gui-don", audience: "public" },
  { path: "/lich-tiep-dan", audience: "public" },
  { path: "/tiep-dan/vao", audience: "public" },
  { path: "/", audience: "staff" },
];

export async function webClientScenario(options: WebClientOptions = {}): Promise<WebClientResult> {
  const profile = { downloadKbps: options.downloadKbps ?? 1600, uploadKbps: options.uploadKbps ?? 750, latencyMs: options.latencyMs ?? 150, cpuSlowdown: options.cpuSlowdown ?? 4 };
  const clientDist = path.join(repoRoot, "client", "dist");
  if (!fs.existsSync(path.join(clientDist, "index.html"))) throw new Error("client not built: run `npm run build` (or `npm run demo` once)");
  const server = await startTestServer({ CLIENT_DIST: clientDist });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const pages: WebClientPage[] = [];
  try {
    for (const { path: pagePath, audience } of PAGES) {
      const context = await browser.newContext({ viewport: audience === "public" ? { width: 390, height: 844 } : { width: 1366, height: 768 } });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", {
        offline: false,
        latency: profile.latencyMs,
        downloadThroughput: (profile.downloadKbps * 1000) / 8,
        uploadThroughput: (profile.uploadKbps * 1000) / 8,
      });
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: profile.cpuSlowdown });
      const types = new Map<string, string>();
      let jsBytes = 0;
      let totalBytes = 0;
      let scripts = 0;
      cdp.on("Network.responseReceived", (event) => types.set(event.requestId, event.type));
      cdp.on("Network.loadingFinished", (event) => {
        totalBytes += event.encodedDataLength;
        if (types.get(event.requestId) === "Script") {
          jsBytes += event.encodedDataLength;
          scripts++;
        }
      });
      await page.goto(`${server.url}${pagePath}`, { waitUntil: "load", timeout: 120_000 });
      await page.waitForSelector("input:not([disabled]), button:not([disabled])", { timeout: 120_000 });
      const interactiveMs = await page.evaluate(() => performance.now());
      // Late chunks (a lazily loaded page) count too: wait until the network has been quiet.
      await page.waitForLoadState("networkidle", { timeout: 120_000 });
      pages.push({ path: pagePath, audience, jsWireKB: round(jsBytes / 1024), totalWireKB: round(totalBytes / 1024), scripts, interactiveMs: round(interactiveMs) });
      console.log(`  ${pagePath.padEnd(16)} ${audience}: JS ${round(jsBytes / 1024)} kB on the wire (${scripts} scripts), all ${round(totalBytes / 1024)} kB, interactive at ${round(interactiveMs)} ms`);
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const publicPages = pages.filter((p) => p.audience === "public");
  return {
    profile,
    pages,
    publicJsWireKBMax: Math.max(...publicPages.map((p) => p.jsWireKB)),
    publicInteractiveMsMax: Math.max(...publicPages.map((p) => p.interactiveMs)),
    notes: [
      "interactive = navigation start → first enabled input or button in the DOM, measured by the page's own clock under CPU throttling; an approximation of time to interactive, not Lighthouse's TTI",
      "the server sends the build's brotli copies (signaling/http/app.ts); the figure is what crossed the wire",
    ],
  };
}
