import type { Db } from "../db/client";
import type { ReportPeriod } from "../domain/cases/reportPeriod";
import { caseKinds, caseStates } from "../domain/cases/workflow";
import { vietnamDateOf } from "../domain/deadlines";
import type { Actor } from "../policies";
import { receptionStatistics, type VisitCounts } from "./receptionStatistics";

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

/**
 * The figures periodic reports ask for (received, by kind, within competence, accepted, resolved on time
 * or late, outcomes), for petitions received in the period in the actor's units. Counting is done in the
 * database where it can be; per-case outcome data comes from the conclusion events.
 */
export async function caseStatistics(db: Db, actor: Actor, period: ReportPeriod): Promise<CaseStatistics> {
  const scope = { unit: { path: { startsWith: actor.unitPath } }, receivedDate: { gte: period.from, lte: period.to } };
  const today = vietnamDateOf(new Date());
  const [received, kinds, states, withinCompetence, accepted, overdueOpen, conclusions, scopeUnit, receptions] = await Promise.all([
    db.case.count({ where: scope }),
    db.case.groupBy({ by: ["kind"], where: scope, _count: { _all: true } }),
    db.case.groupBy({ by: ["state"], where: scope, _count: { _all: true } }),
    db.case.count({ where: { ...scope, withinCompetence: true } }),
    db.case.count({ where: { ...scope, acceptedDate: { not: null } } }),
    db.case.count({ where: { ...scope, dueDate: { lt: today } } }),
    db.caseEvent.findMany({ where: { action: "conclude", case: scope }, select: { data: true } }),
    db.unit.findUnique({ where: { id: actor.unitId }, select: { name: true } }),
    receptionStatistics(db, { unitId: actor.unitId, unitPath: actor.unitPath }, period.from, period.to),
  ]);

  const byKind = zeroes(caseKinds);
  for (const row of kinds) if (row.kind) byKind[row.kind] = row._count._all;
  const byState = zeroes(caseStates);
  for (const row of states) byState[row.state] = row._count._all;

  const outcomes = { right: 0, partlyRight: 0, wrong: 0 };
  let resolvedOnTime = 0;
  for (const event of conclusions) {
    const data = JSON.parse(event.data) as { outcome?: keyof typeof outcomes; decisionDate?: string; dueAtConclusion?: string | null };
    if (data.outcome && data.outcome in outcomes) outcomes[data.outcome]++;
    if (!data.dueAtConclusion || (data.decisionDate && data.decisionDate <= data.dueAtConclusion)) resolvedOnTime++;
  }

  // Per child unit of the actor's unit (and the unit itself), the usual breakdown in provincial reports.
  const children = await db.unit.findMany({ where: { OR: [{ id: actor.unitId }, { parentId: actor.unitId }] }, select: { id: true, name: true, path: true } });
  const visitsByUnit = new Map(receptions.byUnit.map((row) => [row.unitId, row.visits]));
  const byUnit = await Promise.all(
    children.map(async (unit) => {
      const unitScope = unit.id === actor.unitId ? { unitId: unit.id } : { unit: { path: { startsWith: unit.path } } };
      const where = { ...unitScope, receivedDate: scope.receivedDate };
      const [unitReceived, unitOverdue] = await Promise.all([db.case.count({ where }), db.case.count({ where: { ...where, dueDate: { lt: today } } })]);
      return { unitId: unit.id, name: unit.name, received: unitReceived, overdueOpen: unitOverdue, receptionVisits: visitsByUnit.get(unit.id) ?? 0 };
    }),
  );

  return {
    period: { id: period.id, from: period.from, to: period.to, label: period.label },
    scopeName: scopeUnit?.name ?? "",
    received,
    byKind,
    byState,
    withinCompetence,
    accepted,
    resolved: conclusions.length,
    resolvedOnTime,
    resolvedLate: conclusions.length - resolvedOnTime,
    overdueOpen,
    outcomes,
    receptions: { visits: receptions.visits, people: receptions.people, groupVisits: receptions.groupVisits },
    byUnit: byUnit.filter((row) => row.received > 0 || row.receptionVisits > 0 || row.unitId === actor.unitId),
  };
}
