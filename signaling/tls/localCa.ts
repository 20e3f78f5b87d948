import { generateKeyPairSync, randomBytes } from "node:crypto";
import { isIP } from "node:net";
import forge from "node-forge";

/**
 * A province without its own certificate makes a local certificate authority once, installs its
 * certificate on every meeting PC (browsers then trust the server), and signs the server's certificate
 * with it. Keys come from node:crypto (native, fast); node-forge only assembles and signs the
 * certificates. (@peculiar/x509 needs a reflect-metadata polyfill that is not installed.)
 */
const DAY_MS = 24 * 60 * 60 * 1000;

export interface PemPair {
  certPem: string;
  keyPem: string;
}

export interface LocalCertificates {
  ca: PemPair;
  server: PemPair;
}

function newKeys(): { publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey; keyPem: string } {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  // PKCS#1 ("RSA PRIVATE KEY") is what forge reads; Node's TLS reads it as well.
  const keyPem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), keyPem };
}

// Names are UTF-8 strings so a Vietnamese organization name survives; forge's typings call the tag a class.
const UTF8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;

/** A positive random serial (the top bit cleared so it is never read as negative). */
const serialNumber = () => `${(randomBytes(1)[0]! & 0x7f).toString(16).padStart(2, "0")}${randomBytes(15).toString("hex")}`;

/**
 * A CA (10 years) and a server certificate (820 days, under browsers' 825-day limit for locally trusted
 * roots) for the given DNS names and IP addresses.
 */
export function createLocalCertificates(options: { names: readonly string[]; organization?: string; now?: Date }): LocalCertificates {
  if (options.names.length === 0) throw new Error("at least one DNS name or IP address is needed");
  const now = options.now ?? new Date();
  // A PC whose clock is a little behind still accepts the certificates.
  const notBefore = new Date(now.getTime() - DAY_MS);
  const organization = options.organization ?? "Cau Noi";

  const caKeys = newKeys();
  const ca = forge.pki.createCertificate();
  ca.publicKey = caKeys.publicKey;
  ca.serialNumber = serialNumber();
  ca.validity.notBefore = notBefore;
  ca.validity.notAfter = new Date(now.getTime() + 3650 * DAY_MS);
  const caName: forge.pki.CertificateField[] = [
    { name: "commonName", value: `${organization} local CA`, valueTagClass: UTF8 },
    { name: "organizationName", value: organization, valueTagClass: UTF8 },
  ];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([
    { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const serverKeys = newKeys();
  const server = forge.pki.createCertificate();
  server.publicKey = serverKeys.publicKey;
  server.serialNumber = serialNumber();
  server.validity.notBefore = notBefore;
  server.validity.notAfter = new Date(now.getTime() + 820 * DAY_MS);
  server.setSubject([
    { name: "commonName", value: options.names[0]!, valueTagClass: UTF8 },
    { name: "organizationName", value: organization, valueTagClass: UTF8 },
  ]);
  server.setIssuer(caName);
  server.setExtensions([
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    // Browsers match only the subject alternative names, never the CN. (type 2 = DNS, 7 = IP)
    { name: "subjectAltName", altNames: options.names.map((name) => (isIP(name) ? { type: 7, ip: name } : { type: 2, value: name })) },
    { name: "subjectKeyIdentifier" },
    { name: "authorityKeyIdentifier", keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  server.sign(caKeys.privateKey, forge.md.sha256.create());

  return {
    ca: { certPem: forge.pki.certificateToPem(ca), keyPem: caKeys.keyPem },
    server: { certPem: forge.pki.certificateToPem(server), keyPem: serverKeys.keyPem },
  };
}
