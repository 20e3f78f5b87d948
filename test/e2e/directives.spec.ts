import { expect, test } from "@playwright/test";
import { joinRoom, signedInPage } from "./session";

/**
 * Issue 19: the chair gives a directive to two communes during a briefing; one commune's site sees it in the
 * room; later that commune's officer reports it done on "Nhiệm vụ được giao"; the province's matrix shows it.
 */
test("a directive given in the room reaches the commune, is reported done and shows in the province's matrix", async ({ browser }) => {
  // Three signed-in browsers, two of them in a room with media: more than the default 90 s on a loaded machine.
  test.setTimeout(240_000);
  const roomId = "giao-ban-chi-dao-e2e";
  const chair = await signedInPage(browser, "lanhdao", undefined, `/?room=${roomId}`);
  await joinRoom(chair, roomId);
  const site = await signedInPage(browser, "diemcau-yenphong", undefined, `/?room=${roomId}`);
  await joinRoom(site, roomId);

  const text = "Rà soát, báo cáo diện tích lúa bị ảnh hưởng do mưa lớn.";
  const panel = chair.getByTestId("minutes-panel");
  await expect(panel).toBeVisible();
  await chair.getByTestId("conclusion-input").fill("Các xã chủ động phương án phòng chống thiên tai.");
  await chair.getByTestId("conclusion-add").click();
  await expect(chair.getByTestId("conclusion-item")).toHaveCount(1);
  await chair.getByTestId("directive-text").fill(text);
  await chair.getByTestId("directive-units").selectOption([{ label: "UBND xã Yên Phong" }, { label: "UBND phường Kinh Bắc" }]);
  await chair.getByTestId("directive-due-kind").selectOption("working");
  await chair.getByTestId("directive-due-days").fill("5");
  await chair.getByTestId("directive-report").fill("Báo cáo bằng văn bản về Văn phòng UBND tỉnh");
  await chair.getByTestId("directive-add").click();
  await expect(panel.getByTestId("directive-item")).toHaveCount(1);
  await expect(panel.getByTestId("directive-unit")).toHaveCount(2);

  // The commune's site sees the directive addressed to it, and only its own unit in it.
  const forSite = site.getByTestId("room-directives");
  await expect(forSite).toBeVisible();
  await expect(forSite.getByTestId("directive-item")).toContainText(text);
  await expect(forSite.getByTestId("directive-unit")).toHaveCount(1);
  await expect(forSite.getByTestId("directive-unit")).toContainText("UBND xã Yên Phong");
  await chair.screenshot({ path: test.info().outputPath("chair-minutes.png") });

  // The briefing ends for these two; later the commune's officer reports the directive done.
  await site.context().close();
  await chair.getByTestId("leave-button").click();
  const officer = await signedInPage(browser, "canbo-yenphong");
  await officer.getByTestId("nav-tasks").click();
  const row = officer.getByTestId("task-row").filter({ hasText: text });
  await expect(row).toHaveCount(1);
  await row.getByRole("button", { name: text }).click();
  await officer.getByTestId("task-report-text").fill("Đã rà soát xong: 12 ha bị ảnh hưởng, đã có phương án khắc phục.");
  await officer.getByTestId("task-report-done").click();
  await expect(officer.getByTestId("task-report")).toHaveCount(1);
  await expect(officer.getByTestId("task-report-done")).toHaveCount(0);

  // The province's matrix: Yên Phong done, Kinh Bắc still open.
  await chair.getByTestId("nav-tasks").click();
  await chair.getByTestId("matrix-link").click();
  await expect(chair.getByTestId("matrix")).toBeVisible();
  await expect(chair.locator('[data-testid="matrix-row"][data-unit="UBND xã Yên Phong"] [data-testid="matrix-cell"]')).toHaveAttribute("data-standing", "done");
  await expect(chair.locator('[data-testid="matrix-row"][data-unit="UBND phường Kinh Bắc"] [data-testid="matrix-cell"]')).toHaveAttribute("data-standing", "open");
  await chair.screenshot({ path: test.info().outputPath("matrix.png") });
  for (const page of [chair, officer]) await page.context().close();
});
