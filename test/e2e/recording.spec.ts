import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { joinRoom, signedInPage } from "./session";

interface Probe {
  streams: { codec_type: string }[];
  format: { duration: string };
}

test("the chair records ~5 s of a briefing; one MP4 with video and audio is composed, its SHA-256 stored", async ({ browser }) => {
  const room = "giao-ban-ghi-hinh";
  const chair = await signedInPage(browser, "lanhdao", undefined, `/?room=${room}`);
  await joinRoom(chair, room);
  const site = await signedInPage(browser, "diemcau-kinhbac", undefined, `/?room=${room}`);
  await joinRoom(site, room);
  await expect(chair.locator('[data-testid="remote-tile"] video')).toBeVisible();

  // Sites cannot record; everyone is told when the chair does.
  await expect(site.getByTestId("record")).toHaveCount(0);
  await chair.getByTestId("record").click();
  await expect(site.getByTestId("recording-badge")).toBeVisible();
  await expect(chair.getByTestId("recording-badge")).toBeVisible();
  const started = Date.now();
  await chair.waitForTimeout(5_000);
  await chair.getByTestId("record").click();
  const recordedSeconds = (Date.now() - started) / 1000;
  await expect(site.getByTestId("recording-badge")).toHaveCount(0);
  await expect(chair.getByTestId("recording-job")).toHaveAttribute("data-status", /composing|ready/);
  await chair.screenshot({ path: test.info().outputPath("after-recording.png") });
  await chair.getByTestId("end-meeting").click();

  // The meeting page shows the recording once composed, and downloads the one file.
  await chair.getByTestId("nav-meetings").click();
  await chair.locator(`[data-testid="meeting-row"][data-room="${room}"] a`).click();
  // Attendance rates each site's link from the server's stream scores.
  for (const name of ["Chủ tịch UBND tỉnh", "UBND phường Kinh Bắc"]) {
    await expect(chair.getByTestId("attendance-row").filter({ hasText: name })).toHaveAttribute("data-quality", /good|fair/);
  }
  const row = chair.getByTestId("recording-row");
  await expect(row).toHaveAttribute("data-status", "ready", { timeout: 60_000 });
  const sha256 = await row.getAttribute("data-sha256");
  // Both sites recorded to the end: nothing partial.
  await expect(row.getByText("gián đoạn")).toHaveCount(0);
  await chair.screenshot({ path: test.info().outputPath("meeting-recordings.png"), fullPage: true });
  const downloading = chair.waitForEvent("download");
  await row.getByTestId("recording-download").click();
  const file = test.info().outputPath("recording.mp4");
  await (await downloading).saveAs(file);

  const probe = JSON.parse(execFileSync("ffprobe", ["-v", "error", "-show_streams", "-show_format", "-of", "json", file], { encoding: "utf8" })) as Probe;
  expect(probe.streams.map((stream) => stream.codec_type).sort()).toEqual(["audio", "video"]);
  expect(Math.abs(Number(probe.format.duration) - recordedSeconds)).toBeLessThanOrEqual(1);
  expect(createHash("sha256").update(fs.readFileSync(file)).digest("hex")).toBe(sha256);
  for (const page of [chair, site]) await page.context().close();
});
