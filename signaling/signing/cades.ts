import { createHash, type KeyObject, sign } from "node:crypto";
import { Signer } from "@signpdf/utils";
import forge from "node-forge";

const { asn1 } = forge;
const { Class, Type } = asn1;

const OID = {
  signedData: "1.2.840.113549.1.7.2",
  data: "1.2.840.113549.1.7.1",
  sha256: "2.16.840.1.101.3.4.2.1",
  sha256WithRsa: "1.2.840.113549.1.1.11",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
} as const;

const node = (tagClass: forge.asn1.Class, type: number, constructed: boolean, value: forge.asn1.Asn1[] | string) => asn1.create(tagClass, type, constructed, value);
const seq = (...items: forge.asn1.Asn1[]) => node(Class.UNIVERSAL, Type.SEQUENCE, true, items);
const set = (...items: forge.asn1.Asn1[]) => node(Class.UNIVERSAL, Type.SET, true, items);
const oid = (value: string) => node(Class.UNIVERSAL, Type.OID, false, asn1.oidToDer(value).getBytes());
const int = (value: number) => node(Class.UNIVERSAL, Type.INTEGER, false, asn1.integerToDer(value).getBytes());
const octets = (value: Buffer) => node(Class.UNIVERSAL, Type.OCTETSTRING, false, value.toString("binary"));
const nullValue = () => node(Class.UNIVERSAL, Type.NULL, false, "");
const derOf = (value: forge.asn1.Asn1) => Buffer.from(asn1.toDer(value).getBytes(), "binary");
const fromDer = (value: Buffer) => asn1.fromDer(forge.util.createBuffer(value.toString("binary")));
const algorithm = (id: string) => seq(oid(id), nullValue());

/** DER orders a SET OF by the encodings of its members. */
const derSet = (items: forge.asn1.Asn1[]) => set(...items.map((item) => ({ item, der: derOf(item) })).sort((a, b) => Buffer.compare(a.der, b.der)).map(({ item }) => item));

/** The issuer Name and serialNumber of a certificate, taken from its own encoding (never re-encoded). */
function issuerAndSerial(certificate: Buffer): { issuer: forge.asn1.Asn1; serial: forge.asn1.Asn1 } {
  const tbs = (fromDer(certificate).value as forge.asn1.Asn1[])[0]!;
  const fields = tbs.value as forge.asn1.Asn1[];
  // TBSCertificate: [0] version (optional), serialNumber, signature, issuer, …
  const offset = fields[0]!.tagClass === Class.CONTEXT_SPECIFIC ? 1 : 0;
  return { serial: fields[offset]!, issuer: fields[offset + 2]! };
}

/**
 * A CAdES-BES detached signature (CMS SignedData) over a PDF's signed byte ranges, as PAdES baseline B-B
 * (ETSI EN 319 142-1) wants it: signed attributes content-type, message-digest and ESS
 * signing-certificate-v2 (binding the signer's certificate into what is signed); no signing-time
 * attribute, since PAdES carries the time in the signature dictionary's /M. RSA PKCS#1 v1.5 with SHA-256.
 *
 * @signpdf/signer-p12 is not used: it writes the adbe.pkcs7.detached profile (signing-time, no
 * signing-certificate-v2), which a PAdES validator reports as not conformant under ETSI.CAdES.detached.
 */
export class CadesSigner extends Signer {
  readonly #privateKey: KeyObject;
  readonly #certificate: Buffer;
  readonly #chain: Buffer[];

  constructor(options: { privateKey: KeyObject; certificate: Buffer; chain: Buffer[] }) {
    super();
    this.#privateKey = options.privateKey;
    this.#certificate = options.certificate;
    this.#chain = options.chain;
  }

  /** Bytes the placeholder must reserve for this signer's CMS (certificates included), with room to spare. */
  get signatureLength(): number {
    return 4096 + 2 * [this.#certificate, ...this.#chain].reduce((sum, cert) => sum + cert.length, 0);
  }

  override async sign(content: Buffer): Promise<Buffer> {
    const digest = createHash("sha256").update(content).digest();
    const { issuer, serial } = issuerAndSerial(this.#certificate);
    // ESSCertIDv2 with SHA-256 (the DEFAULT hash algorithm, so omitted) and the issuer/serial of the certificate.
    const generalNames = seq(node(Class.CONTEXT_SPECIFIC, 4, true, [issuer]));
    const essCertIdV2 = seq(octets(createHash("sha256").update(this.#certificate).digest()), seq(generalNames, serial));
    const attributes = [
      seq(oid(OID.contentType), set(oid(OID.data))),
      seq(oid(OID.messageDigest), set(octets(digest))),
      seq(oid(OID.signingCertificateV2), set(seq(seq(essCertIdV2)))),
    ];
    const signedAttributes = derSet(attributes);
    // The signature covers the attributes encoded as a SET (RFC 5652 §5.4), then stored under [0] IMPLICIT.
    const signature = sign("sha256", derOf(signedAttributes), this.#privateKey);
    const signerInfo = seq(
      int(1),
      seq(issuer, serial),
      algorithm(OID.sha256),
      node(Class.CONTEXT_SPECIFIC, 0, true, signedAttributes.value as forge.asn1.Asn1[]),
      algorithm(OID.sha256WithRsa),
      octets(signature),
    );
    const certificates = node(
      Class.CONTEXT_SPECIFIC,
      0,
      true,
      [this.#certificate, ...this.#chain].map((cert) => fromDer(cert)),
    );
    const signedData = seq(int(1), set(algorithm(OID.sha256)), seq(oid(OID.data)), certificates, set(signerInfo));
    return derOf(seq(oid(OID.signedData), node(Class.CONTEXT_SPECIFIC, 0, true, [signedData])));
  }
}
