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

/** The part of adapter-pg's queryable this fix reads and wraps. */
interface PgQueryable {
  performIO(query: RawQuery): Promise<{ fields?: { dataTypeID: number }[] }>;
  startTransaction?(...args: unknown[]): Promise<PgQueryable>;
  executeScript?(script: string): Promise<void>;
  onError?(error: unknown): never;
  client?: { query(sql: string): Promise<unknown> };
}

/** The part of adapter-pg's shadow connection this fix wraps (its pg.Pool is `client`). */
interface PgShadow extends PgQueryable {
  client: { end(): Promise<void>; query(sql: string): Promise<unknown> };
  release?(): Promise<void>;
}

interface PgFactory {
  connect(): Promise<unknown>;
  connectToShadowDb(): Promise<unknown>;
}

const PATCHED = new WeakSet<object>();

/**
 * Introspection reads catalog columns of PostgreSQL's internal `name` and `"char"` types, which
 * adapter-pg refuses to deserialize ("Column type 'name' could not be deserialized", prisma/orm#27403):
 * report them as text (and name[] as text[]).
 */
function patchPgQueryable<Q extends PgQueryable>(queryable: Q): Q {
  if (PATCHED.has(queryable)) return queryable;
  PATCHED.add(queryable);
  const performIO = queryable.performIO.bind(queryable);
  queryable.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result.fields ?? []) {
      if (field.dataTypeID === 19 || field.dataTypeID === 18) field.dataTypeID = 25;
      else if (field.dataTypeID === 1003) field.dataTypeID = 1009;
    }
    return result;
  };
  const startTransaction = queryable.startTransaction?.bind(queryable);
  if (startTransaction) queryable.startTransaction = async (...args) => patchPgQueryable(await startTransaction(...args));
  // adapter-pg's executeScript splits a migration file at every ";" — inside comments and function bodies
  // too — and runs the pieces one by one. A query without parameters may hold many statements (the simple
  // query protocol), so send the file whole, as psql would.
  const client = queryable.client;
  if (queryable.executeScript && client) {
    queryable.executeScript = async (script) => {
      try {
        await client.query(script);
      } catch (error) {
        if (queryable.onError) queryable.onError(error);
        throw error;
      }
    };
  }
  return queryable;
}

/**
 * Work-arounds for the Prisma 6.19 CLI with @prisma/adapter-pg (prisma.pg.config.ts only): the `name`
 * type and the script splitting above, and the shadow database being dropped before its pool is closed ("is being accessed by
 * other users", leaving a prisma_migrate_shadow_db_* database behind): close the pool on release.
 */
export function fixPg<F extends PgFactory>(factory: F): F {
  const target: PgFactory = factory;
  const connect = target.connect.bind(target);
  target.connect = async () => patchPgQueryable((await connect()) as PgQueryable);
  const connectToShadowDb = target.connectToShadowDb.bind(target);
  target.connectToShadowDb = async () => {
    const shadow = patchPgQueryable((await connectToShadowDb()) as PgShadow);
    const pool = shadow.client;
    const end = pool.end.bind(pool);
    let ended: Promise<void> | undefined;
    pool.end = () => (ended ??= end());
    const release = shadow.release?.bind(shadow);
    shadow.release = async () => {
      await pool.end();
      await release?.();
    };
    return shadow;
  };
  return factory;
}

/**
 * adapter-pg makes the shadow pool from `{ ...config, database }`: with a connectionString the string
 * wins and the "shadow" would be the main database, so pass discrete fields. allowExitOnIdle lets the
 * CLI exit instead of waiting for pg's idle timeout.
 */
export function pgConfigFromUrl(url: string) {
  const u = new URL(url);
  return {
    host: decodeURIComponent(u.hostname),
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.slice(1)),
    allowExitOnIdle: true,
  };
}
