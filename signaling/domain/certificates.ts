/** What a unit's certificate says about itself: shown to the admin, stored beside the file. */
export interface CertificateDetails {
  subject: string;
  /** The subject's common name (CN), the signer's name a verifier shows. */
  commonName: string;
  issuer: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the certificate (DER), hex. */
  fingerprint: string;
}

/** Where a certificate stands at a moment: inside its validity period, before it, or after it. */
export type Validity = "valid" | "expired" | "notYetValid";

export function validityAt(period: { notBefore: Date; notAfter: Date }, at: Date): Validity {
  if (at.getTime() < period.notBefore.getTime()) return "notYetValid";
  if (at.getTime() > period.notAfter.getTime()) return "expired";
  return "valid";
}
