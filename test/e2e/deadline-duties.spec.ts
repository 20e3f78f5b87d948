import { expect, test } from "@playwright/test";
import { signedInPage } from "./session";

/** A Vietnamese calendar date `days` from today (the forms' own default is today in Vietnam). */
/** A day `days` from today in Vietnam, as the date fields take it: dd/mm/yyyy whatever the browser's locale. */
const vietnamDate = (days: number) => new Date(Date.now() + 7 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10).split("-").reverse().join("/");

async function intake(page: Awaited<ReturnType<typeof signedInPage>>, kind: string, summary: string) {
  await page.getByTestId("nav-cases").click();
  await page.getByTestId("case-new").click();
  await page.getByTestId("case-kind").selectOption(kind);
  await page.getByTestId("case-summary").fill(summary);
  await page.getByTestId("case-content").fill(`${summary}: nội dung chi tiết của đơn để kiểm tra các thời hạn đang chạy.`);
  await page.getByTestId("petitioner-name").fill("Đỗ Văn Thời Hạn");
  await page.getByTestId("case-submit").click();
  await page.getByTestId("open-created").click();
  await expect(page.getByTestId("case-detail")).toHaveAttribute("data-state", "received");
}

async function step(page: Awaited<ReturnType<typeof signedInPage>>, action: string) {
  await page.getByTestId("action-select").selectOption(action);
}

test("the case page lists every running duty; the notice closes one; a late extension is refused on the page", async ({ browser }) => {
  const clerk = await signedInPage(browser, "canbo-yenphong");
  await intake(clerk, "denunciation", "Tố cáo sai phạm đấu thầu");
  await expect(clerk.locator('[data-testid="duty"]')).toHaveCount(1);
  await expect(clerk.locator('[data-testid="duty"][data-rule="denunciation.initialCheck"]')).toContainText("Luật Tố cáo 2018, Điều 24");

  await step(clerk, "classify");
  await clerk.getByTestId("field-kind").selectOption("denunciation");
  await clerk.getByTestId("field-eligible").check();
  await clerk.getByTestId("field-withinCompetence").check();
  await clerk.getByTestId("field-complexity").selectOption("complex");
  await clerk.getByTestId("action-submit").click();
  await expect(clerk.getByTestId("case-detail")).toHaveAttribute("data-state", "classified");

  await step(clerk, "accept");
  await clerk.getByTestId("field-decisionNumber").fill("77/QĐ-UBND");
  await clerk.getByTestId("action-submit").click();
  await expect(clerk.getByTestId("case-detail")).toHaveAttribute("data-state", "accepted");
  // Two clocks run in parallel: resolve (Art. 30) and notify the denouncer (Art. 29).
  await expect(clerk.locator('[data-testid="duty"]')).toHaveCount(2);
  await expect(clerk.locator('[data-testid="duty"][data-rule="denunciation.notifyAcceptance"]')).toContainText("Thông báo thụ lý cho người tố cáo");
  await expect(clerk.locator('[data-testid="duty"][data-rule="denunciation.resolve"]')).toContainText("Luật Tố cáo 2018, Điều 30");
  await clerk.screenshot({ path: test.info().outputPath("case-duties.png"), fullPage: true });

  await step(clerk, "notify");
  await clerk.getByTestId("field-document").selectOption("acceptance");
  await clerk.getByTestId("action-submit").click();
  await expect(clerk.locator('[data-testid="duty"]')).toHaveCount(1);
  await expect(clerk.locator('[data-testid="duty"][data-rule="denunciation.resolve"]')).toBeVisible();
  const caseHash = await clerk.evaluate(() => window.location.hash);
  await clerk.context().close();

  // The leader verifies, then asks an extension dated after the 30 days ran out: refused, the page stays.
  const leader = await signedInPage(browser, "lanhdao", undefined, `/${caseHash}`);
  await step(leader, "startVerification");
  await leader.getByTestId("action-submit").click();
  await expect(leader.getByTestId("case-detail")).toHaveAttribute("data-state", "verifying");
  await step(leader, "extend");
  await leader.getByTestId("field-days").fill("30");
  await leader.getByTestId("field-decisionNumber").fill("78/QĐ-UBND");
  await leader.getByTestId("field-decisionDate").fill(vietnamDate(60));
  await leader.getByTestId("field-reason").fill("Cần xác minh thêm tại nhiều địa điểm");
  await leader.getByTestId("action-submit").click();
  await expect(leader.getByTestId("error-message")).toHaveAttribute("data-error-code", "DEADLINE_RULE");
  await expect(leader.getByTestId("error-message")).toContainText("Vượt quá thời hạn hoặc số lần gia hạn luật cho phép.");
  await expect(leader.getByTestId("case-detail")).toHaveAttribute("data-state", "verifying");
  await leader.reload();
  await expect(leader.getByTestId("case-detail")).toHaveAttribute("data-state", "verifying");
  await expect(leader.locator('[data-testid="duty"][data-rule="denunciation.resolve"]')).toBeVisible();
  await leader.context().close();
});

test("the second-round form asks when the round-1 decision was received and lets the citizen name the superior unit", async ({ browser }) => {
  const clerk = await signedInPage(browser, "canbo-yenphong");
  await intake(clerk, "complaint", "Khiếu nại quyết định bồi thường");
  await step(clerk, "classify");
  await clerk.getByTestId("field-kind").selectOption("complaint");
  await clerk.getByTestId("field-eligible").check();
  await clerk.getByTestId("field-withinCompetence").check();
  await clerk.getByTestId("action-submit").click();
  await step(clerk, "accept");
  await clerk.getByTestId("field-decisionNumber").fill("79/QĐ-UBND");
  // The filing limit (Luật KN Art. 9) is checked with the day the complainant knew of the decision.
  await clerk.getByTestId("field-knewOfDecisionOn").fill(vietnamDate(-20));
  await clerk.getByTestId("action-submit").click();
  await expect(clerk.getByTestId("case-detail")).toHaveAttribute("data-state", "accepted");

  await step(clerk, "secondRound");
  await expect(clerk.getByTestId("field-decisionReceivedOn")).toHaveValue("");
  // Optional: left on "the direct superior", or a named ancestor.
  await expect(clerk.getByTestId("field-toUnitId")).toHaveValue("");
  await expect(clerk.getByTestId("field-toUnitId").locator("option").first()).toHaveText("Cơ quan cấp trên trực tiếp");
  await clerk.getByTestId("field-toUnitId").selectOption({ label: "UBND tỉnh Bắc Ninh" });
  await clerk.getByTestId("field-reason").fill("Không đồng ý với kết quả giải quyết lần đầu");
  await clerk.getByTestId("action-submit").click();
  // Round 1 was accepted today: its 30 days still run, so round 2 cannot open yet — said on the page.
  await expect(clerk.getByTestId("error-message")).toHaveAttribute("data-error-code", "INVALID_TRANSITION");
  await expect(clerk.getByTestId("case-detail")).toHaveAttribute("data-state", "accepted");
  await clerk.context().close();
});

test("a denunciation outside the unit's competence: forward and notice are duties, and the forward waits for the notice", async ({ browser }) => {
  const clerk = await signedInPage(browser, "canbo-yenphong");
  await intake(clerk, "denunciation", "Tố cáo không thuộc thẩm quyền xã");
  await step(clerk, "classify");
  await clerk.getByTestId("field-kind").selectOption("denunciation");
  await clerk.getByTestId("field-eligible").check();
  await clerk.getByTestId("action-submit").click();
  await expect(clerk.getByTestId("case-detail")).toHaveAttribute("data-state", "classified");
  // Luật Tố cáo Art. 24(1)(b): forward within 5 working days AND tell the denouncer.
  await expect(clerk.locator('[data-testid="duty"]')).toHaveCount(2);
  await expect(clerk.locator('[data-testid="duty"][data-rule="denunciation.forward"]')).toContainText("Luật Tố cáo 2018, Điều 24 khoản 1 điểm b");
  await expect(clerk.locator('[data-testid="duty"][data-rule="denunciation.notifyForwarding"]')).toContainText("Thông báo cho người tố cáo việc chuyển đơn");

  await step(clerk, "forward");
  await clerk.getByTestId("field-toUnitId").selectOption({ label: "UBND tỉnh Bắc Ninh" });
  await clerk.getByTestId("field-reason").fill("Không thuộc thẩm quyền giải quyết của xã");
  await clerk.getByTestId("action-submit").click();
  await expect(clerk.getByTestId("error-message")).toHaveAttribute("data-error-code", "DENOUNCER_NOTICE_REQUIRED");
  await expect(clerk.getByTestId("case-detail")).toHaveAttribute("data-state", "classified");

  await step(clerk, "notify");
  await clerk.getByTestId("field-document").selectOption("forwarding");
  await clerk.getByTestId("action-submit").click();
  await expect(clerk.locator('[data-testid="duty"]')).toHaveCount(1);
  await expect(clerk.locator('[data-testid="duty"][data-rule="denunciation.forward"]')).toBeVisible();
  await clerk.context().close();
});
