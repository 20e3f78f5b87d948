/**
 * Database refusals after which the same write, run again from its start, can succeed, and of which nothing
 * was kept:
 * - SQLite: another process held the write lock past the lock wait (libsql's SQLITE_BUSY; Prisma reports it
 *   as P1008 "Operation has timed out" over the libsql adapter);
 * - PostgreSQL: the transaction was aborted to break a deadlock (40P01) or a serialization conflict (40001,
 *   Prisma's P2034).
 * Anything else (a constraint, a bug, a lost connection mid-commit) is not repeated.
 */
const TRANSIENT_CODES = new Set(["P1008", "P2034", "40P01", "40001"]);

export function isTransientDbError(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  // The code sits on the error itself, on its cause (a DriverAdapterError's `cause.originalCode`), or in
  // Prisma's `meta.driverAdapterError`.
  while (queue.length > 0) {
    const current = queue.shift();
    if (current === null || typeof current !== "object" || seen.has(current)) continue;
    seen.add(current);
    const { code, originalCode, cause, meta } = current as { code?: unknown; originalCode?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
    for (const value of [code, originalCode]) {
      if (typeof value === "string" && (TRANSIENT_CODES.has(value) || value.startsWith("SQLITE_BUSY"))) return true;
    }
    queue.push(cause, meta?.driverAdapterError);
  }
  return false;
}

/**
 * Runs `write` again after a transient refusal, after each of `pausesMs` in turn, then gives up with the
 * last error. `write` must be whole: a transaction, or a single statement, that can run again from its start.
 */
export async function retryTransient<T>(write: () => Promise<T>, options: { pausesMs: readonly number[]; onRetry?: (error: unknown, attempt: number) => void }): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      const pause = options.pausesMs[attempt];
      if (pause === undefined || !isTransientDbError(error)) throw error;
      options.onRetry?.(error, attempt + 1);
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
