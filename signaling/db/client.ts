import type { Client, Config as LibsqlConfig } from "@libsql/client";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaClient } from "./generated/client";

export type Db = PrismaClient;

/**
 * Durability settings, chosen deliberately (case history is evidence: once a clerk saw "saved", the row
 * must survive a killed process and a power cut):
 * - `journal_mode = WAL`: a commit is one append to the write-ahead log, readers never block the writer,
 *   and a process killed mid-write leaves the database as of its last commit (the log is replayed or
 *   ignored on open). The mode is stored in the file, so it holds for every later connection.
 * - `synchronous = FULL`: the log is fsynced at every commit, so an acknowledged commit also survives a
 *   power cut or OS crash (NORMAL would only survive a process crash). Per connection, hence reapplied.
 * - `busy_timeout = 5000`: another process holding the write lock (`npm run verify:history`, a backup,
 *   an operator's sqlite3 shell) makes a write wait up to 5 s instead of failing at once with
 *   SQLITE_BUSY. Per connection, hence reapplied.
 */
export const DURABILITY_PRAGMAS = ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA busy_timeout = 5000"] as const;

type ClientMethod = "execute" | "batch" | "executeMultiple" | "transaction";
const CONNECTION_USERS: ReadonlySet<PropertyKey> = new Set<ClientMethod>(["execute", "batch", "executeMultiple", "transaction"]);

/**
 * libsql's local client hands its connection to each interactive transaction and opens a new one
 * lazily on the next call, so per-connection pragmas would silently fall back to the defaults after
 * the first transaction. This wrapper applies them before the first statement on every connection.
 */
function withDurability(client: Client): Client {
  let connectionIsNew = true;
  const prepare = async () => {
    if (!connectionIsNew) return;
    connectionIsNew = false;
    for (const pragma of DURABILITY_PRAGMAS) await client.execute(pragma);
  };
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      const method = value as (...args: unknown[]) => unknown;
      if (!CONNECTION_USERS.has(property)) return method.bind(target);
      return async (...args: unknown[]) => {
        // The adapter's mutex serialises these calls, so `connectionIsNew` cannot race.
        await prepare();
        const result = await method.apply(target, args);
        if (property === "transaction") connectionIsNew = true;
        return result;
      };
    },
  });
}

class DurableLibSQL extends PrismaLibSQL {
  override createClient(config: LibsqlConfig): Client {
    return withDurability(super.createClient(config));
  }
}

/**
 * Opens the database named by a `file:` URL through the libsql driver adapter (no Prisma engine
 * binaries, so it works on a closed network), with the durability pragmas above on every connection.
 */
export function createDb(url: string): Db {
  if (!url.startsWith("file:")) {
    throw new Error(`unsupported DATABASE_URL "${url.split(":")[0]}:…" — this build supports SQLite (file:) only`);
  }
  return new PrismaClient({ adapter: new DurableLibSQL({ url }) });
}

/** The settings as the server's connection sees them (start-up check and tests). */
export async function durabilitySettings(db: Db): Promise<{ journalMode: string; synchronous: number; busyTimeoutMs: number }> {
  const [journal] = await db.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
  const [sync] = await db.$queryRawUnsafe<{ synchronous: number | bigint }[]>("PRAGMA synchronous");
  const [busy] = await db.$queryRawUnsafe<{ timeout: number | bigint }[]>("PRAGMA busy_timeout");
  return { journalMode: String(journal?.journal_mode), synchronous: Number(sync?.synchronous), busyTimeoutMs: Number(busy?.timeout) };
}
