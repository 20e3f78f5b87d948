import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Writable } from "node:stream";
import { createDb, type Db, durabilitySettings } from "../../signaling/db/client";
import { createLogger } from "../../signaling/logger";
import { AttendanceLog } from "../../signaling/realtime/AttendanceLog";
import { templateDatabasePath } from "../helpers/paths";
import { otherProcessHoldsTheLock, stopLockHolders } from "../helpers/sqliteLock";

/**
 * One SQLite file written by several processes (two signaling processes, `npm run verify:history`, a
 * backup). CI found a signaling process that, once one of its writes met another process's lock, saw the
 * database as it was at that moment for the rest of its life: new accounts could not sign in ("Please sign
 * in") and every write failed. libsql leaves a statement that failed with SQLITE_BUSY open, and its read
 * snapshot outlives the transaction's ROLLBACK.
 */

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(async () => {
  stopLockHolders();
  for (const db of dbs.splice(0)) await db.$disconnect();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A copy of the migrated template and this process's connection to it (closed after the test). */
function openCopyOfTemplate(): { file: string; db: Db } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-shared-file-"));
  dirs.push(dir);
  const file = path.join(dir, "shared.db");
  fs.copyFileSync(templateDatabasePath, file);
  const db = createDb(`file:${file}`);
  dbs.push(db);
  return { file, db };
}

/** What a request handler does: read, then write, in one transaction. */
const readThenWrite = (db: Db, name: string) =>
  db.$transaction(async (tx) => {
    await tx.holiday.count();
    return tx.holiday.create({ data: { date: `2032-${name}`, name } });
  });

describe("one SQLite file shared with another process", () => {
  it("a transaction that meets the other's write lock waits for it without stopping this process, then sees what the other wrote", { timeout: 30_000 }, async () => {
    const { file, db } = openCopyOfTemplate();
    await db.holiday.count();
    const other = await otherProcessHoldsTheLock(file, "other-a");
    let settled = false;
    const waiting = readThenWrite(db, "ours-a").finally(() => (settled = true));
    // The process goes on meanwhile (sockets, heartbeats): SQLite's own busy wait inside the synchronous
    // libsql call would hold everything here until it gave up.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(false);
    await other.release();
    await waiting;
    expect((await db.holiday.findMany({ where: { name: { in: ["other-a", "ours-a"] } } })).map((row) => row.name).sort()).toEqual(["other-a", "ours-a"]);
  });

  it("a write refused because the other held the lock past the wait loses only itself: afterwards the connection sees and writes as before", { timeout: 60_000 }, async () => {
    const { file, db } = openCopyOfTemplate();
    await db.holiday.count();
    const other = await otherProcessHoldsTheLock(file, "other-b");
    // Refused after LOCK_WAIT_MS (5 s).
    await expect(readThenWrite(db, "refused-b")).rejects.toThrow();
    await expect(db.holiday.create({ data: { date: "2032-refused-c", name: "refused-c" } })).rejects.toThrow();
    await other.release();
    expect(await db.holiday.findUnique({ where: { date: "2032-other-b" } })).toMatchObject({ name: "other-b" });
    await readThenWrite(db, "after-b");
    expect(await db.holiday.count({ where: { name: { in: ["other-b", "after-b", "refused-b", "refused-c"] } } })).toBe(2);
  });

  it("a connection replaced after failed statements keeps the durability pragmas and works; a duplicate is an ordinary answer", async () => {
    const { db } = openCopyOfTemplate();
    await db.holiday.create({ data: { date: "2032-01-01", name: "first" } });
    for (let index = 0; index < 50; index++) {
      await expect(db.$queryRawUnsafe("SELECT * FROM NoSuchTable")).rejects.toThrow();
      await expect(db.$transaction(async (tx) => tx.$executeRawUnsafe("UPDATE NoSuchTable SET x = 1"))).rejects.toThrow();
    }
    expect(await durabilitySettings(db)).toEqual({ journalMode: "wal", synchronous: 2, busyTimeoutMs: 5000 });
    await expect(db.holiday.create({ data: { date: "2032-01-01", name: "duplicate" } })).rejects.toMatchObject({ code: "P2002" });
    await readThenWrite(db, "after-failures");
    expect(await db.holiday.count({ where: { date: { startsWith: "2032-" } } })).toBe(2);
  });

  it("attendance the database refused while the other held the lock past the wait is written once it lets go", { timeout: 90_000 }, async () => {
    const { file, db } = openCopyOfTemplate();
    const lines: string[] = [];
    const capture = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const attendance = new AttendanceLog(db, createLogger("warn", { destination: capture }));
    await db.meeting.create({ data: { roomId: "giao-ban-khoa", title: "Giao ban", status: "live" } });
    const other = await otherProcessHoldsTheLock(file, "other-d");
    attendance.joined("giao-ban-khoa", { id: "peer-d", displayName: "Xã Kiên Nhẫn", userId: "user-d", unitId: "unit-d" }).catch(() => undefined);
    attendance.left("giao-ban-khoa", "peer-d", "left");
    // Refused once (after the 5 s wait), then the other process lets go.
    await expect.poll(() => lines.some((line) => line.includes("trying again")), { timeout: 30_000 }).toBe(true);
    await other.release();
    await attendance.flush();
    const stay = await db.attendance.findFirst({ where: { peerId: "peer-d" } });
    expect(stay).toMatchObject({ displayName: "Xã Kiên Nhẫn", leaveReason: "left" });
    expect(stay?.leftAt).not.toBeNull();
  });
});
