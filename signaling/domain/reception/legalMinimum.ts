import { parseRule } from "./recurrence";

/**
 * How often the head of a unit must receive citizens in person (periodic reception, tiếp định kỳ), as
 * dated data with its legal basis (legal-rules notes, "Reception of citizens"), in the style of the
 * deadline rule rows (domain/deadlines/rules.ts). Article numbers are those of Luật Tiếp công dân 2013 as
 * consolidated before the amendment of 10 Dec 2025 (in force 1 Jul 2026), whose guiding decree was not yet
 * published: when it is, append rows with `validFrom: "2026-07-01"` (or its date) — no code change.
 */
export interface ReceptionRequirement {
  /** Who must receive, as the law names them. */
  holder: string;
  days: number;
  per: "week" | "month";
  basis: string;
}

/** One row of the minimums: the unit kinds it covers, and the first/last day (YYYY-MM-DD) it is in force. */
export interface ReceptionRequirementRow extends ReceptionRequirement {
  /** Unit kinds (the unit tree is data; kinds are the ones units are created with). `root` covers a top unit of any other kind. */
  unitKinds: readonly string[];
  validFrom?: string;
  validTo?: string;
}

const SINCE_2014 = "2014-07-01"; // Luật Tiếp công dân 2013 took effect

/** Every row, current and dated: an amendment taking effect on a set date is appended here as data. */
export const receptionRequirementRows: readonly ReceptionRequirementRow[] = [
  { unitKinds: ["commune", "ward", "special_zone"], holder: "Chủ tịch UBND cấp xã", days: 1, per: "week", basis: "Luật Tiếp công dân 2013, Điều 15", validFrom: SINCE_2014 },
  // A root unit of another kind is the provincial level in practice.
  { unitKinds: ["province", "root"], holder: "Chủ tịch UBND cấp tỉnh", days: 1, per: "month", basis: "Luật Tiếp công dân 2013, Điều 12", validFrom: SINCE_2014 },
  { unitKinds: ["department"], holder: "Thủ trưởng cơ quan hành chính nhà nước", days: 1, per: "month", basis: "Luật Tiếp công dân 2013, Điều 18", validFrom: SINCE_2014 },
  // Districts exist only in older three-tier deployments; this row is not in the project's legal notes — verify.
  { unitKinds: ["district"], holder: "Chủ tịch UBND cấp huyện", days: 2, per: "month", basis: "Luật Tiếp công dân 2013, Điều 13 (cần đối chiếu)", validFrom: SINCE_2014 },
];

/** The current requirement by unit kind (today's rows), kept for callers that list them. */
export const receptionRequirements: Readonly<Record<string, ReceptionRequirement>> = Object.fromEntries(
  receptionRequirementRows.flatMap((row) => row.unitKinds.filter((kind) => kind !== "root").map((kind) => [kind, row] as const)),
);

const inForce = (row: ReceptionRequirementRow, on: string) => (!row.validFrom || row.validFrom <= on) && (!row.validTo || on <= row.validTo);

/** The row in force on `on` for the unit's kind (of those valid that day, the latest `validFrom`), else the root row for a top unit, else null. */
export function requirementFor(
  unit: { kind: string; depth: number },
  on: string = new Date().toISOString().slice(0, 10),
  rows: readonly ReceptionRequirementRow[] = receptionRequirementRows,
): ReceptionRequirementRow | null {
  const latest = (kind: string) =>
    rows
      .filter((row) => row.unitKinds.includes(kind) && inForce(row, on))
      .sort((a, b) => (a.validFrom ?? "").localeCompare(b.validFrom ?? ""))
      .at(-1);
  return latest(unit.kind) ?? (unit.depth === 0 ? (latest("root") ?? null) : null);
}

export interface ScheduleForCompliance {
  kind: string;
  rule: string | null;
  leaderUserId: string | null;
  active: boolean;
}

export interface Compliance {
  status: "meets" | "below" | "unknown";
  requirement: ReceptionRequirement | null;
  /** Reception days the periodic schedules guarantee in any week / any month (before holidays). */
  perWeek: number;
  perMonth: number;
  problems: ("no_periodic_schedule" | "below_minimum")[];
}

/** Every month has at least 4 of each weekday and at least 20 weekdays. */
const WEEKDAYS_PER_MONTH_AT_LEAST = 4;
const WORKING_DAYS_PER_MONTH_AT_LEAST = 20;

/**
 * Whether the unit's active periodic schedules, each held by a leader in person, give at least the
 * statutory number of reception days. Ad-hoc sessions and the officers' desk do not count towards it.
 * A holiday can still take out one week's day; the count is what the schedule promises.
 */
export function receptionCompliance(
  unit: { kind: string; depth: number },
  schedules: readonly ScheduleForCompliance[],
  /** The day (YYYY-MM-DD, Vietnam) whose rules apply; default today (UTC date). */
  on?: string,
  rows: readonly ReceptionRequirementRow[] = receptionRequirementRows,
): Compliance {
  const row = requirementFor(unit, on, rows);
  // What the law asks, without the row's bookkeeping (kinds, dates): the shape the schedules page shows.
  const requirement: ReceptionRequirement | null = row && { holder: row.holder, days: row.days, per: row.per, basis: row.basis };
  const periodic = schedules.filter((schedule) => schedule.active && schedule.kind === "periodic" && schedule.leaderUserId !== null);
  const weekdays = new Set<number>();
  const monthDays = new Set<number>();
  let daily = false;
  for (const schedule of periodic) {
    const recurrence = parseRule(schedule.rule);
    if (recurrence?.kind === "daily") daily = true;
    if (recurrence?.kind === "weekly") weekdays.add(recurrence.isoWeekday);
    if (recurrence?.kind === "monthly") monthDays.add(recurrence.day);
  }
  const perWeek = daily ? 5 : weekdays.size;
  const perMonth = daily ? WORKING_DAYS_PER_MONTH_AT_LEAST : weekdays.size * WEEKDAYS_PER_MONTH_AT_LEAST + monthDays.size;
  if (!requirement) return { status: "unknown", requirement: null, perWeek, perMonth, problems: periodic.length === 0 ? ["no_periodic_schedule"] : [] };
  const provided = requirement.per === "week" ? perWeek : perMonth;
  const problems: Compliance["problems"] = [];
  if (periodic.length === 0) problems.push("no_periodic_schedule");
  if (provided < requirement.days) problems.push("below_minimum");
  return { status: problems.length === 0 ? "meets" : "below", requirement, perWeek, perMonth, problems };
}
