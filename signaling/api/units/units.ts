import { z } from "zod";
import type { UnitService } from "../../services/units/UnitService";
import { defineRoute, idParamsSchema } from "../route";
import { createUnitRequestSchema, listUnitsQuerySchema, unitSchema, updateUnitRequestSchema } from "./schema";

export function unitRoutes({ units }: { units: UnitService }) {
  return [
    defineRoute({
      id: "units.list",
      method: "get",
      path: "/units",
      summary: "The unit tree as a flat list (tree order: parents before children), searchable by code or name and sortable",
      auth: "user",
      query: listUnitsQuerySchema,
      response: z.object({ items: z.array(unitSchema) }),
      handler: ({ actor, query }) => units.list(actor, query),
    }),
    defineRoute({
      id: "units.create",
      method: "post",
      path: "/units",
      summary: "Add a unit under a parent in the admin's subtree",
      auth: "user",
      body: createUnitRequestSchema,
      response: unitSchema,
      status: 201,
      handler: ({ actor, body, meta }) => units.create(actor, body, meta),
    }),
    defineRoute({
      id: "units.update",
      method: "patch",
      path: "/units/:id",
      summary: "Rename, re-code, move (parentId) or (de)activate a unit",
      auth: "user",
      params: idParamsSchema,
      body: updateUnitRequestSchema,
      response: unitSchema,
      handler: ({ actor, params, body, meta }) => units.update(actor, params.id, body, meta),
    }),
  ];
}
