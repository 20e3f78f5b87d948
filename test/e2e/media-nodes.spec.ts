import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Page, expect, test } from "@playwright/test";
import { TEST_MEDIA_NODE_SECRET, startTestMediaNode } from "../helpers/mediaNode";
import { startTestRedis } from "../helpers/redis";
import { expectFramesRising } from "./media-stats";
import { openPage, startOwnServer } from "./ownServer";
import { joinRoom } from "./session";

const HOST_A = "127.0.0.2";
const HOST_B = "127.0.0.3";

/** The server addresses the page's live connections actually use (the selected pairs' remote candidates). */
function connectedServerAddresses(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const addresses: string[] = [];
    for (const pc of window.__peerConnections ?? []) {
      if (pc.connectionState !== "connected") continue;
      const stats = await pc.getStats();
      const remote = new Map<string, string>();
      stats.forEach((stat: { type: string; id: string; address?: string }) => {
        if (stat.type === "remote-candidate" && stat.address) remote.set(stat.id, stat.address);
      });
      stats.forEach((stat: { type: string; state?: string; nominated?: boolean; remoteCandidateId?: string }) => {
        if (stat.type === "candidate-pair" && stat.state === "succeeded" && stat.nominated && stat.remoteCandidateId) addresses.push(remote.get(stat.remoteCandidateId) ?? "?");
      });
    }
    return [...new Set(addresses)].sort();
  });
}

/**
 * A room over two hosts (issue 17 item 2), two loopback addresses standing for them: the signaling server
 * and its workers on 127.0.0.2 (host A: where sites send), a media node process on 127.0.0.3 (host B).
 * MEDIASOUP_REMOTE_FIRST puts every receiving transport on node B, so each page sends to A and decodes the
 * other's camera through the SRTP pipe A → B.
 */
test("a site receiving through media node B decodes the chair's video sent to host A", async ({ browser }) => {
  test.setTimeout(240_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-media-nodes-"));
  const redis = await startTestRedis(dir);
  const node = await startTestMediaNode({ id: "node-b", redisUrl: redis.url, listenIp: HOST_B, ports: { min: 45_600, max: 45_699 } });
  const server = await startOwnServer(path.join(dir, "server"), {
    MEDIASOUP_LISTEN_IP: HOST_A,
    MEDIASOUP_MIN_PORT: "45700",
    MEDIASOUP_MAX_PORT: "45799",
    REDIS_URL: redis.url,
    MEDIA_NODE_SECRET: TEST_MEDIA_NODE_SECRET,
    MEDIA_NODE_HEARTBEAT_MS: "300",
    MEDIASOUP_REMOTE_FIRST: "1",
  });
  try {
    const room = "giao-ban-hai-may-chu";
    const chair = await openPage(browser, server.url, "lanhdao", `/?room=${room}`);
    await joinRoom(chair, room);
    const site = await openPage(browser, server.url, "diemcau-kinhbac", `/?room=${room}`);
    await joinRoom(site, room);
    await expectFramesRising(site, "the site decodes the chair's video through node B");
    await expectFramesRising(chair, "the chair decodes the site's video through node B");
    // Each page sends to host A and receives from host B.
    await expect.poll(() => connectedServerAddresses(site), { timeout: 20_000 }).toEqual([HOST_A, HOST_B]);
    await expect.poll(() => connectedServerAddresses(chair), { timeout: 20_000 }).toEqual([HOST_A, HOST_B]);
    for (const page of [chair, site]) await page.context().close();
  } finally {
    await server.stop();
    await node.stop();
    await redis.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
