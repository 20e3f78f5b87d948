import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storedFilePath } from "../../signaling/services/attachments/attachments";
import { createDb, type Db } from "../../signaling/db/client";
import { repoRoot } from "../../signaling/paths";
import { buildUnit } from "../helpers/factories";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

/**
 * `npm run retention` against seeded old and recent rows with real files: the dry run lists only what
 * is past retention and changes nothing; --apply deletes exactly that, audits each deletion, and keeps a
 * content-addressed file another case still names.
 */
const DAY = 86_400_000;
let dir: string;
let database: TestDatabase;
let dataDir: string;
let db: Db;
let env: NodeJS.ProcessEnv;
const ids: Record<string, string> = {};
const shaShared = createHash("sha256").update("shared document").digest("hex");
const shaRecent = createHash("sha256").update("recent document").digest("hex");

function run(...args: string[]): string {
  return execFileSync(process.execPath, ["--import", "tsx", path.join("scripts", "retention.ts"), ...args], { cwd: repoRoot, env, encoding: "utf8" });
}

async function recording(roomId: string, stoppedDaysAgo: number): Promise<string> {
  const meeting = await db.meeting.upsert({ where: { roomId }, create: { roomId, title: roomId, status: "ended" }, update: {} });
  const stoppedAt = new Date(Date.now() - stoppedDaysAgo * DAY);
  const row = await db.recording.create({ data: { meetingId: meeting.id, startedAt: stoppedAt, stoppedAt, status: "ready" } });
  const file = path.join("recordings", row.id, "recording.mp4");
  fs.mkdirSync(path.join(dataDir, "recordings", row.id, "tracks"), { recursive: true });
  fs.writeFileSync(path.join(dataDir, file), "video bytes");
  await db.recording.update({ where: { id: row.id }, data: { file } });
  return row.id;
}

async function caseFile(unitId: string, code: string, closedDaysAgo: number | null, sha256: string): Promise<string> {
  const created = await db.case.create({
    data: { code, lookupSecretHash: "x", unitId, channel: "reception", summary: code, content: code, receivedDate: "2000-01-01", state: closedDaysAgo === null ? "received" : "closed" },
  });
  if (closedDaysAgo !== null) {
    await db.caseEvent.create({
      data: { caseId: created.id, sequence: 1, at: new Date(Date.now() - closedDaysAgo * DAY), action: "close", toState: "closed", data: "{}", previousHash: "0", hash: `h-${code}` },
    });
  }
  const attachment = await db.attachment.create({ data: { caseId: created.id, sha256, size: 8, mimeType: "application/pdf", originalName: `${code}.pdf` } });
  ids[`attachment-${code}`] = attachment.id;
  const file = storedFilePath(dataDir, sha256);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, "%PDF-1.4");
  return created.id;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-retention-"));
  dataDir = path.join(dir, "data");
  database = await createTestDatabase(dir);
  env = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "test", DATABASE_URL: database.url, DATA_DIR: dataDir, RETENTION_BRIEFING_RECORDING_DAYS: "365", RETENTION_CASE_FILE_YEARS: "20" };
  db = createDb(env.DATABASE_URL!);
  const unit = await buildUnit(db);
  ids.oldBriefing = await recording("giao-ban-2025", 400);
  ids.recentBriefing = await recording("giao-ban-gan-day", 30);
  const oldCase = await caseFile(unit.id, "RT-OLD", 21 * 366, shaShared);
  const recentCase = await caseFile(unit.id, "RT-RECENT", 400, shaRecent);
  // Open, and holding the same document as the old case: its file must outlive the old case's row.
  const openCase = await caseFile(unit.id, "RT-OPEN", null, shaShared);
  for (const [name, caseId] of [["oldReception", oldCase], ["recentReception", recentCase], ["openReception", openCase]] as const) {
    // Reception recordings are old themselves: only their case file decides.
    ids[name] = await recording(`tiep-dan-${name}`, 8000);
    await db.receptionSession.create({ data: { unitId: unit.id, roomId: `tiep-dan-${name}`, shape: "direct", kind: "regular", hostUserId: "host", status: "ended", recordingId: ids[name], caseId } });
  }
});

afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("npm run retention", () => {
  it("dry run lists only what is past retention and changes nothing", async () => {
    const output = run();
    const listed = output.split("\n").filter((line) => line.includes("\t")).map((line) => line.split("\t").slice(0, 2).join(" "));
    expect(listed.sort()).toEqual(
      [`briefingRecording ${ids.oldBriefing}`, `receptionRecording ${ids.oldReception}`, `caseAttachment ${ids["attachment-RT-OLD"]}`].sort(),
    );
    expect(output).toMatch(/dry run: nothing deleted/);
    expect(await db.recording.count()).toBe(5);
    expect(await db.attachment.count()).toBe(3);
    expect(fs.existsSync(path.join(dataDir, "recordings", ids.oldBriefing!))).toBe(true);
    expect(await db.auditLog.count({ where: { action: "retention.delete" } })).toBe(0);
  });

  it("--apply deletes exactly those, audits each, and keeps a file another case still names", async () => {
    const output = run("--apply");
    expect(output).toMatch(/deleted 3 item\(s\)/);
    const remaining = (await db.recording.findMany({ select: { id: true } })).map((row) => row.id).sort();
    expect(remaining).toEqual([ids.recentBriefing, ids.recentReception, ids.openReception].sort());
    for (const gone of [ids.oldBriefing, ids.oldReception]) expect(fs.existsSync(path.join(dataDir, "recordings", gone!))).toBe(false);
    for (const kept of remaining) expect(fs.existsSync(path.join(dataDir, "recordings", kept, "recording.mp4"))).toBe(true);
    expect(await db.attachment.findUnique({ where: { id: ids["attachment-RT-OLD"]! } })).toBeNull();
    expect(await db.attachment.count()).toBe(2);
    expect(fs.existsSync(storedFilePath(dataDir, shaShared))).toBe(true);
    expect(fs.existsSync(storedFilePath(dataDir, shaRecent))).toBe(true);
    expect(await db.receptionSession.findFirst({ where: { roomId: "tiep-dan-oldReception" }, select: { recordingId: true } })).toEqual({ recordingId: null });
    const audits = await db.auditLog.findMany({ where: { action: "retention.delete" }, select: { subjectType: true, subjectId: true } });
    expect(audits.map((a) => `${a.subjectType} ${a.subjectId}`).sort()).toEqual(
      [`recording ${ids.oldBriefing}`, `recording ${ids.oldReception}`, `attachment ${ids["attachment-RT-OLD"]}`].sort(),
    );
    // Nothing left to do: a second run lists nothing.
    expect(run()).toMatch(/^0 item\(s\) past retention/m);
  });
});
