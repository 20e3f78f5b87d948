import { z } from "zod";
import type { HolidayService } from "../../services/holidays/HolidayService";
import { defineRoute, idParamsSchema, okSchema } from "../route";
import { createHolidayRequestSchema, holidaySchema, listHolidaysQuerySchema } from "./schema";

/** Days off used by working-day deadlines; a change applies to deadlines computed from then on. */
export function holidayRoutes({ holidays }: { holidays: HolidayService }) {
  return [
    defineRoute({
      id: "holidays.list",
      method: "get",
      path: "/holidays",
      summary: "Public holidays and days off, optionally of one year",
      auth: "user",
      query: listHolidaysQuerySchema,
      response: z.object({ items: z.array(holidaySchema) }),
      handler: ({ actor, query }) => holidays.list(actor, query.year),
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
      handler: ({ actor, body, meta }) => holidays.create(actor, body, meta),
    }),
    defineRoute({
      id: "holidays.delete",
      method: "delete",
      path: "/holidays/:id",
      summary: "Remove a day off entered by mistake",
      auth: "user",
      params: idParamsSchema,
      response: okSchema,
      handler: ({ actor, params, meta }) => holidays.delete(actor, params.id, meta),
    }),
  ];
}
