import { countsByChildUnit } from "../../../signaling/services/cases/caseStatistics";
import type { Db } from "../../../signaling/db/client";
import type { ReportPeriod } from "../../../signaling/domain/cases/reportPeriod";
import { vietnamDateOf } from "../../../signaling/domain/deadlines";
import type { Actor } from "../../../signaling/policies";

/**
 * The per-unit breakdown as two GROUP BYs over the period (first proposed here, now the product's own
 * `countsByChildUnit`): timed beside the rest of the report so the figures stay comparable with earlier
 * results files.
 */
export async function byUnitGrouped(db: Db, actor: Actor, period: ReportPeriod) {
  const scope = { unit: { path: { startsWith: actor.unitPath } }, receivedDate: { gte: period.from, lte: period.to } };
  const rows = await countsByChildUnit(db, actor, scope, vietnamDateOf(new Date()));
  return rows.filter((row) => row.received > 0 || row.unitId === actor.unitId);
}

/** The product's figures without the per-unit loop: the part of caseStatistics that stays as it is. */
export async function statisticsWithoutByUnit(db: Db, actor: Actor, period: ReportPeriod) {
  const scope = { unit: { path: { startsWith: actor.unitPath } }, receivedDate: { gte: period.from, lte: period.to } };
  const today = vietnamDateOf(new Date());
  const [received, , , withinCompetence, accepted, overdueOpen, conclusions] = await Promise.all([
    db.case.count({ where: scope }),
    db.case.groupBy({ by: ["kind"], where: scope, _count: { _all: true } }),
    db.case.groupBy({ by: ["state"], where: scope, _count: { _all: true } }),
    db.case.count({ where: { ...scope, withinCompetence: true } }),
    db.case.count({ where: { ...scope, acceptedDate: { not: null } } }),
    db.case.count({ where: { ...scope, dueDate: { lt: today } } }),
    db.caseEvent.findMany({ where: { action: "conclude", case: scope }, select: { data: true } }),
  ]);
  return { received, withinCompetence, accepted, overdueOpen, resolved: conclusions.length };
}

/**
 * A second PROPOSAL: every count of the report, the per-unit breakdown included, in ONE pass over the
 * period's cases (GROUP BY unit, kind, state with conditional sums), scoped by the subtree's unit ids
 * rather than a join on Unit.path per row, plus the conclusions. Raw SQL through Prisma's
 * $queryRawUnsafe. The unary `+` keeps SQLite (no ANALYZE statistics) from driving the scan through
 * Case(unitId, state) — every case of every unit — instead of the period's date range; with the covering
 * index Case(receivedDate, unitId, kind, state, withinCompetence, acceptedDate, dueDate) the pass reads
 * only that index.
 */
export async function statisticsSinglePass(db: Db, actor: Actor, period: ReportPeriod) {
  const today = vietnamDateOf(new Date());
  const [rows, units] = await Promise.all([
    db.$queryRawUnsafe<{ unitId: string; kind: string | null; state: string; n: number | bigint; within: number | bigint; accepted: number | bigint; overdue: number | bigint }[]>(
      `SELECT c."unitId" AS unitId, c."kind" AS kind, c."state" AS state, COUNT(*) AS n,
              SUM(c."withinCompetence" = 1) AS within, SUM(c."acceptedDate" IS NOT NULL) AS accepted, SUM(c."dueDate" < ?) AS overdue
         FROM "Case" c
        WHERE c."receivedDate" >= ? AND c."receivedDate" <= ?
          AND +c."unitId" IN (SELECT u."id" FROM "Unit" u WHERE substr(u."path", 1, ?) = ?)
        GROUP BY c."unitId", c."kind", c."state"`,
      today,
      period.from,
      period.to,
      actor.unitPath.length,
      actor.unitPath,
    ),
    db.unit.findMany({ where: { path: { startsWith: actor.unitPath } }, select: { id: true, name: true, path: true, parentId: true } }),
  ]);
  const scope = { unit: { path: { startsWith: actor.unitPath } }, receivedDate: { gte: period.from, lte: period.to } };
  const conclusions = await db.caseEvent.findMany({ where: { action: "conclude", case: scope }, select: { data: true } });
  const total = { received: 0, withinCompetence: 0, accepted: 0, overdueOpen: 0, resolved: conclusions.length };
  // The per-unit breakdown from the same rows, rolled up to the actor's unit and its children.
  const pathOf = new Map(units.map((unit) => [unit.id, unit.path]));
  const children = units.filter((unit) => unit.id === actor.unitId || unit.parentId === actor.unitId);
  const byUnit = children.map((unit) => ({ unitId: unit.id, name: unit.name, received: 0, overdueOpen: 0 }));
  for (const row of rows) {
    const n = Number(row.n);
    const overdue = Number(row.overdue ?? 0);
    total.received += n;
    total.withinCompetence += Number(row.within ?? 0);
    total.accepted += Number(row.accepted ?? 0);
    total.overdueOpen += overdue;
    const path = pathOf.get(row.unitId) ?? "";
    const target = byUnit.find((unit) => (unit.unitId === actor.unitId ? row.unitId === actor.unitId : path.startsWith(pathOf.get(unit.unitId) ?? "\u0000")));
    if (target) {
      target.received += n;
      target.overdueOpen += overdue;
    }
  }
  return { ...total, byUnit: byUnit.filter((row) => row.received > 0 || row.unitId === actor.unitId) };
}
