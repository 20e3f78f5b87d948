import { expect, test } from "@playwright/test";
import { joinRoom, signedInPage, signIn } from "./session";

test("an admin adds a commune and its site account; the site signs in and joins the briefing", async ({ browser }) => {
  const admin = await signedInPage(browser, "admin");

  // Units: a new commune under the province.
  await admin.getByTestId("nav-units").click();
  await admin.getByTestId("unit-add-BN").click();
  await admin.getByTestId("unit-form-name").fill("UBND xã Đông Tiến");
  await admin.getByTestId("unit-form-code").fill("BN-DONGTIEN");
  await admin.getByTestId("unit-form-kind").selectOption("commune");
  await admin.getByTestId("unit-form-submit").click();
  await expect(admin.locator('[data-testid="unit-row"][data-code="BN-DONGTIEN"]')).toContainText("UBND xã Đông Tiến");
  await admin.screenshot({ path: test.info().outputPath("units.png") });

  // Accounts: a meeting-site account for it.
  await admin.getByTestId("nav-users").click();
  await admin.getByTestId("user-create-open").click();
  await admin.getByTestId("user-form-username").fill("diemcau-dongtien");
  await admin.getByTestId("user-form-displayname").fill("Điểm cầu xã Đông Tiến");
  await admin.getByTestId("user-form-unit").selectOption({ label: "— UBND xã Đông Tiến" });
  await admin.getByTestId("user-form-password").fill("mat-khau-dong-tien-2026");
  await admin.getByTestId("user-form-submit").click();
  await expect(admin.getByTestId("users-message")).toContainText("diemcau-dongtien");
  await expect(admin.locator('[data-testid="user-row"][data-username="diemcau-dongtien"]')).toContainText("UBND xã Đông Tiến");
  await admin.screenshot({ path: test.info().outputPath("users.png") });

  // The province leader is already in the room and sees the new commune arrive under its unit's name.
  const chair = await signedInPage(browser, "lanhdao");
  await joinRoom(chair, "giao-ban-dong-tien");
  const site = await browser.newPage();
  await site.goto("/");
  await signIn(site, "diemcau-dongtien", "mat-khau-dong-tien-2026");
  await expect(site.getByTestId("nav-units")).toHaveCount(0);
  await joinRoom(site, "giao-ban-dong-tien");
  await expect(chair.locator('[data-testid="remote-tile"][data-display-name="UBND xã Đông Tiến"]')).toBeVisible();

  // Signing out leaves the room.
  await site.getByTestId("logout-button").click();
  await expect(site.getByTestId("login-form")).toBeVisible();
  await expect(chair.locator('[data-testid="remote-tile"][data-display-name="UBND xã Đông Tiến"]')).toHaveCount(0);
  for (const page of [admin, chair, site]) await page.context().close();
});
