/**
 * A meeting's room that stayed empty this long is a new sitting when it fills again (a scheduled meeting
 * restarts its clock; an ad-hoc room such as the daily `giao-ban-demo` starts a new record,
 * MeetingAccess.openSitting); a shorter gap — every site dropped at once, the chair rejoined after a
 * crash — is the same meeting, and its running time goes on.
 */
export const NEW_SITTING_AFTER_MS = 4 * 3_600_000;

/** When the meeting a join revives began: its stored start, unless it was over long enough to begin anew. */
export function sittingStart(meeting: { status: string; startedAt: Date | null; endedAt: Date | null }, at: Date): Date {
  if (!meeting.startedAt) return at;
  if (meeting.status === "ended" && meeting.endedAt && at.getTime() - meeting.endedAt.getTime() > NEW_SITTING_AFTER_MS) return at;
  return meeting.startedAt;
}
