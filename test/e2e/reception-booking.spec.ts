import { expect, test } from "@playwright/test";
import { seriousViolations } from "./axe";
import { signedInPage } from "./session";

test("a citizen books an online reception slot on a phone; the commune officer sees the booking", async ({ browser }) => {
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const citizen = await phone.newPage();
  await citizen.goto("/lich-tiep-dan");
  await citizen.locator('[data-testid="booking-unit"][data-unit-name="UBND xã Yên Phong"]').click();
  await citizen.locator('[data-testid="booking-slot"][data-mode="online"]:not([disabled])').first().click();
  await expect(citizen.getByTestId("booking-form")).toBeVisible();

  await citizen.getByTestId("booking-fullName").fill("Lương Thị Đặt Lịch");
  await citizen.getByTestId("booking-cccd").fill("02709000123");
  await citizen.getByTestId("booking-phone").fill("0912 345 678");
  await citizen.getByTestId("booking-address").fill("Thôn Trung, xã Yên Phong");
  await citizen.getByTestId("booking-petitionKind").selectOption("complaint");
  await citizen.getByTestId("booking-content").fill("Khiếu nại việc chậm cấp giấy chứng nhận quyền sử dụng đất của gia đình tôi.");
  await citizen.getByTestId("booking-consent").check();
  // A mistyped ID number is refused with a Vietnamese message under that field, and nothing else is flagged.
  await citizen.getByTestId("booking-submit").click();
  await expect(citizen.getByTestId("field-error-cccd")).toContainText("12 chữ số");
  await expect(citizen.getByTestId("booking-cccd")).toHaveAttribute("aria-invalid", "true");
  await expect(citizen.getByTestId("field-error-phone")).toHaveCount(0);
  await citizen.screenshot({ path: test.info().outputPath("booking-form-error-360.png"), fullPage: true });
  // The form with its file picker and a field in error, and then the receipt: no serious axe-core violation.
  expect(await seriousViolations(citizen, "booking-form")).toEqual([]);

  await citizen.getByTestId("booking-cccd").fill("027090001234");
  await citizen.getByTestId("booking-submit").click();
  await expect(citizen.getByTestId("booking-done")).toBeVisible();
  const code = (await citizen.getByTestId("booking-code").textContent())?.trim() ?? "";
  expect(code).toMatch(/^TD-BN-YENPHONG-\d{6}-\d+$/);
  await expect(citizen.getByTestId("booking-cancel-secret")).toHaveText(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  const link = (await citizen.getByTestId("booking-join-link").getAttribute("href")) ?? "";
  expect(new URL(link).pathname).toBe("/tiep-dan/vao");
  expect(new URL(link).searchParams.get("b")).toBeTruthy();
  // The token is in the fragment, which browsers never send to the server (no log holds it).
  expect(new URLSearchParams(new URL(link).hash.slice(1)).get("t")?.length).toBeGreaterThanOrEqual(32);
  await expect(citizen.getByTestId("booking-cancel-link")).toBeVisible();
  // Nothing overflows a 360 px screen.
  expect(await citizen.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await citizen.screenshot({ path: test.info().outputPath("booking-receipt-360.png"), fullPage: true });
  expect(await seriousViolations(citizen, "booking-receipt")).toEqual([]);

  // The commune's reception officer finds the booking on the slot.
  const officer = await signedInPage(browser, "canbo-yenphong");
  await officer.getByTestId("nav-reception").click();
  await expect(officer.getByTestId("compliance")).toHaveAttribute("data-status", "below");
  await officer.getByTestId("reception-tab-receptionSlots").click();
  await officer.getByTestId("slots-only-booked").check();
  await officer.locator('[data-testid="staff-slot"]:not([data-booked="0"]) [data-testid="slot-bookings-toggle"]').first().click();
  const row = officer.locator(`[data-testid="booking-row"][data-code="${code}"]`);
  await expect(row).toContainText("Lương Thị Đặt Lịch");
  await expect(row).toContainText("0912345678");
  await expect(row).toHaveAttribute("data-status", "booked");
  await officer.screenshot({ path: test.info().outputPath("officer-slot-bookings.png"), fullPage: true });
  await officer.context().close();
  await phone.close();
});
