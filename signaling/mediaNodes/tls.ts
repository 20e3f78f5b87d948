import { X509Certificate, createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import type { PeerCertificate } from "node:tls";
import forge from "node-forge";

/**
 * TLS of a media node's control channel (it carries the pipes' SRTP keys). Each node makes a throwaway
 * self-signed certificate when it starts and publishes it in its Redis entry, which it signs with
 * MEDIA_NODE_SECRET (secret.ts); a signaling process trusts exactly that certificate for that node and
 * nothing else (no system CA, no name check: the pin says which node it is). Nothing to install, nothing
 * that expires on a running node, and whoever cannot sign entries cannot slip in a certificate of theirs.
 */
export interface NodeTls {
  certPem: string;
  keyPem: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A self-signed certificate (RSA 2048, a year) naming the node's host, for its control channel. */
export function nodeCertificate(nodeId: string, now = new Date()): NodeTls {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  // PKCS#1 is what forge reads (as in signaling/tls/localCa.ts); Node's TLS reads it as well.
  const keyPem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
  cert.serialNumber = `${(randomBytes(1)[0]! & 0x7f).toString(16).padStart(2, "0")}${randomBytes(15).toString("hex")}`;
  cert.validity.notBefore = new Date(now.getTime() - DAY_MS);
  cert.validity.notAfter = new Date(now.getTime() + 365 * DAY_MS);
  const name = [{ name: "commonName", value: `cau-noi media node ${nodeId}` }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
  ]);
  cert.sign(forgeKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

/** SHA-256 of the certificate's DER, as Node writes it (AA:BB:…); undefined for anything not a certificate. */
export function certificateFingerprint(certPem: string): string | undefined {
  try {
    return new X509Certificate(certPem).fingerprint256;
  } catch {
    return undefined;
  }
}

/** The digest of the PEM text, what the entry's signature covers (secret.ts). */
export const certificateDigest = (certPem: string | undefined): string => (certPem === undefined ? "plain" : createHash("sha256").update(certPem).digest("hex"));

/**
 * socket.io-client's TLS options for a node whose entry carries `certPem`: that certificate is the only
 * trust anchor, and the certificate the node shows must be that very one (its fingerprint), whatever the
 * URL's host name is. Verification happens in the TLS handshake, before socket.io sends the connection proof.
 */
export function pinnedTlsOptions(certPem: string): { ca: string[]; rejectUnauthorized: true; checkServerIdentity: (host: string, cert: PeerCertificate) => Error | undefined } {
  const pin = certificateFingerprint(certPem);
  return {
    ca: [certPem],
    rejectUnauthorized: true,
    checkServerIdentity: (_host, cert) => (pin !== undefined && cert.fingerprint256 === pin ? undefined : new Error(`the media node's certificate ${cert.fingerprint256} is not the one its signed entry names`)),
  };
}
