import fc from "fast-check";
import { z } from "zod";

/**
 * Generators for hostile input: the shapes the protocol registry and route registry declare (so the
 * fuzzer reaches the handlers, not only the validators), mixed with what no client should send:
 * oversized strings, deep nesting, combining marks, RTL and zero-width characters, NUL, lone
 * surrogates, numbers at their limits and prototype-pollution keys.
 */

const specialStrings = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udc00y",
  "\udfff\ud800",
  "\u202e\u202dRTL\u200f",
  "\u200b\u200c\u200d\u2060\ufeff",
  "e\u0301\u0301\u0301\u0301\u0301\u0301",
  "Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358\u0359\u035a",
  "Nguyễn Văn Ợ",
  "𝕏𝔸🇻🇳👨‍👩‍👧",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "%",
  "%E0%A4%A",
  "%00",
  "%uD800",
  "null",
  "undefined",
  "NaN",
  "-0",
  "1e309",
  "<script>alert(1)</script>",
  "'; DROP TABLE Case; --",
  "\r\nSet-Cookie: x=1",
  "{{7*7}}",
  "${process.exit()}",
  "2026-02-30",
  "2026-03-02T25:61:00Z",
  "0000-00-00",
  "9999-12-31T23:59:59.999Z",
];

export const limitNumbers = [
  0, -0, 1, -1, 0.5, -1.5, 2, 59, 60, 64, 65, 255, 256, 1000, 1001, 65535, 65536, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), 2 ** 32, 2 ** 53 - 1, 2 ** 53,
  -(2 ** 53), Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, Number.EPSILON, 1e21, 1e308, -1e308,
];

const protoKeys = ["__proto__", "constructor", "prototype", "__defineGetter__", "valueOf"];

/** `value` with the given probability, otherwise null (fc.option's `freq` is the inverse: 1/freq of null). */
export const sometimes = <T>(value: fc.Arbitrary<T>, probability: number): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: Math.round((1 - probability) * 100), arbitrary: fc.constant(null) }, { weight: Math.round(probability * 100), arbitrary: value });

/** A string a validator or a database might choke on. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...specialStrings) },
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom("\u0301", "\u200f", "\u202e", "\u0000", "ệ", "A", "\ud83d", "\ude00", "%", "/"), maxLength: 30 }) },
  // Oversized: far beyond any field's maximum (socket.io refuses frames over 64 kB, express bodies over 100 kB).
  { weight: 1, arbitrary: fc.integer({ min: 1_001, max: 40_000 }).map((length) => "ệ".repeat(length)) },
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(fc.constantFrom(...limitNumbers), fc.double(), fc.integer());

/**
 * `depth` levels of arrays or objects around a value. Built only when serialised (`toJSON`), and shown
 * by fast-check as `deep(n)`: its own printer recurses and would overflow on the real structure.
 */
export class DeepNest {
  constructor(
    readonly depth: number,
    readonly arrays: boolean,
  ) {}

  toJSON(): unknown {
    let value: unknown = "bottom";
    for (let level = 0; level < this.depth; level++) value = this.arrays ? [value] : { a: value };
    return value;
  }

  [fc.toStringMethod](): string {
    return `deep(${this.depth}, ${this.arrays ? "arrays" : "objects"})`;
  }
}

const deepNesting: fc.Arbitrary<unknown> = fc.tuple(fc.integer({ min: 20, max: 3_000 }), fc.boolean()).map(([depth, arrays]) => new DeepNest(depth, arrays));

/** Own properties named like Object.prototype members (Object.fromEntries defines, never assigns). */
const withProtoKeys = (value: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.array(fc.tuple(fc.oneof(fc.constantFrom(...protoKeys), fc.string({ maxLength: 8 })), value), { maxLength: 5 }).map((entries) => Object.fromEntries(entries));

export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    withProtoKeys(tie("value")),
    deepNesting,
  ),
})).value;

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  format?: string;
  pattern?: string;
}

export interface ShapeOptions {
  /** Real ids (a case, a booking…) offered to fields named like ids, so handlers get past "not found". */
  ids: readonly string[];
  /** Valid payloads by route id or event name (`<route id>:params` for path parameters), to mutate. */
  examples?: Readonly<Record<string, unknown>>;
}

const isIdKey = (key: string) => key === "id" || /Id$/.test(key);

/** Characters that break naive text handling, planted inside otherwise valid text. */
const plantedCharacters = ["\u0000", "\ud800", "\udfff", "\u202e", "\u200b", "\ufeff", "\u0301", "\r\n", "%", "'", "\"", "\\", "🇻🇳"];
const validTexts = ["Nguyễn Văn An", "Công dân đề nghị xem xét việc cấp giấy chứng nhận.", "Thôn Đông, xã Thử", "Đơn khiếu nại về đất đai"];
const examples = ["2026-03-02", "2026-03-10T09:00:00+07:00", "2026-03-10T02:00:00.000Z", "08:00", "11:30", "0912345678", "001087012345", "thu.pdf", "TD-FUZZ-1", "K7QX-2MPD"];

function plausibleString(schema: JsonSchema & { pattern?: string }, key: string, options: ShapeOptions): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.max(min, Math.min(schema.maxLength ?? 60, 120));
  const choices: fc.Arbitrary<string>[] = [];
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern, "u");
    const matching = examples.filter((example) => pattern.test(example));
    if (matching.length > 0) choices.push(fc.constantFrom(...matching));
    try {
      choices.push(fc.stringMatching(pattern));
    } catch {
      // a pattern fast-check cannot generate from: the examples (or random text) stand in
    }
  }
  if (choices.length === 0) {
    choices.push(
      fc.string({ minLength: min, maxLength: max }),
      // Valid text with one hostile character inside: passes length checks, reaches the database.
      fc.tuple(fc.constantFrom(...validTexts), fc.constantFrom(...plantedCharacters), fc.nat()).map(([text, planted, at]) => {
        const position = at % (text.length + 1);
        return `${text.slice(0, position)}${planted}${text.slice(position)}`.slice(0, max).padEnd(min, "a");
      }),
    );
    const fitting = [...validTexts, ...examples].filter((text) => text.length >= min && text.length <= max);
    if (fitting.length > 0) choices.push(fc.constantFrom(...fitting));
  }
  if (isIdKey(key) && options.ids.length > 0) choices.push(fc.constantFrom(...options.ids));
  if (schema.maxLength !== undefined) choices.push(fc.constant("x".repeat(schema.maxLength + 1)));
  return fc.oneof(...choices);
}

/** Values shaped like the schema (with a hostile value in any place now and then). */
export function fromJsonSchema(schema: JsonSchema | undefined, options: ShapeOptions, key = "", depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return hostileValue;
  const shaped = shapedValue(schema, options, key, depth);
  return fc.oneof({ weight: 5, arbitrary: shaped }, { weight: 1, arbitrary: hostileValue });
}

function shapedValue(schema: JsonSchema, options: ShapeOptions, key: string, depth: number): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives && alternatives.length > 0) return fc.oneof(...alternatives.map((alternative) => fromJsonSchema(alternative, options, key, depth + 1)));
  if (schema.allOf && schema.allOf.length > 0) return fromJsonSchema(schema.allOf[0], options, key, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object": {
      const properties = Object.entries(schema.properties ?? {});
      const required = new Set(schema.required ?? []);
      return fc
        .tuple(
          fc.tuple(...properties.map(([name, property]) => fromJsonSchema(property, options, name, depth + 1)), fc.constant(null)),
          fc.array(fc.boolean(), { minLength: properties.length, maxLength: properties.length }),
          sometimes(withProtoKeys(hostileValue), 1 / 6),
        )
        .map(([values, present, extra]) => {
          const entries = properties.flatMap(([name], index) => (required.has(name) || present[index] ? [[name, values[index]] as const] : []));
          return Object.fromEntries([...entries, ...Object.entries((extra as Record<string, unknown> | null) ?? {})]);
        });
    }
    case "array":
      return fc.array(fromJsonSchema(schema.items, options, key, depth + 1), { minLength: Math.min(schema.minItems ?? 0, 3), maxLength: Math.min(schema.maxItems ?? 4, 4) });
    case "string":
      return plausibleString(schema, key, options);
    case "integer":
      return fc.oneof(fc.integer({ min: Math.max(schema.minimum ?? -1000, -(2 ** 31)), max: Math.min(schema.maximum ?? 1000, 2 ** 31) }), fc.constantFrom(...limitNumbers));
    case "number":
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(...limitNumbers));
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    default:
      return hostileValue;
  }
}

/** A zod schema's input shape as JSON Schema (what a client must send). */
export function jsonSchemaOf(schema: z.ZodType | undefined): JsonSchema | undefined {
  if (!schema) return undefined;
  try {
    return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  } catch {
    return undefined;
  }
}

type Path = (string | number)[];

function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((item, index) => pathsOf(item, [...prefix, index]))];
  if (value !== null && typeof value === "object") return [prefix, ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key]))];
  return [prefix];
}

function replaceAt(root: unknown, path: Path, replace: (current: unknown) => unknown): unknown {
  if (path.length === 0) return replace(root);
  const copy = (Array.isArray(root) ? [...root] : { ...(root as Record<string, unknown>) }) as Record<string | number, unknown>;
  const [head, ...rest] = path as [string | number, ...Path];
  copy[head] = replaceAt(copy[head], rest, replace);
  return copy;
}

/**
 * One change to a valid payload: a field replaced by a hostile value, a hostile character planted in a
 * text, a field removed, or a prototype-named key added. The rest stays valid, so the change reaches
 * the handler and the database instead of stopping at the first validator.
 */
export function mutationOf(example: unknown): fc.Arbitrary<unknown> {
  const paths = pathsOf(example);
  return fc.tuple(fc.nat({ max: paths.length - 1 }), fc.nat({ max: 3 }), hostileValue, fc.constantFrom(...plantedCharacters), fc.constantFrom(...protoKeys)).map(([index, kind, hostile, planted, protoKey]) => {
    const path = paths[index]!;
    return replaceAt(example, path, (current) => {
      if (kind === 0 && typeof current === "string") return `${current.slice(0, 3)}${planted}${current.slice(3)}`;
      if (kind === 1 && current !== null && typeof current === "object" && !Array.isArray(current)) {
        return Object.fromEntries([...Object.entries(current), [protoKey, hostile]]);
      }
      if (kind === 2 && current !== null && typeof current === "object" && !Array.isArray(current)) {
        const entries = Object.entries(current);
        return Object.fromEntries(entries.slice(0, -1));
      }
      return hostile;
    });
  });
}

/** A payload for a schema: a mutated valid example when there is one, shaped like the schema, or anything at all. */
export function payloadFor(schema: z.ZodType | undefined, options: ShapeOptions, exampleKey?: string): fc.Arbitrary<unknown> {
  const example = exampleKey === undefined ? undefined : options.examples?.[exampleKey];
  const shaped = fc.oneof({ weight: 4, arbitrary: fromJsonSchema(jsonSchemaOf(schema), options) }, { weight: 1, arbitrary: hostileValue });
  if (example === undefined) return shaped;
  return fc.oneof({ weight: 4, arbitrary: mutationOf(example) }, { weight: 2, arbitrary: fc.constant(example) }, { weight: 1, arbitrary: shaped });
}

/** Byte size of a value as JSON (what a transport would carry). */
export const jsonSize = (value: unknown): number => Buffer.byteLength(JSON.stringify(value) ?? "", "utf8");
