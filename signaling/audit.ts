import type { Db } from "./db/client";

/** A database handle or an open transaction: audit entries are written with the change they record. */
type DbOrTransaction = Pick<Db, "auditLog">;

export interface AuditEntry {
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  detail?: Record<string, unknown>;
  ip?: string;
}

/** Keys whose values never reach the audit log, whatever a caller passes. */
const SECRET_KEYS = /password|token|secret|idNumber|cccd/i;

function redact(detail: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(detail).map(([key, value]) => [key, SECRET_KEYS.test(key) ? "[redacted]" : value]));
}

/** Who did what to which thing; append-only. */
export async function recordAudit(db: DbOrTransaction, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      actorId: entry.actorId,
      action: entry.action,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId,
      detail: entry.detail ? JSON.stringify(redact(entry.detail)) : null,
      ip: entry.ip ?? null,
    },
  });
}
