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

/** The part of a result set this fix reads (`SqlResultSet` in @prisma/driver-adapter-utils). */
interface RawResult {
  columnNames: string[];
  rows: unknown[][];
}

/** The part of a SQL driver adapter this fix uses (`SqlDriverAdapter` in @prisma/driver-adapter-utils). */
interface ScriptableAdapter {
  queryRaw(query: RawQuery): Promise<RawResult>;
  executeRaw(query: RawQuery): Promise<number>;
  executeScript(script: string): Promise<void>;
}

interface ShadowAwareFactory {
  connect(): Promise<ScriptableAdapter>;
  connectToShadowDb(): Promise<ScriptableAdapter>;
}

/** The schema engine's list of tables on SQLite (its describer's query, verbatim). */
const TABLE_LIST = /^\s*SELECT name, type, sql FROM sqlite_master WHERE type='table'/i;

/**
 * Hides SQLite virtual tables and their shadow tables (the FTS5 index "CaseSearch" of migration
 * 20261206235000_case_search) from the schema engine: Prisma cannot model them and would otherwise
 * diff them as tables to drop (prisma/prisma#8106). They stay entirely in raw SQL migrations.
 */
function hideVirtualTables(adapter: ScriptableAdapter): ScriptableAdapter {
  const queryRaw = adapter.queryRaw.bind(adapter);
  adapter.queryRaw = async (query) => {
    const result = await queryRaw(query);
    if (!TABLE_LIST.test(query.sql)) return result;
    const hidden = await queryRaw({ sql: "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('virtual', 'shadow')", args: [] });
    const names = new Set(hidden.rows.map((row) => row[0]));
    const nameAt = result.columnNames.indexOf("name");
    return { ...result, rows: result.rows.filter((row) => !names.has(row[nameAt])) };
  };
  return adapter;
}

/** Statements in a SQL text, ignoring empty ones and ones that are only `--` comments. */
function statementCount(sql: string): number {
  return sql.split(";").filter((part) => part.replace(/--.*$/gm, "").trim() !== "").length;
}

/**
 * Patches the factory's shadow-database connections so multi-statement scripts run in full, and every
 * connection so virtual tables are not diffed.
 */
export function fixSqliteShadow<F extends ShadowAwareFactory>(factory: F): F {
  const target: ShadowAwareFactory = factory;
  const connect = target.connect.bind(target);
  target.connect = async () => hideVirtualTables(await connect());
  const connectToShadowDb = target.connectToShadowDb.bind(target);
  target.connectToShadowDb = async () => {
    const adapter = hideVirtualTables(await connectToShadowDb());
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
