import { type Db, dialectOf } from "../../db/client";
import { Prisma } from "../../db/generated/client";
import type { ReportPeriod } from "../../domain/cases/reportPeriod";
import { caseKinds, caseStates } from "../../domain/cases/workflow";
import { vietnamDateOf } from "../../domain/deadlines";
import type { Actor } from "../../policies";
import { receptionStatistics, type VisitCounts } from "../reception/receptionStatistics";

export interface CaseStatistics {
  period: { id: string; from: string; to: string; label: string };
  scopeName: string;
  received: number;
  byKind: Record<string, number>;
  byState: Record<string, number>;
  withinCompetence: number;
  accepted: number;
  resolved: number;
  resolvedOnTime: number;
  resolvedLate: number;
  /** Open cases (received in the period) whose deadline has passed today. */
  overdueOpen: number;
  outcomes: { right: number; partlyRight: number; wrong: number };
  /** Citizen reception in the period (visits, people, group visits), from the reception book. */
  receptions: VisitCounts;
  byUnit: { unitId: string; name: string; received: number; overdueOpen: number; receptionVisits: number }[];
}

const zeroes = (keys: readonly string[]) => Object.fromEntries(keys.map((key) => [key, 0]));

interface UnitNode {
  id: string;
  name: string;
  path: string;
  parentId: string | null;
}

/** One row for the actor's own unit and one per child unit; `rowOf` finds the row a unit's figures roll up to. */
function unitRollup(units: readonly UnitNode[], actor: Pick<Actor, "unitId">) {
  const pathOf = new Map(units.map((unit) => [unit.id, unit.path]));
  const rows = units
    .filter((unit) => unit.id === actor.unitId || unit.parentId === actor.unitId)
    .map((unit) => ({ unitId: unit.id, name: unit.name, path: unit.path, received: 0, overdueOpen: 0 }));
  const rowOf = (unitId: string) => {
    const path = pathOf.get(unitId) ?? "";
    return unitId === actor.unitId ? rows.find((row) => row.unitId === unitId) : rows.find((row) => row.unitId !== actor.unitId && path.startsWith(row.path));
  };
  return { rows, rowOf };
}

/**
 * The figures periodic reports ask for (received, by kind, within competence, accepted, resolved on time
 * or late, outcomes), for petitions received in the period in the actor's units, all counted in the
 * database in one pass (periodGroups). Resolved = the period's cases' conclusion events (every round), as
 * counted on each case by the triggers of migration 20261207070000_report_conclusions.
 */
export async function caseStatistics(db: Db, actor: Actor, period: ReportPeriod): Promise<CaseStatistics> {
  const today = vietnamDateOf(new Date());
  const [groups, units, receptions] = await Promise.all([
    periodGroups(db, actor.unitPath, period, today),
    db.unit.findMany({ where: { path: { startsWith: actor.unitPath } }, select: { id: true, name: true, path: true, parentId: true } }),
    receptionStatistics(db, { unitId: actor.unitId, unitPath: actor.unitPath }, period.from, period.to),
  ]);

  const byKind = zeroes(caseKinds);
  const byState = zeroes(caseStates);
  let received = 0;
  let withinCompetence = 0;
  let accepted = 0;
  let overdueOpen = 0;
  let resolved = 0;
  let resolvedOnTime = 0;
  const outcomes = { right: 0, partlyRight: 0, wrong: 0 };
  // The per-unit breakdown from the same rows, rolled up to the actor's unit and its children.
  const { rows, rowOf } = unitRollup(units, actor);
  for (const group of groups) {
    received += group.n;
    withinCompetence += group.within;
    accepted += group.accepted;
    overdueOpen += group.overdue;
    resolved += group.resolved;
    resolvedOnTime += group.onTime;
    outcomes.right += group.right;
    outcomes.partlyRight += group.partlyRight;
    outcomes.wrong += group.wrong;
    if (group.kind && group.kind in byKind) byKind[group.kind] = (byKind[group.kind] ?? 0) + group.n;
    byState[group.state] = (byState[group.state] ?? 0) + group.n;
    const row = rowOf(group.unitId);
    if (row) {
      row.received += group.n;
      row.overdueOpen += group.overdue;
    }
  }

  const visitsByUnit = new Map(receptions.byUnit.map((row) => [row.unitId, row.visits]));
  const byUnit = rows.map(({ path: _path, ...row }) => ({ ...row, receptionVisits: visitsByUnit.get(row.unitId) ?? 0 }));

  return {
    period: { id: period.id, from: period.from, to: period.to, label: period.label },
    scopeName: units.find((unit) => unit.id === actor.unitId)?.name ?? "",
    received,
    byKind,
    byState,
    withinCompetence,
    accepted,
    resolved,
    resolvedOnTime,
    resolvedLate: resolved - resolvedOnTime,
    overdueOpen,
    outcomes,
    receptions: { visits: receptions.visits, people: receptions.people, groupVisits: receptions.groupVisits },
    byUnit: byUnit.filter((row) => row.received > 0 || row.receptionVisits > 0 || row.unitId === actor.unitId),
  };
}

interface PeriodGroup {
  unitId: string;
  kind: string | null;
  state: string;
  n: number;
  within: number;
  accepted: number;
  overdue: number;
  resolved: number;
  onTime: number;
  right: number;
  partlyRight: number;
  wrong: number;
}

/**
 * Every count of the report in ONE pass over the period's cases (GROUP BY unit, kind, state with
 * conditional sums), scoped by the subtree's unit ids rather than a join on Unit.path per row. The unary
 * `+` keeps SQLite (no ANALYZE statistics) from driving the scan through Case(unitId, state) — every case
 * of every unit — instead of the period's date range; with the covering index "Case_report_idx" (which
 * holds the conclusion counts too) the pass reads only that index. PostgreSQL has no
 * unary `+` on text and plans from its own statistics, so it gets the plain column. The sums are CASE
 * expressions because withinCompetence is 0/1 on SQLite and a boolean on PostgreSQL.
 */
async function periodGroups(db: Db, unitPath: string, period: ReportPeriod, today: string): Promise<PeriodGroup[]> {
  const rows = await db.$queryRaw<({ unitId: string; kind: string | null; state: string; n: number | bigint; within: number | bigint | null; accepted: number | bigint | null; overdue: number | bigint | null } & Record<"resolved" | "onTime" | "right" | "partlyRight" | "wrong", number | bigint | null>)[]>`
    SELECT c."unitId" AS "unitId", c."kind" AS "kind", c."state" AS "state", COUNT(*) AS "n",
           SUM(CASE WHEN c."withinCompetence" THEN 1 ELSE 0 END) AS "within", SUM(CASE WHEN c."acceptedDate" IS NOT NULL THEN 1 ELSE 0 END) AS "accepted",
           SUM(CASE WHEN c."dueDate" < ${today} THEN 1 ELSE 0 END) AS "overdue",
           SUM(c."conclusions") AS "resolved", SUM(c."concludedOnTime") AS "onTime",
           SUM(c."outcomeRight") AS "right", SUM(c."outcomePartlyRight") AS "partlyRight", SUM(c."outcomeWrong") AS "wrong"
      FROM "Case" c
     WHERE c."receivedDate" >= ${period.from} AND c."receivedDate" <= ${period.to}
       AND ${dialectOf(db) === "sqlite" ? Prisma.raw("+") : Prisma.empty}c."unitId" IN (SELECT u."id" FROM "Unit" u WHERE substr(u."path", 1, ${unitPath.length}) = ${unitPath})
     GROUP BY c."unitId", c."kind", c."state"`;
  return rows.map((row) => ({
    unitId: row.unitId,
    kind: row.kind,
    state: row.state,
    n: Number(row.n),
    within: Number(row.within ?? 0),
    accepted: Number(row.accepted ?? 0),
    overdue: Number(row.overdue ?? 0),
    resolved: Number(row.resolved ?? 0),
    onTime: Number(row.onTime ?? 0),
    right: Number(row.right ?? 0),
    partlyRight: Number(row.partlyRight ?? 0),
    wrong: Number(row.wrong ?? 0),
  }));
}

/**
 * Per child unit of the actor's unit (and the unit itself, for its own cases), the usual breakdown in
 * provincial reports. Two GROUP BYs over the period, rolled up to the child units by their paths: a COUNT
 * per child unit re-read the whole period each time (the bench: 80–96 s → a few seconds at 1 M cases).
 */
export async function countsByChildUnit(db: Db, actor: Actor, scope: Prisma.CaseWhereInput, today: string) {
  const [received, overdue, units] = await Promise.all([
    db.case.groupBy({ by: ["unitId"], where: scope, _count: { _all: true } }),
    db.case.groupBy({ by: ["unitId"], where: { ...scope, dueDate: { lt: today } }, _count: { _all: true } }),
    db.unit.findMany({ where: { path: { startsWith: actor.unitPath } }, select: { id: true, name: true, path: true, parentId: true } }),
  ]);
  const { rows, rowOf } = unitRollup(units, actor);
  for (const group of received) {
    const row = rowOf(group.unitId);
    if (row) row.received += group._count._all;
  }
  for (const group of overdue) {
    const row = rowOf(group.unitId);
    if (row) row.overdueOpen += group._count._all;
  }
  return rows.map(({ path: _path, ...row }) => row);
}
