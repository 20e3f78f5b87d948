/** Attendance per site from join/leave rows: stays merged per site, minutes present summed. Pure. */

export interface AttendanceRow {
  displayName: string;
  unitId: string | null;
  userId: string | null;
  joinedAt: Date;
  leftAt: Date | null;
  leaveReason: string | null;
}

export interface SiteAttendance {
  site: string;
  unitId: string | null;
  firstJoined: string;
  lastLeft: string | null;
  stays: number;
  minutesPresent: number;
  /** Stays that ended by a dropped connection: a rough quality signal for the site's link. */
  disconnections: number;
}

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
      return {
        site: first.displayName,
        unitId: first.unitId,
        firstJoined: first.joinedAt.toISOString(),
        lastLeft: lastLeft?.toISOString() ?? null,
        stays: sorted.length,
        minutesPresent: Math.round(minutes),
        disconnections: sorted.filter((stay) => stay.leaveReason === "disconnected" || stay.leaveReason === "workerDied").length,
      };
    })
    .sort((a, b) => a.firstJoined.localeCompare(b.firstJoined));
}
