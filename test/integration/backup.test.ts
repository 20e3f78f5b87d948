import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkBackup, createBackup, RestoreError, restoreBackup } from "../../signaling/backup/backup";
import { DEMO_JWT_SECRET, loadConfig } from "../../signaling/config";
import { buildUnit, tokenFor } from "../helpers/factories";
import { http } from "../helpers/http";
import { createTestPgDatabase, postgresPass, type TestPgDatabase } from "../helpers/postgres";
import { startTestServer, type TestServer } from "../helpers/server";

/** The test servers' key (the default), so the restored histories are checked as the server would. */
const lookupHmacKey = loadConfig({ NODE_ENV: "test" }).auth.lookupHmacKey;
const pdf = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

let server: TestServer;
let dir: string;
let token: string;
/** Checking histories is an inspector's or leader's task. */
let leaderToken: string;
let unitId: string;
/** PostgreSQL pass: the restore targets made by targetDatabase, dropped at the end. */
const targets: TestPgDatabase[] = [];

/**
 * An empty install's DATABASE_URL: a file that does not exist yet, or in the PostgreSQL pass
 * (pg_dump/pg_restore) a new empty database.
 */
async function targetDatabase(folder: string): Promise<string> {
  if (!postgresPass) return `file:${folder}/cau-noi.db`;
  const database = await createTestPgDatabase({ empty: true });
  targets.push(database);
  return database.url;
}

async function fileCase(summary: string): Promise<string> {
  const created = await http<{ case: { id: string } }>(server.url, "POST", "/cases", {
    token,
    body: { unitId, channel: "post", receivedDate: "2026-03-02", summary, content: `Nội dung đơn: ${summary}.`, parties: [{ role: "petitioner", name: "Nguyễn Văn Ấn" }] },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.case.id;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-backup-"));
  server = await startTestServer();
  const unit = await buildUnit(server.db, { name: "UBND xã Sao Lưu" });
  unitId = unit.id;
  ({ token } = await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles: ["officer"] }));
  ({ token: leaderToken } = await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles: ["leader"] }));
});

afterAll(async () => {
  await server?.close();
  for (const target of targets) await target.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("backup and restore", () => {
  it("backs up while a writer is running, restores into an empty install that serves the data, histories intact", async () => {
    const caseId = await fileCase("Đơn có tệp đính kèm");
    const classified = await http(server.url, "POST", `/cases/${caseId}/actions/classify`, { token, body: { kind: "complaint", eligible: true, withinCompetence: true } });
    expect(classified.status).toBe(200);
    const upload = await fetch(`${server.url}/api/cases/${caseId}/attachments?name=${encodeURIComponent("Đơn khiếu nại.pdf")}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/pdf" },
      body: new Uint8Array(pdf),
    });
    expect(upload.status).toBe(201);
    const attachment = (await upload.json()) as { id: string };

    // A writer filing cases one after another for the whole backup.
    let written = 0;
    let stop = false;
    const waiters: { count: number; resolve: () => void }[] = [];
    const writer = (async () => {
      while (!stop) {
        await fileCase(`Đơn số ${written + 1} trong lúc sao lưu`);
        written++;
        for (const waiter of waiters.filter((candidate) => written >= candidate.count)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    })();
    const writes = (count: number) => new Promise<void>((resolve) => (written >= count ? resolve() : waiters.push({ count, resolve })));

    await writes(2);
    const committedBefore = written;
    const backup = await createBackup({ databaseUrl: server.databaseUrl, dataDir: server.dataDir, root: path.join(dir, "backups") });
    // The writer kept going through and after the snapshot.
    await writes(written + 2);
    stop = true;
    await writer;

    expect(path.basename(backup.dir)).toMatch(/^cau-noi-\d{8}-\d{6}$/);
    expect(checkBackup(backup.dir).problems).toEqual([]);
    const sha256 = createHash("sha256").update(pdf).digest("hex");
    expect(backup.manifest.files).toContainEqual({ path: `attachments/${sha256.slice(0, 2)}/${sha256}`, size: pdf.length, sha256 });

    const fresh = path.join(dir, "fresh");
    const freshUrl = await targetDatabase(fresh);
    const restored = await restoreBackup({ from: backup.dir, databaseUrl: freshUrl, dataDir: path.join(fresh, "data"), lookupHmacKey });
    expect(restored.brokenHistories).toEqual([]);
    // Everything committed before the backup began is in it (1 case with its file + the writer's first ones).
    expect(restored.cases).toBeGreaterThanOrEqual(1 + committedBefore);
    expect(restored.cases).toBeLessThanOrEqual(1 + written);

    // The restored install serves the case and its file.
    const again = await startTestServer({ DATABASE_URL: freshUrl, DATA_DIR: path.join(fresh, "data") });
    try {
      const detail = await http<{ id: string; state: string }>(again.url, "GET", `/cases/${caseId}`, { token });
      expect(detail.status).toBe(200);
      expect(detail.body).toMatchObject({ id: caseId, state: "classified" });
      const file = await fetch(`${again.url}/api/cases/${caseId}/attachments/${attachment.id}`, { headers: { authorization: `Bearer ${token}` } });
      expect(file.status).toBe(200);
      expect(Buffer.from(await file.arrayBuffer()).equals(pdf)).toBe(true);
      const verified = await http<{ ok: boolean }>(again.url, "GET", `/cases/${caseId}/verify`, { token: leaderToken });
      expect(verified.body).toMatchObject({ ok: true });
      const integrity = await http<{ checked: number; damaged: unknown[] }>(again.url, "GET", "/cases-integrity", { token: leaderToken });
      expect(integrity.body).toEqual({ checked: restored.cases, damaged: [] });
    } finally {
      await again.close();
    }
  });

  it("leaves out a key file configured elsewhere in the data directory (SERVER_KEY_FILE), not only keys/ (second review)", async () => {
    const keyFile = path.join(server.dataDir, "rieng", "server.key");
    fs.mkdirSync(path.dirname(keyFile), { recursive: true });
    fs.writeFileSync(keyFile, "khoa-bi-mat-thu", { mode: 0o600 });
    const backupRoot = path.join(dir, "backups-keyfile");
    const kept = await createBackup({ databaseUrl: server.databaseUrl, dataDir: server.dataDir, root: backupRoot, keyFiles: [keyFile] });
    expect(kept.manifest.files.map((file) => file.path)).not.toContain(path.join("rieng", "server.key"));
    expect(fs.existsSync(path.join(kept.dir, "files", "rieng", "server.key"))).toBe(false);
    fs.rmSync(path.dirname(keyFile), { recursive: true, force: true });
  });

  it("links unchanged files from the previous backup, and refuses a damaged backup or an occupied install", async () => {
    const root = path.join(dir, "backups");
    const second = await createBackup({ databaseUrl: server.databaseUrl, dataDir: server.dataDir, root });
    expect(second.manifest.files.length).toBeGreaterThan(0);
    expect(second.reused).toBe(second.manifest.files.length);

    const target = { databaseUrl: await targetDatabase(path.join(dir, "other")), dataDir: path.join(dir, "other", "data"), lookupHmacKey };
    const snapshot = path.join(second.dir, second.manifest.database.path);
    const original = fs.readFileSync(snapshot);
    const damaged = Buffer.from(original);
    damaged[damaged.length - 1] = damaged[damaged.length - 1]! ^ 0xff;
    fs.writeFileSync(snapshot, damaged);
    await expect(restoreBackup({ from: second.dir, ...target })).rejects.toThrow(postgresPass ? /database\.pgdump: SHA-256 differs/ : /database\.sqlite: SHA-256 differs/);
    expect(fs.existsSync(path.join(dir, "other"))).toBe(false);
    fs.writeFileSync(snapshot, original);

    fs.mkdirSync(target.dataDir, { recursive: true });
    fs.writeFileSync(path.join(target.dataDir, "left-over.txt"), "x");
    await expect(restoreBackup({ from: second.dir, ...target })).rejects.toBeInstanceOf(RestoreError);
  });
});
