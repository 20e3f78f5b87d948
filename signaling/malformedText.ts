import { AppError } from "./errors";

/**
 * A lone UTF-16 surrogate is not text in any encoding, and U+0000 (NUL) is refused by PostgreSQL's text
 * columns (a 500 in PostgreSQL mode, found by the fuzzer) and means nothing in any field here. The SQLite driver fails on one (a 500), and
 * where it does not, the stored text would differ from what was hashed into a case's history, so the
 * chain would report tampering that never happened. Such input is refused at the boundary, for REST
 * bodies, queries and path parameters and for socket payloads alike, before any validator or handler.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this refuses
const LONE_SURROGATE = /[\p{Surrogate}\u0000]/u;

/** The path of the first string (value or key) holding a lone surrogate, or undefined when all text is well formed. */
export function malformedTextPath(value: unknown): string | undefined {
  // Iterative: hostile payloads nest thousands of levels deep.
  const pending: { value: unknown; path: string }[] = [{ value, path: "" }];
  while (pending.length > 0) {
    const { value: current, path } = pending.pop()!;
    if (typeof current === "string") {
      if (LONE_SURROGATE.test(current)) return path;
    } else if (current !== null && typeof current === "object" && !ArrayBuffer.isView(current)) {
      for (const [key, item] of Object.entries(current)) {
        const itemPath = path ? `${path}.${key}` : key;
        if (LONE_SURROGATE.test(key)) return itemPath;
        pending.push({ value: item, path: itemPath });
      }
    }
  }
  return undefined;
}

/** Throws VALIDATION_FAILED naming the field when any text in the input is malformed. */
export function refuseMalformedText(input: unknown, prefix = ""): void {
  const path = malformedTextPath(input);
  if (path === undefined) return;
  const fullPath = [prefix, path].filter(Boolean).join(".");
  throw new AppError("VALIDATION_FAILED", { details: [{ path: fullPath, message: "text must be valid Unicode without NUL (a lone surrogate or U+0000 was sent)" }], detail: "malformed text" });
}
