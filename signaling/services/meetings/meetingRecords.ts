import { recordAudit } from "../../audit";
import type { Db } from "../../db/client";
import { summariseAttendance } from "../../domain/attendance";
import { AppError } from "../../errors";
import { type Actor, authorize, type MeetingRecordRef, meetingPolicy, receptionPolicy } from "../../policies";
import { receptionRecordingRef } from "../reception/sessions";
import { type MeetingShape, meetingRecordRefs } from "./recordRefs";
import { maskIdentityInText } from "../../presenters/case";
import { presentRecording } from "../../presenters/recording";
import type { RecordingService } from "../recordings/RecordingService";

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
export const meetingHeader = (meeting: { id: string; roomId: string; title: string; status: string; startedAt: Date | null; endedAt: Date | null }) => ({
  id: meeting.id,
  roomId: meeting.roomId,
  title: meeting.title,
  status: meeting.status,
  startedAt: iso(meeting.startedAt),
  endedAt: iso(meeting.endedAt),
});

interface RequestMeta {
  ip: string;
}

/**
 * Meeting records and live room state as each reader may see them: the meeting policy decides who reads
 * a meeting and whether the citizen of a reception room is shown; this module gathers the facts the
 * policy needs, masks what it refuses, and audits every read that shows a citizen.
 */
export class MeetingRecords {
  constructor(private readonly db: Db, private readonly recordings?: RecordingService) {}

  /** One meeting's record: attendance per site, chat and recordings, the citizen masked unless the policy allows. */
  async record(actor: Actor, meetingId: string, meta: RequestMeta) {
    const meeting = await this.db.meeting.findUnique({
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
      recordings: meeting.recordings.map((row) => presentRecording(row, this.recordings?.progress(row.id))),
    };
  }

  /** The attendance list for an export: the same reader and masking rules as the record. */
  async attendanceReport(actor: Actor, meetingId: string, meta: RequestMeta) {
    const meeting = await this.db.meeting.findUnique({ where: { id: meetingId }, include: { sites: { select: { unitId: true } }, attendances: true } });
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
    const meeting = await this.db.meeting.findUnique({ where: { id: meetingId }, include: { sites: { select: { unitId: true } }, attendances: { select: { unitId: true }, distinct: ["unitId"] } } });
    if (!meeting) throw new AppError("NOT_FOUND", { detail: "meeting not found" });
    const ref = await this.#refOf(meeting);
    authorize(meetingPolicy.downloadRecording(actor, ref));
    // A reception later found to concern a denunciation narrows its recordings further (set-once flag).
    const reception = ref.kind === "reception" ? await receptionRecordingRef(this.db, meeting.roomId) : null;
    if (reception) authorize(receptionPolicy.downloadRecording(actor, reception));
    const row = await this.db.recording.findFirst({ where: { id: recordingId, meetingId } });
    if (!row) throw new AppError("NOT_FOUND", { detail: "recording not found" });
    if (row.status !== "ready" || !row.file) throw new AppError("CONFLICT", { detail: `recording is ${row.status}` });
    await recordAudit(this.db, { actorId: actor.id, action: "recording.download", subjectType: "recording", subjectId: row.id, detail: { meetingId }, ip: meta.ip });
    if (ref.kind === "reception") await this.#auditIdentity(actor, meeting, "recording", meta);
    return { file: row.file, sha256: row.sha256 };
  }

  /**
   * A live room's state for this reader. A room with no meeting record yet (its first join is still
   * being written) has nobody to read it but a reception's staff: fail closed.
   */
  async roomState<P extends { id: string; displayName: string }, S extends { peers: P[] }>(actor: Actor, roomId: string, live: () => Promise<S | null>, meta: RequestMeta): Promise<S> {
    const meeting = await this.db.meeting.findUnique({
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
    await recordAudit(this.db, { actorId: actor.id, action: "meeting.identity.read", subjectType: "meeting", subjectId: meeting.id, detail: { via, roomId: meeting.roomId }, ip: meta.ip });
  }

  async #refOf(meeting: MeetingShape): Promise<MeetingRecordRef> {
    return (await meetingRecordRefs(this.db, [meeting])).get(meeting.roomId)!;
  }
}
