import { recordAudit } from "../../audit";
import type { Db } from "../../db/client";
import { vietnamDaysRange } from "../../domain/reception";
import { AppError } from "../../errors";
import { type Actor, authorize, receptionPolicy, type RoleHolder } from "../../policies";
import { rolesOf } from "../../presenters/user";
import { entryIdentityProtected } from "../../policies/reception";
import { type EntryRow, presentEntry } from "../../presenters/reception";
import type { ConfirmationMethod, CreateEntryInput, EntryDto, ReceptionStatistics, SignatureOutcome, SigningMode, UpdateEntryInput } from "../../protocol";
import { conclusionNoticePdf } from "../../reports/conclusionNoticePdf";
import { type DocumentSigner, signIssued } from "../../signing/DocumentSigner";
import { receptionBookPdf } from "../../reports/receptionBookPdf";
import { receptionBookXlsx } from "../../reports/receptionBookXlsx";
import { receptionStatistics } from "./receptionStatistics";
import { protectSession, type ReceptionSessions } from "./sessions";
import { activeUnit, invalidField, type RequestMeta } from "./shared";

const ENTRY_INCLUDE = {
  unit: { select: { name: true, path: true } },
  citizens: { orderBy: { id: "asc" } },
  // The other places of a multi-site reception: the office where the citizen sat, the agencies.
  session: { select: { identityProtected: true, units: { select: { role: true, unit: { select: { name: true } } }, orderBy: { role: "asc" } } } },
  // A booking about a denunciation protects the entry of its visit, whatever kind the officer wrote.
  booking: { select: { petitionKind: true } },
} as const;
/** A generated document, ready to send. */
export interface ExportedFile {
  file: Buffer;
  fileName: string;
  contentType: string;
  /** For an issued PDF: whether it carries the unit's signature, or why not. */
  signature?: SignatureOutcome;
}

const CONTENT_TYPES = { xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", pdf: "application/pdf" } as const;

/** An export covers at most this many visits (a year of a busy unit). */
const MAX_EXPORT_ENTRIES = 5000;

type LoadedEntry = EntryRow & {
  unit: { name: string; path: string };
  createdById: string;
  wasDenunciation: boolean;
  booking: { petitionKind: string } | null;
  session: { identityProtected: boolean; units: { role: string; unit: { name: string } }[] } | null;
};

/** Where an entry is shown: opened on its own (and its conclusion notice), or in a list or period export. */
type EntryView = "one" | "list";

/** The entry as the denouncer rule sees it: its own kind, and what its booking and session say. */
const entryRef = (row: LoadedEntry) => ({
  unit: { id: row.unitId, path: row.unit.path },
  petitionKind: row.petitionKind,
  wasDenunciation: row.wasDenunciation || row.booking?.petitionKind === "denunciation" || row.session?.identityProtected === true,
  receivingOfficerUserId: row.receivingOfficerUserId,
  createdById: row.createdById,
});

/**
 * The reception book (sổ tiếp công dân): one entry per visit with every citizen received, the handling,
 * the citizen's electronic confirmation and the leader's conclusion. A denouncer's identity is shown only
 * to those the policy names, and each such read (lists and exports included) is audited.
 */
export class ReceptionBook {
  readonly #protectedListeners: ((session: { id: string; roomId: string }) => Promise<void>)[] = [];

  constructor(private readonly db: Db, private readonly sessions: ReceptionSessions, private readonly signer?: DocumentSigner) {}

  /**
   * The live side's hook: called (and awaited, before the entry is answered) when a book entry shows that
   * its session concerns a denunciation that may not be recorded, so a recording under way stops at once.
   */
  onSessionProtected(listener: (session: { id: string; roomId: string }) => Promise<void>): void {
    this.#protectedListeners.push(listener);
  }

  async create(actor: Actor, input: CreateEntryInput, meta: RequestMeta): Promise<EntryDto> {
    return this.#afterEntry(await this.#create(actor, input, meta));
  }

  async update(actor: Actor, entryId: string, patch: UpdateEntryInput, meta: RequestMeta): Promise<EntryDto> {
    return this.#afterEntry(await this.#update(actor, entryId, patch, meta));
  }

  async #afterEntry(entry: EntryDto): Promise<EntryDto> {
    if (!entry.sessionId || this.#protectedListeners.length === 0) return entry;
    if ((await this.sessions.recordingRefusal(entry.sessionId)) !== "RECORDING_NOT_ALLOWED") return entry;
    const session = await this.db.receptionSession.findUnique({ where: { id: entry.sessionId }, select: { id: true, roomId: true } });
    if (session) for (const listener of this.#protectedListeners) await listener(session);
    return entry;
  }

  /** The book of a period as PDF or XLSX, shaped for this reader (a denouncer only for the leaders over the unit). */
  async exportFile(actor: Actor, query: { unitId?: string | undefined; from: string; to: string; format: "pdf" | "xlsx" }, meta: RequestMeta): Promise<ExportedFile> {
    const { unit, entries } = await this.#forExport(actor, query, meta);
    const document = { unitName: unit.name, from: query.from, to: query.to, entries };
    const file = query.format === "pdf" ? await receptionBookPdf(document) : await receptionBookXlsx(document);
    return { file, fileName: `so-tiep-cong-dan-${query.from}-${query.to}.${query.format}`, contentType: CONTENT_TYPES[query.format] };
  }

  /**
   * The leader's conclusion notice of one entry as PDF, signed with the receiving unit's certificate when
   * it has a usable one (`mode`: see DocumentSigner).
   */
  async conclusionNoticeFile(actor: Actor, entryId: string, meta: RequestMeta, mode: SigningMode = "auto"): Promise<ExportedFile> {
    const { entry, unitId } = await this.#forConclusionNotice(actor, entryId, meta);
    const pdf = await conclusionNoticePdf(entry);
    const signed = await signIssued(this.signer, pdf, {
      unitId,
      reason: "Thông báo kết luận tiếp công dân",
      mode,
      audit: { actorId: actor.id, ip: meta.ip, subjectType: "receptionBookEntry", subjectId: entryId },
    });
    return { file: signed.file, signature: signed.signature, fileName: `thong-bao-ket-luan-tiep-cong-dan-${entry.receivedAt.slice(0, 10)}.pdf`, contentType: CONTENT_TYPES.pdf };
  }

  /** The reception figures of a period in the actor's units (no personal data). */
  async statistics(actor: Actor, from: string, to: string): Promise<ReceptionStatistics> {
    authorize(receptionPolicy.readStatistics(actor));
    return receptionStatistics(this.db, { unitId: actor.unitId, unitPath: actor.unitPath }, from, to);
  }

  async #create(actor: Actor, input: CreateEntryInput, meta: RequestMeta): Promise<EntryDto> {
    const unit = await activeUnit(this.db, input.unitId);
    authorize(receptionPolicy.writeBook(actor, unit) || (await this.#atSessionOffice(actor, input.sessionId)));
    await this.#checkLinks(unit.id, input);
    const officer = await this.#staffMember(input.receivingOfficerUserId ?? actor.id, actor, "receivingOfficerUserId", receptionPolicy.mayReceiveCitizens, "officer or leader");
    const leaderId = input.leaderUserId ?? (input.kind !== "regular" && receptionPolicy.leadsReceptionDays(actor) ? actor.id : undefined);
    if (input.kind !== "regular" && !leaderId) throw invalidField("leaderUserId", "periodic and ad-hoc reception is held by a leader");
    const leader = leaderId ? await this.#staffMember(leaderId, actor, "leaderUserId", receptionPolicy.leadsReceptionDays, "leader") : null;
    const denunciation = input.petitionKind === "denunciation";
    // The entry and the record of who wrote it are committed together (the book is evidence).
    const row = await this.db.$transaction(async (tx) => {
      const created = await tx.receptionBookEntry.create({
        data: {
          unitId: unit.id,
          sessionId: input.sessionId ?? null,
          bookingId: input.bookingId ?? null,
          receivedAt: new Date(input.receivedAt),
          kind: input.kind,
          receivingOfficerUserId: officer.id,
          receivingOfficerName: officer.displayName,
          leaderUserId: leader?.id ?? null,
          leaderName: leader?.displayName ?? null,
          peopleCount: input.peopleCount,
          content: input.content,
          dossier: input.dossier ?? null,
          handling: input.handling,
          handlingNote: input.handlingNote ?? null,
          petitionKind: input.petitionKind ?? null,
          caseId: input.caseId ?? null,
          wasDenunciation: denunciation,
          createdById: actor.id,
          citizens: { create: input.citizens.map((citizen) => ({ fullName: citizen.fullName, address: citizen.address, cccd: citizen.cccd ?? null, phone: citizen.phone ?? null })) },
        },
        include: ENTRY_INCLUDE,
      });
      await recordAudit(tx, { actorId: actor.id, action: "reception.entry.create", subjectType: "receptionBookEntry", subjectId: created.id, detail: { unitId: unit.id, kind: created.kind, people: created.peopleCount }, ip: meta.ip });
      // Written after the recording, a denunciation still protects the session and what it recorded.
      if (denunciation && created.sessionId) await protectSession(tx, created.sessionId);
      return created;
    });
    return this.#present(actor, row, meta, "one");
  }

  /** Corrections before the citizen confirmed; afterwards the entry is what they confirmed. */
  async #update(actor: Actor, entryId: string, patch: UpdateEntryInput, meta: RequestMeta): Promise<EntryDto> {
    const current = await this.#load(entryId);
    authorize(receptionPolicy.writeBook(actor, current.unit) && receptionPolicy.readEntryIdentity(actor, entryRef(current)));
    if (current.citizenConfirmedAt) throw new AppError("ENTRY_CONFIRMED");
    const people = patch.peopleCount ?? current.peopleCount;
    if (people < (patch.citizens ?? current.citizens).length) throw invalidField("peopleCount", "the number of people cannot be below the citizens listed");
    if (patch.caseId) await this.#checkLinks(current.unitId, { caseId: patch.caseId });
    const { citizens, ...fields } = patch;
    const denunciation = patch.petitionKind === "denunciation";
    await this.db.$transaction(async (tx) => {
      // Only an unconfirmed entry changes; a confirmation arriving meanwhile wins. The protection is set, never cleared.
      const { count } = await tx.receptionBookEntry.updateMany({ where: { id: entryId, citizenConfirmedAt: null }, data: { ...fields, ...(denunciation ? { wasDenunciation: true } : {}) } });
      if (count === 0) throw new AppError("ENTRY_CONFIRMED");
      if (denunciation && current.sessionId) await protectSession(tx, current.sessionId);
      if (citizens) {
        await tx.receptionCitizen.deleteMany({ where: { entryId } });
        await tx.receptionCitizen.createMany({ data: citizens.map((citizen) => ({ entryId, fullName: citizen.fullName, address: citizen.address, cccd: citizen.cccd ?? null, phone: citizen.phone ?? null })) });
      }
      await recordAudit(tx, { actorId: actor.id, action: "reception.entry.update", subjectType: "receptionBookEntry", subjectId: entryId, detail: { changed: Object.keys(patch) }, ip: meta.ip });
    });
    return this.#present(actor, await this.#load(entryId), meta, "one");
  }

  async read(actor: Actor, entryId: string, meta: RequestMeta): Promise<EntryDto> {
    const row = await this.#load(entryId);
    // The local office's officer who wrote a session's entry may read it back (not the rest of the book).
    authorize(receptionPolicy.readEntry(actor, entryRef(row)));
    return this.#present(actor, row, meta, "one");
  }

  /** A unit's book for a period (local dates, inclusive), newest first. */
  async list(actor: Actor, query: { unitId?: string | undefined; from?: string | undefined; to?: string | undefined }, page: { page: number; pageSize: number }, meta: RequestMeta) {
    const unit = await activeUnit(this.db, query.unitId ?? actor.unitId);
    authorize(receptionPolicy.readBook(actor, unit));
    const where = { unitId: unit.id, ...this.#period(query.from, query.to) };
    const [total, rows] = await this.db.$transaction([
      this.db.receptionBookEntry.count({ where }),
      this.db.receptionBookEntry.findMany({ where, include: ENTRY_INCLUDE, orderBy: [{ receivedAt: "desc" }, { id: "asc" }], skip: (page.page - 1) * page.pageSize, take: page.pageSize }),
    ]);
    const items: EntryDto[] = [];
    for (const row of rows) items.push(await this.#present(actor, row, meta, "list"));
    return { items, total, page: page.page, pageSize: page.pageSize };
  }

  /** The entries of an export, in book order (oldest first), already shaped for this reader. */
  async #forExport(actor: Actor, query: { unitId?: string | undefined; from: string; to: string }, meta: RequestMeta) {
    const unit = await activeUnit(this.db, query.unitId ?? actor.unitId);
    authorize(receptionPolicy.readBook(actor, unit));
    const rows = await this.db.receptionBookEntry.findMany({
      where: { unitId: unit.id, ...this.#period(query.from, query.to) },
      include: ENTRY_INCLUDE,
      orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
      take: MAX_EXPORT_ENTRIES,
    });
    const entries: EntryDto[] = [];
    for (const row of rows) entries.push(await this.#present(actor, row, meta, "list"));
    return { unit: { id: unit.id, name: unit.name }, entries };
  }

  /**
   * The citizen confirms what the officer wrote (their electronic signature). Called from the live
   * session for the citizen, who has no account, and by staff on the citizen's behalf at an office.
   */
  async confirm(entryId: string, at: Date, method: ConfirmationMethod = "online_session") {
    const { count } = await this.db.receptionBookEntry.updateMany({ where: { id: entryId, citizenConfirmedAt: null }, data: { citizenConfirmedAt: at, confirmationMethod: method } });
    if (count === 0) {
      if (!(await this.db.receptionBookEntry.findUnique({ where: { id: entryId }, select: { id: true } }))) throw new AppError("NOT_FOUND", { detail: "book entry not found" });
      throw new AppError("ENTRY_CONFIRMED");
    }
    await recordAudit(this.db, { actorId: null, action: "reception.entry.confirm", subjectType: "receptionBookEntry", subjectId: entryId, detail: { method, at: at.toISOString() } });
    return this.#load(entryId);
  }

  async confirmAsStaff(actor: Actor, entryId: string, method: ConfirmationMethod, meta: RequestMeta): Promise<EntryDto> {
    const current = await this.#load(entryId);
    authorize(receptionPolicy.writeBook(actor, current.unit));
    const row = await this.confirm(entryId, new Date(), method);
    return this.#present(actor, row, meta, "one");
  }

  /** The leader's conclusion notice; issued once (a notice is a document, not a draft). */
  async conclude(actor: Actor, entryId: string, input: { conclusion: string; issuedAt?: string | undefined }, meta: RequestMeta): Promise<EntryDto> {
    const current = await this.#load(entryId);
    authorize(receptionPolicy.conclude(actor, current.unit));
    if (current.conclusionIssuedAt) throw new AppError("CONFLICT", { detail: "the conclusion notice was already issued" });
    const leader = current.leaderUserId ? null : await this.db.user.findUniqueOrThrow({ where: { id: actor.id }, select: { id: true, displayName: true } });
    const { count } = await this.db.receptionBookEntry.updateMany({
      where: { id: entryId, conclusionIssuedAt: null },
      data: { conclusion: input.conclusion, conclusionIssuedAt: input.issuedAt ? new Date(input.issuedAt) : new Date(), ...(leader ? { leaderUserId: leader.id, leaderName: leader.displayName } : {}) },
    });
    if (count === 0) throw new AppError("CONFLICT", { detail: "the conclusion notice was already issued" });
    await recordAudit(this.db, { actorId: actor.id, action: "reception.entry.conclude", subjectType: "receptionBookEntry", subjectId: entryId, ip: meta.ip });
    return this.#present(actor, await this.#load(entryId), meta, "one");
  }

  /** The entry behind a conclusion notice, shaped for this reader. */
  async #forConclusionNotice(actor: Actor, entryId: string, meta: RequestMeta) {
    const row = await this.#load(entryId);
    authorize(receptionPolicy.readEntry(actor, entryRef(row)));
    if (!row.conclusionIssuedAt || !row.conclusion) throw new AppError("NOT_FOUND", { detail: "no conclusion notice for this entry yet" });
    return { entry: await this.#present(actor, row, meta, "one"), unitId: row.unitId, unitPath: row.unit.path };
  }

  /** The one place an entry is shaped for a reader: the policy decides, each read of a denouncer is audited. */
  async #present(actor: Actor, row: LoadedEntry, meta: RequestMeta, view: EntryView): Promise<EntryDto> {
    const ref = entryRef(row);
    const mayRead = view === "one" ? receptionPolicy.readEntryIdentity(actor, ref) : receptionPolicy.listEntryIdentity(actor, ref);
    if (mayRead && entryIdentityProtected(ref)) {
      await recordAudit(this.db, { actorId: actor.id, action: "reception.identity.read", subjectType: "receptionBookEntry", subjectId: row.id, ip: meta.ip });
    }
    return presentEntry(row, mayRead);
  }

  async #load(entryId: string): Promise<LoadedEntry & { unit: { id: string; name: string; path: string } }> {
    const row = await this.db.receptionBookEntry.findUnique({ where: { id: entryId }, include: ENTRY_INCLUDE });
    if (!row) throw new AppError("NOT_FOUND", { detail: "book entry not found" });
    return { ...row, unit: { ...row.unit, id: row.unitId } };
  }

  #period(from: string | undefined, to: string | undefined) {
    if (!from && !to) return {};
    const range = vietnamDaysRange(from ?? "2000-01-01", to ?? "2100-12-31");
    return { receivedAt: range };
  }

  /**
   * An officer of the local reception office where the citizen sits writes that session's entry: they
   * took the citizen's details there, for the unit that receives.
   */
  async #atSessionOffice(actor: Actor, sessionId: string | undefined): Promise<boolean> {
    if (!sessionId || !receptionPolicy.writesForSessionOffice(actor)) return false;
    const offices = await this.db.receptionSessionUnit.findMany({ where: { sessionId, role: "office" }, select: { unit: { select: { path: true } } } });
    return offices.some((office) => actor.unitPath.startsWith(office.unit.path));
  }

  /** The session, booking and case an entry points at must exist and belong to its unit. */
  async #checkLinks(unitId: string, links: { sessionId?: string | undefined; bookingId?: string | undefined; caseId?: string | undefined }) {
    if (links.sessionId) {
      const session = await this.db.receptionSession.findUnique({ where: { id: links.sessionId }, select: { unitId: true } });
      if (session?.unitId !== unitId) throw invalidField("sessionId", "no such session in this unit");
    }
    if (links.bookingId) {
      const booking = await this.db.booking.findUnique({ where: { id: links.bookingId }, select: { unitId: true } });
      if (booking?.unitId !== unitId) throw invalidField("bookingId", "no such booking in this unit");
    }
    if (links.caseId && !(await this.db.case.findUnique({ where: { id: links.caseId }, select: { id: true } }))) throw invalidField("caseId", "no such case");
  }

  /** An active account in the actor's units with one of the roles (the receiving officer, the leader). */
  async #staffMember(userId: string, actor: Actor, field: string, fitsRole: (account: RoleHolder) => boolean, roleName: string) {
    const user = await this.db.user.findUnique({ where: { id: userId }, include: { unit: true, roles: true } });
    const fits = user?.active && user.unit.path.startsWith(actor.unitPath) && fitsRole({ roles: rolesOf(user) });
    if (!user || !fits) throw invalidField(field, `must be an active ${roleName} account in your units`);
    return user;
  }
}
