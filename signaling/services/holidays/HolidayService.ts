import { recordAudit } from "../../audit";
import type { Db } from "../../db/client";
import { type CalendarDayKind, parseCalendarDayKind } from "../../domain/deadlines";
import { AppError } from "../../errors";
import { type Actor, authorize, holidayPolicy } from "../../policies";

/** Rows are written only through the request schema; an unknown kind would be a hand edit, read as a day off. */
const asCalendarDay = <T extends { kind: string }>(row: T): T & { kind: CalendarDayKind } => ({ ...row, kind: parseCalendarDayKind(row.kind) });

const holidayColumns = { id: true, date: true, name: true, kind: true } as const;

interface HolidayInput {
  date: string;
  name: string;
  kind: CalendarDayKind;
}

/**
 * Days off used by working-day deadlines. `onChange` lets the deadline engine drop its cached calendar,
 * so an edit applies to every deadline computed from then on.
 */
export class HolidayService {
  readonly #db: Db;
  readonly #onChange: () => void;

  constructor(db: Db, onChange: () => void) {
    this.#db = db;
    this.#onChange = onChange;
  }

  async list(actor: Actor, year: number | undefined) {
    authorize(holidayPolicy.list(actor));
    const items = await this.#db.holiday.findMany({ where: year ? { date: { startsWith: `${year}-` } } : {}, orderBy: { date: "asc" }, select: holidayColumns });
    return { items: items.map(asCalendarDay) };
  }

  async create(actor: Actor, body: HolidayInput, meta: { ip: string }) {
    authorize(holidayPolicy.edit(actor));
    if (await this.#db.holiday.findUnique({ where: { date: body.date } })) throw new AppError("CONFLICT", { detail: `${body.date} is already a day off` });
    const created = await this.#db.holiday.create({ data: body, select: holidayColumns });
    this.#onChange();
    await recordAudit(this.#db, { actorId: actor.id, action: "holiday.create", subjectType: "holiday", subjectId: created.id, detail: { ...body }, ip: meta.ip });
    return asCalendarDay(created);
  }

  async delete(actor: Actor, holidayId: string, meta: { ip: string }): Promise<{ ok: true }> {
    authorize(holidayPolicy.edit(actor));
    const existing = await this.#db.holiday.findUnique({ where: { id: holidayId } });
    if (!existing) throw new AppError("NOT_FOUND");
    await this.#db.holiday.delete({ where: { id: holidayId } });
    this.#onChange();
    await recordAudit(this.#db, { actorId: actor.id, action: "holiday.delete", subjectType: "holiday", subjectId: holidayId, detail: { date: existing.date, name: existing.name, kind: existing.kind }, ip: meta.ip });
    return { ok: true };
  }
}
