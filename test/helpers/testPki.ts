import { execFileSync, spawnSync } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import forge from "node-forge";

/**
 * A throw-away certificate authority for the signature tests, under the test's own temporary folder: a
 * root CA, units' certificates issued by it as PKCS#12 files, and an NSS database trusting the CA so
 * `pdfsig` can say whether a signature is valid AND its certificate trusted.
 */
export interface TestPki {
  dir: string;
  /** The NSS database (sql:) that trusts the test CA, for `pdfsig -nssdir`. */
  nssDir: string;
  /** A unit's certificate issued by the test CA, as a PKCS#12 protected by `password`. */
  p12(options: { commonName: string; password: string; notBefore?: Date; notAfter?: Date; organization?: string; includeCa?: boolean }): Buffer;
  /** A PKCS#12 whose certificate is self-signed: its signature verifies, but its certificate is not trusted. */
  selfSignedP12(options: { commonName: string; password: string }): Buffer;
  close(): void;
}

// Names are UTF-8 strings so Vietnamese names survive; forge's typings call the tag a class.
const UTF8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;
const DAY_MS = 86_400_000;

function rsaKeys() {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: "pkcs1", format: "pem" }).toString()) as forge.pki.rsa.PrivateKey;
  return { key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) };
}

const serial = () => `${(randomBytes(1)[0]! & 0x7f).toString(16).padStart(2, "0")}${randomBytes(9).toString("hex")}`;

function certificate(options: {
  subject: forge.pki.CertificateField[];
  issuer: forge.pki.CertificateField[];
  publicKey: forge.pki.PublicKey;
  signWith: forge.pki.rsa.PrivateKey;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
}): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = options.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = options.notBefore;
  cert.validity.notAfter = options.notAfter;
  cert.setSubject(options.subject);
  cert.setIssuer(options.issuer);
  cert.setExtensions(
    options.ca
      ? [
          { name: "basicConstraints", cA: true, critical: true },
          { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
        ]
      : [
          { name: "basicConstraints", cA: false },
          { name: "keyUsage", digitalSignature: true, nonRepudiation: true, critical: true },
        ],
  );
  cert.sign(options.signWith, forge.md.sha256.create());
  return cert;
}

const toP12 = (key: forge.pki.rsa.PrivateKey, chain: forge.pki.Certificate[], password: string) =>
  Buffer.from(forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(key, chain, password, { algorithm: "aes256" })).getBytes(), "binary");

export function createTestPki(): TestPki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-pki-"));
  const now = Date.now();
  const ca = rsaKeys();
  const caName: forge.pki.CertificateField[] = [
    { shortName: "CN", value: "CA thử nghiệm Cầu Nối", valueTagClass: UTF8 },
    { shortName: "O", value: "Cầu Nối — chỉ dùng cho kiểm thử", valueTagClass: UTF8 },
    { shortName: "C", value: "VN" },
  ];
  const caCert = certificate({ subject: caName, issuer: caName, publicKey: ca.publicKey, signWith: ca.key, notBefore: new Date(now - DAY_MS), notAfter: new Date(now + 3650 * DAY_MS), ca: true });
  const caFile = path.join(dir, "ca.pem");
  fs.writeFileSync(caFile, forge.pki.certificateToPem(caCert));
  const nssDir = path.join(dir, "nss");
  fs.mkdirSync(nssDir);
  execFileSync("certutil", ["-N", "-d", `sql:${nssDir}`, "--empty-password"], { stdio: "pipe" });
  execFileSync("certutil", ["-A", "-d", `sql:${nssDir}`, "-n", "cau-noi-test-ca", "-t", "CT,C,C", "-i", caFile], { stdio: "pipe" });
  return {
    dir,
    nssDir,
    p12({ commonName, password, notBefore, notAfter, organization, includeCa = true }) {
      const unit = rsaKeys();
      const subject: forge.pki.CertificateField[] = [
        { shortName: "CN", value: commonName, valueTagClass: UTF8 },
        { shortName: "O", value: organization ?? commonName, valueTagClass: UTF8 },
        { shortName: "C", value: "VN" },
      ];
      const cert = certificate({
        subject,
        issuer: caName,
        publicKey: unit.publicKey,
        signWith: ca.key,
        notBefore: notBefore ?? new Date(now - DAY_MS),
        notAfter: notAfter ?? new Date(now + 365 * DAY_MS),
        ca: false,
      });
      return toP12(unit.key, includeCa ? [cert, caCert] : [cert], password);
    },
    selfSignedP12({ commonName, password }) {
      const own = rsaKeys();
      const name: forge.pki.CertificateField[] = [{ shortName: "CN", value: commonName, valueTagClass: UTF8 }];
      const cert = certificate({ subject: name, issuer: name, publicKey: own.publicKey, signWith: own.key, notBefore: new Date(now - DAY_MS), notAfter: new Date(now + 30 * DAY_MS), ca: false });
      return toP12(own.key, [cert], password);
    },
    close() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PdfSignatureCheck {
  /** pdfsig's "Signature Validation" line: "Signature is Valid.", "Digest Mismatch."… */
  validation: string | null;
  /** pdfsig's "Certificate Validation" line. */
  certificate: string | null;
  signer: string | null;
  subFilter: string | null;
  signatures: number;
  output: string;
}

/** Verifies a PDF's signatures with poppler's pdfsig against the NSS database that trusts the test CA. */
export function pdfsig(data: Buffer, nssDir: string): PdfSignatureCheck {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-pdfsig-"));
  const file = path.join(directory, "signed.pdf");
  fs.writeFileSync(file, data);
  try {
    const run = spawnSync("pdfsig", ["-nssdir", `sql:${nssDir}`, file], { encoding: "utf8" });
    const output = `${run.stdout}${run.stderr}`;
    const line = (label: string) => new RegExp(`${label}: (.+)`).exec(output)?.[1]?.trim() ?? null;
    return {
      validation: line("Signature Validation"),
      certificate: line("Certificate Validation"),
      signer: line("Signer Certificate Common Name"),
      subFilter: line("Signature Type"),
      signatures: (output.match(/^Signature #\d+:/gm) ?? []).length,
      output,
    };
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}
