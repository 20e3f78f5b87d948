import fs from "node:fs";
import path from "node:path";
import { templateDatabasePath } from "./paths";
import { createTestPgDatabase, postgresPass } from "./postgres";

export interface TestDatabase {
  /** DATABASE_URL of the copy: `file:` on SQLite, `postgresql://` in the PostgreSQL pass. */
  url: string;
  /** The SQLite file, undefined in the PostgreSQL pass. */
  file: string | undefined;
  drop(): Promise<void>;
}

/**
 * A fresh migrated database for one test: a copy of the SQLite template in `dir`, or in the PostgreSQL
 * pass (test/helpers/postgres.ts) a new database made from the migrated PostgreSQL template.
 */
export async function createTestDatabase(dir: string, name = "test.db"): Promise<TestDatabase> {
  if (postgresPass) {
    const database = await createTestPgDatabase();
    return { url: database.url, file: undefined, drop: database.drop };
  }
  const file = path.join(dir, name);
  fs.copyFileSync(templateDatabasePath, file);
  return { url: `file:${file}`, file, drop: async () => undefined };
}
