import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { createTestPki, pdfsig } from "../helpers/testPki";
import { signedInPage } from "./session";

/**
 * The unit's digital signature as people use it: the province's admin uploads the province's PKCS#12
 * (a wrong password first), sees what the certificate says; the province's leader downloads the periodic
 * report, is told it is signed, and pdfsig verifies the downloaded file against the test CA.
 */
test("an admin uploads the unit's certificate; the leader's report PDF downloads signed and verifies", async ({ browser }) => {
  const pki = createTestPki();
  try {
    const password = "mật khẩu chứng thư 2026";
    const p12 = { name: "ubnd-tinh.p12", mimeType: "application/x-pkcs12", buffer: pki.p12({ commonName: "UBND tỉnh Bắc Ninh (thử)", password }) };

    const admin = await signedInPage(browser, "admin");
    await admin.getByTestId("nav-certificates").click();
    await expect(admin.getByTestId("certificate-none")).toBeVisible();
    await admin.getByTestId("certificate-file").setInputFiles(p12);
    await admin.getByTestId("certificate-password").fill("sai mật khẩu");
    await admin.getByTestId("certificate-upload").click();
    await expect(admin.getByRole("alert")).toContainText("Mật khẩu không mở được tệp chứng thư số.");

    await admin.getByTestId("certificate-file").setInputFiles(p12);
    await admin.getByTestId("certificate-password").fill(password);
    await admin.getByTestId("certificate-upload").click();
    await expect(admin.getByTestId("certificate-saved")).toBeVisible();
    await expect(admin.getByTestId("certificate-details")).toHaveAttribute("data-status", "valid");
    await expect(admin.getByTestId("certificate-signer")).toHaveText("UBND tỉnh Bắc Ninh (thử)");
    await expect(admin.getByTestId("certificate-details")).toContainText("CA thử nghiệm Cầu Nối");
    // The password is gone from the form once the server has it.
    await expect(admin.getByTestId("certificate-password")).toHaveValue("");
    await admin.screenshot({ path: test.info().outputPath("certificate.png"), fullPage: true });
    await admin.context().close();

    const leader = await signedInPage(browser, "lanhdao");
    await leader.getByTestId("nav-stats").click();
    const downloading = leader.waitForEvent("download");
    await leader.getByTestId("download-pdf").click();
    const download = await downloading;
    await expect(leader.getByTestId("signature-note")).toHaveAttribute("data-outcome", "signed");
    await expect(leader.getByTestId("signature-note")).toContainText("đã được ký số");
    const file = test.info().outputPath("bao-cao.pdf");
    await download.saveAs(file);
    const check = pdfsig(fs.readFileSync(file), pki.nssDir);
    expect(check.validation, check.output).toBe("Signature is Valid.");
    expect(check.certificate, check.output).toBe("Certificate is Trusted.");
    expect(check.signer).toBe("UBND tỉnh Bắc Ninh (thử)");
    await leader.context().close();
  } finally {
    pki.close();
  }
});
