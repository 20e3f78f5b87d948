import { recordAudit } from "../../audit";
import type { Db } from "../../db/client";
import type { MailSettings } from "../../db/generated/client";
import { testMail } from "../../domain/mail/templates";
import { AppError } from "../../errors";
import type { LegacyKeys } from "../../keys/legacyKeys";
import type { ServerKey } from "../../keys/serverKey";
import { type Actor, authorize, mailPolicy } from "../../policies";
import { type MailSecurity, mailSecuritySchema, type MailSettingsDto, type TestMailResult, type UpdateMailSettingsRequest } from "../../protocol";
import { createSmtpTransport, sendMail, type SmtpSettings } from "./smtp";

const SETTINGS_ID = "default";
/** What the SMTP password's seal is bound to: it opens only as this row's password. */
const PASSWORD_CONTEXT = `mail-settings:${SETTINGS_ID}:smtp-password`;

type SettingsRow = MailSettings;

const securityOf = (value: string): MailSecurity => mailSecuritySchema.catch("starttls").parse(value);

/** The settings for the admin page: whether a password is stored, never the password. */
function present(row: SettingsRow | null): MailSettingsDto {
  return {
    enabled: row?.enabled ?? false,
    host: row?.host ?? "",
    port: row?.port ?? 587,
    security: securityOf(row?.security ?? "starttls"),
    username: row?.username ?? null,
    passwordSet: Boolean(row?.passwordSealed),
    fromAddress: row?.fromAddress ?? "",
    fromName: row?.fromName ?? null,
    caCertPem: row?.caCertPem ?? null,
    updatedAt: row?.updatedAt.toISOString() ?? null,
  };
}

/** Whether mail is on, read in the caller's transaction: producers enqueue nothing while it is off (no backlog floods out on switching on). */
export async function mailEnabled(db: Pick<Db, "mailSettings">): Promise<boolean> {
  return (await db.mailSettings.findUnique({ where: { id: SETTINGS_ID }, select: { enabled: true } }))?.enabled ?? false;
}

/**
 * The one owner of the province's SMTP settings (one row): the admin page reads and saves them, the
 * worker asks for them ready to use, and the test message goes straight to the server so the admin
 * sees its answer. The password is sealed with the server key (keys/serverKey.ts) before it is stored.
 */
export class MailSettingsService {
  constructor(private readonly db: Db, private readonly key: ServerKey) {}

  async read(actor: Actor): Promise<MailSettingsDto> {
    authorize(mailPolicy.manage(actor));
    return present(await this.#row());
  }

  async update(actor: Actor, body: UpdateMailSettingsRequest, meta: { ip: string }): Promise<MailSettingsDto> {
    authorize(mailPolicy.manage(actor));
    const current = await this.#row();
    const passwordSealed = body.password !== undefined ? this.key.seal(body.password, PASSWORD_CONTEXT) : body.clearPassword || body.security === "none" ? null : (current?.passwordSealed ?? null);
    const data = {
      enabled: body.enabled,
      host: body.host,
      port: body.port,
      security: body.security,
      username: body.username === "" ? null : body.username,
      passwordSealed,
      fromAddress: body.fromAddress,
      fromName: body.fromName === "" ? null : body.fromName,
      caCertPem: body.caCertPem,
      updatedById: actor.id,
    };
    const row = await this.db.$transaction(async (tx) => {
      const saved = await tx.mailSettings.upsert({ where: { id: SETTINGS_ID }, create: { id: SETTINGS_ID, ...data }, update: data });
      // What changed, never the password (only that one was set or cleared).
      await recordAudit(tx, {
        actorId: actor.id,
        action: "mail.settings",
        subjectType: "mailSettings",
        subjectId: SETTINGS_ID,
        detail: { enabled: body.enabled, host: body.host, port: body.port, security: body.security, username: data.username, fromAddress: body.fromAddress, newPassword: body.password !== undefined, passwordCleared: passwordSealed === null && Boolean(current?.passwordSealed) },
        ip: meta.ip,
      });
      return saved;
    });
    return present(row);
  }

  /** Sends a test message now, outside the queue, with the saved settings (on or off), and returns the server's answer. */
  async sendTest(actor: Actor, to: string, meta: { ip: string }): Promise<TestMailResult> {
    authorize(mailPolicy.manage(actor));
    let settings: Awaited<ReturnType<MailSettingsService["smtpSettings"]>>;
    try {
      settings = await this.smtpSettings({ evenIfDisabled: true });
    } catch {
      return { ok: false, response: null, error: "the stored password cannot be opened with this server's key (SERVER_KEY or keys/server.key changed): enter it again" };
    }
    if (!settings) throw new AppError("MAIL_NOT_CONFIGURED");
    const content = testMail({ email: to });
    const transport = createSmtpTransport(settings);
    try {
      const outcome = await sendMail(transport, settings, { toAddress: to, toName: null, subject: content.subject, textBody: content.text, ics: null, icsMethod: null });
      await recordAudit(this.db, { actorId: actor.id, action: "mail.test", subjectType: "mailSettings", subjectId: SETTINGS_ID, detail: { to, ok: outcome.ok }, ip: meta.ip });
      return outcome.ok ? { ok: true, response: outcome.response, error: null } : { ok: false, response: null, error: outcome.error };
    } finally {
      transport.close();
    }
  }

  /** See `mailEnabled`. */
  enabled(db: Pick<Db, "mailSettings"> = this.db): Promise<boolean> {
    return mailEnabled(db);
  }

  /** The sender's address and name, for the ICS ORGANIZER. */
  async sender(db: Pick<Db, "mailSettings"> = this.db): Promise<{ email: string; name?: string } | null> {
    const row = await db.mailSettings.findUnique({ where: { id: SETTINGS_ID }, select: { fromAddress: true, fromName: true } });
    return row?.fromAddress ? { email: row.fromAddress, ...(row.fromName ? { name: row.fromName } : {}) } : null;
  }

  /** The settings ready for the transport (password opened), or null when off or incomplete. */
  async smtpSettings(options: { evenIfDisabled?: boolean } = {}): Promise<(SmtpSettings & { version: string }) | null> {
    const row = await this.#row();
    if (!row || (!row.enabled && !options.evenIfDisabled) || row.host === "" || row.fromAddress === "") return null;
    return {
      host: row.host,
      port: row.port,
      security: securityOf(row.security),
      username: row.username,
      password: row.passwordSealed ? this.#openPassword(row.passwordSealed) : null,
      fromAddress: row.fromAddress,
      fromName: row.fromName,
      caCertPem: row.caCertPem,
      version: row.updatedAt.toISOString(),
    };
  }

  /**
   * At start-up: a password an earlier version sealed under its SECRETS_KEY (or secrets.key) is sealed again
   * under the server key. One no key opens is left; the test message says to enter it again.
   */
  async resealLegacy(legacy: LegacyKeys): Promise<number> {
    const row = await this.db.mailSettings.findUnique({ where: { id: SETTINGS_ID }, select: { passwordSealed: true } });
    if (!row?.passwordSealed || this.key.open(row.passwordSealed, PASSWORD_CONTEXT) !== null) return 0;
    const password = legacy.open(row.passwordSealed, PASSWORD_CONTEXT);
    if (password === null) return 0;
    const { count } = await this.db.mailSettings.updateMany({ where: { id: SETTINGS_ID, passwordSealed: row.passwordSealed }, data: { passwordSealed: this.key.seal(password, PASSWORD_CONTEXT) } });
    return count;
  }

  #openPassword(sealed: string): string {
    const password = this.key.open(sealed, PASSWORD_CONTEXT);
    if (password === null) throw new Error("the stored SMTP password does not open with the server key");
    return password;
  }

  #row() {
    return this.db.mailSettings.findUnique({ where: { id: SETTINGS_ID } });
  }
}
