import { z } from "zod";
import { recordAudit } from "../../audit";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import { type CalendarDayKind, parseCalendarDayKind } from "../../domain/deadlines";
import { authorize, holidayPolicy } from "../../policies";
import { defineRoute, idParamsSchema, okSchema } from "../route";
import { createHolidayRequestSchema, holidaySchema, listHolidaysQuerySchema } from "./schema";

/** Rows are written only through the schema above; an unknown kind would be a hand edit, read as a day off. */
const asCalendarDay = <T extends { kind: string }>(row: T): T & { kind: CalendarDayKind } => ({ ...row, kind: parseCalendarDayKind(row.kind) });

/** Days off used by working-day deadlines; a change applies to deadlines computed from then on. */
export function holidayRoutes(deps: { db: Db; onChange: () => void }) {
  const { db } = deps;
  return [
    defineRoute({
      id: "holidays.list",
      method: "get",
      path: "/holidays",
      summary: "Public holidays and days off, optionally of one year",
      auth: "user",
      query: listHolidaysQuerySchema,
      response: z.object({ items: z.array(holidaySchema) }),
      handler: async ({ actor, query }) => {
        authorize(holidayPolicy.list(actor));
        const items = await db.holiday.findMany({
          where: query.year ? { date: { startsWith: `${query.year}-` } } : {},
          orderBy: { date: "asc" },
          select: { id: true, date: true, name: true, kind: true },
        });
        return { items: items.map(asCalendarDay) };
      },
    }),
    defineRoute({
      id: "holidays.create",
      method: "post",
      path: "/holidays",
      summary: "Add a day off (the year's official decision)",
      auth: "user",
      body: createHolidayRequestSchema,
      response: holidaySchema,
      status: 201,
      handler: async ({ actor, body, meta }) => {
        authorize(holidayPolicy.edit(actor));
        if (await db.holiday.findUnique({ where: { date: body.date } })) throw new AppError("CONFLICT", { detail: `${body.date} is already a day off` });
        const created = await db.holiday.create({ data: body, select: { id: true, date: true, name: true, kind: true } });
        deps.onChange();
        await recordAudit(db, { actorId: actor.id, action: "holiday.create", subjectType: "holiday", subjectId: created.id, detail: body, ip: meta.ip });
        return asCalendarDay(created);
      },
    }),
    defineRoute({
      id: "holidays.delete",
      method: "delete",
      path: "/holidays/:id",
      summary: "Remove a day off entered by mistake",
      auth: "user",
      params: idParamsSchema,
      response: okSchema,
      handler: async ({ actor, params, meta }) => {
        authorize(holidayPolicy.edit(actor));
        const existing = await db.holiday.findUnique({ where: { id: params.id } });
        if (!existing) throw new AppError("NOT_FOUND");
        await db.holiday.delete({ where: { id: params.id } });
        deps.onChange();
        await recordAudit(db, { actorId: actor.id, action: "holiday.delete", subjectType: "holiday", subjectId: params.id, detail: { date: existing.date, name: existing.name, kind: existing.kind }, ip: meta.ip });
        return { ok: true as const };
      },
    }),
  ];
}
