import type { IncomingMessage, ServerResponse } from "node:http";
import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

/** `line`: one readable line per event (the demo, a terminal); `json`: one JSON object per line (production, a collector). */
export type LogFormat = "line" | "json";

export interface LoggerOptions {
  format?: LogFormat;
  /** A file path (appended to, written synchronously so a crash loses nothing) or a stream; stdout by default. */
  destination?: string | DestinationStream;
}

/**
 * The one place that decides what reaches a log. Logs are read by people who may not see a citizen's
 * identity or hold a session (operators, a log collector, a support contractor), so: no request or
 * response headers beyond an allow-list (cookies, Set-Cookie with the refresh token, authorization,
 * x-booking-secret, Content-Disposition carrying a file name are never written), no query values (a
 * search by name, CCCD or phone puts them there), and errors reduced by `safeError`.
 */
export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const target = typeof options.destination === "string" ? pino.destination({ dest: options.destination, sync: true, append: true }) : (options.destination ?? pino.destination({ dest: 1, sync: false }));
  const stream = options.format === "line" ? lineStream(target) : target;
  return pino(
    {
      level,
      base: { service: "cau-noi" },
      serializers: { err: safeError, error: safeError },
      redact: {
        // Belt and braces for objects someone logs by hand: the names of secret-bearing fields.
        paths: [
          "req.headers.authorization",
          "req.headers.cookie",
          'req.headers["x-booking-secret"]',
          'res.headers["set-cookie"]',
          'res.headers["content-disposition"]',
          "*.password",
          "*.token",
          "*.accessToken",
          "*.refreshToken",
          "*.secret",
          "*.cancelCode",
          "*.idNumber",
          "*.phone",
          "*.username",
        ],
        censor: "[redacted]",
      },
    },
    stream,
  );
}

/**
 * A URL as it may be logged: the path and only the NAMES of its query keys (`/api/cases?q&page`).
 * Route paths carry only ids, never a name or a secret; query values may carry either.
 */
export function redactUrl(url: string | undefined): string {
  if (!url) return "";
  const at = url.indexOf("?");
  if (at < 0) return url;
  const keys = new Set<string>();
  for (const pair of url.slice(at + 1).split("&")) {
    const key = pair.split("=")[0] ?? "";
    let name: string;
    try {
      name = decodeURIComponent(key.replace(/\+/g, " "));
    } catch {
      name = "?";
    }
    // A key is chosen by the client; anything but a short identifier could itself be data.
    if (name) keys.add(/^[A-Za-z][\w.[\]-]{0,39}$/.test(name) ? name : "?");
  }
  return `${url.slice(0, at)}?${[...keys].join("&")}`;
}

const REQUEST_HEADERS = ["user-agent", "content-type", "content-length", "accept-language"] as const;

/** What pino-http writes for a request: method, path with query key names, a few harmless headers. */
export function serializeRequest(req: IncomingMessage & { originalUrl?: string; id?: unknown }): Record<string, unknown> {
  const headers: Record<string, string> = {};
  for (const name of REQUEST_HEADERS) {
    const value = req.headers[name];
    if (typeof value === "string") headers[name] = value.slice(0, 200);
  }
  return { id: req.id, method: req.method, url: redactUrl(req.originalUrl ?? req.url), headers };
}

/** What pino-http writes for a response: its status only (headers carry cookies and file names). */
export function serializeResponse(res: ServerResponse): Record<string, unknown> {
  return { statusCode: res.statusCode };
}

/**
 * An error as it may be logged. Messages of database and validation errors quote the values involved
 * (Prisma prints the whole `data` of a failed create), so only the name, a code and the first line of
 * the message, cut short, survive — plus the stack frames, which hold code locations only.
 */
export function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const candidate = error as Error & { code?: unknown; status?: unknown };
  const isDatabase = error.name.startsWith("PrismaClient") || /prisma/i.test(error.stack?.split("\n", 2)[0] ?? "");
  const firstLine = error.message.split("\n", 1)[0] ?? "";
  const frames = (error.stack ?? "").split("\n").filter((line) => line.trimStart().startsWith("at ")).slice(0, 12);
  return {
    type: error.name,
    ...(typeof candidate.code === "string" ? { code: candidate.code } : {}),
    ...(typeof candidate.status === "number" ? { status: candidate.status } : {}),
    ...(isDatabase ? {} : { message: firstLine.slice(0, 160) }),
    stack: frames.join("\n"),
    ...(error.cause instanceof Error ? { cause: safeError(error.cause) } : {}),
  };
}

const LEVEL_NAMES: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL" };
const OMITTED = new Set(["level", "time", "pid", "hostname", "service", "msg", "req", "res", "responseTime"]);

/** Turns pino's JSON lines into `12:03:04 INFO  GET /api/cases?q 200 12ms` lines. */
function lineStream(target: DestinationStream): DestinationStream {
  return {
    write(chunk: string) {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(chunk) as Record<string, unknown>;
      } catch {
        target.write(chunk);
        return;
      }
      target.write(`${formatLine(entry)}\n`);
    },
  };
}

export function formatLine(entry: Record<string, unknown>): string {
  const time = new Date(typeof entry.time === "number" ? entry.time : Date.now()).toISOString().slice(11, 19);
  const level = (LEVEL_NAMES[entry.level as number] ?? "LOG").padEnd(5);
  const req = entry.req as { method?: string; url?: string } | undefined;
  const res = entry.res as { statusCode?: number } | undefined;
  const parts = [time, level];
  if (req) parts.push(`${req.method ?? "?"} ${req.url ?? ""} ${res?.statusCode ?? "-"}${typeof entry.responseTime === "number" ? ` ${entry.responseTime}ms` : ""}`);
  else if (typeof entry.msg === "string") parts.push(entry.msg);
  for (const [key, value] of Object.entries(entry)) {
    if (OMITTED.has(key) || value === undefined) continue;
    if (req && key === "msg") continue;
    parts.push(`${key}=${typeof value === "string" ? value : JSON.stringify(value)}`);
  }
  return parts.join(" ");
}
