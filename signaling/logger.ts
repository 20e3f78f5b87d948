import { pino, type Logger } from "pino";

export type { Logger };

/** JSON logs; secrets and citizens' identifiers are redacted wherever they might appear. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "cau-noi" },
    redact: {
      paths: ["req.headers.authorization", "req.headers.cookie", "*.password", "*.token", "*.accessToken", "*.refreshToken", "*.idNumber"],
      censor: "[redacted]",
    },
  });
}
