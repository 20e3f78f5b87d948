/**
 * When a one-time join link may be used: from shortly before the slot starts until it ends. Using it
 * the day before would spend it (it works once), so earlier attempts are refused without spending it.
 */
export const JOIN_OPENS_MINUTES_BEFORE = 30;

export type JoinWindow = "notYet" | "open" | "over";

export function joinWindow(slot: { startsAt: Date; endsAt: Date }, now: Date, opensMinutesBefore = JOIN_OPENS_MINUTES_BEFORE): JoinWindow {
  if (now.getTime() > slot.endsAt.getTime()) return "over";
  if (now.getTime() < slot.startsAt.getTime() - opensMinutesBefore * 60_000) return "notYet";
  return "open";
}
