import fs from "node:fs";
import path from "node:path";
import { recordAudit } from "../../audit";
import type { Db } from "../../db/client";
import { storedFilePath } from "../attachments/attachments";

/** How long each kind of stored media is kept (RETENTION_* settings, README › Disk and retention). */
export interface RetentionPolicy {
  /** Briefing recordings: days after the recording stopped. */
  briefingRecordingDays: number;
  /**
   * A case file (its attachments, and the recordings of the receptions that filed it): years after the
   * case was closed. A case that is not closed is kept whatever its age.
   */
  caseFileYears: number;
}

export type ExpiredItem =
  | { kind: "briefingRecording"; id: string; file: string | null; since: Date; meetingId: string }
  | { kind: "receptionRecording"; id: string; file: string | null; since: Date; caseCode: string }
  | { kind: "caseAttachment"; id: string; sha256: string; since: Date; caseCode: string };

const DAY_MS = 86_400_000;

/**
 * What is past its retention at `now`. Reception recordings are never judged on their own age: they
 * follow the case file they belong to; one whose reception filed no case is kept (README says why).
 */
export async function findExpired(db: Db, policy: RetentionPolicy, now: Date): Promise<ExpiredItem[]> {
  const items: ExpiredItem[] = [];
  const receptionRecordingIds = new Set(
    (await db.receptionSession.findMany({ where: { recordingId: { not: null } }, select: { recordingId: true } })).map((row) => row.recordingId!),
  );
  const briefingCutoff = new Date(now.getTime() - policy.briefingRecordingDays * DAY_MS);
  // Rooms of receptions are `tiep-dan-…`; the session table is the authority, the room id a second guard.
  const oldRecordings = await db.recording.findMany({
    where: { stoppedAt: { lt: briefingCutoff }, status: { in: ["ready", "failed"] } },
    select: { id: true, file: true, stoppedAt: true, meetingId: true, meeting: { select: { roomId: true } } },
    orderBy: { stoppedAt: "asc" },
  });
  for (const row of oldRecordings) {
    if (receptionRecordingIds.has(row.id) || row.meeting.roomId.startsWith("tiep-dan-")) continue;
    items.push({ kind: "briefingRecording", id: row.id, file: row.file, since: row.stoppedAt!, meetingId: row.meetingId });
  }

  const caseCutoff = new Date(now);
  caseCutoff.setUTCFullYear(caseCutoff.getUTCFullYear() - policy.caseFileYears);
  const closed = await db.case.findMany({ where: { state: "closed" }, select: { id: true, code: true } });
  for (const item of closed) {
    // Closed when the last step into "closed" happened (a second round may have reopened it before).
    const closing = await db.caseEvent.findFirst({ where: { caseId: item.id, toState: "closed" }, orderBy: { sequence: "desc" }, select: { at: true } });
    if (!closing || closing.at >= caseCutoff) continue;
    for (const attachment of await db.attachment.findMany({ where: { caseId: item.id }, select: { id: true, sha256: true } })) {
      items.push({ kind: "caseAttachment", id: attachment.id, sha256: attachment.sha256, since: closing.at, caseCode: item.code });
    }
    const sessions = await db.receptionSession.findMany({ where: { caseId: item.id, recordingId: { not: null } }, select: { recordingId: true } });
    for (const session of sessions) {
      const recording = await db.recording.findUnique({ where: { id: session.recordingId! }, select: { id: true, file: true } });
      if (recording) items.push({ kind: "receptionRecording", id: recording.id, file: recording.file, since: closing.at, caseCode: item.code });
    }
  }
  return items;
}

/**
 * Deletes what `findExpired` listed: the files, then the rows, each deletion audited (action
 * `retention.delete`, by no user: the operator ran the command). A content-addressed attachment file
 * still named by another row (the same document in another case or booking) stays.
 */
export async function applyRetention(db: Db, dataDir: string, items: ExpiredItem[]): Promise<{ deleted: number; bytesFreed: number }> {
  let deleted = 0;
  let bytesFreed = 0;
  const sizeOf = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0);
  for (const item of items) {
    if (item.kind === "caseAttachment") {
      await db.$transaction(async (tx) => {
        await tx.attachment.delete({ where: { id: item.id } });
        await recordAudit(tx, { actorId: null, action: "retention.delete", subjectType: "attachment", subjectId: item.id, detail: { kind: item.kind, caseCode: item.caseCode, closedAt: item.since.toISOString() } });
      });
      const stillNamed =
        (await db.attachment.count({ where: { sha256: item.sha256 } })) +
        (await db.bookingAttachment.count({ where: { sha256: item.sha256 } })) +
        (await db.directiveAttachment.count({ where: { sha256: item.sha256 } }));
      if (stillNamed === 0) {
        const file = storedFilePath(dataDir, item.sha256);
        bytesFreed += sizeOf(file);
        fs.rmSync(file, { force: true });
      }
    } else {
      // recordings/<id>/: the composed file and its tracks.
      const directory = path.join(dataDir, "recordings", item.id);
      if (item.file) bytesFreed += sizeOf(path.join(dataDir, item.file));
      await db.$transaction(async (tx) => {
        await tx.receptionSession.updateMany({ where: { recordingId: item.id }, data: { recordingId: null } });
        await tx.recording.delete({ where: { id: item.id } });
        await recordAudit(tx, {
          actorId: null,
          action: "retention.delete",
          subjectType: "recording",
          subjectId: item.id,
          detail: { kind: item.kind, since: item.since.toISOString(), ...(item.kind === "receptionRecording" ? { caseCode: item.caseCode } : { meetingId: item.meetingId }) },
        });
      });
      fs.rmSync(directory, { recursive: true, force: true });
    }
    deleted++;
  }
  return { deleted, bytesFreed };
}
