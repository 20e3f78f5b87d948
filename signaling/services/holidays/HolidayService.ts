import { recordAudit } from "../../audit";
import type { Db, DbTransaction } from "../../db/client";
import { type CalendarDayKind, parseCalendarDayKind } from "../../domain/deadlines";
import { AppError } from "../../errors";
import { type Actor, authorize, holidayPolicy } from "../../policies";

/** Rows are written only through the request schema; an unknown kind would be a hand edit, read as a day off. */
const asCalendarDay = <T extends { kind: string }>(row: T): T & { kind: CalendarDayKind } => ({ ...row, kind: parseCalendarDayKind(row.kind) });

/** Marking the open cases reads each one's duties: longer than Prisma's 5 s default on a large database. */
const CALENDAR_EDIT_TRANSACTION = { timeout: 120_000, maxWait: 10_000 } as const;

const holidayColumns = { id: true, date: true, name: true, kind: true } as const;

interface HolidayInput {
  date: string;
  name: string;
  kind: CalendarDayKind;
}

/** What depends on the calendar: the cases' stored due dates (CaseService). */
export interface CalendarDependents {
  /** In the edit's transaction: marks what the edited day may move; returns it. */
  markStale(tx: DbTransaction, editedDay: string): Promise<string[]>;
  /** After the commit: recomputes them with the new calendar. */
  recompute(ids: readonly string[]): Promise<number>;
}

/**
 * Days off used by working-day deadlines. An edit moves the stored due dates it affects before the
 * answer goes back, so the work queue, the bell and the deadline mails the next moment already follow it.
 */
export class HolidayService {
  constructor(private readonly db: Db, private readonly dependents: CalendarDependents) {}

  async list(actor: Actor, year: number | undefined) {
    authorize(holidayPolicy.list(actor));
    const items = await this.db.holiday.findMany({ where: year ? { date: { startsWith: `${year}-` } } : {}, orderBy: { date: "asc" }, select: holidayColumns });
    return { items: items.map(asCalendarDay) };
  }

  async create(actor: Actor, body: HolidayInput, meta: { ip: string }) {
    authorize(holidayPolicy.edit(actor));
    if (await this.db.holiday.findUnique({ where: { date: body.date } })) throw new AppError("CONFLICT", { detail: `${body.date} is already a day off` });
    const { created, stale } = await this.db.$transaction(
      async (tx) => {
        const row = await tx.holiday.create({ data: body, select: holidayColumns });
        await recordAudit(tx, { actorId: actor.id, action: "holiday.create", subjectType: "holiday", subjectId: row.id, detail: { ...body }, ip: meta.ip });
        return { created: row, stale: await this.dependents.markStale(tx, body.date) };
      },
      CALENDAR_EDIT_TRANSACTION,
    );
    await this.dependents.recompute(stale);
    return asCalendarDay(created);
  }

  async delete(actor: Actor, holidayId: string, meta: { ip: string }): Promise<{ ok: true }> {
    authorize(holidayPolicy.edit(actor));
    const existing = await this.db.holiday.findUnique({ where: { id: holidayId } });
    if (!existing) throw new AppError("NOT_FOUND");
    const stale = await this.db.$transaction(
      async (tx) => {
        await tx.holiday.delete({ where: { id: holidayId } });
        await recordAudit(tx, { actorId: actor.id, action: "holiday.delete", subjectType: "holiday", subjectId: holidayId, detail: { date: existing.date, name: existing.name, kind: existing.kind }, ip: meta.ip });
        return this.dependents.markStale(tx, existing.date);
      },
      CALENDAR_EDIT_TRANSACTION,
    );
    await this.dependents.recompute(stale);
    return { ok: true };
  }
}
