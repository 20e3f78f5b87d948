import type { Db } from "../../db/client";
import type { LocalDate } from "../../domain/deadlines";

/**
 * The database's case clock (table "CaseClock", migration 20261207180000_case_clock): a number that moves,
 * by triggers in the writer's transaction, on every write of a case, of its parties and of a unit's path —
 * everything the bell reads. One primary-key read. Every signaling process reads the same row, so a write
 * made through another process (or by SQL outside the product) is seen at once.
 */
export async function caseClock(db: Db): Promise<number> {
  const [row] = await db.$queryRaw<{ version: number | bigint }[]>`SELECT "version" AS "version" FROM "CaseClock" WHERE "id" = 1`;
  // A database without the row (cannot happen after the migration) never matches a kept answer.
  return row === undefined ? -1 : Number(row.version);
}

/** Whose bell and which day: the answer depends on nothing else (roles are checked before, per request). */
export interface BellKey {
  actorId: string;
  unitPath: string;
  today: LocalDate;
}

/**
 * The notification bell's answers, kept per actor, scope and Vietnam day while the case clock stands still
 * (issue 15 item 2: every staff page polls the bell; between two writes of a case the answer cannot change).
 * The clock is read BEFORE the answer is computed, so an answer is never kept under a number newer than the
 * data it was computed from: a write committed meanwhile has a later number and the next poll recomputes.
 * Bounded: the least recently used answers go first. Per process; nothing here is shared or persisted.
 */
export class BellCache<T> {
  readonly #entries = new Map<string, { version: number; value: T }>();
  readonly #capacity: number;

  constructor(capacity = 2_000) {
    this.#capacity = capacity;
  }

  /** The kept answer for this key at this clock, or the freshly computed one (then kept). */
  async answer(key: BellKey, version: number, compute: () => Promise<T>): Promise<T> {
    // The three parts joined with a character none of them contains (ids are cuids, paths "/id/…/", days dashes).
    const id = `${key.actorId}\n${key.unitPath}\n${key.today}`;
    const kept = this.#entries.get(id);
    if (kept && kept.version === version) {
      // Most recently used goes last (a Map keeps insertion order).
      this.#entries.delete(id);
      this.#entries.set(id, kept);
      return kept.value;
    }
    const value = await compute();
    this.#entries.delete(id);
    this.#entries.set(id, { version, value });
    while (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
    return value;
  }

  /** How many answers are kept (tests, metrics). */
  get size(): number {
    return this.#entries.size;
  }
}
