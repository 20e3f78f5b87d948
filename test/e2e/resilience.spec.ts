import fs from "node:fs";
import { type Page, expect, test } from "@playwright/test";
import { inboundMedia } from "./media-stats";
import { joinRoom, signedInPage } from "./session";

/** The e2e server's mediasoup workers: children of the process whose environment has our PORT. */
function serverWorkerPids(): number[] {
  const port = `PORT=${process.env.E2E_PORT ?? 3917}`;
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, "utf8").trim() !== "mediasoup-worke") continue; // comm is cut to 15 characters
      const parent = fs.readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]?.split(" ")[1];
      const environment = fs.readFileSync(`/proc/${parent}/environ`, "utf8").split("\0");
      if (environment.includes(port)) pids.push(Number(entry));
    } catch {
      // A process that ended while we looked.
    }
  }
  return pids;
}

async function expectVideoFlowing(page: Page): Promise<void> {
  await expect.poll(async () => (await inboundMedia(page)).framesDecoded, { message: "a decoded frame" }).toBeGreaterThan(0);
  const before = (await inboundMedia(page)).framesDecoded;
  await page.waitForTimeout(1_500);
  expect((await inboundMedia(page)).framesDecoded).toBeGreaterThan(before);
}

test("when the media worker dies, the server restarts it and both sites come back with media, without a reload", async ({ browser }) => {
  const room = "giao-ban-khoi-dong-lai";
  const chair = await signedInPage(browser, "lanhdao", undefined, `/?room=${room}`);
  await joinRoom(chair, room);
  const site = await signedInPage(browser, "diemcau-kinhbac", undefined, `/?room=${room}`);
  await joinRoom(site, room);
  await expectVideoFlowing(site);

  const workers = serverWorkerPids();
  expect(workers.length, "the e2e server runs one worker").toBe(1);
  process.kill(workers[0]!, "SIGKILL");

  for (const page of [chair, site]) {
    await expect(page.getByTestId("notice")).toContainText("khởi động lại");
    await expect(page.getByTestId("room-status")).toHaveAttribute("data-status", "joined");
    await expect(page.locator('[data-testid="remote-tile"]')).toHaveCount(1);
  }
  // New transports on the new worker: frames decode again on both sides.
  await expectVideoFlowing(site);
  await expectVideoFlowing(chair);
  expect(serverWorkerPids()).not.toContain(workers[0]);
  for (const page of [chair, site]) await page.context().close();
});
