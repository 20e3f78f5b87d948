import fs from "node:fs";
import { recordAudit } from "../../audit";
import type { Db } from "../../db/client";
import { type LocalDate, localDate, type WorkingCalendar } from "../../domain/deadlines";
import { REMINDER_WORKING_DAYS_BEFORE, type ReminderKind, reminderFor, type TaskStanding, taskStanding } from "../../domain/directives";
import { cleanFileName } from "../../domain/files/sniff";
import { AppError } from "../../errors";
import { type Actor, authorize, directivePolicy, type DirectiveTaskRef } from "../../policies";
import type { DirectiveMatrix, DirectiveTaskDetail, DirectiveTaskDto } from "../../protocol";
import { type IncomingFile, receiveFileByContent, storedFilePath } from "../attachments/attachments";
import type { DirectiveEvents } from "./events";
import { ancestorsOrSelf, type Clock, storedCalendar, taskStatus, todayIn } from "./shared";

const taskInclude = { directive: { include: { meeting: { select: { id: true, title: true, chairUserId: true } } } } } as const;

/** A due reminder for the mail queue (issue 19 item 5): which task, which moment. */
export interface DueReminder {
  kind: ReminderKind;
  taskId: string;
  unitId: string;
  unitName: string;
  directiveId: string;
  text: string;
  dueDate: string;
}

/**
 * Directives as the units' tasks: each unit's list ("Nhiệm vụ được giao"), its progress and completion
 * reports with files, the province's matrix of units × directives, and the reminders due on a day.
 */
export class DirectiveTasks {
  constructor(private readonly db: Db, private readonly dataDir: string, private readonly events: DirectiveEvents, private readonly clock: Clock = () => new Date()) {}

  /** The paths of the units a set of tasks involves (their own and the issuers'), for the policy. */
  async #refs(rows: readonly { unitId: string; directive: { issuerUnitId: string; meeting: { chairUserId: string | null } } }[]) {
    const ids = new Set(rows.flatMap((row) => [row.unitId, row.directive.issuerUnitId]));
    const units = new Map((await this.db.unit.findMany({ where: { id: { in: [...ids] } }, select: { id: true, path: true, name: true } })).map((unit) => [unit.id, unit]));
    // A unit row that is gone has no readers: an unknown path matches no scope.
    const unit = (id: string) => units.get(id) ?? { id, path: "\u0000", name: id };
    return {
      ref: (row: (typeof rows)[number]): DirectiveTaskRef => ({ unit: unit(row.unitId), issuerUnit: unit(row.directive.issuerUnitId), chairUserId: row.directive.meeting.chairUserId }),
      name: (id: string) => unit(id).name,
    };
  }

  #present(actor: Actor, row: TaskRow, name: (id: string) => string, ref: DirectiveTaskRef, day: { today: LocalDate; calendar: WorkingCalendar }): DirectiveTaskDto {
    const { today, calendar } = day;
    const facts = { dueDate: localDate(row.dueDate), completedOn: row.completedOn ? localDate(row.completedOn) : null };
    return {
      id: row.id,
      unitId: row.unitId,
      unitName: name(row.unitId),
      status: taskStatus(row.status),
      standing: taskStanding(facts, today),
      reminder: reminderFor(facts, today, calendar),
      dueDate: row.dueDate,
      completedOn: row.completedOn,
      directive: { id: row.directive.id, seq: row.directive.seq, text: row.directive.text, expectedReport: row.directive.expectedReport, issuedOn: row.directive.issuedOn },
      meeting: { id: row.directive.meeting.id, title: row.directive.meeting.title },
      mayReport: directivePolicy.reportTask(actor, ref),
    };
  }

  /** "Nhiệm vụ được giao": the tasks of the caller's unit (and of the units above it that it acts for). */
  async mine(actor: Actor, status: "open" | "done" | "all"): Promise<DirectiveTaskDto[]> {
    authorize(directivePolicy.listTasks(actor));
    const rows = await this.db.directiveTask.findMany({
      where: { unitId: { in: ancestorsOrSelf(actor.unitPath) }, ...(status === "open" ? { status: { not: "done" } } : status === "done" ? { status: "done" } : {}) },
      include: taskInclude,
      orderBy: [{ dueDate: "asc" }, { createdAt: "asc" }],
      take: 500,
    });
    const { ref, name } = await this.#refs(rows);
    const day = { today: todayIn(this.clock), calendar: await storedCalendar(this.db) };
    return rows.filter((row) => directivePolicy.readTask(actor, ref(row))).map((row) => this.#present(actor, row, name, ref(row), day));
  }

  async #task(actor: Actor, taskId: string, rule: "read" | "report") {
    const row = await this.db.directiveTask.findUnique({ where: { id: taskId }, include: taskInclude });
    if (!row) throw new AppError("NOT_FOUND", { detail: "task not found" });
    const refs = await this.#refs([row]);
    const ref = refs.ref(row);
    authorize(rule === "read" ? directivePolicy.readTask(actor, ref) : directivePolicy.reportTask(actor, ref));
    return { row, ref, name: refs.name };
  }

  async read(actor: Actor, taskId: string): Promise<DirectiveTaskDetail> {
    const { row, ref, name } = await this.#task(actor, taskId, "read");
    const [reports, attachments] = await Promise.all([
      this.db.directiveReport.findMany({ where: { taskId }, orderBy: { at: "asc" } }),
      this.db.directiveAttachment.findMany({ where: { taskId }, orderBy: { createdAt: "asc" } }),
    ]);
    const authors = new Map((await this.db.user.findMany({ where: { id: { in: reports.map((report) => report.authorId) } }, select: { id: true, displayName: true } })).map((user) => [user.id, user.displayName]));
    return {
      ...this.#present(actor, row, name, ref, { today: todayIn(this.clock), calendar: await storedCalendar(this.db) }),
      reports: reports.map((report) => ({ id: report.id, kind: report.kind === "done" ? "done" : "progress", text: report.text, authorName: authors.get(report.authorId) ?? "—", at: report.at.toISOString() })),
      attachments: attachments.map((file) => ({ id: file.id, originalName: file.originalName, mimeType: file.mimeType, size: file.size, sha256: file.sha256, createdAt: file.createdAt.toISOString() })),
    };
  }

  /** A progress or completion report. Completion is once: the day it was reported is the day it was done. */
  async report(actor: Actor, taskId: string, input: { kind: "progress" | "done"; text: string }, meta: { ip: string }): Promise<DirectiveTaskDetail> {
    const { row } = await this.#task(actor, taskId, "report");
    if (row.status === "done" && input.kind === "done") throw new AppError("CONFLICT", { detail: "the task was already reported done" });
    const today = todayIn(this.clock);
    await this.db.$transaction(async (tx) => {
      await tx.directiveReport.create({ data: { taskId, kind: input.kind, text: input.text, authorId: actor.id } });
      if (input.kind === "done") await tx.directiveTask.update({ where: { id: taskId }, data: { status: "done", completedOn: today } });
      else if (row.status === "open") await tx.directiveTask.update({ where: { id: taskId }, data: { status: "inProgress" } });
      await recordAudit(tx, { actorId: actor.id, action: `directive.task.${input.kind}`, subjectType: "directiveTask", subjectId: taskId, ip: meta.ip });
    });
    this.events.emit({ type: "taskReported", taskId, directiveId: row.directiveId, unitId: row.unitId, kind: input.kind, authorId: actor.id });
    return this.read(actor, taskId);
  }

  /** A file for the report, checked on content and stored once per content like a case's files. */
  async upload(actor: Actor, taskId: string, name: string, file: IncomingFile, meta: { ip: string }) {
    await this.#task(actor, taskId, "report");
    const { sha256, kind, size } = await receiveFileByContent(this.dataDir, file);
    const row = await this.db.$transaction(async (tx) => {
      const created = await tx.directiveAttachment.create({ data: { taskId, sha256, size, mimeType: kind.mimeType, originalName: cleanFileName(name, kind), uploadedById: actor.id } });
      await recordAudit(tx, { actorId: actor.id, action: "directive.task.attachment", subjectType: "directiveTask", subjectId: taskId, detail: { attachmentId: created.id, sha256 }, ip: meta.ip });
      return created;
    });
    return { id: row.id, originalName: row.originalName, mimeType: row.mimeType, size: row.size, sha256: row.sha256, createdAt: row.createdAt.toISOString() };
  }

  async openFile(actor: Actor, taskId: string, attachmentId: string) {
    await this.#task(actor, taskId, "read");
    const row = await this.db.directiveAttachment.findFirst({ where: { id: attachmentId, taskId } });
    if (!row) throw new AppError("NOT_FOUND");
    const file = storedFilePath(this.dataDir, row.sha256);
    if (!fs.existsSync(file)) throw new AppError("NOT_FOUND", { detail: "file missing from storage" });
    return { file, mimeType: row.mimeType, originalName: row.originalName };
  }

  /** Units × directives issued in a period (or by one meeting): each cell a task the reader may see. */
  async matrix(actor: Actor, query: { meetingId?: string | undefined; from?: string | undefined; to?: string | undefined }): Promise<DirectiveMatrix> {
    authorize(directivePolicy.listTasks(actor));
    const today = todayIn(this.clock);
    const issuedOn = { ...(query.from ? { gte: query.from } : {}), ...(query.to ? { lte: query.to } : {}) };
    const rows = await this.db.directiveTask.findMany({
      where: { directive: { ...(query.meetingId ? { meetingId: query.meetingId } : {}), ...(query.from || query.to ? { issuedOn } : {}) } },
      include: taskInclude,
      orderBy: [{ directive: { issuedOn: "asc" } }, { directive: { seq: "asc" } }],
      take: 20_000,
    });
    const { ref, name } = await this.#refs(rows);
    const visible = rows.filter((row) => directivePolicy.readTask(actor, ref(row)));
    const directives = new Map<string, DirectiveMatrix["directives"][number]>();
    const totals: Record<TaskStanding, number> = { done: 0, late: 0, overdue: 0, open: 0 };
    const cells = visible.map((row) => {
      const { directive } = row;
      directives.set(directive.id, { id: directive.id, seq: directive.seq, text: directive.text, dueDate: directive.dueDate, meetingId: directive.meeting.id, meetingTitle: directive.meeting.title, issuedOn: directive.issuedOn });
      const standing = taskStanding({ dueDate: localDate(row.dueDate), completedOn: row.completedOn ? localDate(row.completedOn) : null }, today);
      totals[standing] += 1;
      return { directiveId: directive.id, unitId: row.unitId, taskId: row.id, standing, dueDate: row.dueDate, completedOn: row.completedOn };
    });
    const units = [...new Set(visible.map((row) => row.unitId))].map((id) => ({ id, name: name(id) })).sort((a, b) => a.name.localeCompare(b.name, "vi"));
    return { today, directives: [...directives.values()], units, cells, totals };
  }

  /**
   * The reminders due on `today` (D-3, D-day, every day overdue) for open tasks: the mail queue sends them.
   * No reader is checked: this is the system's own schedule, not a user's request.
   */
  async dueReminders(today: LocalDate = todayIn(this.clock)): Promise<DueReminder[]> {
    const calendar = await storedCalendar(this.db);
    const rows = await this.db.directiveTask.findMany({
      // Every due date with at most that many working days left, also one that falls on a day off.
      where: { status: { not: "done" }, dueDate: { lt: calendar.addWorkingDays(today, REMINDER_WORKING_DAYS_BEFORE + 1) } },
      include: { directive: { select: { id: true, text: true } } },
      orderBy: { dueDate: "asc" },
    });
    const names = new Map((await this.db.unit.findMany({ where: { id: { in: [...new Set(rows.map((row) => row.unitId))] } }, select: { id: true, name: true } })).map((unit) => [unit.id, unit.name]));
    return rows.flatMap((row) => {
      const kind = reminderFor({ dueDate: localDate(row.dueDate), completedOn: null }, today, calendar);
      return kind ? [{ kind, taskId: row.id, unitId: row.unitId, unitName: names.get(row.unitId) ?? row.unitId, directiveId: row.directive.id, text: row.directive.text, dueDate: row.dueDate }] : [];
    });
  }
}

type TaskRow = {
  id: string;
  unitId: string;
  status: string;
  dueDate: string;
  completedOn: string | null;
  directive: { id: string; seq: number; text: string; expectedReport: string; issuedOn: string; meeting: { id: string; title: string } };
};
