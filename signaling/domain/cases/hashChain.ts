import { createHash } from "node:crypto";

/**
 * Case history is append-only and tamper-evident: each event stores the SHA-256 of the previous event's
 * hash plus its own canonical JSON. Changing, removing or reordering any stored event breaks every
 * link after it.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** JSON with object keys sorted at every level, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value as Json));
}

function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, Json>)[key] as Json)]),
    );
  }
  return value;
}

export const GENESIS = "0".repeat(64);

export interface ChainedEventContent {
  caseId: string;
  sequence: number;
  at: string;
  actorId: string | null;
  action: string;
  fromState: string | null;
  toState: string;
  reason: string | null;
  /** JSON text of the action's details (before/after values, decision numbers…). */
  data: string;
}

export function eventHash(previousHash: string, content: ChainedEventContent): string {
  return createHash("sha256").update(previousHash).update("\n").update(canonicalJson(content)).digest("hex");
}

export interface StoredEvent extends ChainedEventContent {
  id: string;
  previousHash: string;
  hash: string;
}

export type ChainCheck = { ok: true; events: number } | { ok: false; brokenAt: { id: string; sequence: number }; problem: "hash mismatch" | "link mismatch" | "sequence gap" };

/** Walks one case's events in sequence order and reports the first broken link. */
export function verifyChain(events: readonly StoredEvent[]): ChainCheck {
  let previous = GENESIS;
  for (const [index, event] of events.entries()) {
    const at = { id: event.id, sequence: event.sequence };
    if (event.sequence !== index + 1) return { ok: false, brokenAt: at, problem: "sequence gap" };
    if (event.previousHash !== previous) return { ok: false, brokenAt: at, problem: "link mismatch" };
    const { id: _id, previousHash: _previous, hash, ...content } = event;
    if (eventHash(previous, content) !== hash) return { ok: false, brokenAt: at, problem: "hash mismatch" };
    previous = hash;
  }
  return { ok: true, events: events.length };
}
