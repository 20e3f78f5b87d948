import type { CertificateStatus, UnitCertificateDto } from "../protocol";
import { type CertificateDetails, validityAt } from "../domain/certificates";

/** The stored columns a presenter may show: what the certificate says (copied out at upload), never the file, never the sealed password. */
export interface CertificateRow extends CertificateDetails {
  unitId: string;
  keyId: string;
  updatedAt: Date;
}

/** Usable now, or why not: validity at `now`, or a password sealed under a server key this server does not hold. */
export function certificateStatus(row: Pick<CertificateRow, "keyId" | "notBefore" | "notAfter">, serverKeyId: string, now: Date): CertificateStatus {
  if (row.keyId !== serverKeyId) return "keyChanged";
  return validityAt(row, now);
}

export function presentCertificate(row: CertificateRow, serverKeyId: string, now: Date): UnitCertificateDto {
  return {
    unitId: row.unitId,
    subject: row.subject,
    commonName: row.commonName,
    issuer: row.issuer,
    serialNumber: row.serialNumber,
    notBefore: row.notBefore.toISOString(),
    notAfter: row.notAfter.toISOString(),
    fingerprint: row.fingerprint,
    status: certificateStatus(row, serverKeyId, now),
    uploadedAt: row.updatedAt.toISOString(),
  };
}
