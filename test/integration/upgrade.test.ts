import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createClient, type Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CitizenSecrets } from "../../signaling/auth/citizenSecrets";
import { DEMO_LOOKUP_HMAC_KEY } from "../../signaling/config";
import { createDb, type Db } from "../../signaling/db/client";
import { eventHash, GENESIS } from "../../signaling/domain/cases/hashChain";
import { repoRoot } from "../../signaling/paths";
import type { Actor } from "../../signaling/policies";
import { CaseService } from "../../signaling/services/cases/cases";

/**
 * Upgrading an installed database (issue 16: "upgrading to a new version — migrations run on start"). A
 * database is built the way an earlier build left it — its migrations up to PREVIOUS_BUILD, from the
 * repository's own migration files — and filled through plain SQL of that schema, as that build wrote
 * it: a denunciation whose letter names the denouncer and a complaint, each with its hash-chained
 * history. Then the command the systemd unit runs before every start (`prisma migrate deploy`) brings it
 * to this version, and the start-up backfill runs. The data must come through whole: histories verify,
 * the cases show their duties, search has indexed them (the migrations' backfills), and the protections
 * added since hold for the old rows too.
 */

/**
 * The last migration of the build the test upgrades from: before case search (20261206235000), stored
 * duties (20261207002000) and the search privacy index (20261207050000), whose backfills this exercises.
 */
const PREVIOUS_BUILD = "20261206180000_calendar_day_kind";

const prismaBin = path.join(repoRoot, "node_modules", ".bin", "prisma");
const migrationsDir = path.join(repoRoot, "prisma", "migrations");
let dir: string;
let dbFile: string;
let raw: Client;
let db: Db | undefined;
const ids = { unit: "u-upgrade", leader: "user-upgrade-leader", denunciation: "case-upgrade-1", complaint: "case-upgrade-2" };

function prisma(args: string[]) {
  return execFileSync(prismaBin, args, {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: `file:${dbFile}`, CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** The earlier build's migrations, with a Prisma config of their own (inside the repository, so its imports resolve). */
function previousBuildConfig(): string {
  const names = fs.readdirSync(migrationsDir).filter((name) => /^\d{14}_/.test(name)).sort();
  expect(names, "PREVIOUS_BUILD must name one of the migrations").toContain(PREVIOUS_BUILD);
  const previous = names.slice(0, names.indexOf(PREVIOUS_BUILD) + 1);
  expect(previous.length, "the upgrade must have migrations to apply").toBeLessThan(names.length);
  for (const name of previous) fs.cpSync(path.join(migrationsDir, name), path.join(dir, "migrations", name), { recursive: true });
  fs.copyFileSync(path.join(migrationsDir, "migration_lock.toml"), path.join(dir, "migrations", "migration_lock.toml"));
  const config = path.join(dir, "prisma.config.ts");
  fs.writeFileSync(
    config,
    [
      'import { PrismaLibSQL } from "@prisma/adapter-libsql";',
      'import { defineConfig } from "prisma/config";',
      "export default defineConfig({",
      "  experimental: { adapter: true },",
      '  engine: "js",',
      `  schema: ${JSON.stringify(path.join(repoRoot, "prisma", "schema.prisma"))},`,
      `  migrations: { path: ${JSON.stringify(path.join(dir, "migrations"))} },`,
      "  async adapter() { return new PrismaLibSQL({ url: process.env.DATABASE_URL! }); },",
      "});",
      "",
    ].join("\n"),
  );
  return config;
}

/** A case and its history as the earlier build wrote them: one INSERT per row, the chain computed as it did. */
async function oldCase(input: { id: string; code: string; kind: string; wasDenunciation: boolean; summary: string; content: string; parties: { role: string; name: string; phone?: string }[]; actions: { action: string; from: string | null; to: string; data: Record<string, unknown> }[] }) {
  const now = new Date().toISOString();
  const state = input.actions.at(-1)!.to;
  await raw.execute({
    sql: `INSERT INTO "Case" ("id","code","lookupSecretHash","kind","state","unitId","channel","summary","content","receivedDate","wasDenunciation","createdAt","updatedAt")
          VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    args: [input.id, input.code, "x".repeat(64), input.kind, state, ids.unit, "inPerson", input.summary, input.content, "2026-11-02", input.wasDenunciation ? 1 : 0, now, now],
  });
  for (const [index, party] of input.parties.entries()) {
    await raw.execute({ sql: `INSERT INTO "CaseParty" ("id","caseId","role","name","phone") VALUES (?,?,?,?,?)`, args: [`${input.id}-p${index}`, input.id, party.role, party.name, party.phone ?? null] });
  }
  let previousHash = GENESIS;
  for (const [index, step] of input.actions.entries()) {
    const at = new Date(Date.UTC(2026, 10, 2, 2, index)).toISOString();
    const content = { caseId: input.id, sequence: index + 1, at, actorId: ids.leader, action: step.action, fromState: step.from, toState: step.to, reason: null, data: JSON.stringify(step.data) };
    const hash = eventHash(previousHash, content);
    await raw.execute({
      sql: `INSERT INTO "CaseEvent" ("id","caseId","sequence","at","actorId","action","fromState","toState","reason","data","previousHash","hash") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
      args: [`${input.id}-e${index + 1}`, input.id, content.sequence, at, ids.leader, step.action, step.from, step.to, null, content.data, previousHash, hash],
    });
    previousHash = hash;
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(repoRoot, "data", "test", "upgrade-"));
  dbFile = path.join(dir, "installed.db");
  prisma(["migrate", "deploy", "--config", previousBuildConfig()]);
  raw = createClient({ url: `file:${dbFile}` });
  const now = new Date().toISOString();
  await raw.execute({ sql: `INSERT INTO "Unit" ("id","code","name","kind","path","updatedAt") VALUES (?,?,?,?,?,?)`, args: [ids.unit, "NC", "UBND xã Nâng Cấp", "commune", `/${ids.unit}/`, now] });
  await raw.execute({ sql: `INSERT INTO "User" ("id","username","displayName","passwordHash","unitId","updatedAt") VALUES (?,?,?,?,?,?)`, args: [ids.leader, "upgrade-leader", "Lãnh đạo", "x", ids.unit, now] });
  await raw.execute({ sql: `INSERT INTO "UserRole" ("userId","role") VALUES (?,?)`, args: [ids.leader, "leader"] });
  await oldCase({
    id: ids.denunciation,
    code: "NC-2026-000001",
    kind: "denunciation",
    wasDenunciation: true,
    summary: "Lò Văn Kín tố cáo việc thu tiền sai quy định",
    content: "Tôi là Lò Văn Kín, điện thoại 0988000123, tố cáo việc thu tiền sai quy định ở chợ Phiên.",
    parties: [
      { role: "petitioner", name: "Lò Văn Kín", phone: "0988000123" },
      { role: "respondent", name: "Ban quản lý chợ" },
    ],
    actions: [
      { action: "receive", from: null, to: "received", data: { channel: "inPerson", receivedDate: "2026-11-02", kind: "denunciation" } },
      { action: "classify", from: "received", to: "classified", data: { kind: "denunciation", eligible: true, withinCompetence: true } },
    ],
  });
  await oldCase({
    id: ids.complaint,
    code: "NC-2026-000002",
    kind: "complaint",
    wasDenunciation: false,
    summary: "Khiếu nại quyết định thu hồi đất",
    content: "Khiếu nại quyết định thu hồi đất ở thôn Nà Cọ.",
    parties: [{ role: "petitioner", name: "Hà Thị Mở" }],
    actions: [
      { action: "receive", from: null, to: "received", data: { channel: "inPerson", receivedDate: "2026-11-02", kind: "complaint" } },
      { action: "classify", from: "received", to: "classified", data: { kind: "complaint", eligible: true, withinCompetence: true } },
    ],
  });
  raw.close();

  // The upgrade: what the systemd unit's ExecStartPre runs, then what the server runs at start.
  prisma(["migrate", "deploy"]);
  db = createDb(`file:${dbFile}`);
  await new CaseService(db, new CitizenSecrets(DEMO_LOOKUP_HMAC_KEY)).backfillDuties();
}, 240_000);

afterAll(async () => {
  await db?.$disconnect();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("upgrading a database an earlier build left", () => {
  const leader = (): Actor => ({ id: ids.leader, roles: ["leader"], unitId: ids.unit, unitPath: `/${ids.unit}/` });
  const service = () => new CaseService(db!, new CitizenSecrets(DEMO_LOOKUP_HMAC_KEY));
  const meta = { ip: "127.0.0.1" };

  it("applies every migration of this version, nothing left pending", async () => {
    const applied = await db!.$queryRaw<{ migration_name: string; finished_at: string | null }[]>`SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name`;
    const expected = fs.readdirSync(migrationsDir).filter((name) => /^\d{14}_/.test(name)).sort();
    expect(applied.map((row) => row.migration_name)).toEqual(expected);
    expect(applied.every((row) => row.finished_at !== null)).toBe(true);
    expect(prisma(["migrate", "status"])).toMatch(/up to date/i);
  }, 120_000);

  it("keeps every case and its history, which still verifies", async () => {
    for (const id of [ids.denunciation, ids.complaint]) {
      expect(await service().verifyStored(id), id).toEqual({ ok: true, events: 2 });
    }
    const detail = await service().detail(leader(), ids.complaint, meta);
    expect(detail.content).toBe("Khiếu nại quyết định thu hồi đất ở thôn Nà Cọ.");
    expect(detail.parties.map((party) => party.name)).toEqual(["Hà Thị Mở"]);
  });

  it("gives the old cases the duties of this version (start-up backfill)", async () => {
    const detail = await service().detail(leader(), ids.complaint, meta);
    expect(detail.duties.length).toBeGreaterThan(0);
    expect(detail.deadline.due).not.toBeNull();
  });

  it("indexes the old cases for search, with the denouncer protected as in a new case", async () => {
    const search = async (q: string) => (await service().list(leader(), { q }, { page: 1, pageSize: 10 })).items.map((item) => item.id);
    // A protected case is found by its code and its respondent, never by its letter (which names the denouncer).
    expect(await search("NC-2026-000001")).toEqual([ids.denunciation]);
    expect(await search("ban quan ly cho")).toEqual([ids.denunciation]);
    expect(await search("cho phien")).toEqual([]);
    expect(await search("Hà Thị Mở")).toEqual([ids.complaint]);
    for (const q of ["Lò Văn Kín", "lo van kin", "0988000123"]) expect(await search(q), q).toEqual([]);
    const [row] = (await service().list(leader(), { q: "NC-2026-000001" }, { page: 1, pageSize: 10 })).items;
    expect(row?.summary).not.toContain("Kín");
  });
});
