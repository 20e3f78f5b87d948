import { randomInt } from "node:crypto";

/** BN-2026-000042: the unit's code, the year of receipt, a per-unit yearly sequence. */
export const formatCaseCode = (unitCode: string, year: number, sequence: number): string => `${unitCode}-${year}-${String(sequence).padStart(6, "0")}`;

/** Letters and digits that cannot be confused when read over the phone or copied by hand (no 0/O, 1/I/L). */
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/** A lookup secret like "K7QX-2MPD" (~40 bits; the lookup is rate-limited). */
export function newLookupSecret(): string {
  const chars = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return `${chars.slice(0, 4).join("")}-${chars.slice(4).join("")}`;
}
