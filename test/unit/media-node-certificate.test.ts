import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DEFAULT_CERTIFICATE_LIFETIME_MS, nodeCertificate, nodeCertificateAsync, renewBeforeMs } from "../../signaling/mediaNodes/tls";

const DAY_MS = 24 * 60 * 60 * 1000;

describe("a media node's control-channel certificate (second review, finding 7)", () => {
  it("is replaced 30 days before the end of a year's life, a third before the end of a short one", () => {
    expect(DEFAULT_CERTIFICATE_LIFETIME_MS).toBe(365 * DAY_MS);
    expect(renewBeforeMs(DEFAULT_CERTIFICATE_LIFETIME_MS)).toBe(30 * DAY_MS);
    expect(renewBeforeMs(24_000)).toBe(8_000);
    expect(renewBeforeMs(60 * DAY_MS)).toBe(20 * DAY_MS);
  });

  it("states the end it reports, for the life it was asked", async () => {
    const now = new Date("2027-01-01T00:00:00.500Z");
    const year = nodeCertificate("media-2", now);
    expect(new Date(new X509Certificate(year.certPem).validTo).getTime()).toBe(year.notAfter);
    expect(year.notAfter).toBe(Date.parse("2028-01-01T00:00:00Z"));
    const short = await nodeCertificateAsync("media-2", now, 30_000);
    expect(new Date(new X509Certificate(short.certPem).validTo).getTime()).toBe(short.notAfter);
    expect(short.notAfter).toBe(Date.parse("2027-01-01T00:00:30Z"));
    expect(new X509Certificate(short.certPem).subject).toContain("cau-noi media node media-2");
  });
});
