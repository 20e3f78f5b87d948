import type { Db } from "../../db/client";
import { GROUP_VISIT_MIN_PEOPLE, vietnamDaysRange } from "../../domain/reception";
import type { ReceptionStatistics } from "../../protocol";

export interface VisitCounts {
  visits: number;
  people: number;
  groupVisits: number;
}

/** Visits (lượt), people (người) and group visits (đoàn đông người) among the book entries matching `where`. */
async function countVisits(db: Db, where: object): Promise<VisitCounts> {
  const [totals, groups] = await Promise.all([
    db.receptionBookEntry.aggregate({ where, _count: { _all: true }, _sum: { peopleCount: true } }),
    db.receptionBookEntry.count({ where: { ...where, peopleCount: { gte: GROUP_VISIT_MIN_PEOPLE } } }),
  ]);
  return { visits: totals._count._all, people: totals._sum.peopleCount ?? 0, groupVisits: groups };
}

/**
 * Reception figures of the periodic reports (TT 06/2025/TT-TTCP: visits, people, group visits) for the
 * visits received from `from` to `to` (local dates) in a unit and the units below it, by reception kind
 * and by the unit itself and each unit directly below it (each with its own subtree).
 */
export async function receptionStatistics(db: Db, scope: { unitId: string; unitPath: string }, from: string, to: string): Promise<ReceptionStatistics> {
  const receivedAt = vietnamDaysRange(from, to);
  const inScope = { unit: { path: { startsWith: scope.unitPath } }, receivedAt };
  const [totals, regular, periodic, adhoc, scopeUnit, children] = await Promise.all([
    countVisits(db, inScope),
    db.receptionBookEntry.count({ where: { ...inScope, kind: "regular" } }),
    db.receptionBookEntry.count({ where: { ...inScope, kind: "periodic" } }),
    db.receptionBookEntry.count({ where: { ...inScope, kind: "adhoc" } }),
    db.unit.findUnique({ where: { id: scope.unitId }, select: { name: true } }),
    db.unit.findMany({ where: { OR: [{ id: scope.unitId }, { parentId: scope.unitId }] }, select: { id: true, name: true, path: true }, orderBy: { path: "asc" } }),
  ]);
  const byUnit = await Promise.all(
    children.map(async (unit) => {
      const where = unit.id === scope.unitId ? { unitId: unit.id, receivedAt } : { unit: { path: { startsWith: unit.path } }, receivedAt };
      return { unitId: unit.id, name: unit.name, ...(await countVisits(db, where)) };
    }),
  );
  return {
    from,
    to,
    scopeName: scopeUnit?.name ?? "",
    ...totals,
    byKind: { regular, periodic, adhoc },
    byUnit: byUnit.filter((row) => row.visits > 0 || row.unitId === scope.unitId),
  };
}
