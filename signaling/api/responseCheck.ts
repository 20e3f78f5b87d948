import type { AnyRoute } from "./route";

/**
 * How a route's answer is held to the response schema it declares (the one the OpenAPI document shows):
 * - "strict" (development, tests): an answer with a field the schema does not name, or one that does not
 *   match, is a server error, so a new column that reaches a presenter fails the tests before it ships;
 * - "strip" (production): the answer is cut down to the schema, so such a column never reaches a client.
 * Either way an answer that does not match its schema is never sent.
 */
export type ResponseCheck = "strict" | "strip";

/** The paths of keys in `sent` that the schema's parse dropped (so the schema does not describe them). */
export function undeclaredKeys(sent: unknown, parsed: unknown, at = ""): string[] {
  if (Array.isArray(sent) && Array.isArray(parsed)) {
    return sent.flatMap((item, index) => undeclaredKeys(item, parsed[index], `${at}[${index}]`));
  }
  if (isPlainObject(sent) && isPlainObject(parsed)) {
    return Object.keys(sent).flatMap((key) => {
      const path = at ? `${at}.${key}` : key;
      return Object.hasOwn(parsed, key) ? undeclaredKeys(sent[key], parsed[key], path) : [path];
    });
  }
  return [];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The body to send for a handler's result; throws (→ INTERNAL, logged with paths only, no values) when it does not fit. */
export function checkedResponse(route: AnyRoute, result: unknown, mode: ResponseCheck): unknown {
  if (result === undefined) return result;
  // The schema describes the wire form (dates as ISO strings), so check what JSON would carry.
  const wire: unknown = JSON.parse(JSON.stringify(result));
  const parsed = route.response.safeParse(wire);
  if (!parsed.success) {
    const where = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.code}`);
    throw new Error(`the answer of ${route.id} does not match its response schema (${where.join("; ")})`);
  }
  if (mode === "strict") {
    const extra = undeclaredKeys(wire, parsed.data);
    if (extra.length > 0) throw new Error(`the answer of ${route.id} carries fields its response schema does not declare: ${extra.slice(0, 10).join(", ")}`);
  }
  return parsed.data;
}
