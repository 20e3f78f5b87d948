import { expect, test } from "@playwright/test";
import { seriousViolations } from "./axe";
import { signedInPage } from "./session";

test("a clerk records a petition, classifies and accepts it; the citizen looks it up", async ({ browser }) => {
  const clerk = await signedInPage(browser, "canbo");
  await clerk.getByTestId("nav-cases").click();
  await clerk.getByTestId("case-new").click();
  await clerk.getByTestId("case-kind").selectOption("complaint");
  await clerk.getByTestId("case-summary").fill("Khiếu nại quyết định thu hồi đất");
  await clerk.getByTestId("case-content").fill("Ông Lê Văn Khiếu khiếu nại quyết định thu hồi đất số 123/QĐ-UBND vì bồi thường chưa thỏa đáng.");
  await clerk.getByTestId("petitioner-name").fill("Lê Văn Khiếu");
  await clerk.getByTestId("petitioner-id").fill("027085001234");
  await clerk.screenshot({ path: test.info().outputPath("intake.png"), fullPage: true });
  await clerk.getByTestId("case-submit").click();

  const code = (await clerk.getByTestId("created-code").textContent())?.trim() ?? "";
  const secret = (await clerk.getByTestId("created-secret").textContent())?.trim() ?? "";
  expect(code).toMatch(/^BN-VP-\d{4}-\d{6}$/);
  expect(secret).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);

  await clerk.getByTestId("open-created").click();
  await expect(clerk.getByTestId("case-detail")).toHaveAttribute("data-state", "received");
  // The scanned letter: checked on content by the server, listed with its name.
  await clerk.getByTestId("attachment-input").setInputFiles({ name: "Đơn khiếu nại.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n%%EOF\n") });
  await expect(clerk.getByTestId("attachment")).toContainText("Đơn khiếu nại.pdf");
  // Classify: a complaint, eligible and within competence.
  await clerk.getByTestId("action-select").selectOption("classify");
  await clerk.getByTestId("field-kind").selectOption("complaint");
  await clerk.getByTestId("field-eligible").check();
  await clerk.getByTestId("field-withinCompetence").check();
  await clerk.getByTestId("action-submit").click();
  await expect(clerk.getByTestId("case-detail")).toHaveAttribute("data-state", "classified");
  await expect(clerk.getByTestId("deadline")).toHaveAttribute("data-status", /onTime|dueSoon|overdue/);
  // Accept, recording the head's decision.
  await clerk.getByTestId("action-select").selectOption("accept");
  await clerk.getByTestId("field-decisionNumber").fill("45/QĐ-UBND");
  // A complaint's filing limit (Luật KN Art. 9) is checked with the day the complainant knew of the decision.
  await clerk.getByTestId("field-knewOfDecisionOn").fill(new Date(Date.now() + 7 * 3_600_000 - 15 * 86_400_000).toISOString().slice(0, 10).split("-").reverse().join("/"));
  await clerk.getByTestId("action-submit").click();
  await expect(clerk.getByTestId("case-detail")).toHaveAttribute("data-state", "accepted");
  await clerk.screenshot({ path: test.info().outputPath("case-accepted.png"), fullPage: true });
  const caseAddress = await clerk.evaluate(() => window.location.hash);
  // The case page (with its history, duties and attachment) and the list holding it: no serious accessibility violation.
  expect(await seriousViolations(clerk, "case-detail")).toEqual([]);
  await clerk.getByTestId("nav-cases").click();
  await expect(clerk.locator(`[data-testid="case-row"][data-code="${code}"]`)).toBeVisible();
  expect(await seriousViolations(clerk, "cases")).toEqual([]);

  // The citizen, on a phone, without an account.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const citizen = await phone.newPage();
  await citizen.goto("/tra-cuu");
  await citizen.getByTestId("lookup-code").fill(code);
  await citizen.getByTestId("lookup-secret").fill(secret);
  await citizen.getByTestId("lookup-submit").click();
  await expect(citizen.getByTestId("lookup-result")).toHaveAttribute("data-state", "accepted");
  await expect(citizen.getByTestId("lookup-state")).toHaveText("Đã thụ lý");
  await expect(citizen.getByTestId("lookup-result")).not.toContainText("Lê Văn Khiếu");
  await expect(citizen.getByTestId("lookup-result")).not.toContainText("027085001234");
  await citizen.screenshot({ path: test.info().outputPath("lookup-phone.png"), fullPage: true });

  // The province leader assigns it to the inspector, whose "my work" queue then holds it.
  const leader = await signedInPage(browser, "lanhdao", undefined, `/${caseAddress}`);
  await leader.getByTestId("assign-select").selectOption({ label: "Thanh tra viên — Thanh tra tỉnh" });
  await leader.getByTestId("assign-submit").click();
  await expect(leader.getByTestId("assign-submit")).toBeDisabled();
  const inspector = await signedInPage(browser, "thanhtra");
  await inspector.getByTestId("nav-cases").click();
  await inspector.getByTestId("filter-mine").check();
  await inspector.getByRole("button", { name: "Lọc" }).click();
  await expect(inspector.locator('[data-testid="case-row"]')).toHaveCount(1);
  await expect(inspector.locator(`[data-testid="case-row"][data-code="${code}"]`)).toBeVisible();
  // The leader's dashboard counts it and the periodic report downloads.
  await leader.getByTestId("nav-stats").click();
  await expect(leader.getByTestId("kpi-received")).toContainText("1");
  const downloading = leader.waitForEvent("download");
  await leader.getByTestId("download-pdf").click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^bao-cao-don-thu-\d{4}\.pdf$/);
  await leader.screenshot({ path: test.info().outputPath("stats.png"), fullPage: true });
  await leader.getByTestId("nav-integrity").click();
  await leader.getByTestId("integrity-run").click();
  await expect(leader.getByTestId("integrity-result")).toHaveAttribute("data-damaged", "0");
  await leader.getByTestId("notifications").click();
  await expect(leader.getByRole("dialog")).toBeVisible();
  await leader.context().close();
  await inspector.context().close();

  // A wrong lookup code tells nothing.
  await citizen.getByTestId("lookup-secret").fill("AAAA-AAAA");
  await citizen.getByTestId("lookup-submit").click();
  await expect(citizen.getByRole("alert")).toContainText("Không tìm thấy");
  await clerk.context().close();
  await phone.close();
});

test("a citizen files a petition online from a phone and follows it", async ({ browser }) => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const citizen = await phone.newPage();
  await citizen.goto("/gui-don");
  await citizen.getByTestId("submit-unit").selectOption({ label: "— UBND xã Yên Phong" });
  await citizen.getByTestId("submit-kind").selectOption("feedback");
  await citizen.getByTestId("submit-summary").fill("Phản ánh đèn đường hỏng");
  await expect(citizen.getByTestId("step-now")).toHaveText("Bước 1/3: Nội dung đơn");
  // A required field left empty keeps the citizen on the step.
  await citizen.getByTestId("submit-next").click();
  await expect(citizen.getByTestId("step-now")).toHaveText("Bước 1/3: Nội dung đơn");
  await citizen.getByTestId("submit-content").fill("Đèn đường trên trục chính thôn Trung đã hỏng hơn hai tuần, đi lại buổi tối rất nguy hiểm.");
  await citizen.getByTestId("submit-next").click();
  await expect(citizen.getByTestId("step-now")).toHaveText("Bước 2/3: Thông tin người gửi");
  await citizen.getByTestId("submit-name").fill("Vũ Thị Phản Ánh");
  await citizen.getByTestId("submit-phone").fill("0912 345 678");
  await citizen.getByTestId("submit-address").fill("Thôn Trung, xã Yên Phong");
  await citizen.getByTestId("submit-consent").check();
  await citizen.getByTestId("submit-next").click();
  // The review step shows what will be sent before anything is.
  await expect(citizen.getByTestId("step-now")).toHaveText("Bước 3/3: Xem lại và gửi");
  await expect(citizen.getByTestId("submit-review")).toContainText("Phản ánh đèn đường hỏng");
  await expect(citizen.getByTestId("submit-review")).toContainText("UBND xã Yên Phong");
  await citizen.screenshot({ path: test.info().outputPath("submit-phone.png"), fullPage: true });
  expect(await seriousViolations(citizen, "submit-review")).toEqual([]);
  await citizen.getByTestId("submit-send").click();
  const code = (await citizen.getByTestId("submit-code").textContent())?.trim() ?? "";
  expect(code).toMatch(/^BN-YENPHONG-\d{4}-\d{6}$/);
  // The receipt prints (or saves as PDF) from the page itself.
  await expect(citizen.getByTestId("print-receipt")).toBeVisible();
  await citizen.screenshot({ path: test.info().outputPath("submit-receipt-phone.png"), fullPage: true });
  expect(await seriousViolations(citizen, "submit-receipt")).toEqual([]);

  // The commune's officer finds it in the work queue.
  const officer = await signedInPage(browser, "canbo-yenphong");
  await officer.getByTestId("nav-cases").click();
  await expect(officer.locator(`[data-testid="case-row"][data-code="${code}"]`)).toContainText("Phản ánh đèn đường hỏng");
  await officer.context().close();
  await phone.close();
});
