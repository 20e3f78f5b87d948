import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";

/** One message as the in-process SMTP server received it. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  /** The login the client used, if any. */
  user: string | undefined;
  /** Whether the connection was encrypted (implicit TLS or after STARTTLS) when the message came. */
  secure: boolean;
}

export interface TestSmtpOptions {
  port?: number;
  /** PEM key and certificate: STARTTLS is offered (or, with `implicitTls`, TLS from the first byte). */
  tls?: { key: string; cert: string; implicitTls?: boolean };
  /** Required logins (user → password); without, no login is asked. */
  users?: Record<string, string>;
  /** An SMTP answer to refuse a recipient with, e.g. { code: 451, message: "try later" }. */
  refuseRecipient?: (address: string) => { code: number; message: string } | null;
}

/** A real SMTP server (the `smtp-server` package) on loopback that keeps what it receives. */
export class TestSmtpServer {
  readonly messages: ReceivedMail[] = [];
  readonly #server: SMTPServer;
  readonly port: number;
  refuseRecipient: TestSmtpOptions["refuseRecipient"];

  private constructor(server: SMTPServer, port: number, options: TestSmtpOptions) {
    this.#server = server;
    this.port = port;
    this.refuseRecipient = options.refuseRecipient;
  }

  static async start(options: TestSmtpOptions = {}): Promise<TestSmtpServer> {
    // The callbacks below are made before the instance exists; they reach it through this holder.
    const holder: { self?: TestSmtpServer } = {};
    const users = options.users;
    const serverOptions: SMTPServerOptions = {
      secure: options.tls?.implicitTls ?? false,
      ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : {}),
      authOptional: users === undefined,
      disabledCommands: [...(options.tls ? [] : ["STARTTLS"]), ...(users ? [] : ["AUTH"])],
      logger: false,
      onAuth(auth, _session, callback) {
        if (users && users[auth.username ?? ""] === auth.password) return callback(null, { user: auth.username });
        return callback(Object.assign(new Error("Authentication failed"), { responseCode: 535 }));
      },
      onRcptTo(address, _session, callback) {
        const refusal = holder.self?.refuseRecipient?.(address.address);
        if (refusal) return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          holder.self?.messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw: Buffer.concat(chunks).toString("utf8"),
            user: typeof session.user === "string" ? session.user : undefined,
            secure: session.secure,
          });
          callback();
        });
      },
    };
    const server = new SMTPServer(serverOptions);
    server.on("error", () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.server.once("error", reject);
      server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
    });
    const port = (server.server.address() as AddressInfo).port;
    holder.self = new TestSmtpServer(server, port, options);
    return holder.self;
  }

  /** Waits until `count` messages arrived (the worker polls; a bound, not a timing assertion). */
  async waitFor(count: number, timeoutMs = 15_000): Promise<ReceivedMail[]> {
    const until = Date.now() + timeoutMs;
    while (this.messages.length < count) {
      if (Date.now() > until) throw new Error(`expected ${count} messages, got ${this.messages.length}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return this.messages;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

/** Waits until `check` holds, polling (used for queue states the worker reaches on its own). */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > until) throw new Error(`condition not reached; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

// ---- A small MIME reader, enough for what nodemailer writes (multipart, base64, quoted-printable, RFC 2047). ----

export interface MimePart {
  headers: Map<string, string>;
  contentType: string;
  params: Record<string, string>;
  /** Decoded body (UTF-8) of a leaf part. */
  body: string;
  parts: MimePart[];
}

/** RFC 2047 encoded words; a run of adjacent words is one byte string (a character may span two words). */
function decodeWords(value: string): string {
  return value.replace(/(?:=\?[^?]+\?[QqBb]\?[^?]*\?=\s*)+/g, (run) => {
    const bytes = [...run.matchAll(/=\?[^?]+\?([QqBb])\?([^?]*)\?=/g)].map(([, encoding, text]) =>
      encoding!.toUpperCase() === "B" ? Buffer.from(text!, "base64") : qpBytes(text!.replace(/_/g, " ")),
    );
    const trailing = /\s*$/.exec(run)?.[0] ?? "";
    return Buffer.concat(bytes).toString("utf8") + trailing;
  });
}

function qpBytes(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === "=" && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(char, "utf8"));
  }
  return Buffer.from(bytes);
}

function parseHeaderBlock(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  return headers;
}

function parseParams(value: string): { type: string; params: Record<string, string> } {
  const [type, ...rest] = value.split(";");
  const params: Record<string, string> = {};
  for (const part of rest) {
    const eq = part.indexOf("=");
    if (eq > 0) params[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1).trim().replace(/^"|"$/g, "");
  }
  return { type: (type ?? "").trim().toLowerCase(), params };
}

export function parseMime(raw: string): MimePart {
  const split = raw.indexOf("\r\n\r\n");
  const headers = parseHeaderBlock(split < 0 ? raw : raw.slice(0, split));
  const bodyText = split < 0 ? "" : raw.slice(split + 4);
  const { type, params } = parseParams(headers.get("content-type") ?? "text/plain");
  if (type.startsWith("multipart/") && params.boundary) {
    const pieces = bodyText.split(`--${params.boundary}`);
    const parts = pieces.slice(1, -1).map((piece) => parseMime(piece.replace(/^\r\n/, "").replace(/\r\n$/, "")));
    return { headers, contentType: type, params, body: "", parts };
  }
  const encoding = (headers.get("content-transfer-encoding") ?? "7bit").toLowerCase();
  const body =
    encoding === "base64" ? Buffer.from(bodyText.replace(/\s+/g, ""), "base64").toString("utf8") : encoding === "quoted-printable" ? qpBytes(bodyText.replace(/=\r\n/g, "")).toString("utf8") : bodyText;
  return { headers, contentType: type, params, body, parts: [] };
}

/** Every leaf part, depth first. */
export function leaves(part: MimePart): MimePart[] {
  return part.parts.length === 0 ? [part] : part.parts.flatMap(leaves);
}

// ---- iCalendar reading (RFC 5545): unfold, then NAME;PARAM=…:VALUE ----

export interface IcsProperty {
  name: string;
  params: Record<string, string>;
  value: string;
}

export function parseIcs(text: string): IcsProperty[] {
  return text
    .replace(/\r\n[ \t]/g, "")
    .split("\r\n")
    .filter(Boolean)
    .map((line) => {
      const colon = line.search(/:(?=(?:[^"]*"[^"]*")*[^"]*$)/);
      const head = line.slice(0, colon);
      const [name, ...params] = head.split(";");
      return {
        name: name!,
        params: Object.fromEntries(params.map((param) => [param.slice(0, param.indexOf("=")), param.slice(param.indexOf("=") + 1)])),
        value: line.slice(colon + 1),
      };
    });
}

/** The property of that name in the VEVENT; else the first anywhere (METHOD, the VTIMEZONE's TZID). */
export function icsValue(properties: IcsProperty[], name: string): IcsProperty | undefined {
  const begin = properties.findIndex((property) => property.name === "BEGIN" && property.value === "VEVENT");
  const event = begin < 0 ? [] : properties.slice(begin, properties.findIndex((property, index) => index > begin && property.name === "END" && property.value === "VEVENT"));
  return event.find((property) => property.name === name) ?? properties.find((property) => property.name === name);
}

/** A TEXT value back to its text (§3.3.11). */
export const unescapeIcsText = (value: string) => value.replace(/\\n/gi, "\n").replace(/\\([\\;,])/g, "$1");
