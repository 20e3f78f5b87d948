import { z } from "zod";

/**
 * Mail (issue 19 item 5): the province's SMTP settings and the mail queue, as the admin page and the
 * server share them. The SMTP password goes in (write-only) and never comes back: the settings say only
 * whether one is stored.
 */

/**
 * - `starttls`: plain connection upgraded with STARTTLS, which is REQUIRED (no upgrade → no mail); port 587 or 25.
 * - `tls`: TLS from the first byte (implicit TLS, "SMTPS"); port 465.
 * - `none`: no encryption, for a relay on a closed government network only; no login is allowed then, so
 *   no password ever crosses the wire in clear.
 */
export const mailSecurities = ["starttls", "tls", "none"] as const;
export const mailSecuritySchema = z.enum(mailSecurities);
export type MailSecurity = z.infer<typeof mailSecuritySchema>;

export const emailAddressSchema = z.string().trim().max(254).pipe(z.email());

export const mailSettingsSchema = z.object({
  enabled: z.boolean(),
  host: z.string(),
  port: z.number().int(),
  security: mailSecuritySchema,
  username: z.string().nullable(),
  /** Whether a password is stored; the password itself is never sent back. */
  passwordSet: z.boolean(),
  fromAddress: z.string(),
  fromName: z.string().nullable(),
  caCertPem: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type MailSettingsDto = z.infer<typeof mailSettingsSchema>;

const pem = z
  .string()
  .trim()
  .max(20_000)
  .regex(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/, "a PEM certificate (-----BEGIN CERTIFICATE-----)");

export const updateMailSettingsRequestSchema = z
  .object({
    enabled: z.boolean(),
    host: z.string().trim().max(253).regex(/^[A-Za-z0-9.:[\]-]*$/, "a host name or IP address"),
    port: z.number().int().min(1).max(65535),
    security: mailSecuritySchema,
    username: z.string().trim().max(254).nullable(),
    /** A new password; leave it out to keep the stored one. */
    password: z.string().min(1).max(256).optional(),
    /** Forget the stored password. */
    clearPassword: z.boolean().optional(),
    fromAddress: z.union([emailAddressSchema, z.literal("")]),
    fromName: z.string().trim().max(120).nullable(),
    caCertPem: pem.nullable(),
  })
  .strict()
  .refine((value) => !value.enabled || (value.host !== "" && value.fromAddress !== ""), { message: "sending needs a host and a from address", path: ["host"] })
  .refine((value) => value.security !== "none" || ((value.username ?? "") === "" && value.password === undefined), {
    message: "no login without encryption: choose STARTTLS or TLS to send a user name and password",
    path: ["security"],
  });
export type UpdateMailSettingsRequest = z.infer<typeof updateMailSettingsRequestSchema>;

export const testMailRequestSchema = z.object({ to: emailAddressSchema }).strict();
/** The mail server's own answer: its accepting reply, or why it refused (or could not be reached). */
export const testMailResultSchema = z.object({ ok: z.boolean(), response: z.string().nullable(), error: z.string().nullable() });
export type TestMailResult = z.infer<typeof testMailResultSchema>;

export const mailStatuses = ["queued", "sent", "failed"] as const;
export const mailStatusSchema = z.enum(mailStatuses);
export const mailMessageSchema = z.object({
  id: z.string(),
  kind: z.string(),
  toAddress: z.string(),
  subject: z.string(),
  status: mailStatusSchema,
  attempts: z.number().int(),
  nextAttemptAt: z.string(),
  lastError: z.string().nullable(),
  serverResponse: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type MailMessageDto = z.infer<typeof mailMessageSchema>;
export const listMailQuerySchema = z.object({ status: mailStatusSchema.optional() });
