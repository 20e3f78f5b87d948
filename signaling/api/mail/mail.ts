import type { MailQueue } from "../../services/mail/MailQueue";
import type { MailSettingsService } from "../../services/mail/MailSettingsService";
import { defineRoute, idParamsSchema } from "../route";
import { listMailQuerySchema, mailListSchema, mailMessageSchema, mailSettingsSchema, testMailRequestSchema, testMailResultSchema, updateMailSettingsRequestSchema } from "./schema";

/** The province's outgoing mail: SMTP settings (the password write-only), a test message, and the queue. */
export function mailRoutes({ settings, queue }: { settings: MailSettingsService; queue: MailQueue }) {
  return [
    defineRoute({
      id: "mail.settings",
      method: "get",
      path: "/mail/settings",
      summary: "The SMTP settings (whether a password is stored, never the password)",
      auth: "user",
      response: mailSettingsSchema,
      handler: ({ actor }) => settings.read(actor),
    }),
    defineRoute({
      id: "mail.updateSettings",
      method: "post",
      path: "/mail/settings",
      summary: "Save the SMTP settings; a password sent is stored sealed with the server key, leaving it out keeps the stored one",
      auth: "user",
      body: updateMailSettingsRequestSchema,
      response: mailSettingsSchema,
      handler: ({ actor, body, meta }) => settings.update(actor, body, meta),
    }),
    defineRoute({
      id: "mail.test",
      method: "post",
      path: "/mail/test",
      summary: "Send a test message now with the saved settings; answers with the mail server's reply or its refusal",
      auth: "user",
      body: testMailRequestSchema,
      response: testMailResultSchema,
      handler: ({ actor, body, meta }) => settings.sendTest(actor, body.to, meta),
    }),
    defineRoute({
      id: "mail.list",
      method: "get",
      path: "/mail/messages",
      summary: "The newest 200 messages of the mail queue (queued, sent, failed), with counts per status",
      auth: "user",
      query: listMailQuerySchema,
      response: mailListSchema,
      handler: ({ actor, query }) => queue.list(actor, query),
    }),
    defineRoute({
      id: "mail.retry",
      method: "post",
      path: "/mail/messages/:id/retry",
      summary: "Queue a failed message again with a fresh set of attempts",
      auth: "user",
      params: idParamsSchema,
      response: mailMessageSchema,
      handler: ({ actor, params, meta }) => queue.retry(actor, params.id, meta),
    }),
  ];
}
