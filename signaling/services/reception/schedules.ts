import { recordAudit } from "../../audit";
import type { Db } from "../../db/client";
import { addDays, type LocalDate, localDate, vietnamDateOf } from "../../domain/deadlines";
import { generateSlots, minutesOf, receptionCompliance, vietnamDaysRange } from "../../domain/reception";
import { AppError } from "../../errors";
import { type Actor, authorize, receptionPolicy } from "../../policies";
import { rolesOf } from "../../presenters/user";
import { presentSchedule, presentSlot } from "../../presenters/reception";
import type { createScheduleRequestSchema, SlotMode, updateScheduleRequestSchema } from "../../protocol";
import type { z } from "zod";
import { activeUnit, depthOf, displayNames, invalidField, type RequestMeta, workingCalendar } from "./shared";

type CreateScheduleInput = z.infer<typeof createScheduleRequestSchema>;
type UpdateScheduleInput = z.infer<typeof updateScheduleRequestSchema>;

interface ScheduleShape {
  kind: string;
  rule: string | null;
  leaderUserId: string | null;
  startTime: string;
  endTime: string;
  slotMinutes: number;
}

/** How far ahead staff slot lists look by default. */
const DEFAULT_SLOT_LIST_DAYS = 30;

/**
 * Creates the slots of a schedule for a date range that do not exist yet (re-running is harmless: the
 * same times are not made twice). Used by staff through ReceptionSchedules and by the demo seed.
 */
export async function createMissingSlots(
  db: Db,
  schedule: { id: string; unitId: string; rule: string | null; startTime: string; endTime: string; slotMinutes: number; capacityPerSlot: number },
  range: { from: LocalDate; to: LocalDate },
  mode: SlotMode,
): Promise<{ created: number; existing: number }> {
  const wanted = generateSlots(schedule, range, await workingCalendar(db), mode);
  const present = await db.receptionSlot.findMany({ where: { scheduleId: schedule.id, mode, startsAt: vietnamDaysRange(range.from, range.to) }, select: { startsAt: true } });
  const taken = new Set(present.map((slot) => slot.startsAt.getTime()));
  const missing = wanted.filter((slot) => !taken.has(slot.startsAt.getTime()));
  if (missing.length > 0) {
    await db.receptionSlot.createMany({ data: missing.map((slot) => ({ ...slot, scheduleId: schedule.id, unitId: schedule.unitId })) });
  }
  return { created: missing.length, existing: wanted.length - missing.length };
}

/** Reception schedules of a unit, their slots, and whether the leader's periodic days meet the law. */
export class ReceptionSchedules {
  constructor(private readonly db: Db) {}

  async list(actor: Actor, unitId: string | undefined) {
    const unit = await activeUnit(this.db, unitId ?? actor.unitId);
    authorize(receptionPolicy.manageSchedules(actor, unit));
    const rows = await this.db.receptionSchedule.findMany({ where: { unitId: unit.id }, include: { unit: true }, orderBy: [{ active: "desc" }, { createdAt: "asc" }] });
    const names = await displayNames(this.db, rows.map((row) => row.leaderUserId));
    // Who may lead the unit's reception days is the policy's rule, asked of each of the unit's accounts
    // (a unit has tens of them, not thousands), so the role is named in one place.
    const accounts = await this.db.user.findMany({ where: { unitId: unit.id, active: true }, select: { id: true, displayName: true, roles: true }, orderBy: { displayName: "asc" } });
    const leaders = accounts.filter((account) => receptionPolicy.leadsReceptionDays({ roles: rolesOf(account) }));
    return {
      unit: { id: unit.id, name: unit.name, kind: unit.kind },
      items: rows.map((row) => presentSchedule(row, row.leaderUserId ? (names.get(row.leaderUserId) ?? null) : null)),
      compliance: receptionCompliance({ kind: unit.kind, depth: depthOf(unit.path) }, rows, vietnamDateOf(new Date())),
      leaders: leaders.map((leader) => ({ id: leader.id, name: leader.displayName })),
    };
  }

  async create(actor: Actor, input: CreateScheduleInput, meta: RequestMeta) {
    const unit = await activeUnit(this.db, input.unitId);
    authorize(receptionPolicy.manageSchedules(actor, unit));
    const shape = { kind: input.kind, rule: input.rule ?? null, leaderUserId: input.leaderUserId ?? null, startTime: input.startTime, endTime: input.endTime, slotMinutes: input.slotMinutes };
    await this.#checkShape(shape, unit.id);
    const row = await this.db.receptionSchedule.create({
      data: { ...shape, unitId: unit.id, title: input.title, capacityPerSlot: input.capacityPerSlot, active: input.active },
      include: { unit: true },
    });
    await recordAudit(this.db, { actorId: actor.id, action: "reception.schedule.create", subjectType: "receptionSchedule", subjectId: row.id, detail: { unitId: unit.id, kind: row.kind, rule: row.rule }, ip: meta.ip });
    return this.#present(row);
  }

  async update(actor: Actor, scheduleId: string, patch: UpdateScheduleInput, meta: RequestMeta) {
    const current = await this.db.receptionSchedule.findUnique({ where: { id: scheduleId }, include: { unit: true } });
    if (!current) throw new AppError("NOT_FOUND", { detail: "schedule not found" });
    authorize(receptionPolicy.manageSchedules(actor, current.unit));
    const merged = { ...current, ...patch };
    await this.#checkShape(merged, current.unitId);
    const row = await this.db.receptionSchedule.update({ where: { id: scheduleId }, data: patch, include: { unit: true } });
    await recordAudit(this.db, { actorId: actor.id, action: "reception.schedule.update", subjectType: "receptionSchedule", subjectId: row.id, detail: { changed: Object.keys(patch) }, ip: meta.ip });
    return this.#present(row);
  }

  async generateSlots(actor: Actor, scheduleId: string, request: { from: string; to: string; mode: SlotMode }, meta: RequestMeta) {
    const schedule = await this.db.receptionSchedule.findUnique({ where: { id: scheduleId }, include: { unit: true } });
    if (!schedule) throw new AppError("NOT_FOUND", { detail: "schedule not found" });
    authorize(receptionPolicy.manageSchedules(actor, schedule.unit));
    if (!schedule.active) throw new AppError("CONFLICT", { detail: "the schedule is inactive" });
    const result = await createMissingSlots(this.db, schedule, { from: localDate(request.from), to: localDate(request.to) }, request.mode);
    await recordAudit(this.db, { actorId: actor.id, action: "reception.slots.generate", subjectType: "receptionSchedule", subjectId: schedule.id, detail: { ...request, ...result }, ip: meta.ip });
    return result;
  }

  /** Slots of one unit in a date range (default: today and the next 30 days), earliest first. */
  async listSlots(actor: Actor, query: { unitId?: string | undefined; from?: string | undefined; to?: string | undefined }) {
    const unit = await activeUnit(this.db, query.unitId ?? actor.unitId);
    authorize(receptionPolicy.manageSchedules(actor, unit));
    const from = query.from ?? vietnamDateOf(new Date());
    const to = query.to ?? addDays(localDate(from), DEFAULT_SLOT_LIST_DAYS);
    const rows = await this.db.receptionSlot.findMany({
      where: { unitId: unit.id, startsAt: vietnamDaysRange(from, to) },
      include: { schedule: { select: { title: true, kind: true } }, unit: { select: { name: true } } },
      orderBy: [{ startsAt: "asc" }, { mode: "asc" }],
      take: 1000,
    });
    return rows.map(presentSlot);
  }

  async #present(row: Parameters<typeof presentSchedule>[0]) {
    const names = await displayNames(this.db, [row.leaderUserId]);
    return presentSchedule(row, row.leaderUserId ? (names.get(row.leaderUserId) ?? null) : null);
  }

  /** Rules that need more than one field, or stored data: the times, the recurrence, the leader. */
  async #checkShape(shape: ScheduleShape, unitId: string): Promise<void> {
    if (minutesOf(shape.endTime) <= minutesOf(shape.startTime)) throw invalidField("endTime", "the end time must be after the start time");
    if (shape.slotMinutes > minutesOf(shape.endTime) - minutesOf(shape.startTime)) throw invalidField("slotMinutes", "a slot cannot be longer than the reception time");
    if (shape.kind === "adhoc" && shape.rule !== null) throw invalidField("rule", "ad-hoc sessions have no recurrence");
    if (shape.kind !== "adhoc" && shape.rule === null) throw invalidField("rule", "periodic and regular reception need a recurrence");
    if (shape.kind !== "regular" && shape.leaderUserId === null) throw invalidField("leaderUserId", "the leader receives in person on periodic and ad-hoc days");
    if (shape.leaderUserId !== null) {
      const leader = await this.db.user.findUnique({ where: { id: shape.leaderUserId }, include: { roles: true } });
      const isLeader = leader?.active && leader.unitId === unitId && receptionPolicy.leadsReceptionDays({ roles: rolesOf(leader) });
      if (!isLeader) throw invalidField("leaderUserId", "the leader must be an active leader account of the unit");
    }
  }
}
