import { z } from "zod";
import { recordAudit } from "../../audit";
import type { Db } from "../../db/client";
import { childPath, rebasePath } from "../../domain/unitTree";
import { AppError } from "../../errors";
import { authorize, unitPolicy } from "../../policies";
import { presentUnit } from "../../presenters/unit";
import { defineRoute, idParamsSchema } from "../route";
import { createUnitRequestSchema, listUnitsQuerySchema, unitSchema, updateUnitRequestSchema } from "./schema";

async function findUnit(db: Db, id: string) {
  const unit = await db.unit.findUnique({ where: { id } });
  if (!unit) throw new AppError("NOT_FOUND", { detail: `unit ${id} not found` });
  return unit;
}

async function assertCodeFree(db: Db, code: string, exceptId?: string) {
  const existing = await db.unit.findUnique({ where: { code } });
  if (existing && existing.id !== exceptId) throw new AppError("CONFLICT", { detail: `unit code ${code} is taken` });
}

export function unitRoutes(deps: { db: Db }) {
  const { db } = deps;
  return [
    defineRoute({
      id: "units.list",
      method: "get",
      path: "/units",
      summary: "The whole unit tree as a flat list ordered by path (parents before children)",
      auth: "user",
      query: listUnitsQuerySchema,
      response: z.object({ items: z.array(unitSchema) }),
      handler: async ({ actor, query }) => {
        authorize(unitPolicy.list(actor));
        const units = await db.unit.findMany({
          where: query.includeInactive === "true" ? {} : { active: true },
          orderBy: [{ path: "asc" }],
        });
        return { items: units.map(presentUnit) };
      },
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
      handler: async ({ actor, body, meta }) => {
        const parent = await findUnit(db, body.parentId);
        authorize(unitPolicy.createUnder(actor, parent));
        if (!parent.active) throw new AppError("CONFLICT", { detail: "parent unit is inactive" });
        await assertCodeFree(db, body.code);
        const unit = await db.$transaction(async (tx) => {
          const created = await tx.unit.create({ data: { code: body.code, name: body.name, kind: body.kind, parentId: parent.id, path: "pending" } });
          const withPath = await tx.unit.update({ where: { id: created.id }, data: { path: childPath(parent.path, created.id) } });
          await recordAudit(tx, { actorId: actor.id, action: "unit.create", subjectType: "unit", subjectId: created.id, detail: body, ip: meta.ip });
          return withPath;
        });
        return presentUnit(unit);
      },
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
      handler: async ({ actor, params, body, meta }) => {
        const unit = await findUnit(db, params.id);
        authorize(unitPolicy.update(actor, unit));
        if (body.active === false) {
          authorize(unitPolicy.deactivate(actor, unit));
          const activeChildren = await db.unit.count({ where: { parentId: unit.id, active: true } });
          if (activeChildren > 0) throw new AppError("CONFLICT", { detail: "deactivate its sub-units first" });
        }
        if (body.code) await assertCodeFree(db, body.code, unit.id);
        const moving = body.parentId !== undefined && body.parentId !== unit.parentId;
        const newParent = moving ? await findUnit(db, body.parentId!) : undefined;
        if (newParent) authorize(unitPolicy.move(actor, unit, newParent));

        const updated = await db.$transaction(async (tx) => {
          if (newParent) {
            const newPath = childPath(newParent.path, unit.id);
            const subtree = await tx.unit.findMany({ where: { path: { startsWith: unit.path } }, select: { id: true, path: true } });
            for (const member of subtree) {
              await tx.unit.update({ where: { id: member.id }, data: { path: rebasePath(member.path, unit.path, newPath) } });
            }
          }
          const result = await tx.unit.update({
            where: { id: unit.id },
            data: {
              ...(body.name !== undefined ? { name: body.name } : {}),
              ...(body.code !== undefined ? { code: body.code } : {}),
              ...(body.kind !== undefined ? { kind: body.kind } : {}),
              ...(body.active !== undefined ? { active: body.active } : {}),
              ...(newParent ? { parentId: newParent.id } : {}),
            },
          });
          await recordAudit(tx, { actorId: actor.id, action: "unit.update", subjectType: "unit", subjectId: unit.id, detail: body, ip: meta.ip });
          return result;
        });
        return presentUnit(updated);
      },
    }),
  ];
}
