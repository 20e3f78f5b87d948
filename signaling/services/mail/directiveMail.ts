import type { Db } from "../../db/client";
import { directivePolicy } from "../../policies";
import { directiveAssignedMail, directiveReminderMail } from "../../domain/mail/templates";
import type { DirectiveAssigned } from "../directives/events";
import type { DueReminder } from "../directives/tasks";
import type { MailLinks } from "./briefingInvitations";
import { enqueueMailToUnits } from "./unitMail";

/** What queuing an assignment reads and writes: the directive's transaction, or the database. */
type AssignmentDb = Pick<Db, "unit" | "meeting" | "user" | "mailSettings" | "mailMessage">;

const STAGE = { d3: "D-3", dDay: "D", overdue: "overdue" } as const;

const tasksLink = (links: MailLinks) => `${links.base().replace(/\/$/, "")}/#/tasks`;

/**
 * The directives' mail (issue 19 item 5): a unit's officers and leaders are mailed when a directive of a
 * briefing is assigned to it, and at D-3, on the day and once overdue while the task is not done. Each
 * message has a dedupe key, so a repeated event or check adds nothing.
 *
 * The assignment is queued inside the directive's own transaction (`queueAssignment`, the minutes service's
 * `recordAssignment`): the queue is a table of the same database, so the directive and its mail commit
 * together or not at all. The reminders are recomputed at every check, so they are never lost.
 */
export class DirectiveMail {
  constructor(private readonly db: Db, private readonly links: MailLinks) {}

  /**
   * Queues the mail of one assignment through `tx`, the directive's transaction (a repeated assignment adds
   * nothing: dedupe key). Returns how many messages were queued.
   */
  async queueAssignment(tx: AssignmentDb, event: DirectiveAssigned): Promise<number> {
    // One after the other: a transaction runs one statement at a time.
    const unit = await tx.unit.findUnique({ where: { id: event.unitId }, select: { name: true } });
    const meeting = await tx.meeting.findUnique({ where: { id: event.meetingId }, select: { title: true } });
    return enqueueMailToUnits(tx, {
      unitIds: [event.unitId],
      kind: "directive",
      recipients: directivePolicy.toldOfUnitTasks,
      compose: (recipient) =>
        directiveAssignedMail({
          directive: event.text,
          meetingTitle: meeting?.title || undefined,
          unitName: unit?.name ?? "",
          due: event.dueDate,
          expectedReport: event.expectedReport || undefined,
          link: tasksLink(this.links),
          recipient,
        }),
      dedupeKey: (userId) => `directive:${event.taskId}:${userId}`,
    });
  }

  /** The reminders due today (DirectiveTasks.dueReminders), each stage once per task and person. */
  async remind(reminders: readonly DueReminder[]): Promise<number> {
    let queued = 0;
    for (const reminder of reminders) {
      queued += await enqueueMailToUnits(this.db, {
        unitIds: [reminder.unitId],
        kind: "reminder",
        recipients: directivePolicy.toldOfUnitTasks,
        compose: (recipient) =>
          directiveReminderMail({ directive: reminder.text, unitName: reminder.unitName, due: reminder.dueDate, stage: STAGE[reminder.kind], link: tasksLink(this.links), recipient }),
        dedupeKey: (userId) => `reminder:${reminder.taskId}:${reminder.kind}:${userId}`,
      });
    }
    return queued;
  }
}
