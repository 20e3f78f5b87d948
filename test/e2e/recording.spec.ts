import { expect, test } from "@playwright/test";
import { composedRecording, expectFileCoversStoredSpan, noteStartGap, tokenOf } from "./recording-file";
import { joinRoom, signedInPage } from "./session";

test("the chair records ~5 s of a briefing; one MP4 with video and audio is composed, its SHA-256 stored", async ({ browser, request }) => {
  const room = "giao-ban-ghi-hinh";
  const chair = await signedInPage(browser, "lanhdao", undefined, `/?room=${room}`);
  await joinRoom(chair, room);
  const site = await signedInPage(browser, "diemcau-kinhbac", undefined, `/?room=${room}`);
  await joinRoom(site, room);
  await expect(chair.locator('[data-testid="remote-tile"] video')).toBeVisible();

  // Sites cannot record; everyone is told when the chair does.
  await expect(site.getByTestId("record")).toHaveCount(0);
  const clicked = Date.now();
  await chair.getByTestId("record").click();
  await expect(site.getByTestId("recording-badge")).toBeVisible();
  await expect(chair.getByTestId("recording-badge")).toBeVisible();
  noteStartGap(Date.now() - clicked);
  // ~5 s of briefing; the file is checked against the instants the server stored, not this wait.
  await chair.waitForTimeout(5_000);
  await chair.getByTestId("record").click();
  await expect(site.getByTestId("recording-badge")).toHaveCount(0);
  await expect(chair.getByTestId("recording-job")).toHaveAttribute("data-status", /composing|ready/);
  await chair.screenshot({ path: test.info().outputPath("after-recording.png") });
  await chair.getByTestId("end-meeting").click();
  await chair.getByTestId("confirm-ok").click();

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

  const { recording } = await composedRecording(request, await tokenOf(request, "lanhdao"), room);
  expect(recording.sha256).toBe(sha256);
  expectFileCoversStoredSpan(file, recording);
  for (const page of [chair, site]) await page.context().close();
});
