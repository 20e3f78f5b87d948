import { type HandlingTrack, trackOf } from "../deadlines/duties";

/**
 * Facts about the current handling read from a case's history (pure): what the workflow checks beyond the
 * state — round 2's dialogue, the forwarding notice to a denouncer — and the track the last classification set.
 */
export interface HistoryEvent {
  action: string;
  data: Record<string, unknown>;
}

/** The events since the current handling began: the last receipt, forward, second round or re-filing. */
function currentHandling(events: readonly HistoryEvent[]): readonly HistoryEvent[] {
  const start = events.findLastIndex((event) => event.action === "receive" || event.action === "forward" || event.action === "secondRound" || event.action === "refile");
  return start < 0 ? events : events.slice(start + 1);
}

/** Round 2 has met the complainant (Luật KN Art. 39): a `dialogue` step since the second round was filed. */
export function dialogueHeldThisRound(events: readonly HistoryEvent[]): boolean {
  const start = events.findLastIndex((event) => event.action === "secondRound");
  return events.slice(start + 1).some((event) => event.action === "dialogue");
}

/** The denouncer has been told of the forwarding by this unit (Luật TC Art. 24(1)(b)). */
export function forwardingNoticeRecorded(events: readonly HistoryEvent[]): boolean {
  return currentHandling(events).some((event) => event.action === "notify" && event.data.document === "forwarding");
}

/** The track of the last classification (ordinary when never classified). */
export function lastTrack(events: readonly HistoryEvent[]): HandlingTrack {
  const classification = events.findLast((event) => event.action === "classify");
  return trackOf(typeof classification?.data.kind === "string" ? classification.data.kind : null, classification?.data ?? {});
}
