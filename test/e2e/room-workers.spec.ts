import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Page, expect, test } from "@playwright/test";
import { openPage, startOwnServer } from "./ownServer";
import { joinRoom } from "./session";

const METRICS_TOKEN = "e2e-metrics-token-0123456789abcdef";

/** framesDecoded of each inbound video stream of the page, by track. */
function decodedPerStream(page: Page): Promise<number[]> {
  return page.evaluate(async () => {
    const frames: number[] = [];
    for (const pc of window.__peerConnections ?? []) {
      if (pc.connectionState === "closed") continue;
      (await pc.getStats()).forEach((stat: { type: string; kind?: string; framesDecoded?: number }) => {
        if (stat.type === "inbound-rtp" && stat.kind === "video") frames.push(stat.framesDecoded ?? 0);
      });
    }
    return frames;
  });
}

/** Every one of `streams` inbound videos decodes new frames between two looks. */
async function everyStreamRising(page: Page, streams: number, message: string): Promise<void> {
  let last: number[] = [];
  await expect
    .poll(
      async () => {
        const now = (await decodedPerStream(page)).sort((a, b) => a - b);
        const rising = now.length >= streams && last.length === now.length && now.filter((value, index) => value > (last[index] ?? 0)).length >= streams;
        last = now;
        return rising;
      },
      { message, timeout: 60_000, intervals: [1_000] },
    )
    .toBe(true);
}

async function consumersPerWorker(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(/^cau_noi_consumers\{worker="(\d+)"\} (\d+)/gm)) counts[match[1]!] = Number(match[2]);
  return counts;
}

/**
 * One briefing over two mediasoup workers (issue 17 item 1): with MEDIASOUP_SPREAD_AFTER_CONSUMERS=0 the
 * third site's receiving transport goes to the idle worker, so the chair's and the second site's video reach
 * it through pipes between the workers, while its own video is consumed on the home worker.
 */
test("three sites of one room on two workers see each other through the pipe between the workers", async ({ browser }) => {
  test.setTimeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-room-workers-"));
  const server = await startOwnServer(dir, { MEDIASOUP_WORKERS: "2", MEDIASOUP_SPREAD_AFTER_CONSUMERS: "0", METRICS_TOKEN });
  try {
    const room = "giao-ban-hai-nhan";
    const chair = await openPage(browser, server.url, "lanhdao", `/?room=${room}`);
    await joinRoom(chair, room);
    const first = await openPage(browser, server.url, "diemcau-kinhbac", `/?room=${room}`);
    await joinRoom(first, room);
    await everyStreamRising(first, 1, "the first site decodes the chair (same worker)");
    await everyStreamRising(chair, 1, "the chair decodes the first site");
    const homeOnly = await consumersPerWorker(server.url);
    expect(homeOnly["1"] ?? 0, `both on the home worker: ${JSON.stringify(homeOnly)}`).toBe(0);

    const second = await openPage(browser, server.url, "diemcau-mythai", `/?room=${room}`);
    await joinRoom(second, room);
    await everyStreamRising(second, 2, "the site on the other worker decodes the chair and the first site, piped");
    await everyStreamRising(chair, 2, "the chair decodes both sites");
    await everyStreamRising(first, 2, "the first site decodes the chair and the second site");
    const spread = await consumersPerWorker(server.url);
    expect(spread["1"] ?? 0, `the second site receives on worker 1: ${JSON.stringify(spread)}`).toBeGreaterThanOrEqual(4);
    for (const page of [chair, first, second]) await page.context().close();
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
