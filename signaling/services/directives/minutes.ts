import { recordAudit } from "../../audit";
import type { Db } from "../../db/client";
import { localDate } from "../../domain/deadlines";
import { COMMUNE_KINDS, directiveDueDate } from "../../domain/directives";
import { AppError } from "../../errors";
import { type Actor, authorize, directivePolicy, type UnitRef } from "../../policies";
import type { DirectiveDto, Minutes, Request } from "../../protocol";
import { rolesOf } from "../../presenters/user";
import type { AssignmentRecorder, DirectiveAssigned, DirectiveEvents } from "./events";
import { ancestorsOrSelf, type Clock, presentDirective, storedCalendar, todayIn, unitNamesOf } from "./shared";

/** Who is asking in the room: the account, and whether its peer chairs this room (decided at join). */
export interface RoomViewer {
  actor: Actor;
  chairsHere: boolean;
}

type NewDirective = Request<"addDirective">;

/** A directive just issued, with the units it went to (the room shows it to their sites). */
export interface IssuedDirective {
  directive: DirectiveDto;
  units: UnitRef[];
}

/**
 * The minutes of a briefing while it runs: notes, conclusions and directives kept by the chair or the
 * secretary the chair named. A directive becomes one task per addressed unit, with its due date from the
 * deadline engine's calendar, in the same transaction, with the audit row and what `recordAssignment`
 * writes for each task (the assignment mail); the assignments are announced after the commit.
 */
export class MinutesService {
  readonly #db: Db;
  readonly #events: DirectiveEvents;
  readonly #clock: Clock;
  readonly #recordAssignment: AssignmentRecorder;

  constructor(db: Db, events: DirectiveEvents, options: { clock?: Clock; recordAssignment?: AssignmentRecorder } = {}) {
    this.#db = db;
    this.#events = events;
    this.#clock = options.clock ?? (() => new Date());
    this.#recordAssignment = options.recordAssignment ?? (async () => undefined);
  }

  /** The meeting row of a room (an ad-hoc room gets one, as its chat and attendance do). */
  async #meeting(roomId: string) {
    return this.#db.meeting.upsert({ where: { roomId }, create: { roomId, title: roomId, status: "live" }, update: {}, select: { id: true, hostUnitId: true, chairUserId: true } });
  }

  async #secretaryOf(meetingId: string): Promise<string | null> {
    return (await this.#db.meetingMinutes.findUnique({ where: { meetingId }, select: { secretaryUserId: true } }))?.secretaryUserId ?? null;
  }

  /** A reception room (its session names the room) keeps its own book, not briefing minutes. */
  async #isReception(roomId: string): Promise<boolean> {
    return (await this.#db.receptionSession.count({ where: { roomId } })) > 0;
  }

  async #requireKeeper(roomId: string, viewer: RoomViewer) {
    if (await this.#isReception(roomId)) throw new AppError("FORBIDDEN", { detail: "a citizen reception has no briefing minutes" });
    const meeting = await this.#meeting(roomId);
    authorize(directivePolicy.keepsMinutes(viewer.actor, viewer.chairsHere, await this.#secretaryOf(meeting.id)));
    return meeting;
  }

  /** The minutes as this viewer may see them: keepers everything, others the directives addressed to their unit. */
  async forRoom(roomId: string, viewer: RoomViewer): Promise<Minutes> {
    const meeting = await this.#meeting(roomId);
    const minutes = await this.#db.meetingMinutes.findUnique({ where: { meetingId: meeting.id } });
    const keeper = directivePolicy.keepsMinutes(viewer.actor, viewer.chairsHere, minutes?.secretaryUserId ?? null) && !(await this.#isReception(roomId));
    const secretary = minutes?.secretaryUserId ? await this.#db.user.findUnique({ where: { id: minutes.secretaryUserId }, select: { displayName: true } }) : null;
    const [conclusions, directives] = await Promise.all([
      this.#db.meetingConclusion.findMany({ where: { meetingId: meeting.id }, orderBy: { seq: "asc" } }),
      this.#db.directive.findMany({ where: { meetingId: meeting.id }, orderBy: { seq: "asc" }, include: { tasks: true } }),
    ]);
    const mine = new Set(ancestorsOrSelf(viewer.actor.unitPath));
    const names = await unitNamesOf(this.#db, directives.flatMap((row) => row.tasks.map((task) => task.unitId)));
    const today = todayIn(this.#clock);
    return {
      meetingId: meeting.id,
      keeper,
      secretaryUserId: minutes?.secretaryUserId ?? null,
      secretaryName: secretary?.displayName ?? null,
      notes: keeper ? (minutes?.notes ?? "") : "",
      conclusions: conclusions.map((row) => ({ id: row.id, seq: row.seq, text: row.text, createdAt: row.createdAt.toISOString() })),
      directives: keeper
        ? directives.map((row) => presentDirective(row, names, today))
        : directives.filter((row) => row.tasks.some((task) => mine.has(task.unitId))).map((row) => presentDirective(row, names, today, mine)),
    };
  }

  /** The chair names (or, with null, un-names) the secretary: a leader or officer present in the room. */
  async setSecretary(roomId: string, viewer: RoomViewer, secretaryUserId: string | null): Promise<void> {
    authorize(viewer.chairsHere && !(await this.#isReception(roomId)));
    const meeting = await this.#meeting(roomId);
    if (secretaryUserId) {
      const user = await this.#db.user.findUnique({ where: { id: secretaryUserId }, include: { roles: true } });
      if (!user?.active) throw new AppError("NOT_FOUND", { detail: "no such account" });
      if (!directivePolicy.maySecretary({ roles: rolesOf(user) })) throw new AppError("VALIDATION_FAILED", { detail: "the secretary must be an officer or a leader", details: [{ path: "peerId", message: "officer or leader only" }] });
    }
    await this.#db.meetingMinutes.upsert({
      where: { meetingId: meeting.id },
      create: { meetingId: meeting.id, secretaryUserId, updatedById: viewer.actor.id },
      update: { secretaryUserId, updatedById: viewer.actor.id },
    });
  }

  async saveNotes(roomId: string, viewer: RoomViewer, notes: string): Promise<{ savedAt: string }> {
    const meeting = await this.#requireKeeper(roomId, viewer);
    const row = await this.#db.meetingMinutes.upsert({
      where: { meetingId: meeting.id },
      create: { meetingId: meeting.id, notes, updatedById: viewer.actor.id },
      update: { notes, updatedById: viewer.actor.id },
    });
    return { savedAt: row.updatedAt.toISOString() };
  }

  async addConclusion(roomId: string, viewer: RoomViewer, text: string) {
    const meeting = await this.#requireKeeper(roomId, viewer);
    const row = await this.#db.$transaction(async (tx) => {
      const last = await tx.meetingConclusion.findFirst({ where: { meetingId: meeting.id }, orderBy: { seq: "desc" }, select: { seq: true } });
      return tx.meetingConclusion.create({ data: { meetingId: meeting.id, seq: (last?.seq ?? 0) + 1, text, createdById: viewer.actor.id } });
    });
    return { id: row.id, seq: row.seq, text: row.text, createdAt: row.createdAt.toISOString() };
  }

  /**
   * Issues a directive: resolves the addressed units ("all communes" = every active commune, ward and special
   * zone under the issuing unit), computes the due date on the working calendar, and writes one task per unit.
   */
  async addDirective(roomId: string, viewer: RoomViewer, input: NewDirective): Promise<IssuedDirective> {
    const meeting = await this.#requireKeeper(roomId, viewer);
    const issuerUnitId = meeting.hostUnitId ?? viewer.actor.unitId;
    const issuer = await this.#db.unit.findUnique({ where: { id: issuerUnitId }, select: { id: true, path: true } });
    if (!issuer) throw new AppError("NOT_FOUND", { detail: "issuing unit not found" });
    const units = await this.#addressedUnits(issuer, input);
    const issuedOn = todayIn(this.#clock);
    const due = input.due.kind === "date" ? { kind: "date" as const, date: localDate(input.due.date) } : input.due;
    if (due.kind === "date" && due.date < issuedOn) throw new AppError("VALIDATION_FAILED", { detail: "the due date is before today", details: [{ path: "due.date", message: "before today" }] });
    const dueDate = directiveDueDate(issuedOn, due, await storedCalendar(this.#db));
    const { row, assignments } = await this.#db.$transaction(async (tx) => {
      const last = await tx.directive.findFirst({ where: { meetingId: meeting.id }, orderBy: { seq: "desc" }, select: { seq: true } });
      const created = await tx.directive.create({
        data: {
          meetingId: meeting.id,
          seq: (last?.seq ?? 0) + 1,
          text: input.text,
          expectedReport: input.expectedReport,
          issuerUnitId: issuer.id,
          addressedTo: JSON.stringify({ allCommunes: input.allCommunes, unitIds: input.unitIds }),
          dueKind: due.kind,
          dueDays: due.kind === "date" ? null : due.days,
          issuedOn,
          dueDate,
          createdById: viewer.actor.id,
          tasks: { create: units.map((unit) => ({ unitId: unit.id, dueDate })) },
        },
        include: { tasks: true },
      });
      await recordAudit(tx, { actorId: viewer.actor.id, action: "directive.issue", subjectType: "meeting", subjectId: meeting.id, detail: { directiveId: created.id, units: units.length, dueDate } });
      const assigned = created.tasks.map(
        (task): DirectiveAssigned => ({ type: "directiveAssigned", taskId: task.id, directiveId: created.id, meetingId: meeting.id, unitId: task.unitId, dueDate, text: created.text, expectedReport: created.expectedReport }),
      );
      // In the directive's transaction: a crash after the commit cannot lose the assignment mail.
      for (const assignment of assigned) await this.#recordAssignment(tx, assignment);
      return { row: created, assignments: assigned };
    });
    for (const assignment of assignments) this.#events.emit(assignment);
    const names = new Map(units.map((unit) => [unit.id, unit.name]));
    return { directive: presentDirective(row, names, issuedOn), units: units.map(({ id, path }) => ({ id, path })) };
  }

  async #addressedUnits(issuer: UnitRef, input: NewDirective) {
    const chosen = await this.#db.unit.findMany({ where: { id: { in: input.unitIds } }, select: { id: true, path: true, name: true, active: true } });
    const missing = input.unitIds.filter((id) => !chosen.some((unit) => unit.id === id && unit.active && unit.path.startsWith(issuer.path)));
    if (missing.length > 0) {
      throw new AppError("VALIDATION_FAILED", { detail: "units not found under the issuing unit", details: missing.map((id) => ({ path: "unitIds", message: `unknown unit ${id}` })) });
    }
    const communes = input.allCommunes
      ? await this.#db.unit.findMany({ where: { active: true, kind: { in: [...COMMUNE_KINDS] }, path: { startsWith: issuer.path } }, select: { id: true, path: true, name: true, active: true } })
      : [];
    const byId = new Map([...chosen, ...communes].map((unit) => [unit.id, unit]));
    if (byId.size === 0) throw new AppError("VALIDATION_FAILED", { detail: "no commune under the issuing unit", details: [{ path: "allCommunes", message: "no commune found" }] });
    return [...byId.values()];
  }
}
