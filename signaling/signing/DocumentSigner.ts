import { recordAudit } from "../audit";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { certificateStatus } from "../presenters/certificate";
import type { SignatureOutcome, SigningMode } from "../protocol";
import { CadesSigner } from "./cades";
import { openPkcs12 } from "./pkcs12";
import type { ServerKey } from "../keys/serverKey";
import { signPdfWith } from "./signPdf";


export interface SignRequest {
  /** The issuing unit, whose certificate signs. */
  unitId: string;
  /** The signature's reason, e.g. "Thông báo kết luận". */
  reason: string;
  /** The signature's location; the unit's name when not given. */
  location?: string;
  mode?: SigningMode;
  /** Who asked for the signed document, for the audit log; the document it is. */
  audit?: { actorId: string; ip: string; subjectType: string; subjectId: string };
}

export interface SignedDocument {
  file: Buffer;
  signature: SignatureOutcome;
}

/** The sealed password is bound to its unit and certificate: copied to another row it does not open. */
export const sealContext = (unitId: string, fingerprint: string): string => `unit-certificate:${unitId}:${fingerprint}`;


/**
 * Signs the PDFs the system issues with the issuing unit's certificate (PAdES, ETSI.CAdES.detached; see
 * cades.ts): one entry point for every document — reception conclusion notices, periodic reports and the
 * briefing's conclusion notice — so they all carry the same kind of signature.
 *
 * Documents are signed when they are issued (downloaded), with the time of signing. An office issuing an
 * electronic document signs it with the unit's certificate (NĐ 30/2020, Art. 8), so signing is automatic
 * once the unit has one; without one (or with an expired one) the PDF goes out unsigned and says why in
 * the X-Document-Signature header, so the paper route (print, sign, stamp) still works.
 */
export class DocumentSigner {
  readonly #db: Db;
  readonly #key: ServerKey;
  readonly #now: () => Date;
  /** Opened certificates by unit, keyed by the row's version: opening a PKCS#12 costs a key derivation. */
  readonly #opened = new Map<string, { version: string; signer: CadesSigner }>();

  constructor(db: Db, key: ServerKey, options: { now?: () => Date } = {}) {
    this.#db = db;
    this.#key = key;
    this.#now = options.now ?? (() => new Date());
  }

  async sign(pdf: Buffer, request: SignRequest): Promise<SignedDocument> {
    const mode = request.mode ?? "auto";
    if (mode === "draft") return { file: pdf, signature: "draft" };
    const row = await this.#db.unitCertificate.findUnique({ where: { unitId: request.unitId }, include: { unit: { select: { name: true } } } });
    const now = this.#now();
    const status = row ? certificateStatus(row, this.#key.id, now) : "noCertificate";
    const signer = row && status === "valid" ? this.#signerFor(row) : null;
    if (!row || !signer) {
      const outcome = status === "valid" ? "keyChanged" : status;
      if (mode === "required") throw new AppError("SIGNING_UNAVAILABLE", { detail: `no usable certificate: ${outcome}` });
      return { file: pdf, signature: outcome };
    }
    const file = await signPdfWith(pdf, signer, { reason: request.reason, location: request.location ?? row.unit.name, name: row.commonName, signingTime: now });
    if (request.audit) {
      const { actorId, ip, subjectType, subjectId } = request.audit;
      await recordAudit(this.#db, { actorId, action: "document.sign", subjectType, subjectId, detail: { unitId: request.unitId, reason: request.reason, certificate: row.fingerprint }, ip });
    }
    return { file, signature: "signed" };
  }

  /** The unit's opened certificate, or null when its sealed password does not open (altered, or another key). */
  #signerFor(row: { unitId: string; p12: Uint8Array; passwordSealed: string; fingerprint: string; updatedAt: Date }): CadesSigner | null {
    const version = `${row.fingerprint}:${row.updatedAt.getTime()}`;
    const cached = this.#opened.get(row.unitId);
    if (cached?.version === version) return cached.signer;
    const password = this.#key.open(row.passwordSealed, sealContext(row.unitId, row.fingerprint));
    if (password === null) return null;
    const signer = new CadesSigner(openPkcs12(Buffer.from(row.p12), password));
    this.#opened.set(row.unitId, { version, signer });
    return signer;
  }
}

/** `signer.sign`, or, where no signer was wired (some tests build services by hand), the PDF as it is. */
export async function signIssued(signer: DocumentSigner | undefined, pdf: Buffer, request: SignRequest): Promise<SignedDocument> {
  if (signer) return signer.sign(pdf, request);
  if (request.mode === "required") throw new AppError("SIGNING_UNAVAILABLE", { detail: "no signer configured" });
  return { file: pdf, signature: request.mode === "draft" ? "draft" : "noCertificate" };
}
