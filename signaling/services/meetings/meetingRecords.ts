import { recordAudit } from "../../audit";
import type { Db } from "../../db/client";
import { summariseAttendance } from "../../domain/attendance";
import { AppError } from "../../errors";
import { type Actor, authorize, type MeetingRecordRef, meetingPolicy, receptionPolicy, type UnitRef } from "../../policies";
import { receptionRecordingRef } from "../reception/sessions";
import { maskIdentityInText } from "../../presenters/case";
import { presentRecording } from "../../presenters/recording";
import type { RecordingService } from "../recordings/recording";

/** What a reader without the right to the citizen's identity sees instead of the name (and of what the citizen wrote). */
export const PROTECTED_CITIZEN_NAME = "Công dân (được bảo mật)";
const PROTECTED_CITIZEN_TEXT = "(nội dung của công dân được bảo mật)";

/**
 * Rows written for a citizen let in by a booking's link carry the guest actor's id, `guest:<bookingId>`
 * (realtime/authenticate.ts). In a reception room a row without an account is treated as the citizen's
 * too: nothing proves it is staff.
 */
const isCitizenRow = (userId: string | null): boolean => userId === null || userId.startsWith("guest:");

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** What the list and the record both show of a meeting. */
const meetingHeader = (meeting: { id: string; roomId: string; title: string; status: string; startedAt: Date | null; endedAt: Date | null }) => ({
  id: meeting.id,
  roomId: meeting.roomId,
  title: meeting.title,
  status: meeting.status,
  startedAt: iso(meeting.startedAt),
  endedAt: iso(meeting.endedAt),
});

interface MeetingShape {
  roomId: string;
  chairUserId: string | null;
  hostUnitId: string | null;
  sites: readonly { unitId: string }[];
  attendances: readonly { unitId: string | null }[];
}

interface RequestMeta {
  ip: string;
}

/**
 * Meeting records and live room state as each reader may see them: the meeting policy decides who reads
 * a meeting and whether the citizen of a reception room is shown; this module gathers the facts the
 * policy needs, masks what it refuses, and audits every read that shows a citizen.
 */
export class MeetingRecords {
  readonly #db: Db;
  readonly #recordings: RecordingService | undefined;

  constructor(db: Db, recordings?: RecordingService) {
    this.#db = db;
    this.#recordings = recordings;
  }

  /** Meetings the actor may read, newest first; the total counts only those. */
  async list(actor: Actor, page: number, pageSize: number) {
    authorize(meetingPolicy.list(actor));
    // A superset in the database (meetings touching the actor's ancestors or subtree, or chaired by them),
    // then the policy decides each one exactly.
    const ancestors = actor.unitPath.split("/").filter(Boolean);
    const subtree = (await this.#db.unit.findMany({ where: { path: { startsWith: actor.unitPath } }, select: { id: true } })).map((unit) => unit.id);
    const near = [...new Set([...ancestors, ...subtree])];
    const sessions = await this.#db.receptionSession.findMany({
      where: { OR: [{ hostUserId: actor.id }, { unitId: { in: near } }, { units: { some: { unitId: { in: near } } } }] },
      select: { roomId: true },
    });
    const candidates = await this.#db.meeting.findMany({
      where: {
        OR: [
          { chairUserId: actor.id },
          { hostUnitId: { in: near } },
          { sites: { some: { unitId: { in: near } } } },
          { attendances: { some: { unitId: { in: near } } } },
          { roomId: { in: sessions.map((session) => session.roomId) } },
        ],
      },
      orderBy: [{ startedAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }],
      select: { id: true, roomId: true, chairUserId: true, hostUnitId: true, sites: { select: { unitId: true } }, attendances: { select: { unitId: true }, distinct: ["unitId"] } },
    });
    const refs = await this.#refsOf(candidates);
    const readable = candidates.filter((meeting) => meetingPolicy.readRecord(actor, refs.get(meeting.roomId)!));
    const pageIds = readable.slice((page - 1) * pageSize, page * pageSize).map((meeting) => meeting.id);
    const rows = await this.#db.meeting.findMany({ where: { id: { in: pageIds } }, include: { attendances: { select: { displayName: true, unitId: true } } } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return {
      items: pageIds.flatMap((id) => {
        const meeting = byId.get(id);
        if (!meeting) return [];
        return [
          {
            ...meetingHeader(meeting),
            sites: new Set(meeting.attendances.map((row) => `${row.unitId}|${row.displayName}`)).size,
          },
        ];
      }),
      page,
      pageSize,
      total: readable.length,
    };
  }

  /** One meeting's record: attendance per site, chat and recordings, the citizen masked unless the policy allows. */
  async record(actor: Actor, meetingId: string, meta: RequestMeta) {
    const meeting = await this.#db.meeting.findUnique({
      where: { id: meetingId },
      include: { sites: { select: { unitId: true } }, attendances: true, chat: { orderBy: { at: "asc" } }, recordings: { orderBy: { startedAt: "asc" } } },
    });
    if (!meeting) throw new AppError("NOT_FOUND", { detail: "meeting not found" });
    const ref = await this.#refOf(meeting);
    authorize(meetingPolicy.readRecord(actor, ref));
    const names = meetingPolicy.readCitizenNames(actor, ref);
    const reception = ref.kind === "reception";
    const citizen = (userId: string | null) => reception && isCitizenRow(userId);
    const attendance = summariseAttendance(meeting.attendances.map((row) => (citizen(row.userId) && !names ? { ...row, displayName: PROTECTED_CITIZEN_NAME } : row)));
    // Staff write the citizen's name too ("Chào bà …"): it leaves their lines for readers who may not see it.
    const citizenNames = names ? [] : [...meeting.attendances, ...meeting.chat].filter((row) => citizen(row.userId)).map((row) => row.displayName);
    const chat = meeting.chat.map((message) => {
      const masked = citizen(message.userId) && !names;
      return {
        id: message.id,
        peerId: message.peerId,
        displayName: masked ? PROTECTED_CITIZEN_NAME : message.displayName,
        text: masked ? PROTECTED_CITIZEN_TEXT : maskIdentityInText(message.text, citizenNames, PROTECTED_CITIZEN_NAME),
        at: message.at.toISOString(),
      };
    });
    const shown = names && (meeting.attendances.some((row) => citizen(row.userId)) || meeting.chat.some((row) => citizen(row.userId)));
    if (shown) await this.#auditIdentity(actor, meeting, "record", meta);
    return {
      ...meetingHeader(meeting),
      sites: attendance.length,
      attendance,
      chat,
      recordings: meeting.recordings.map((row) => presentRecording(row, this.#recordings?.progress(row.id))),
    };
  }

  /** The attendance list for an export: the same reader and masking rules as the record. */
  async attendanceReport(actor: Actor, meetingId: string, meta: RequestMeta) {
    const meeting = await this.#db.meeting.findUnique({ where: { id: meetingId }, include: { sites: { select: { unitId: true } }, attendances: true } });
    if (!meeting) throw new AppError("NOT_FOUND", { detail: "meeting not found" });
    const ref = await this.#refOf(meeting);
    authorize(meetingPolicy.readRecord(actor, ref));
    const names = meetingPolicy.readCitizenNames(actor, ref);
    const citizen = (userId: string | null) => ref.kind === "reception" && isCitizenRow(userId);
    const rows = meeting.attendances.map((row) => (citizen(row.userId) && !names ? { ...row, displayName: PROTECTED_CITIZEN_NAME } : row));
    if (names && meeting.attendances.some((row) => citizen(row.userId))) await this.#auditIdentity(actor, meeting, "attendanceExport", meta);
    return { title: meeting.title, roomId: meeting.roomId, startedAt: iso(meeting.startedAt), endedAt: iso(meeting.endedAt), sites: summariseAttendance(rows) };
  }

  /** A recording to download, once the policy allows; the download and, in a reception, the citizen's identity are audited. */
  async recordingFile(actor: Actor, meetingId: string, recordingId: string, meta: RequestMeta) {
    const meeting = await this.#db.meeting.findUnique({ where: { id: meetingId }, include: { sites: { select: { unitId: true } }, attendances: { select: { unitId: true }, distinct: ["unitId"] } } });
    if (!meeting) throw new AppError("NOT_FOUND", { detail: "meeting not found" });
    const ref = await this.#refOf(meeting);
    authorize(meetingPolicy.downloadRecording(actor, ref));
    // A reception later found to concern a denunciation narrows its recordings further (set-once flag).
    const reception = ref.kind === "reception" ? await receptionRecordingRef(this.#db, meeting.roomId) : null;
    if (reception) authorize(receptionPolicy.downloadRecording(actor, reception));
    const row = await this.#db.recording.findFirst({ where: { id: recordingId, meetingId } });
    if (!row) throw new AppError("NOT_FOUND", { detail: "recording not found" });
    if (row.status !== "ready" || !row.file) throw new AppError("CONFLICT", { detail: `recording is ${row.status}` });
    await recordAudit(this.#db, { actorId: actor.id, action: "recording.download", subjectType: "recording", subjectId: row.id, detail: { meetingId }, ip: meta.ip });
    if (ref.kind === "reception") await this.#auditIdentity(actor, meeting, "recording", meta);
    return { file: row.file, sha256: row.sha256 };
  }

  /**
   * A live room's state for this reader. A room with no meeting record yet (its first join is still
   * being written) has nobody to read it but a reception's staff: fail closed.
   */
  async roomState<P extends { id: string; displayName: string }, S extends { peers: P[] }>(actor: Actor, roomId: string, live: () => Promise<S | null>, meta: RequestMeta): Promise<S> {
    const meeting = await this.#db.meeting.findUnique({
      where: { roomId },
      include: { sites: { select: { unitId: true } }, attendances: { select: { peerId: true, userId: true, unitId: true } } },
    });
    const ref = await this.#refOf(meeting ?? { roomId, chairUserId: null, hostUnitId: null, sites: [], attendances: [] });
    authorize(meetingPolicy.readRecord(actor, ref));
    const snapshot = await live();
    if (!snapshot) throw new AppError("NOT_FOUND", { detail: `room ${roomId} is not live` });
    if (ref.kind === "briefing") return snapshot;
    // Only peers whose attendance row shows a staff account are known not to be the citizen.
    const staff = new Set((meeting?.attendances ?? []).filter((row) => !isCitizenRow(row.userId)).map((row) => row.peerId));
    const citizens = snapshot.peers.filter((peer) => !staff.has(peer.id));
    if (citizens.length === 0) return snapshot;
    if (meetingPolicy.readCitizenNames(actor, ref)) {
      // Before the room's first join is written there is no meeting row yet: the room id still names it.
      await this.#auditIdentity(actor, { id: meeting?.id ?? null, roomId }, "roomState", meta);
      return snapshot;
    }
    return { ...snapshot, peers: snapshot.peers.map((peer) => (staff.has(peer.id) ? peer : { ...peer, displayName: PROTECTED_CITIZEN_NAME })) };
  }

  /** Like `case.identity.read`: one row per read that showed a reception's citizen, with how it was read. */
  async #auditIdentity(actor: Actor, meeting: { id: string | null; roomId: string }, via: "record" | "attendanceExport" | "recording" | "roomState", meta: RequestMeta): Promise<void> {
    await recordAudit(this.#db, { actorId: actor.id, action: "meeting.identity.read", subjectType: "meeting", subjectId: meeting.id, detail: { via, roomId: meeting.roomId }, ip: meta.ip });
  }

  async #refOf(meeting: MeetingShape): Promise<MeetingRecordRef> {
    return (await this.#refsOf([meeting])).get(meeting.roomId)!;
  }

  /** The facts the meeting policy needs, for many meetings in a few queries. */
  async #refsOf(meetings: readonly MeetingShape[]): Promise<Map<string, MeetingRecordRef>> {
    const sessions = await this.#db.receptionSession.findMany({
      where: { roomId: { in: meetings.map((meeting) => meeting.roomId) } },
      select: {
        roomId: true,
        unitId: true,
        hostUserId: true,
        units: { select: { unitId: true, role: true } },
        declaredKind: true,
        identityProtected: true,
        booking: { select: { petitionKind: true } },
        bookEntries: { select: { petitionKind: true, wasDenunciation: true } },
      },
    });
    const unitIds = new Set<string>();
    for (const meeting of meetings) {
      if (meeting.hostUnitId) unitIds.add(meeting.hostUnitId);
      for (const site of meeting.sites) unitIds.add(site.unitId);
      for (const row of meeting.attendances) if (row.unitId) unitIds.add(row.unitId);
    }
    for (const session of sessions) {
      unitIds.add(session.unitId);
      for (const place of session.units) unitIds.add(place.unitId);
    }
    const units = new Map((await this.#db.unit.findMany({ where: { id: { in: [...unitIds] } }, select: { id: true, path: true } })).map((unit) => [unit.id, unit]));
    const unitRef = (id: string | null): UnitRef[] => {
      const unit = id ? units.get(id) : undefined;
      return unit ? [unit] : [];
    };
    const sessionByRoom = new Map(sessions.map((session) => [session.roomId, session]));
    const refs = new Map<string, MeetingRecordRef>();
    for (const meeting of meetings) {
      const session = sessionByRoom.get(meeting.roomId);
      if (session) {
        // A session whose unit row is gone has no readers: an unknown path matches no scope.
        const unit = unitRef(session.unitId)[0] ?? { id: session.unitId, path: "\u0000" };
        // Every record of what the petition is: the booking, the kind declared with the consent, the book
        // entries; a set-once flag (the session or an entry once said denunciation) counts as saying it still.
        const kinds = [
          session.booking?.petitionKind,
          session.declaredKind,
          ...session.bookEntries.map((entry) => entry.petitionKind),
          session.identityProtected || session.bookEntries.some((entry) => entry.wasDenunciation) ? "denunciation" : null,
        ].filter((kind): kind is string => typeof kind === "string");
        refs.set(meeting.roomId, {
          kind: "reception",
          session: {
            unit,
            hostUserId: session.hostUserId,
            invited: session.units.flatMap((place) => unitRef(place.unitId).map((ref) => ({ unit: ref, role: place.role }))),
            petitionKinds: kinds,
          },
        });
        continue;
      }
      refs.set(meeting.roomId, {
        kind: "briefing",
        briefing: {
          chairUserId: meeting.chairUserId,
          hostUnit: unitRef(meeting.hostUnitId)[0] ?? null,
          invitedUnits: meeting.sites.flatMap((site) => unitRef(site.unitId)),
          attendingUnits: [...new Set(meeting.attendances.map((row) => row.unitId))].flatMap((id) => unitRef(id)),
        },
      });
    }
    return refs;
  }
}
