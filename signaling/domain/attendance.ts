/** Attendance per site from join/leave rows: stays merged per site, minutes present summed. Pure. */

export interface AttendanceRow {
  displayName: string;
  unitId: string | null;
  userId: string | null;
  joinedAt: Date;
  leftAt: Date | null;
  leaveReason: string | null;
  qualityUp?: number | null;
  qualityDown?: number | null;
  poorShare?: number | null;
}

export type LinkQuality = "good" | "fair" | "poor";

export interface SiteAttendance {
  site: string;
  unitId: string | null;
  firstJoined: string;
  lastLeft: string | null;
  stays: number;
  minutesPresent: number;
  /** Stays that ended by a dropped connection: a rough quality signal for the site's link. */
  disconnections: number;
  /** Mean stream score (0–10) of the weaker direction over the stays, weighted by their length. */
  qualityScore: number | null;
  quality: LinkQuality | null;
  /** Share of the time on a poor link (score below 5). */
  poorShare: number | null;
}

/** The weaker direction decides what the site experienced: good sending with bad receiving is bad. */
function stayScore(row: AttendanceRow): number | null {
  const scores = [row.qualityUp, row.qualityDown].filter((score): score is number => typeof score === "number");
  return scores.length === 0 ? null : Math.min(...scores);
}

/** Mediasoup scores: 8+ plays cleanly; 5–8 has visible loss recovered by retransmissions; below 5 breaks up. */
export function linkQualityOf(score: number | null, poorShare: number | null): LinkQuality | null {
  if (score === null) return null;
  if (score < 5 || (poorShare ?? 0) > 0.2) return "poor";
  return score < 8 ? "fair" : "good";
}

function weightedQuality(stays: readonly AttendanceRow[], now: Date): { score: number | null; poorShare: number | null } {
  let weight = 0;
  let score = 0;
  let poor = 0;
  for (const stay of stays) {
    const value = stayScore(stay);
    if (value === null) continue;
    const minutes = Math.max(1 / 60, ((stay.leftAt ?? now).getTime() - stay.joinedAt.getTime()) / 60_000);
    weight += minutes;
    score += value * minutes;
    poor += (stay.poorShare ?? 0) * minutes;
  }
  if (weight === 0) return { score: null, poorShare: null };
  return { score: Math.round((score / weight) * 10) / 10, poorShare: Math.round((poor / weight) * 100) / 100 };
}

/** Stays that ended without the site choosing to: its link dropped, or a server process died under it. */
const CUT_OFF = new Set(["disconnected", "workerDied", "serverRestarted"]);

export function summariseAttendance(rows: readonly AttendanceRow[], now: Date = new Date()): SiteAttendance[] {
  const bySite = new Map<string, AttendanceRow[]>();
  for (const row of rows) {
    const key = row.unitId && row.displayName ? `${row.unitId}|${row.displayName}` : row.displayName;
    bySite.set(key, [...(bySite.get(key) ?? []), row]);
  }
  return [...bySite.values()]
    .map((stays) => {
      const sorted = [...stays].sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime());
      const first = sorted[0]!;
      const ends = sorted.map((stay) => stay.leftAt);
      const open = ends.some((end) => end === null);
      const lastLeft = open ? null : new Date(Math.max(...ends.map((end) => end!.getTime())));
      // Overlapping stays (two devices of one site) count once: merge the intervals.
      let minutes = 0;
      let cursor = 0;
      for (const stay of sorted) {
        const start = Math.max(stay.joinedAt.getTime(), cursor);
        const end = (stay.leftAt ?? now).getTime();
        if (end > start) minutes += (end - start) / 60_000;
        cursor = Math.max(cursor, end);
      }
      const quality = weightedQuality(sorted, now);
      return {
        site: first.displayName,
        unitId: first.unitId,
        firstJoined: first.joinedAt.toISOString(),
        lastLeft: lastLeft?.toISOString() ?? null,
        stays: sorted.length,
        minutesPresent: Math.round(minutes),
        disconnections: sorted.filter((stay) => CUT_OFF.has(stay.leaveReason ?? "")).length,
        qualityScore: quality.score,
        quality: linkQualityOf(quality.score, quality.poorShare),
        poorShare: quality.poorShare,
      };
    })
    .sort((a, b) => a.firstJoined.localeCompare(b.firstJoined));
}
