import { expect, test } from "@playwright/test";
import { createLocalCertificates } from "../../signaling/tls/localCa";
import { parseMime, TestSmtpServer } from "../helpers/mail";
import { signedInPage } from "./session";

/**
 * The province's admin sets the mail server on *Thư điện tử* and sends a test message: the page shows the
 * server's own answer, and the message is read back from a real SMTP server in this process (STARTTLS with
 * a self-signed CA pasted into the settings). Sending stays off, so no other spec's meetings are mailed.
 */
test("the mail settings page: STARTTLS server with its CA, a test message and the server's answer; the password never comes back", async ({ browser }) => {
  const certificates = createLocalCertificates({ names: ["127.0.0.1"], organization: "Thử nghiệm thư" });
  const password = "Mật khẩu thư e2e 5521";
  const smtp = await TestSmtpServer.start({ tls: { key: certificates.server.keyPem, cert: certificates.server.certPem }, users: { "giaoban@bacninh.gov.vn": password } });
  try {
    const admin = await signedInPage(browser, "admin");
    await admin.getByTestId("nav-mail").click();
    await expect(admin.getByTestId("mail-settings")).toBeVisible();
    await expect(admin.getByTestId("mail-enabled")).not.toBeChecked();
    await admin.getByTestId("mail-host").fill("127.0.0.1");
    await admin.getByTestId("mail-port").fill(String(smtp.port));
    await admin.getByTestId("mail-security").selectOption("starttls");
    await admin.getByTestId("mail-username").fill("giaoban@bacninh.gov.vn");
    await admin.getByTestId("mail-password").fill(password);
    await admin.getByTestId("mail-from").fill("giaoban@bacninh.gov.vn");
    await admin.getByTestId("mail-from-name").fill("Văn phòng UBND tỉnh");
    await admin.getByLabel(/Chứng thư CA/).fill(certificates.ca.certPem);
    await admin.getByTestId("mail-save").click();
    await expect(admin.getByTestId("mail-notice")).toHaveText("Đã lưu cấu hình.");
    // Write-only: the field is empty again and the page says a password is stored.
    await expect(admin.getByTestId("mail-password")).toHaveValue("");
    await expect(admin.getByText("Đã lưu mật khẩu (để trống để giữ nguyên)")).toBeVisible();
    expect(await admin.content()).not.toContain(password);

    await admin.getByTestId("mail-test-to").fill("vanthu@bacninh.gov.vn");
    await admin.getByTestId("mail-test").click();
    await expect(admin.getByTestId("mail-test-result")).toContainText("Máy chủ thư đã nhận: 250");
    const [message] = await smtp.waitFor(1);
    expect(message!.secure).toBe(true);
    expect(message!.to).toEqual(["vanthu@bacninh.gov.vn"]);
    expect(parseMime(message!.raw).headers.get("subject")).toBe("Thư thử nghiệm từ Cầu Nối — máy chủ thư hoạt động");
    await admin.screenshot({ path: test.info().outputPath("mail-settings.png"), fullPage: true });

    // A wrong port: the page shows the refusal instead of a success.
    await admin.getByTestId("mail-port").fill("1");
    await admin.getByTestId("mail-save").click();
    await expect(admin.getByTestId("mail-notice")).toBeVisible();
    await admin.getByTestId("mail-test").click();
    await expect(admin.getByTestId("mail-test-result")).toContainText("Máy chủ thư từ chối hoặc không kết nối được");
    await admin.context().close();
  } finally {
    await smtp.close();
  }
});
