import nodemailer from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import type { MailSecurity } from "../../protocol";

/** What the worker needs to reach the province's server; the password already opened from its seal. */
export interface SmtpSettings {
  host: string;
  port: number;
  security: MailSecurity;
  username: string | null;
  password: string | null;
  fromAddress: string;
  fromName: string | null;
  caCertPem: string | null;
}

/** One message as it leaves: the queue row's fields. */
export interface OutgoingMail {
  toAddress: string;
  toName: string | null;
  subject: string;
  textBody: string;
  icsMethod: string | null;
  ics: string | null;
}

export type SendOutcome = { ok: true; response: string; messageId: string } | { ok: false; permanent: boolean; error: string };

/** Nodemailer's error fields (code, responseCode, response) where it set them. */
interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/**
 * The transport for the settings. STARTTLS is *required* in `starttls` mode (a server that does not offer
 * it gets nothing, not a plain-text fallback); certificates are checked against the system's CAs plus the
 * configured one. Nodemailer's own logger stays off: its debug output would print the AUTH exchange.
 */
export function createSmtpTransport(settings: SmtpSettings) {
  const options: SMTPTransport.Options = {
    host: settings.host,
    port: settings.port,
    secure: settings.security === "tls",
    requireTLS: settings.security === "starttls",
    ignoreTLS: settings.security === "none",
    ...(settings.username && settings.password && settings.security !== "none" ? { auth: { user: settings.username, pass: settings.password } } : {}),
    tls: {
      rejectUnauthorized: true,
      minVersion: "TLSv1.2",
      ...(settings.caCertPem ? { ca: [settings.caCertPem] } : {}),
    },
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    logger: false,
    debug: false,
  };
  return nodemailer.createTransport(options);
}

/**
 * Sends one message and says what the server answered. Only a 5xx refusal of this message's envelope or
 * content is permanent; everything else (no connection, TLS, a 4xx "try later", a login refused after a
 * password change) is retried: an outage or a settings fix later must not lose it.
 */
export async function sendMail(transport: ReturnType<typeof createSmtpTransport>, settings: SmtpSettings, mail: OutgoingMail): Promise<SendOutcome> {
  try {
    const info = await transport.sendMail({
      from: settings.fromName ? { name: settings.fromName, address: settings.fromAddress } : settings.fromAddress,
      to: mail.toName ? { name: mail.toName, address: mail.toAddress } : mail.toAddress,
      subject: mail.subject,
      text: mail.textBody,
      ...(mail.ics && mail.icsMethod
        ? {
            // As the calendar part (Outlook, Thunderbird act on it) and as a file (webmail shows it).
            icalEvent: { method: mail.icsMethod, filename: "giay-moi.ics", content: mail.ics },
            attachments: [{ filename: "giay-moi.ics", content: mail.ics, contentType: `application/ics; charset=UTF-8` }],
          }
        : {}),
    });
    return { ok: true, response: info.response, messageId: info.messageId };
  } catch (caught) {
    const error = caught as SmtpError;
    const permanent = (error.code === "EENVELOPE" || error.code === "EMESSAGE") && (error.responseCode ?? 0) >= 500;
    return { ok: false, permanent, error: describe(error) };
  }
}

/** "EAUTH 535 5.7.8 Authentication failed", short enough for the admin page; never holds the password. */
function describe(error: SmtpError): string {
  const text = [error.code, error.responseCode, error.response ?? error.message].filter((part) => part !== undefined && part !== "").join(" ");
  return text.slice(0, 500) || "unknown error";
}
