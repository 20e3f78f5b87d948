import { type KeyObject, X509Certificate, createHash, generateKeyPair, generateKeyPairSync, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import type { PeerCertificate } from "node:tls";
import forge from "node-forge";

/**
 * TLS of a media node's control channel (it carries the pipes' SRTP keys). Each node makes a throwaway
 * self-signed certificate when it starts and publishes it in its Redis entry, which it signs with
 * MEDIA_NODE_SECRET (secret.ts); a signaling process trusts exactly that certificate for that node and
 * nothing else (no system CA, no name check: the pin says which node it is). Nothing to install, and
 * whoever cannot sign entries cannot slip in a certificate of theirs. A certificate lives a year by default
 * (MEDIA_NODE_CERT_LIFETIME_S); a node running that long makes a new one before the end (start.ts), so a
 * reconnection after a year is not refused (second review, finding 7).
 */
export interface NodeTls {
  certPem: string;
  keyPem: string;
  /** When the certificate stops being valid (ms since the epoch). */
  notAfter: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_CERTIFICATE_LIFETIME_MS = 365 * DAY_MS;

/** How long before its end a certificate is replaced: 30 days, or a third of a shorter life. */
export const renewBeforeMs = (lifetimeMs: number): number => Math.min(30 * DAY_MS, Math.floor(lifetimeMs / 3));

/** A self-signed certificate (RSA 2048, a year unless told) naming the node's host, for its control channel. */
export function nodeCertificate(nodeId: string, now = new Date(), lifetimeMs = DEFAULT_CERTIFICATE_LIFETIME_MS): NodeTls {
  return certificateFor(nodeId, generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey, now, lifetimeMs);
}

/** The same, its key made off the event loop: the running node keeps serving calls meanwhile. */
export async function nodeCertificateAsync(nodeId: string, now = new Date(), lifetimeMs = DEFAULT_CERTIFICATE_LIFETIME_MS): Promise<NodeTls> {
  const { privateKey } = await promisify(generateKeyPair)("rsa", { modulusLength: 2048 });
  return certificateFor(nodeId, privateKey, now, lifetimeMs);
}

function certificateFor(nodeId: string, privateKey: KeyObject, now: Date, lifetimeMs: number): NodeTls {
  // PKCS#1 is what forge reads (as in signaling/tls/localCa.ts); Node's TLS reads it as well.
  const keyPem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
  cert.serialNumber = `${(randomBytes(1)[0]! & 0x7f).toString(16).padStart(2, "0")}${randomBytes(15).toString("hex")}`;
  cert.validity.notBefore = new Date(now.getTime() - DAY_MS);
  cert.validity.notAfter = new Date(now.getTime() + lifetimeMs);
  const name = [{ name: "commonName", value: `cau-noi media node ${nodeId}` }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
  ]);
  cert.sign(forgeKey, forge.md.sha256.create());
  // X.509 keeps whole seconds: the end as the certificate states it.
  return { certPem: forge.pki.certificateToPem(cert), keyPem, notAfter: Math.floor((now.getTime() + lifetimeMs) / 1000) * 1000 };
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
