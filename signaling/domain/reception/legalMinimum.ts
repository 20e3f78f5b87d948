import { parseRule } from "./recurrence";

/**
 * How often the head of a unit must receive citizens in person (periodic reception, tiếp định kỳ), as
 * data with its legal basis (legal-rules notes, "Reception of citizens"). Article numbers are those of
 * Luật Tiếp công dân 2013 as consolidated before the amendment of 10 Dec 2025 (in force 1 Jul 2026),
 * whose guiding decree was not yet published: check them when it is.
 */
export interface ReceptionRequirement {
  /** Who must receive, as the law names them. */
  holder: string;
  days: number;
  per: "week" | "month";
  basis: string;
}

const COMMUNE_CHAIR: ReceptionRequirement = { holder: "Chủ tịch UBND cấp xã", days: 1, per: "week", basis: "Luật Tiếp công dân 2013, Điều 15" };
const PROVINCIAL_CHAIR: ReceptionRequirement = { holder: "Chủ tịch UBND cấp tỉnh", days: 1, per: "month", basis: "Luật Tiếp công dân 2013, Điều 12" };
const AGENCY_HEAD: ReceptionRequirement = { holder: "Thủ trưởng cơ quan hành chính nhà nước", days: 1, per: "month", basis: "Luật Tiếp công dân 2013, Điều 18" };
/** Districts exist only in older three-tier deployments; this row is not in the project's legal notes — verify. */
const DISTRICT_CHAIR: ReceptionRequirement = { holder: "Chủ tịch UBND cấp huyện", days: 2, per: "month", basis: "Luật Tiếp công dân 2013, Điều 13 (cần đối chiếu)" };

/** By unit kind (the unit tree is data; kinds are the ones units are created with). */
export const receptionRequirements: Readonly<Record<string, ReceptionRequirement>> = {
  province: PROVINCIAL_CHAIR,
  department: AGENCY_HEAD,
  district: DISTRICT_CHAIR,
  commune: COMMUNE_CHAIR,
  ward: COMMUNE_CHAIR,
  special_zone: COMMUNE_CHAIR,
};

export function requirementFor(unit: { kind: string; depth: number }): ReceptionRequirement | null {
  const byKind = receptionRequirements[unit.kind];
  if (byKind) return byKind;
  // A root of another kind is the provincial level in practice.
  return unit.depth === 0 ? PROVINCIAL_CHAIR : null;
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
export function receptionCompliance(unit: { kind: string; depth: number }, schedules: readonly ScheduleForCompliance[]): Compliance {
  const requirement = requirementFor(unit);
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
