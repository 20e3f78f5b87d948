import { z } from "zod";

/**
 * A unit's signing certificate (PKCS#12) as the admin page sees it. Never its password, never the file.
 * `status`: usable now, expired, not valid yet, or `keyChanged` — its password was sealed with another
 * server key (the key was changed or lost) and the file must be uploaded again.
 */
export const certificateStatuses = ["valid", "expired", "notYetValid", "keyChanged"] as const;
export const certificateStatusSchema = z.enum(certificateStatuses);
export type CertificateStatus = z.infer<typeof certificateStatusSchema>;

export const unitCertificateSchema = z.object({
  unitId: z.string(),
  /** "CN=…\nO=…", one attribute a line, UTF-8. */
  subject: z.string(),
  commonName: z.string(),
  issuer: z.string(),
  serialNumber: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  /** SHA-256 of the certificate, hex. */
  fingerprint: z.string(),
  status: certificateStatusSchema,
  uploadedAt: z.string(),
});
export type UnitCertificateDto = z.infer<typeof unitCertificateSchema>;

export const unitCertificateResponseSchema = z.object({ certificate: unitCertificateSchema.nullable() });

/**
 * The upload: the .p12/.pfx as base64 (a PKCS#12 is a few kilobytes; the JSON body limit is 100 kB) and
 * its password, in the body so it is never in a URL or a header that a proxy might log.
 */
export const uploadCertificateRequestSchema = z
  .object({
    p12Base64: z
      .string()
      .min(16)
      .max(90_000)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, "p12Base64: the file's bytes as base64"),
    password: z.string().max(256),
  })
  .strict();
export type UploadCertificateRequest = z.infer<typeof uploadCertificateRequestSchema>;

/**
 * How a document route treats the issuing unit's certificate: by default a PDF is signed when the unit
 * has a usable certificate and delivered unsigned otherwise; `signed=1` demands the signature
 * (SIGNING_UNAVAILABLE without one), `signed=0` asks for an unsigned draft.
 */
export const signedDocumentQuerySchema = z.object({ signed: z.enum(["0", "1"]).optional() });

/** `auto`: sign when the unit can; `required`: SIGNING_UNAVAILABLE when it cannot; `draft`: do not sign. */
export type SigningMode = "auto" | "required" | "draft";
export const signingModeOf = (signed: "0" | "1" | undefined): SigningMode => (signed === "1" ? "required" : signed === "0" ? "draft" : "auto");

/** Response header of a generated PDF saying whether it carries the unit's signature, or why not. */
export const SIGNATURE_HEADER = "X-Document-Signature";
/** `signed`; `draft` (signed=0 asked for none); or why not: no certificate, or it is expired, not valid yet, sealed under another key. */
export const signatureOutcomes = ["signed", "draft", "noCertificate", "expired", "notYetValid", "keyChanged"] as const;
export type SignatureOutcome = (typeof signatureOutcomes)[number];
