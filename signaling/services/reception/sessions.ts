import { randomBytes } from "node:crypto";
import { recordAudit } from "../../audit";
import type { Db } from "../../db/client";
import { vietnamDateOf } from "../../domain/deadlines";
import { recordingRefusal, type RecordingRefusal } from "../../domain/reception";
import { AppError } from "../../errors";
import { type Actor, authorize, receptionPolicy } from "../../policies";
import type { ReceptionRecordingRef } from "../../policies/reception";
import { presentSession } from "../../presenters/reception";
import type { CaseKind } from "../../domain/cases/workflow";
import { createCaseRequestSchema, type OpenSessionInput, type SessionDto } from "../../protocol";
import type { CaseService } from "../cases/cases";
import { activeUnit, type RequestMeta } from "./shared";

const SESSION_INCLUDE = {
  unit: { select: { name: true } },
  booking: { select: { code: true, petitionKind: true } },
  units: { include: { unit: { select: { name: true } } }, orderBy: { role: "asc" } },
} as const;

/**
 * Marks a session as concerning a denunciation, for good: its recordings are then for the leaders over
 * the unit and its host only, and it is not recorded again. Called by whoever learns it (the declared
 * kind here, a book entry written later).
 */
export async function protectSession(db: Pick<Db, "receptionSession">, sessionId: string): Promise<void> {
  await db.receptionSession.updateMany({ where: { id: sessionId, identityProtected: false }, data: { identityProtected: true } });
}

type SessionKindRef = { id: string; identityProtected: boolean; declaredKind: string | null; booking: { petitionKind: string } | null };

/**
 * What a session is about for the recording rules: a denunciation once anything said so (the session's
 * flag, a book entry), else the booking's kind or, at an office, the kind the officer declared; null
 * while nobody has said.
 */
async function sessionPetitionKind(db: Db, session: SessionKindRef): Promise<string | null> {
  if (session.identityProtected || session.booking?.petitionKind === "denunciation") return "denunciation";
  const denunciation = await db.receptionBookEntry.count({ where: { sessionId: session.id, OR: [{ petitionKind: "denunciation" }, { wasDenunciation: true }] } });
  if (denunciation > 0) return "denunciation";
  return session.booking?.petitionKind ?? session.declaredKind;
}

/**
 * The reception behind a recording's room as the download rule needs it (receptionPolicy.downloadRecording),
 * or null when the room is not a reception's (briefing rules apply).
 */
export async function receptionRecordingRef(db: Db, roomId: string): Promise<ReceptionRecordingRef | null> {
  const row = await db.receptionSession.findUnique({ where: { roomId }, include: { unit: { select: { path: true } }, booking: { select: { petitionKind: true } } } });
  if (!row) return null;
  return { unit: { id: row.unitId, path: row.unit.path }, hostUserId: row.hostUserId, identityProtected: (await sessionPetitionKind(db, row)) === "denunciation" };
}

/** A room id the realtime part can use as is: lowercase letters, digits and dashes. */
const newRoomId = () => `tiep-dan-${randomBytes(8).toString("hex")}`;

/**
 * Live reception sessions: opened by the officer or leader who receives, for a booked citizen (direct)
 * or a citizen at a local reception office with the agencies concerned (office); the citizen's consent
 * to recording, the recording and the case it led to are linked as they happen.
 */
export class ReceptionSessions {
  /** RECEPTION_RECORD_DENUNCIATIONS: a province whose rules allow it may record denunciation sessions. */

  constructor(private readonly db: Db, private readonly cases: CaseService, private readonly recordingPolicy = { recordDenunciations: false }) {}

  /** Whether sessions about a denunciation may be recorded here (off unless configured). */
  get recordsDenunciations(): boolean {
    return this.recordingPolicy.recordDenunciations;
  }

  async open(actor: Actor, input: OpenSessionInput, meta: RequestMeta): Promise<SessionDto> {
    const unit = await activeUnit(this.db, input.unitId);
    authorize(receptionPolicy.manageSessions(actor, unit) && receptionPolicy.hostSession(actor, input.kind));
    if (input.bookingId) {
      const booking = await this.db.booking.findUnique({ where: { id: input.bookingId }, include: { session: { select: { id: true } } } });
      if (!booking || booking.unitId !== unit.id) throw new AppError("NOT_FOUND", { detail: "booking not found in this unit" });
      if (booking.status === "cancelled") throw new AppError("BOOKING_CANCELLED");
      if (booking.session) throw new AppError("CONFLICT", { detail: "this booking already has a session" });
    }
    const uniqueUnits = [...new Map(input.units.map((item) => [item.unitId, item])).values()];
    const found = await this.db.unit.count({ where: { id: { in: uniqueUnits.map((item) => item.unitId) }, active: true } });
    if (found !== uniqueUnits.length) throw new AppError("NOT_FOUND", { detail: "a session unit does not exist or is inactive" });
    const row = await this.db.receptionSession.create({
      data: {
        unitId: unit.id,
        roomId: newRoomId(),
        shape: input.shape,
        kind: input.kind,
        hostUserId: actor.id,
        bookingId: input.bookingId ?? null,
        units: { create: uniqueUnits.map((item) => ({ unitId: item.unitId, role: item.role })) },
      },
      include: SESSION_INCLUDE,
    });
    await recordAudit(this.db, { actorId: actor.id, action: "reception.session.open", subjectType: "receptionSession", subjectId: row.id, detail: { shape: row.shape, kind: row.kind, bookingId: row.bookingId }, ip: meta.ip });
    return presentSession(row);
  }

  async list(actor: Actor, query: { unitId?: string | undefined; status?: string | undefined }): Promise<SessionDto[]> {
    const unit = await activeUnit(this.db, query.unitId ?? actor.unitId);
    authorize(receptionPolicy.manageSessions(actor, unit));
    const rows = await this.db.receptionSession.findMany({
      where: { unitId: unit.id, ...(query.status ? { status: query.status } : {}) },
      include: SESSION_INCLUDE,
      orderBy: { createdAt: "desc" },
      take: 200,
    });
    return rows.map(presentSession);
  }

  async read(actor: Actor, sessionId: string): Promise<SessionDto> {
    const row = await this.#load(sessionId);
    authorize(receptionPolicy.manageSessions(actor, { id: row.unitId, path: row.unitPath }));
    return presentSession(row);
  }

  /** For the realtime part: the session behind a room, if the room is a reception room. */
  async findByRoom(roomId: string): Promise<SessionDto | null> {
    const row = await this.db.receptionSession.findUnique({ where: { roomId }, include: SESSION_INCLUDE });
    return row ? presentSession(row) : null;
  }

  /** The first media flowed: open → live. Later calls change nothing. */
  async markLive(sessionId: string, at: Date): Promise<SessionDto> {
    await this.db.receptionSession.updateMany({ where: { id: sessionId, status: "open" }, data: { status: "live", startedAt: at } });
    return presentSession(await this.#load(sessionId));
  }

  /** Ends the session (idempotent: ending an ended session returns it unchanged); a booked citizen who was admitted counts as received. */
  async end(actor: Actor, sessionId: string, at: Date): Promise<SessionDto> {
    const current = await this.#load(sessionId);
    authorize(receptionPolicy.manageSessions(actor, { id: current.unitId, path: current.unitPath }));
    if (current.status === "ended") return presentSession(current);
    await this.db.$transaction(async (tx) => {
      await tx.receptionSession.updateMany({ where: { id: sessionId, status: { not: "ended" } }, data: { status: "ended", endedAt: at } });
      if (current.bookingId) await tx.booking.updateMany({ where: { id: current.bookingId, status: "admitted" }, data: { status: "received" } });
    });
    await recordAudit(this.db, { actorId: actor.id, action: "reception.session.end", subjectType: "receptionSession", subjectId: sessionId });
    return presentSession(await this.#load(sessionId));
  }

  /**
   * The citizen's answer to the recording notice (it may be withdrawn: the latest answer counts). At an
   * office the officer records it with what the visit is about (`petitionKind`), declared before any
   * recording; a declared denunciation protects the session for good.
   */
  async recordConsent(sessionId: string, given: boolean, at: Date, petitionKind?: CaseKind): Promise<SessionDto> {
    const current = await this.#load(sessionId);
    if (current.status === "ended") throw new AppError("SESSION_ENDED");
    await this.db.$transaction(async (tx) => {
      await tx.receptionSession.update({ where: { id: sessionId }, data: { consentGiven: given, consentAt: at, ...(petitionKind ? { declaredKind: petitionKind } : {}) } });
      if (petitionKind === "denunciation") await protectSession(tx, sessionId);
      await recordAudit(tx, { actorId: null, action: "reception.session.consent", subjectType: "receptionSession", subjectId: sessionId, detail: { given, at: at.toISOString(), ...(petitionKind ? { petitionKind } : {}) } });
    });
    return presentSession(await this.#load(sessionId));
  }

  /** Why the session may not be recorded now (no consent, a denunciation, nothing declared), or null when it may. */
  async recordingRefusal(sessionId: string): Promise<RecordingRefusal | null> {
    const current = await this.#load(sessionId);
    return recordingRefusal({ consentGiven: current.consentGiven, petitionKind: await this.#petitionKind(current) }, this.recordingPolicy);
  }

  async linkRecording(sessionId: string, recordingId: string): Promise<SessionDto> {
    const current = await this.#load(sessionId);
    const refusal = recordingRefusal({ consentGiven: current.consentGiven, petitionKind: await this.#petitionKind(current) }, this.recordingPolicy);
    if (refusal) throw new AppError(refusal);
    if (!(await this.db.recording.findUnique({ where: { id: recordingId }, select: { id: true } }))) throw new AppError("NOT_FOUND", { detail: "recording not found" });
    await this.db.receptionSession.update({ where: { id: sessionId }, data: { recordingId } });
    return presentSession(await this.#load(sessionId));
  }

  /** Links the case the session led to; the session's book entries without a case get it too. */
  async linkCase(sessionId: string, caseId: string): Promise<SessionDto> {
    await this.#load(sessionId);
    if (!(await this.db.case.findUnique({ where: { id: caseId }, select: { id: true } }))) throw new AppError("NOT_FOUND", { detail: "case not found" });
    await this.db.$transaction([
      this.db.receptionSession.update({ where: { id: sessionId }, data: { caseId } }),
      this.db.receptionBookEntry.updateMany({ where: { sessionId, caseId: null }, data: { caseId } }),
    ]);
    return presentSession(await this.#load(sessionId));
  }

  /**
   * Files a petition from the session through the case intake (channel "reception"), prefilled from the
   * booking or else the session's book entry; returns its code and the citizen's lookup secret.
   */
  async createCase(actor: Actor, sessionId: string, input: { summary?: string | undefined; kind?: CaseKind | undefined }, meta: RequestMeta) {
    const current = await this.#load(sessionId);
    authorize(receptionPolicy.manageSessions(actor, { id: current.unitId, path: current.unitPath }));
    if (current.caseId) throw new AppError("CONFLICT", { detail: "the session already has a case" });
    const source = await this.#caseSource(current);
    const candidate = createCaseRequestSchema.safeParse({
      unitId: current.unitId,
      channel: "reception",
      receivedDate: vietnamDateOf(new Date()),
      summary: input.summary ?? source.content.slice(0, 120),
      content: source.content,
      anonymous: false,
      ...((input.kind ?? source.kind) ? { kind: input.kind ?? source.kind } : {}),
      parties: [{ role: "petitioner", ...source.petitioner }],
    });
    if (!candidate.success) throw AppError.fromZod(candidate.error);
    // A session about a denunciation files a protected case even if the officer picks another kind now. "About
    // a denunciation" is the session's own rule (the flag, the declared kind, any book entry ever written as
    // one), not only the first entry's kind today: that one may have been corrected to a complaint.
    const wasDenunciation = source.kind === "denunciation" || (await this.#petitionKind(current)) === "denunciation";
    const { case: created, lookupSecret } = await this.cases.create(actor, candidate.data, meta, { wasDenunciation });
    const sourceKind = wasDenunciation ? "denunciation" : source.kind;
    if (input.kind && sourceKind && input.kind !== sourceKind) {
      await recordAudit(this.db, { actorId: actor.id, action: "case.reclassify", subjectType: "case", subjectId: created.id, detail: { from: sourceKind, to: input.kind, wasDenunciation }, ip: meta.ip });
    }
    await this.linkCase(sessionId, created.id);
    await recordAudit(this.db, { actorId: actor.id, action: "reception.session.case", subjectType: "receptionSession", subjectId: sessionId, detail: { caseId: created.id, code: created.code }, ip: meta.ip });
    return { caseId: created.id, code: created.code, lookupSecret };
  }

  #petitionKind(session: SessionKindRef): Promise<string | null> {
    return sessionPetitionKind(this.db, session);
  }

  async #caseSource(session: { id: string; bookingId: string | null }) {
    const dropEmpty = (value: string | null) => value ?? undefined;
    if (session.bookingId) {
      const booking = await this.db.booking.findUniqueOrThrow({ where: { id: session.bookingId } });
      return {
        content: booking.content,
        kind: booking.petitionKind as CaseKind,
        petitioner: { name: booking.fullName, idNumber: booking.cccd, phone: booking.phone, address: booking.address },
      };
    }
    const entry = await this.db.receptionBookEntry.findFirst({ where: { sessionId: session.id }, include: { citizens: { orderBy: { id: "asc" } } }, orderBy: { createdAt: "asc" } });
    const citizen = entry?.citizens[0];
    if (!entry || !citizen) throw new AppError("VALIDATION_FAILED", { details: [{ path: "sessionId", message: "record the visit in the reception book first" }], detail: "no citizen data" });
    return {
      content: entry.content,
      kind: (entry.petitionKind ?? undefined) as CaseKind | undefined,
      petitioner: { name: citizen.fullName, address: citizen.address, idNumber: dropEmpty(citizen.cccd), phone: dropEmpty(citizen.phone) },
    };
  }

  async #load(sessionId: string) {
    const row = await this.db.receptionSession.findUnique({ where: { id: sessionId }, include: { ...SESSION_INCLUDE, unit: { select: { name: true, path: true } } } });
    if (!row) throw new AppError("NOT_FOUND", { detail: "reception session not found" });
    return { ...row, unitPath: row.unit.path };
  }
}
