import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { storedFilePath, storeFileByContent, sweepFileStore } from "../../signaling/services/attachments/attachments";
import { createDb, durabilitySettings } from "../../signaling/db/client";
import { buildUnit } from "../helpers/factories";
import { runKillNine } from "../helpers/killNine";
import { templateDatabasePath } from "../helpers/paths";

/**
 * The server is SIGKILLed 5 times while writers file cases, take workflow steps, upload files and write
 * the reception book at full speed; after each restart every acknowledged write is stored, nothing is
 * half-written and every history chain verifies. `npm run chaos` is the long version (20+ kills).
 * The seed is printed on failure: KILL9_SEED=<seed> reproduces the kill moments and the operation mix.
 */

const seed = Number(process.env.KILL9_SEED ?? Date.now() % 1_000_000);

describe("kill -9 during writes", () => {
  it("the connection keeps WAL, synchronous=FULL and a busy timeout, also after transactions, and holds no extra file descriptors", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-pragmas-"));
    const file = path.join(dir, "pragmas.db");
    fs.copyFileSync(templateDatabasePath, file);
    const db = createDb(`file:${file}`);
    try {
      const expected = { journalMode: "wal", synchronous: 2, busyTimeoutMs: 5000 };
      expect(await durabilitySettings(db)).toEqual(expected);
      // libsql gives each interactive transaction the current connection and opens a new one after it.
      await db.$transaction(async (tx) => tx.holiday.count());
      expect(await durabilitySettings(db)).toEqual(expected);
      await db.$transaction(async (tx) => tx.unit.count());
      expect(await durabilitySettings(db)).toEqual(expected);
      // Transactions stay on the one connection: libsql's own hand-off left ~2 descriptors open per transaction.
      const descriptors = () => fs.readdirSync("/proc/self/fd").length;
      const before = descriptors();
      for (let index = 0; index < 200; index++) await db.$transaction(async (tx) => tx.holiday.create({ data: { date: `2031-01-01#${index}`, name: "Thử" } }));
      expect(descriptors() - before).toBeLessThanOrEqual(5);
      // A rolled-back transaction leaves nothing, and the connection still works afterwards.
      await expect(db.$transaction(async (tx) => {
        await tx.holiday.create({ data: { date: "2031-02-02", name: "Hủy" } });
        throw new Error("abandon");
      })).rejects.toThrow("abandon");
      expect(await db.holiday.count({ where: { date: "2031-02-02" } })).toBe(0);
      expect(await db.holiday.count({ where: { name: "Thử" } })).toBe(200);
    } finally {
      await db.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the start-up sweep removes files no row names and unfinished temporaries, and reports rows without a file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-sweep-"));
    const file = path.join(dir, "sweep.db");
    fs.copyFileSync(templateDatabasePath, file);
    const db = createDb(`file:${file}`);
    const dataDir = path.join(dir, "data");
    try {
      const pdf = (text: string) => Buffer.from(`%PDF-1.4\n${text}\n%%EOF\n`);
      const kept = storeFileByContent(dataDir, pdf("kept"));
      const orphan = storeFileByContent(dataDir, pdf("upload cut before its row"));
      const unit = await buildUnit(db);
      const item = await db.case.create({ data: { code: `SWEEP-${Date.now()}`, lookupSecretHash: "00", unitId: unit.id, channel: "post", summary: "Đơn thử", content: "Nội dung", receivedDate: "2026-03-02" } });
      await db.attachment.create({ data: { caseId: item.id, sha256: kept.sha256, size: 1, mimeType: "application/pdf", originalName: "a.pdf" } });
      const lost = await db.attachment.create({ data: { caseId: item.id, sha256: "f".repeat(64), size: 1, mimeType: "application/pdf", originalName: "b.pdf" } });
      const temporary = `${storedFilePath(dataDir, kept.sha256)}.4242.tmp`;
      fs.writeFileSync(temporary, "half");

      const sweep = await sweepFileStore(db, dataDir);
      expect(sweep.removedOrphans.map((name) => path.basename(name)).sort()).toEqual([orphan.sha256, path.basename(temporary)].sort());
      expect(sweep.rowsWithoutFile).toEqual([{ table: "attachment", id: lost.id, sha256: "f".repeat(64) }]);
      expect(fs.existsSync(storedFilePath(dataDir, kept.sha256))).toBe(true);
      expect(fs.existsSync(storedFilePath(dataDir, orphan.sha256))).toBe(false);
    } finally {
      await db.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it(`5 kills: every 2xx stored, nothing half-written, chains verify (seed ${seed})`, { timeout: 600_000 }, async () => {
    const result = await runKillNine({ kills: 5, seed, onProgress: (line) => console.log(`[kill-nine] ${line}`) });
    expect(result.problems, `seed ${seed}`).toEqual([]);
    expect(result.durability).toEqual({ journalMode: "wal", synchronous: 2, busyTimeoutMs: 5000 });
    // The run must actually have written each kind of thing, or it proves nothing.
    expect(result.acknowledged.cases).toBeGreaterThan(0);
    expect(result.acknowledged.attachments).toBeGreaterThan(0);
    expect(result.acknowledged.entries).toBeGreaterThan(0);
    expect(result.stored.cases).toBeGreaterThanOrEqual(result.acknowledged.cases);
    expect(result.stored.attachments).toBeGreaterThanOrEqual(result.acknowledged.attachments);
    expect(result.stored.entries).toBeGreaterThanOrEqual(result.acknowledged.entries);
  });
});
