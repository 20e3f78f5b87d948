import type { Db } from "../../db/client";
import { WorkingCalendar } from "../../domain/deadlines";
import { AppError } from "../../errors";

/** What an operation knows of its caller's connection (for the audit log). */
export interface RequestMeta {
  ip: string;
}

/** Depth of a unit in the tree from its materialised path (0 for the root). */
export const depthOf = (path: string): number => path.split("/").filter(Boolean).length - 1;

export async function activeUnit(db: Db, unitId: string) {
  const unit = await db.unit.findUnique({ where: { id: unitId } });
  if (!unit || !unit.active) throw new AppError("NOT_FOUND", { detail: "unit not found" });
  return unit;
}

/** The days-off calendar as stored now; reception reads it rarely (slot generation), so no cache. */
export async function workingCalendar(db: Db): Promise<WorkingCalendar> {
  return WorkingCalendar.fromStored(await db.holiday.findMany({ select: { date: true, kind: true } }));
}

/** A field-level validation failure found after parsing (it needs stored data to decide). */
export const invalidField = (path: string, message: string): AppError => new AppError("VALIDATION_FAILED", { details: [{ path, message }], detail: message });

/** Display names of accounts, by id, for the names shown beside stored user ids. */
export async function displayNames(db: Db, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((value): value is string => value !== null))];
  if (wanted.length === 0) return new Map();
  const users = await db.user.findMany({ where: { id: { in: wanted } }, select: { id: true, displayName: true } });
  return new Map(users.map((user) => [user.id, user.displayName]));
}
