import type { Db } from "../../db/client";
import { REMINDER_WORKING_DAYS_BEFORE } from "../../domain/directives";
import { deadlineRules, type DeadlineRuleId, type LocalDate, localDate, vietnamDateOf, WorkingCalendar } from "../../domain/deadlines";
import { caseDeadlineMail } from "../../domain/mail/templates";
import { caseLink, type MailLinks } from "./briefingInvitations";
import { enqueueMail } from "./MailQueue";
import type { MailSettingsService } from "./MailSettingsService";

/** How far ahead a duty is warned about: three working days (the "D-3"), as directives are. */
export const WARN_WORKING_DAYS = REMINDER_WORKING_DAYS_BEFORE;

interface StoredDuty {
  id: string;
  ruleId: string;
  nature: string;
  due: string | null;
}

/**
 * Case deadline warnings: each open `act` duty (domain/deadlines/duties.ts, as stored with the case) due
 * within three working days or overdue is mailed to the case's handler (its assignee), at most once per
 * duty per day — the day is in the message's dedupe key, so a second run, another process, or a restart
 * the same day adds nothing. Unassigned cases are left to the notification bell of their unit.
 */
export class CaseDeadlineWarnings {
  readonly #db: Db;
  readonly #settings: MailSettingsService;
  readonly #links: MailLinks;

  constructor(db: Db, settings: MailSettingsService, links: MailLinks) {
    this.#db = db;
    this.#settings = settings;
    this.#links = links;
  }

  /** Queues today's warnings; returns how many new messages. */
  async run(now: Date = new Date()): Promise<number> {
    if (!(await this.#settings.enabled())) return 0;
    const calendar = WorkingCalendar.fromStored(await this.#db.holiday.findMany({ select: { date: true, kind: true } }));
    const today = vietnamDateOf(now);
    const horizon = calendar.addWorkingDays(today, WARN_WORKING_DAYS);
    // dueDate is the nearest open `act` duty: a case without one that close has none to warn about.
    const cases = await this.#db.case.findMany({
      where: { assigneeId: { not: null }, dueDate: { lte: horizon }, openDuties: { not: null } },
      select: { id: true, code: true, assigneeId: true, openDuties: true },
      orderBy: [{ dueDate: "asc" }, { code: "asc" }],
    });
    const handlers = new Map(
      (await this.#db.user.findMany({ where: { id: { in: [...new Set(cases.map((row) => row.assigneeId!))] }, active: true, email: { not: null } }, select: { id: true, displayName: true, email: true } })).map((user) => [user.id, user]),
    );
    let queued = 0;
    for (const row of cases) {
      const handler = handlers.get(row.assigneeId!);
      if (!handler) continue;
      const duties = (JSON.parse(row.openDuties!) as StoredDuty[]).filter((duty) => duty.nature === "act" && duty.due !== null && duty.due <= horizon);
      for (const duty of duties) {
        const due = localDate(duty.due!);
        const rule = deadlineRules[duty.ruleId as DeadlineRuleId] as (typeof deadlineRules)[DeadlineRuleId] | undefined;
        const recipient = { name: handler.displayName, email: handler.email! };
        const content = caseDeadlineMail({
          caseCode: row.code,
          dutyLabel: rule?.label ?? duty.ruleId,
          basis: rule?.basis,
          due,
          overdue: due < today,
          workingDaysLeft: workingDaysBetween(calendar, today, due),
          link: caseLink(this.#links, row.id),
          recipient,
        });
        const added = await enqueueMail(this.#db, { kind: "caseDeadline", to: { ...recipient, userId: handler.id }, content, dedupeKey: `caseDuty:${row.id}:${duty.id}:${today}` });
        if (added) queued++;
      }
    }
    return queued;
  }
}

/** Working days after `from` up to and including `to` (0 when `to` is `from` or earlier). */
function workingDaysBetween(calendar: WorkingCalendar, from: LocalDate, to: LocalDate): number {
  let count = 0;
  let day = from;
  while (count < 366) {
    const next = calendar.addWorkingDays(day, 1);
    if (next > to) break;
    count++;
    day = next;
  }
  return count;
}
