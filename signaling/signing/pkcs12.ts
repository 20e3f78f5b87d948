import { createPrivateKey, type KeyObject, X509Certificate } from "node:crypto";
import forge from "node-forge";
import type { CertificateDetails } from "../domain/certificates";
import { AppError } from "../errors";


/** A PKCS#12 opened with its password: the signing key, its certificate and the chain that came with it. */
export interface OpenedPkcs12 {
  privateKey: KeyObject;
  /** The certificate of the private key, DER. */
  certificate: Buffer;
  /** The other certificates in the file (issuing CAs), DER. */
  chain: Buffer[];
  details: CertificateDetails;
}

/** The PKCS#12 bag types (forge's typings leave its OID table loosely typed). */
const BAG = { key: "1.2.840.113549.1.12.10.1.1", shroudedKey: "1.2.840.113549.1.12.10.1.2", cert: "1.2.840.113549.1.12.10.1.3" } as const;

/**
 * Opens a .p12/.pfx with its password. Refuses, with a stable code, a file that is not PKCS#12, a wrong
 * password, a file without a private key or without the certificate of that key, and a key that is not
 * RSA (node-forge reads RSA only; the certificates of the Vietnamese public CAs and of the Government
 * Cipher Committee are RSA).
 */
export function openPkcs12(file: Buffer, password: string): OpenedPkcs12 {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(file.toString("binary"))), false, password);
  } catch (error) {
    // forge says "Invalid password?" (MAC) or "wrong password?" (key bag); anything else is not a readable PKCS#12.
    const wrongPassword = error instanceof Error && /password/i.test(error.message);
    throw new AppError(wrongPassword ? "CERTIFICATE_PASSWORD_WRONG" : "CERTIFICATE_INVALID", { detail: wrongPassword ? "the PKCS#12 does not open with this password" : "not a PKCS#12 file" });
  }
  const bags = (type: string): forge.pkcs12.Bag[] => p12.getBags({ bagType: type })[type] ?? [];
  const keyBags = [...bags(BAG.shroudedKey), ...bags(BAG.key)];
  const certBags = bags(BAG.cert);
  if (keyBags.length === 0) throw new AppError("CERTIFICATE_INVALID", { detail: "the PKCS#12 holds no private key" });
  const key = keyBags[0]!.key as forge.pki.rsa.PrivateKey | null | undefined;
  if (!key) throw new AppError("CERTIFICATE_INVALID", { detail: "the private key is not RSA" });
  const certificates = certBags.filter((bag) => bag.cert).map((bag) => bag.cert!);
  const own = certificates.find((cert) => {
    const publicKey = cert.publicKey as forge.pki.rsa.PublicKey;
    return publicKey.n.compareTo(key.n) === 0 && publicKey.e.compareTo(key.e) === 0;
  });
  if (!own) throw new AppError("CERTIFICATE_INVALID", { detail: "the PKCS#12 holds no certificate for its private key" });
  const der = (cert: forge.pki.Certificate) => Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), "binary");
  try {
    const certificate = der(own);
    return {
      privateKey: createPrivateKey(forge.pki.privateKeyToPem(key)),
      certificate,
      chain: certificates.filter((cert) => cert !== own).map(der),
      details: certificateDetails(certificate),
    };
  } catch (error) {
    // Read by forge but refused by OpenSSL (a malformed certificate or key): not usable for signing.
    throw new AppError("CERTIFICATE_INVALID", { detail: "the certificate or key in the PKCS#12 is malformed", cause: error });
  }
}

/** Subject, issuer and validity as the certificate states them (names in UTF-8, one "KEY=value" per line). */
export function certificateDetails(der: Buffer): CertificateDetails {
  const cert = new X509Certificate(der);
  const subject = cert.subject;
  const commonName = subject.split("\n").find((line) => line.startsWith("CN="))?.slice(3) ?? subject;
  return {
    subject,
    commonName,
    issuer: cert.issuer,
    serialNumber: cert.serialNumber,
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
    fingerprint: cert.fingerprint256.replaceAll(":", "").toLowerCase(),
  };
}
