import type { Client, Config as LibsqlConfig, InStatement, ResultSet, Transaction, TransactionMode } from "@libsql/client";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
import { PrismaClient as PgPrismaClient } from "./generated-pg/client";

/**
 * The database handle of the whole product, whichever engine is behind it. Both generated clients come
 * from the same models (prisma/pg/schema.prisma is generated from prisma/schema.prisma, which keeps to
 * types both providers share), so their APIs are the same; the SQLite client's type names it.
 */
export type Db = PrismaClient;
/** An open interactive transaction (`db.$transaction(async (tx) => …)`), for code that must write inside the caller's. */
export type DbTransaction = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** Which SQL the database speaks: raw queries that differ (full-text search, JSON) branch on it. */
export type SqlDialect = "sqlite" | "postgresql";

/**
 * The dialect of a client or of a transaction client made from it. Prisma's client carries its schema's
 * provider as `_activeProvider` (declared in its runtime types; transaction clients forward to it).
 */
export function dialectOf(db: Pick<Db, "$queryRaw">): SqlDialect {
  return (db as unknown as { _activeProvider?: string })._activeProvider === "postgresql" ? "postgresql" : "sqlite";
}

/** True for the URLs PostgreSQL mode accepts (README "PostgreSQL"). */
export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//.test(url);

/**
 * Durability settings, chosen deliberately (case history is evidence: once a clerk saw "saved", the row
 * must survive a killed process and a power cut):
 * - `journal_mode = WAL`: a commit is one append to the write-ahead log, readers never block the writer,
 *   and a process killed mid-write leaves the database as of its last commit (the log is replayed or
 *   ignored on open). The mode is stored in the file, so it holds for every later connection.
 * - `synchronous = FULL`: the log is fsynced at every commit, so an acknowledged commit also survives a
 *   power cut or OS crash (NORMAL would only survive a process crash). Per connection.
 * - a wait for the lock: another process holding the write lock (a second signaling process,
 *   `npm run verify:history`, a backup, an operator's sqlite3 shell) makes a statement wait up to
 *   LOCK_WAIT_MS instead of failing at once with SQLITE_BUSY. SQLite's own `busy_timeout` waits inside the
 *   call, and libsql calls are synchronous, so a 5 s busy_timeout froze the whole process (every socket,
 *   the room heartbeats) for 5 s; the pragma is kept short and the rest of the wait is asynchronous
 *   (withDurability). Per connection.
 */
export const SYNC_BUSY_TIMEOUT_MS = 50;
export const LOCK_WAIT_MS = 5_000;
export const DURABILITY_PRAGMAS = ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", `PRAGMA busy_timeout = ${SYNC_BUSY_TIMEOUT_MS}`] as const;

/**
 * How a transaction begins. Prisma's adapter asks for "deferred", which takes the write lock only at the first
 * write: when another process (a second signaling process, a backup, `npm run verify:history`) holds it then,
 * SQLite answers SQLITE_BUSY at once, without waiting, because the transaction's read snapshot would be
 * stale by the time the lock came free. IMMEDIATE takes the write lock at BEGIN, where waiting is possible
 * (the lock wait above), so a transaction waits for the other process instead of failing (and within this
 * process everything is serialised on the one connection anyway).
 */
const BEGIN: Record<TransactionMode, string> = { write: "BEGIN IMMEDIATE", read: "BEGIN TRANSACTION READONLY", deferred: "BEGIN IMMEDIATE" };

/**
 * A failed statement after which the connection must be replaced. libsql does not reset a statement whose
 * step failed: it stays open with its read snapshot until garbage collection, and that snapshot outlives
 * the transaction's ROLLBACK, so the connection kept seeing the database as it was (an account created
 * since could not sign in) and every later write failed with SQLITE_BUSY_SNAPSHOT. A constraint violation
 * leaves nothing open (tested), and it is an everyday answer (a duplicate), so it does not count.
 */
function leavesConnectionStale(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return !(typeof code === "string" && code.startsWith("SQLITE_CONSTRAINT"));
}

interface ConnectionHooks {
  /** A statement failed (metrics, and marking the connection for replacement). */
  failed(error: unknown): void;
  /** The transaction is over: a connection marked stale is replaced now that nothing is open on it. */
  ended(): void;
}

/**
 * A transaction on the client's one connection. libsql's own `transaction()` hands its connection to
 * the transaction and opens a new one for the next call, and never closes the old one: under load
 * every committed transaction left a connection (and its file descriptors) open until garbage
 * collection, and the per-connection pragmas fell back to the defaults. The Prisma adapter serialises
 * everything on the client behind one mutex for the whole transaction, so sharing the connection
 * interleaves nothing.
 */
class SameConnectionTransaction implements Transaction {
  readonly #client: Client;
  readonly #hooks: ConnectionHooks;
  #open = true;

  constructor(client: Client, hooks: ConnectionHooks) {
    this.#client = client;
    this.#hooks = hooks;
  }

  get closed(): boolean {
    return !this.#open;
  }

  async execute(statement: InStatement): Promise<ResultSet> {
    this.#assertOpen();
    try {
      return await this.#client.execute(statement);
    } catch (error) {
      this.#hooks.failed(error);
      throw error;
    }
  }

  async batch(statements: InStatement[]): Promise<ResultSet[]> {
    const results: ResultSet[] = [];
    for (const statement of statements) results.push(await this.execute(statement));
    return results;
  }

  async executeMultiple(): Promise<void> {
    // The client's executeMultiple rolls back any open transaction when it ends: never inside one.
    throw new Error("executeMultiple is not available inside a transaction");
  }

  async commit(): Promise<void> {
    this.#assertOpen();
    this.#open = false;
    try {
      await this.#client.execute("COMMIT");
    } catch (error) {
      // A COMMIT that fails leaves the transaction open (SQLite keeps it for a retry): end it, or the next
      // BEGIN on this connection fails with "cannot start a transaction within a transaction".
      this.#hooks.failed(error);
      await this.#client.execute("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      this.#hooks.ended();
    }
  }

  async rollback(): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    try {
      await this.#client.execute("ROLLBACK");
    } finally {
      this.#hooks.ended();
    }
  }

  close(): void {
    if (this.#open) void this.rollback().catch(() => undefined);
  }

  #assertOpen(): void {
    if (!this.#open) throw new Error("the transaction is closed");
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** SQLITE_BUSY and its extended codes: another connection holds a lock this statement needs. */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}

/**
 * One connection at a time for the process, with the pragmas above applied before its first statement,
 * and transactions kept on it (see SameConnectionTransaction).
 * - After a statement that may have left something open on it (leavesConnectionStale) the connection is
 *   closed and the next statement opens a fresh one: at once outside a transaction (the adapter's mutex
 *   means none is open then), else when the transaction ends.
 * - A BEGIN or a statement outside a transaction that meets another process's lock is tried again, with
 *   growing pauses, until LOCK_WAIT_MS have passed. Both are safe to repeat: a refused BEGIN took nothing,
 *   and a refused single statement is its own transaction, rolled back whole. Inside a transaction nothing
 *   is repeated (it holds the write lock from its BEGIN IMMEDIATE, so the case does not arise).
 */
function withDurability(open: () => Client, onError?: (error: unknown) => void): Client {
  let current = open();
  let prepared: Promise<void> | undefined;
  let stale = false;
  const prepare = () => {
    const connection = current;
    return (prepared ??= (async () => {
      for (const pragma of DURABILITY_PRAGMAS) await connection.execute(pragma);
    })());
  };
  const replaceIfStale = () => {
    if (!stale) return;
    stale = false;
    const old = current;
    current = open();
    prepared = undefined;
    // libsql lets go of the file once the old connection's statements are garbage-collected.
    old.close();
  };
  const hooks: ConnectionHooks = {
    failed(error) {
      if (leavesConnectionStale(error)) stale = true;
      onError?.(error);
    },
    ended: replaceIfStale,
  };
  /** Runs `attempt` on the current connection, again while another process holds the lock. */
  const waitingForLock = async <T>(attempt: (connection: Client) => Promise<T>): Promise<T> => {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (let pause = 10; ; pause = Math.min(pause * 2, 250)) {
      await prepare();
      try {
        return await attempt(current);
      } catch (error) {
        if (leavesConnectionStale(error)) stale = true;
        replaceIfStale();
        if (!isBusy(error) || Date.now() + pause >= deadline) {
          onError?.(error);
          throw error;
        }
      }
      await sleep(pause);
    }
  };
  return new Proxy(current, {
    get(_target, property) {
      if (property === "transaction") {
        return (mode: TransactionMode = "write") =>
          waitingForLock(async (connection) => {
            await connection.execute(BEGIN[mode]);
            return new SameConnectionTransaction(connection, hooks);
          });
      }
      if (property === "close") return () => current.close();
      const value: unknown = Reflect.get(current, property, current);
      if (typeof value !== "function") return value;
      if (property === "execute" || property === "batch") {
        return (...args: unknown[]) => waitingForLock((connection) => (Reflect.get(connection, property, connection) as (...args: unknown[]) => Promise<unknown>).apply(connection, args));
      }
      const method = value as (...args: unknown[]) => unknown;
      if (property !== "executeMultiple") return method.bind(current);
      // A script (migrations) may have done part of its work before a refusal: not repeated.
      return async (...args: unknown[]) => {
        await prepare();
        try {
          return await method.apply(current, args);
        } catch (error) {
          hooks.failed(error);
          replaceIfStale();
          throw error;
        }
      };
    },
  });
}

class DurableLibSQL extends PrismaLibSQL {
  readonly #onError: ((error: unknown) => void) | undefined;

  constructor(config: LibsqlConfig, onError?: (error: unknown) => void) {
    super(config);
    this.#onError = onError;
  }

  override createClient(config: LibsqlConfig): Client {
    return withDurability(() => super.createClient(config), this.#onError);
  }
}

type PgAdapter = Awaited<ReturnType<PrismaPg["connect"]>>;
type PgQueryable = Pick<PgAdapter, "queryRaw" | "executeRaw">;

/**
 * The error as the metrics count it: PostgreSQL's SQLSTATE (adapter-pg keeps it as the cause's
 * originalCode) as `PG_<code>`, e.g. PG_42P01 for a missing table, PG_40001 for a serialization failure.
 */
function pgErrorOf(error: unknown): { code: string } {
  const cause = (error as { cause?: { originalCode?: unknown; code?: unknown } } | null)?.cause;
  const code = cause?.originalCode ?? cause?.code;
  return { code: typeof code === "string" ? `PG_${code}` : "other" };
}

/** Reports every failed statement of a queryable (the connection, or a transaction on it) to onError. */
function observePg<Q extends PgQueryable>(queryable: Q, onError: (error: unknown) => void): Q {
  const queryRaw = queryable.queryRaw.bind(queryable);
  const executeRaw = queryable.executeRaw.bind(queryable);
  queryable.queryRaw = (query) =>
    queryRaw(query).catch((error: unknown) => {
      onError(pgErrorOf(error));
      throw error;
    });
  queryable.executeRaw = (query) =>
    executeRaw(query).catch((error: unknown) => {
      onError(pgErrorOf(error));
      throw error;
    });
  return queryable;
}

/** adapter-pg with the same failed-statement hook as DurableLibSQL (the metrics' database error counter). */
class ObservedPg extends PrismaPg {
  readonly #onError: ((error: unknown) => void) | undefined;

  constructor(url: string, onError?: (error: unknown) => void) {
    super({ connectionString: url });
    this.#onError = onError;
  }

  override async connect(): Promise<PgAdapter> {
    const adapter = await super.connect();
    const onError = this.#onError;
    if (!onError) return adapter;
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (...args) => observePg(await startTransaction(...args), onError);
    return observePg(adapter, onError);
  }
}

/**
 * Opens the database named by DATABASE_URL, choosing the engine by its scheme (no Prisma engine binaries
 * either way, so it works on a closed network):
 * - `file:` — SQLite through the libsql driver adapter, with the durability pragmas above on every
 *   connection (the embedded default);
 * - `postgresql://` (or `postgres://`) — PostgreSQL through @prisma/adapter-pg and the client generated
 *   from prisma/pg/schema.prisma. Durability there is the server's own (WAL, synchronous_commit on by
 *   default), so no pragmas apply. `hooks.onError` sees failed statements as `{ code: "PG_<SQLSTATE>" }`.
 */
export function createDb(url: string, hooks: { onError?: (error: unknown) => void } = {}): Db {
  if (isPostgresUrl(url)) {
    return new PgPrismaClient({ adapter: new ObservedPg(url, hooks.onError) }) as unknown as Db;
  }
  if (!url.startsWith("file:")) {
    throw new Error(`unsupported DATABASE_URL "${url.split(":")[0]}:…" — use file: (SQLite) or postgresql:// (PostgreSQL)`);
  }
  return new PrismaClient({ adapter: new DurableLibSQL({ url }, hooks.onError) });
}

/**
 * The settings as the server's connection sees them (start-up check and tests). On PostgreSQL the
 * equivalents are reported: the WAL is always on, `synchronous_commit` says whether a commit waits for
 * its fsync (on = 2, like SQLite's FULL), and `lock_timeout` bounds a wait for a lock.
 */
export async function durabilitySettings(db: Db): Promise<{ journalMode: string; synchronous: number; busyTimeoutMs: number }> {
  if (dialectOf(db) === "postgresql") {
    const [row] = await db.$queryRawUnsafe<{ sync: string; lock: string }[]>(
      "SELECT current_setting('synchronous_commit') AS sync, current_setting('lock_timeout') AS lock",
    );
    return { journalMode: "wal", synchronous: row?.sync === "off" ? 0 : 2, busyTimeoutMs: Number.parseInt(row?.lock ?? "0", 10) || 0 };
  }
  const [journal] = await db.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
  const [sync] = await db.$queryRawUnsafe<{ synchronous: number | bigint }[]>("PRAGMA synchronous");
  const [busy] = await db.$queryRawUnsafe<{ timeout: number | bigint }[]>("PRAGMA busy_timeout");
  // What a statement waits for another process's lock: SQLite's short wait in the call, then withDurability's.
  const busyTimeoutMs = Number(busy?.timeout) === SYNC_BUSY_TIMEOUT_MS ? LOCK_WAIT_MS : Number(busy?.timeout);
  return { journalMode: String(journal?.journal_mode), synchronous: Number(sync?.synchronous), busyTimeoutMs };
}
