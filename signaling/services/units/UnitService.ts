import { recordAudit } from "../../audit";
import type { Db } from "../../db/client";
import { matchesSearch } from "../../domain/textSearch";
import { childPath, rebasePath } from "../../domain/unitTree";
import { AppError } from "../../errors";
import { type Actor, authorize, unitPolicy } from "../../policies";
import { presentUnit } from "../../presenters/unit";
import type { createUnitRequestSchema, ListUnitsQuery, UnitDto, UnitSortField, updateUnitRequestSchema } from "../../protocol";
import type { z } from "zod";

type CreateUnitInput = z.infer<typeof createUnitRequestSchema>;
type UpdateUnitInput = z.infer<typeof updateUnitRequestSchema>;
type UnitRow = NonNullable<Awaited<ReturnType<Db["unit"]["findUnique"]>>>;

const byVietnamese = new Intl.Collator("vi");
const unitOrder: Record<UnitSortField, (a: UnitRow, b: UnitRow) => number> = {
  path: (a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  name: (a, b) => byVietnamese.compare(a.name, b.name),
  code: (a, b) => byVietnamese.compare(a.code, b.code),
  kind: (a, b) => byVietnamese.compare(a.kind, b.kind),
};

/** The unit tree: its list (searched and sorted here: a province has a few hundred units), creation and edits, each audited. */
export class UnitService {
  constructor(private readonly db: Db) {}

  async list(actor: Actor, query: ListUnitsQuery): Promise<{ items: UnitDto[] }> {
    authorize(unitPolicy.list(actor));
    const units = await this.db.unit.findMany({ where: query.includeInactive === "true" ? {} : { active: true }, orderBy: [{ path: "asc" }] });
    const sign = query.dir === "desc" ? -1 : 1;
    const compare = unitOrder[query.sort ?? "path"];
    const items = units
      .filter((unit) => matchesSearch(query.q, [unit.code, unit.name]))
      // Ties by tree order, so equal names keep a stable place.
      .sort((a, b) => sign * compare(a, b) || unitOrder.path(a, b));
    return { items: items.map(presentUnit) };
  }

  /** Active units a citizen may address a petition to: names and depth only. */
  async publicUnits(): Promise<{ id: string; name: string; depth: number }[]> {
    const units = await this.db.unit.findMany({ where: { active: true }, orderBy: { path: "asc" }, select: { id: true, name: true, path: true } });
    return units.map((unit) => ({ id: unit.id, name: unit.name, depth: unit.path.split("/").filter(Boolean).length - 1 }));
  }

  async create(actor: Actor, body: CreateUnitInput, meta: { ip: string }): Promise<UnitDto> {
    const parent = await this.#find(body.parentId);
    authorize(unitPolicy.createUnder(actor, parent));
    if (!parent.active) throw new AppError("CONFLICT", { detail: "parent unit is inactive" });
    await this.#assertCodeFree(body.code);
    const unit = await this.db.$transaction(async (tx) => {
      const created = await tx.unit.create({ data: { code: body.code, name: body.name, kind: body.kind, parentId: parent.id, path: "pending" } });
      const withPath = await tx.unit.update({ where: { id: created.id }, data: { path: childPath(parent.path, created.id) } });
      await recordAudit(tx, { actorId: actor.id, action: "unit.create", subjectType: "unit", subjectId: created.id, detail: body, ip: meta.ip });
      return withPath;
    });
    return presentUnit(unit);
  }

  /** Rename, re-code, move (the whole subtree's paths with it) or (de)activate, in one transaction. */
  async update(actor: Actor, unitId: string, body: UpdateUnitInput, meta: { ip: string }): Promise<UnitDto> {
    const unit = await this.#find(unitId);
    authorize(unitPolicy.update(actor, unit));
    if (body.active === false) {
      authorize(unitPolicy.deactivate(actor, unit));
      const activeChildren = await this.db.unit.count({ where: { parentId: unit.id, active: true } });
      if (activeChildren > 0) throw new AppError("CONFLICT", { detail: "deactivate its sub-units first" });
    }
    if (body.code) await this.#assertCodeFree(body.code, unit.id);
    const newParent = body.parentId !== undefined && body.parentId !== unit.parentId ? await this.#find(body.parentId) : undefined;
    if (newParent) authorize(unitPolicy.move(actor, unit, newParent));

    const updated = await this.db.$transaction(async (tx) => {
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
  }

  async #find(id: string): Promise<UnitRow> {
    const unit = await this.db.unit.findUnique({ where: { id } });
    if (!unit) throw new AppError("NOT_FOUND", { detail: `unit ${id} not found` });
    return unit;
  }

  async #assertCodeFree(code: string, exceptId?: string): Promise<void> {
    const existing = await this.db.unit.findUnique({ where: { code } });
    if (existing && existing.id !== exceptId) throw new AppError("CONFLICT", { detail: `unit code ${code} is taken` });
  }
}
