/**
 * Work-around for the Prisma 6.19 CLI with a SQLite driver adapter (used by prisma.config.ts only,
 * never at run time).
 *
 * The JS schema engine replays each migration file on the shadow database with a single
 * `executeRaw()`, and libsql runs only the FIRST statement of a multi-statement string. The result is
 * silently wrong: `migrate dev` reports false drift and `migrate diff --from-migrations` produces SQL
 * that re-creates tables from older migrations. Routing multi-statement, argument-less SQL through
 * `executeScript()` fixes both. (`migrate deploy` and `migrate diff --from-schema-datamodel` never use
 * the shadow database and do not need this.)
 */

/** The part of a driver-adapter query this fix reads (`SqlQuery` in @prisma/driver-adapter-utils). */
interface RawQuery {
  sql: string;
  args: readonly unknown[];
}

/** The part of a SQL driver adapter this fix uses (`SqlDriverAdapter` in @prisma/driver-adapter-utils). */
interface ScriptableAdapter {
  executeRaw(query: RawQuery): Promise<number>;
  executeScript(script: string): Promise<void>;
}

interface ShadowAwareFactory {
  connectToShadowDb(): Promise<ScriptableAdapter>;
}

/** Statements in a SQL text, ignoring empty ones and ones that are only `--` comments. */
function statementCount(sql: string): number {
  return sql.split(";").filter((part) => part.replace(/--.*$/gm, "").trim() !== "").length;
}

/** Patches the factory's shadow-database connections so multi-statement scripts run in full. */
export function fixSqliteShadow<F extends ShadowAwareFactory>(factory: F): F {
  const target: ShadowAwareFactory = factory;
  const connectToShadowDb = target.connectToShadowDb.bind(target);
  target.connectToShadowDb = async () => {
    const adapter = await connectToShadowDb();
    const executeRaw = adapter.executeRaw.bind(adapter);
    adapter.executeRaw = async (query) => {
      if (query.args.length === 0 && statementCount(query.sql) > 1) {
        await adapter.executeScript(query.sql);
        return 0;
      }
      return executeRaw(query);
    };
    return adapter;
  };
  return factory;
}
