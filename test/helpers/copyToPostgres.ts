import type { Db } from "../../signaling/db/client";
import { Prisma } from "../../signaling/db/generated/client";

/** The two calls of a Prisma model delegate this copy uses. */
interface Delegate {
  findMany(): Promise<object[]>;
  createMany(args: { data: object[] }): Promise<{ count: number }>;
}

const delegateOf = (db: unknown, model: string): Delegate => {
  const delegate = (db as Record<string, Delegate | undefined>)[model.charAt(0).toLowerCase() + model.slice(1)];
  if (!delegate) throw new Error(`no Prisma delegate for model ${model}`);
  return delegate;
};

/**
 * Copies every model's rows from one database into an empty migrated PostgreSQL one, for tests whose data
 * set comes from the bench's seeder (which writes SQLite directly). Rows go in with triggers and foreign
 * keys off (`session_replication_role = replica`: the tallies and doc ids are copied as they are), then
 * the serial sequence is moved past the copied ids and the search index is rebuilt from the copied rows.
 */
export async function copyIntoPostgres(from: Db, to: Db): Promise<void> {
  const tables: [string, object[]][] = [];
  for (const model of Object.values(Prisma.ModelName)) tables.push([model, await delegateOf(from, model).findMany()]);
  await to.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica");
      // Rows the migrations themselves insert (the case clock's one row) are replaced by the source's.
      await tx.$executeRawUnsafe(`DELETE FROM "CaseClock"`);
      for (const [model, rows] of tables) {
        for (let at = 0; at < rows.length; at += 1000) await delegateOf(tx, model).createMany({ data: rows.slice(at, at + 1000) });
      }
    },
    { timeout: 300_000, maxWait: 60_000 },
  );
  await to.$executeRawUnsafe(`SELECT setval(pg_get_serial_sequence('"CaseSearchDoc"', 'docId'), coalesce(max("docId"), 0) + 1, false) FROM "CaseSearchDoc"`);
  await to.$executeRawUnsafe(`SELECT "search".reindex_case("id") FROM "Case"`);
}
