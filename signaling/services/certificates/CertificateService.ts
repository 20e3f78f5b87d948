import { recordAudit } from "../../audit";
import type { Db } from "../../db/client";
import { validityAt } from "../../domain/certificates";
import { AppError } from "../../errors";
import { type Actor, authorize, certificatePolicy } from "../../policies";
import { presentCertificate } from "../../presenters/certificate";
import type { UnitCertificateDto, UploadCertificateRequest } from "../../protocol";
import { sealContext } from "../../signing/DocumentSigner";
import { openPkcs12 } from "../../signing/pkcs12";
import type { LegacyKeys } from "../../keys/legacyKeys";
import type { ServerKey } from "../../keys/serverKey";

/**
 * The units' signing certificates: an admin over a unit uploads its PKCS#12 with the password, sees what
 * the certificate says, replaces or removes it; each change is audited (never with the password). The
 * file is checked at upload — it opens with the password, holds a key and that key's certificate, and is
 * valid today — so a document route never finds out at signing time that the upload was wrong.
 */
export class CertificateService {
  readonly #db: Db;
  readonly #key: ServerKey;
  readonly #now: () => Date;

  constructor(db: Db, key: ServerKey, options: { now?: () => Date } = {}) {
    this.#db = db;
    this.#key = key;
    this.#now = options.now ?? (() => new Date());
  }

  async read(actor: Actor, unitId: string): Promise<{ certificate: UnitCertificateDto | null }> {
    authorize(certificatePolicy.read(actor, await this.#unit(unitId)));
    const row = await this.#db.unitCertificate.findUnique({ where: { unitId } });
    return { certificate: row ? presentCertificate(row, this.#key.id, this.#now()) : null };
  }

  /** Adds or replaces the unit's certificate. */
  async upload(actor: Actor, unitId: string, body: UploadCertificateRequest, meta: { ip: string }): Promise<{ certificate: UnitCertificateDto }> {
    authorize(certificatePolicy.manage(actor, await this.#unit(unitId)));
    const file = Buffer.from(body.p12Base64, "base64");
    const { details } = openPkcs12(file, body.password);
    const validity = validityAt(details, this.#now());
    if (validity === "expired") throw new AppError("CERTIFICATE_EXPIRED", { detail: `not after ${details.notAfter.toISOString()}` });
    if (validity === "notYetValid") throw new AppError("CERTIFICATE_NOT_YET_VALID", { detail: `not before ${details.notBefore.toISOString()}` });
    const data = {
      p12: file,
      passwordSealed: this.#key.seal(body.password, sealContext(unitId, details.fingerprint)),
      keyId: this.#key.id,
      subject: details.subject,
      commonName: details.commonName,
      issuer: details.issuer,
      serialNumber: details.serialNumber,
      notBefore: details.notBefore,
      notAfter: details.notAfter,
      fingerprint: details.fingerprint,
      uploadedById: actor.id,
    };
    const row = await this.#db.$transaction(async (tx) => {
      const previous = await tx.unitCertificate.findUnique({ where: { unitId }, select: { fingerprint: true } });
      const saved = await tx.unitCertificate.upsert({ where: { unitId }, create: { unitId, ...data }, update: data });
      await recordAudit(tx, {
        actorId: actor.id,
        action: previous ? "unit.certificate.replace" : "unit.certificate.upload",
        subjectType: "unit",
        subjectId: unitId,
        detail: { fingerprint: details.fingerprint, subject: details.subject, issuer: details.issuer, notAfter: details.notAfter.toISOString(), ...(previous ? { replaced: previous.fingerprint } : {}) },
        ip: meta.ip,
      });
      return saved;
    });
    return { certificate: presentCertificate(row, this.#key.id, this.#now()) };
  }

  async remove(actor: Actor, unitId: string, meta: { ip: string }): Promise<{ ok: true }> {
    authorize(certificatePolicy.manage(actor, await this.#unit(unitId)));
    await this.#db.$transaction(async (tx) => {
      const row = await tx.unitCertificate.findUnique({ where: { unitId }, select: { fingerprint: true } });
      if (!row) throw new AppError("NOT_FOUND", { detail: "the unit has no certificate" });
      await tx.unitCertificate.delete({ where: { unitId } });
      await recordAudit(tx, { actorId: actor.id, action: "unit.certificate.remove", subjectType: "unit", subjectId: unitId, detail: { fingerprint: row.fingerprint }, ip: meta.ip });
    });
    return { ok: true };
  }

  /**
   * At start-up: the passwords an earlier version sealed under its own signing key are sealed again under
   * the server key (and marked with its id), so documents keep being signed after the keys became one.
   * A password no key opens is left as it is: the certificate shows "keyChanged" and is uploaded again.
   */
  async resealLegacy(legacy: LegacyKeys): Promise<number> {
    const rows = await this.#db.unitCertificate.findMany({ where: { keyId: { not: this.#key.id } }, select: { unitId: true, fingerprint: true, passwordSealed: true } });
    let resealed = 0;
    for (const row of rows) {
      const context = sealContext(row.unitId, row.fingerprint);
      const password = legacy.open(row.passwordSealed, context);
      if (password === null) continue;
      // Only the row still holding the value read is changed: an upload meanwhile is kept.
      const { count } = await this.#db.unitCertificate.updateMany({
        where: { unitId: row.unitId, passwordSealed: row.passwordSealed },
        data: { passwordSealed: this.#key.seal(password, context), keyId: this.#key.id },
      });
      resealed += count;
    }
    return resealed;
  }

  async #unit(unitId: string): Promise<{ id: string; path: string }> {
    const unit = await this.#db.unit.findUnique({ where: { id: unitId }, select: { id: true, path: true } });
    if (!unit) throw new AppError("NOT_FOUND", { detail: "unit not found" });
    return unit;
  }
}
