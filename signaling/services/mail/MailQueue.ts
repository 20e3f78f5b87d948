import { recordAudit } from "../../audit";
import type { Db } from "../../db/client";
import type { MailMessage } from "../../db/generated/client";
import type { MailContent } from "../../domain/mail/templates";
import { AppError } from "../../errors";
import type { Logger } from "../../logger";
import { type Actor, authorize, mailPolicy } from "../../policies";
import { type MailMessageDto, mailStatusSchema } from "../../protocol";
import type { MailSettingsService } from "./MailSettingsService";
import { createSmtpTransport, sendMail } from "./smtp";

/** A database handle or an open transaction: a message is written with the change that causes it. */
export type MailDb = Pick<Db, "mailMessage">;

export interface MailToEnqueue {
  /** meetingInvitation | meetingCancel | caseDeadline | directive | reminder | … */
  kind: string;
  to: { email: string; name?: string | null | undefined; userId?: string | null | undefined };
  content: MailContent;
  /** A message that must exist at most once (e.g. `caseDuty:<case>:<duty>:<day>`): a repeat is ignored. */
  dedupeKey?: string | undefined;
}

/**
 * Puts one message in the queue, inside the caller's transaction where it has one, so the mail exists
 * exactly when the change that caused it was committed. Returns false when `dedupeKey` was already used.
 * This is the function to call for any new kind of mail (directives, reminders): compose with a template
 * of domain/mail/templates.ts, then enqueue.
 */
export async function enqueueMail(db: MailDb, mail: MailToEnqueue): Promise<boolean> {
  if (mail.dedupeKey && (await db.mailMessage.findUnique({ where: { dedupeKey: mail.dedupeKey }, select: { id: true } }))) return false;
  try {
    await create(db, mail);
  } catch (error) {
    // Another process queued the same deduplicated message between the look-up and the insert.
    if (mail.dedupeKey && (error as { code?: string }).code === "P2002") return false;
    throw error;
  }
  return true;
}

function create(db: MailDb, mail: MailToEnqueue) {
  return db.mailMessage.create({
    data: {
      kind: mail.kind,
      dedupeKey: mail.dedupeKey ?? null,
      toAddress: mail.to.email,
      toName: mail.to.name ?? null,
      userId: mail.to.userId ?? null,
      subject: mail.content.subject,
      textBody: mail.content.text,
      icsMethod: mail.content.ics?.method ?? null,
      ics: mail.content.ics?.content ?? null,
    },
  });
}

export interface MailQueueOptions {
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  pollMs: number;
  /** A sent message's text and ICS are erased this many days after it was sent (MAIL_KEEP_BODY_DAYS). */
  keepBodyDays: number;
}

/** How long a worker holds a message it is sending; a worker that died mid-send loses it after this. */
const CLAIM_MS = 120_000;
const BATCH = 20;
/** Erasing old bodies is one UPDATE over an index; once an hour keeps it off the 5 s poll. */
const ERASE_EVERY_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Erases the text and calendar object of messages sent more than `keepDays` ago. They repeat case
 * codes, subjects and meeting details that the case and the meeting already hold; kept for ever, the
 * mail table would become a second, unaudited copy of them. The row stays — kind, recipient, subject,
 * when it was sent and the server's answer — as the record that the notice went out, and so does its
 * dedupe key, so an erased reminder is not sent again. Queued and failed messages are never touched:
 * they still have to go out. Returns how many were erased.
 */
export async function eraseSentMailBodies(db: MailDb, keepDays: number, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - keepDays * DAY_MS);
  const erased = await db.mailMessage.updateMany({ where: { status: "sent", sentAt: { lt: cutoff }, textBody: { not: "" } }, data: { textBody: "", ics: null } });
  return erased.count;
}

type MessageRow = MailMessage;

function present(row: MessageRow): MailMessageDto {
  return {
    id: row.id,
    kind: row.kind,
    toAddress: row.toAddress,
    subject: row.subject,
    status: mailStatusSchema.catch("queued").parse(row.status),
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt.toISOString(),
    lastError: row.lastError,
    serverResponse: row.serverResponse,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
  };
}

/**
 * The worker in the server process, and the admin's view of the queue. A message is marked sent only
 * after the server accepted it (its 250 answer is kept); a crash between that answer and the update
 * sends it again after restart — at least once, never lost. Failures wait base × 2^(attempt−1) (capped)
 * and the message becomes `failed` after the last attempt, or at once when the server refused it with a
 * 5xx (a bad address will not get better); an admin may queue a failed message again.
 */
export class MailQueue {
  readonly #db: Db;
  readonly #settings: MailSettingsService;
  readonly #options: MailQueueOptions;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;
  #stopped = true;
  /** Set by stop(): a run in progress ends after the message it is sending. */
  #closing = false;
  /** When old bodies were last erased (the run's clock); undefined until the first run. */
  #erasedAt: Date | undefined;

  constructor(deps: { db: Db; settings: MailSettingsService; options: MailQueueOptions; logger: Logger }) {
    this.#db = deps.db;
    this.#settings = deps.settings;
    this.#options = deps.options;
    this.#logger = deps.logger;
  }

  start(): void {
    this.#stopped = false;
    this.#closing = false;
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#closing = true;
    if (this.#timer) clearTimeout(this.#timer);
    // The message being sent ends the run; a server that does not answer is not waited for beyond 5 s
    // (the message stays claimed and is sent again after the claim expires: at least once).
    await Promise.race([this.#running?.catch(() => 0), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
  }

  /** Sends what is due now; returns how many messages were tried. One run at a time. */
  runOnce(now: () => Date = () => new Date()): Promise<number> {
    this.#running ??= this.#run(now).finally(() => (this.#running = undefined));
    return this.#running;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.runOnce().then(
        (tried) => this.#schedule(tried === BATCH ? 0 : this.#options.pollMs),
        (error: unknown) => {
          this.#logger.error({ err: error }, "mail queue run failed");
          this.#schedule(this.#options.pollMs);
        },
      );
    }, delayMs);
    this.#timer.unref();
  }

  async #run(now: () => Date): Promise<number> {
    // Before the settings: bodies age out whether or not mail is switched on.
    if (!this.#erasedAt || now().getTime() - this.#erasedAt.getTime() >= ERASE_EVERY_MS) {
      this.#erasedAt = now();
      const erased = await eraseSentMailBodies(this.#db, this.#options.keepBodyDays, this.#erasedAt);
      if (erased > 0) this.#logger.info({ erased, keepBodyDays: this.#options.keepBodyDays }, "mail: erased the text of old sent messages");
    }
    let settings: Awaited<ReturnType<MailSettingsService["smtpSettings"]>>;
    try {
      settings = await this.#settings.smtpSettings();
    } catch (error) {
      // The sealed password does not open: the server key changed or was lost. Nothing can be sent.
      this.#logger.error({ err: error }, "mail: the stored SMTP password cannot be opened with this server's key; enter it again on the mail settings page");
      return 0;
    }
    if (!settings) return 0; // off (or incomplete): messages wait, none of their attempts is used
    const due = await this.#db.mailMessage.findMany({
      where: { status: "queued", nextAttemptAt: { lte: now() }, OR: [{ claimedUntil: null }, { claimedUntil: { lt: now() } }] },
      orderBy: [{ nextAttemptAt: "asc" }, { createdAt: "asc" }],
      take: BATCH,
    });
    if (due.length === 0) return 0;
    const transport = createSmtpTransport(settings);
    try {
      for (const message of due) {
        if (this.#closing) break;
        const claimed = await this.#db.mailMessage.updateMany({
          where: { id: message.id, status: "queued", OR: [{ claimedUntil: null }, { claimedUntil: { lt: now() } }] },
          data: { claimedUntil: new Date(now().getTime() + CLAIM_MS) },
        });
        if (claimed.count !== 1) continue; // another process took it
        const outcome = await sendMail(transport, settings, message);
        const attempts = message.attempts + 1;
        if (outcome.ok) {
          await this.#db.mailMessage.update({ where: { id: message.id }, data: { status: "sent", attempts, sentAt: now(), serverResponse: outcome.response.slice(0, 500), claimedUntil: null } });
          continue;
        }
        const giveUp = outcome.permanent || attempts >= this.#options.maxAttempts;
        const pause = Math.min(this.#options.retryMaxMs, this.#options.retryBaseMs * 2 ** (attempts - 1));
        await this.#db.mailMessage.update({
          where: { id: message.id },
          data: { status: giveUp ? "failed" : "queued", attempts, lastError: outcome.error, nextAttemptAt: new Date(now().getTime() + (giveUp ? 0 : pause)), claimedUntil: null },
        });
        // The message id and the server's answer only: no address, no subject (a case code), no password.
        this.#logger[giveUp ? "error" : "warn"]({ mail: message.id, attempts, error: outcome.error }, giveUp ? "mail failed; an admin may queue it again" : "mail not sent; will retry");
      }
    } finally {
      transport.close();
    }
    return due.length;
  }

  /** The newest messages, optionally of one status, for the admin page. */
  async list(actor: Actor, query: { status?: "queued" | "sent" | "failed" | undefined }): Promise<{ items: MailMessageDto[]; counts: Record<"queued" | "sent" | "failed", number> }> {
    authorize(mailPolicy.manage(actor));
    const rows = await this.#db.mailMessage.findMany({ where: query.status ? { status: query.status } : {}, orderBy: [{ createdAt: "desc" }, { id: "asc" }], take: 200 });
    const grouped = await this.#db.mailMessage.groupBy({ by: ["status"], _count: { _all: true } });
    const counts = { queued: 0, sent: 0, failed: 0 };
    for (const group of grouped) if (group.status in counts) counts[group.status as keyof typeof counts] = group._count._all;
    return { items: rows.map(present), counts };
  }

  /** A failed message back in the queue, with a fresh set of attempts. */
  async retry(actor: Actor, id: string, meta: { ip: string }): Promise<MailMessageDto> {
    authorize(mailPolicy.manage(actor));
    const row = await this.#db.mailMessage.findUnique({ where: { id } });
    if (!row) throw new AppError("NOT_FOUND", { detail: `mail ${id} not found` });
    if (row.status !== "failed") throw new AppError("CONFLICT", { detail: "only a failed message can be queued again" });
    const updated = await this.#db.mailMessage.update({ where: { id }, data: { status: "queued", attempts: 0, nextAttemptAt: new Date(), claimedUntil: null } });
    await recordAudit(this.#db, { actorId: actor.id, action: "mail.retry", subjectType: "mailMessage", subjectId: id, ip: meta.ip });
    return present(updated);
  }
}
