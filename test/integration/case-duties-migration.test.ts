import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClient } from "@libsql/client";
import { afterAll, describe, expect, it } from "vitest";
import { CitizenSecrets } from "../../signaling/auth/citizenSecrets";
import { CaseService } from "../../signaling/services/cases/cases";
import { DEMO_LOOKUP_HMAC_KEY } from "../../signaling/config";
import { createDb } from "../../signaling/db/client";
import { eventHash, GENESIS, verifyChain } from "../../signaling/domain/cases/hashChain";
import { calendarSeeds } from "../../signaling/domain/deadlines";
import { repoRoot } from "../../signaling/paths";

/**
 * Issue 13 item 2: cases stored before duties existed (one clock per state, no openDuties column) get their
 * duties computed from their history — the migration adds the column, the start-up back-fill replays.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-duties-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Events as the old code wrote them: the receive event without the kind, hash-chained. */
function chain(caseId: string, steps: { action: string; from: string | null; to: string; data: Record<string, unknown>; at: string }[]) {
  let previousHash = GENESIS;
  return steps.map((step, index) => {
    const content = { caseId, sequence: index + 1, at: new Date(step.at).toISOString(), actorId: null, action: step.action, fromState: step.from, toState: step.to, reason: null, data: JSON.stringify(step.data) };
    const hash = eventHash(previousHash, content);
    const row = { id: `${caseId}-e${index + 1}`, ...content, previousHash, hash };
    previousHash = hash;
    return row;
  });
}

describe("migration 20261207002000_case_duties and the duty back-fill", () => {
  it("replays a history seeded the old way into its open duties; the nearest becomes the case's due date", async () => {
    const migrations = path.join(repoRoot, "prisma", "migrations");
    const file = path.join(dir, "old.db");
    const client = createClient({ url: `file:${file}` });
    const denunciation = chain("c-den", [
      { action: "receive", from: null, to: "received", data: { channel: "post", receivedDate: "2026-03-02" }, at: "2026-03-02T02:00:00Z" },
      { action: "classify", from: "received", to: "classified", data: { kind: "denunciation", eligible: true, withinCompetence: true, complexity: "normal", remoteArea: false }, at: "2026-03-03T02:00:00Z" },
      { action: "accept", from: "classified", to: "accepted", data: { decisionNumber: "12/QĐ", decisionDate: "2026-03-05" }, at: "2026-03-05T02:00:00Z" },
    ]);
    const unclassified = chain("c-new", [{ action: "receive", from: null, to: "received", data: { channel: "post", receivedDate: "2026-03-02" }, at: "2026-03-02T02:00:00Z" }]);
    try {
      for (const name of fs.readdirSync(migrations).filter((entry) => /^\d+_/.test(entry)).sort()) {
        if (name === "20261207002000_case_duties") {
          // The old single clock: resolve (30 days → 6 Apr) for the accepted case, nothing while the kind was unset.
          await client.executeMultiple(`
            INSERT INTO "Unit" ("id", "code", "name", "kind", "path", "updatedAt") VALUES ('u-d', 'DT', 'UBND xã Cũ', 'commune', '/u-d/', 0);
            INSERT INTO "Case" ("id", "code", "lookupSecretHash", "kind", "state", "unitId", "channel", "summary", "content", "receivedDate", "acceptedDate", "dueDate", "deadlineRule", "updatedAt")
              VALUES ('c-den', 'DT-2026-000001', 'x', 'denunciation', 'accepted', 'u-d', 'post', 'Tố cáo cũ', 'Nội dung', '2026-03-02', '2026-03-05', '2026-04-06', 'denunciation.resolve', 0),
                     ('c-new', 'DT-2026-000002', 'x', NULL, 'received', 'u-d', 'post', 'Đơn chưa phân loại', 'Nội dung', '2026-03-02', NULL, NULL, NULL, 0);`);
          for (const event of [...denunciation, ...unclassified]) {
            await client.execute({
              sql: `INSERT INTO "CaseEvent" ("id", "caseId", "sequence", "at", "actorId", "action", "fromState", "toState", "reason", "data", "previousHash", "hash") VALUES (?, ?, ?, ?, NULL, ?, ?, ?, NULL, ?, ?, ?)`,
              args: [event.id, event.caseId, event.sequence, Date.parse(event.at), event.action, event.fromState, event.toState, event.data, event.previousHash, event.hash],
            });
          }
        }
        await client.executeMultiple(fs.readFileSync(path.join(migrations, name, "migration.sql"), "utf8"));
      }
      for (const day of calendarSeeds) {
        await client.execute({ sql: `INSERT OR IGNORE INTO "Holiday" ("id", "date", "name", "kind", "createdAt") VALUES (?, ?, ?, ?, 0)`, args: [`h-${day.date}`, day.date, day.name, day.kind] });
      }
    } finally {
      client.close();
    }

    const db = createDb(`file:${file}`);
    try {
      expect((await db.case.findMany({ where: { openDuties: null } })).map((row) => row.id).sort()).toEqual(["c-den", "c-new"]);
      const service = new CaseService(db, new CitizenSecrets(DEMO_LOOKUP_HMAC_KEY));
      expect(await service.backfillDuties(1)).toBe(2);

      const den = await db.case.findUniqueOrThrow({ where: { id: "c-den" } });
      // Resolve 30 days from Thu 5 Mar → Mon 6 Apr, AND notify the denouncer in 5 working days → Thu 12 Mar (Art. 29).
      expect(JSON.parse(den.openDuties ?? "null")).toEqual([
        { id: "denunciation.resolve@3", ruleId: "denunciation.resolve", nature: "act", start: "2026-03-05", due: "2026-04-06" },
        { id: "denunciation.notifyAcceptance@3", ruleId: "denunciation.notifyAcceptance", nature: "act", start: "2026-03-05", due: "2026-03-12" },
      ]);
      expect(den).toMatchObject({ dueDate: "2026-03-12", deadlineRule: "denunciation.notifyAcceptance" });

      // The kind was never set: the old engine ran no clock; classify-and-decide runs 10 working days (→ Mon 16 Mar).
      const fresh = await db.case.findUniqueOrThrow({ where: { id: "c-new" } });
      expect(fresh).toMatchObject({ dueDate: "2026-03-16", deadlineRule: "petition.process" });

      // Once done, nothing is left to do; the histories themselves were not touched.
      expect(await service.backfillDuties()).toBe(0);
      for (const caseId of ["c-den", "c-new"]) {
        const events = await db.caseEvent.findMany({ where: { caseId }, orderBy: { sequence: "asc" } });
        expect(verifyChain(events.map((event) => ({ ...event, at: event.at.toISOString() })))).toMatchObject({ ok: true });
      }
    } finally {
      await db.$disconnect();
    }
  });
});
