import type { Db } from "../../db/client";
import { type LocalDate, localDate, vietnamDateOf, WorkingCalendar } from "../../domain/deadlines";
import { taskStanding } from "../../domain/directives";
import type { DirectiveDto } from "../../protocol";

/** The clock of the follow-up, injectable so tests can stand on a given day. */
export type Clock = () => Date;

export const todayIn = (clock: Clock): LocalDate => vietnamDateOf(clock());

export async function storedCalendar(db: Db): Promise<WorkingCalendar> {
  return WorkingCalendar.fromStored(await db.holiday.findMany({ select: { date: true, kind: true } }));
}

export interface DirectiveRow {
  id: string;
  meetingId: string;
  seq: number;
  text: string;
  expectedReport: string;
  addressedTo: string;
  dueKind: string;
  dueDays: number | null;
  issuedOn: string;
  dueDate: string;
  createdAt: Date;
  tasks: { id: string; unitId: string; status: string; dueDate: string; completedOn: string | null }[];
}

const dueKinds = new Set(["date", "calendar", "working"]);
const statuses = new Set(["open", "inProgress", "done"]);
export const taskStatus = (value: string) => (statuses.has(value) ? (value as "open" | "inProgress" | "done") : "open");

/** `addressedTo` as stored; a hand-edited value that is not JSON reads as no "all communes". */
function allCommunes(addressedTo: string): boolean {
  try {
    return (JSON.parse(addressedTo) as { allCommunes?: unknown }).allCommunes === true;
  } catch {
    return false;
  }
}

export function presentDirective(row: DirectiveRow, unitNames: ReadonlyMap<string, string>, today: LocalDate, onlyUnits?: ReadonlySet<string>): DirectiveDto {
  return {
    id: row.id,
    meetingId: row.meetingId,
    seq: row.seq,
    text: row.text,
    expectedReport: row.expectedReport,
    allCommunes: allCommunes(row.addressedTo),
    dueKind: dueKinds.has(row.dueKind) ? (row.dueKind as "date" | "calendar" | "working") : "date",
    dueDays: row.dueDays,
    issuedOn: row.issuedOn,
    dueDate: row.dueDate,
    units: row.tasks
      .filter((task) => !onlyUnits || onlyUnits.has(task.unitId))
      .map((task) => ({
        unitId: task.unitId,
        unitName: unitNames.get(task.unitId) ?? task.unitId,
        taskId: task.id,
        status: taskStatus(task.status),
        standing: taskStanding({ dueDate: localDate(task.dueDate), completedOn: task.completedOn ? localDate(task.completedOn) : null }, today),
      }))
      .sort((a, b) => a.unitName.localeCompare(b.unitName, "vi")),
    createdAt: row.createdAt.toISOString(),
  };
}

export async function unitNamesOf(db: Db, ids: Iterable<string>): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  return new Map((await db.unit.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } })).map((unit) => [unit.id, unit.name]));
}

/** The ids of a unit and of those above it, from its materialised path. */
export const ancestorsOrSelf = (unitPath: string): string[] => unitPath.split("/").filter(Boolean);
