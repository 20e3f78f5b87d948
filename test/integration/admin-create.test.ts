import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../../signaling/auth/passwords";
import { createDb, type Db } from "../../signaling/db/client";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

const root = path.resolve(import.meta.dirname, "../..");
const PASSWORD = "mat-khau-quan-tri-that-dai-2026";

let dir: string;
let databaseUrl: string;
let db: Db;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run admin:create` as an operator runs it: a child process with its own environment and stdin. */
function adminCreate(env: Record<string, string>, stdin = ""): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/admin-create.ts"], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", JWT_SECRET: "x".repeat(48), DATABASE_URL: databaseUrl, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const fromEnv = (overrides: Record<string, string> = {}) => ({
  CAU_NOI_ADMIN_USERNAME: "quantri",
  CAU_NOI_ADMIN_NAME: "Quản trị hệ thống",
  CAU_NOI_ADMIN_UNIT: "hn",
  CAU_NOI_ADMIN_UNIT_NAME: "UBND thành phố Hà Nội",
  CAU_NOI_ADMIN_PASSWORD: PASSWORD,
  ...overrides,
});

let database: TestDatabase;

beforeAll(async () => {
  // The template is migrated and empty: exactly a fresh production database.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-admin-create-"));
  database = await createTestDatabase(dir, "db.sqlite");
  databaseUrl = database.url;
  db = createDb(databaseUrl);
});

afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

// Each case starts tsx child processes and hashes at scrypt N = 2^17: generous limits for a busy machine.
describe("npm run admin:create (issue 11 item 9)", { timeout: 240_000 }, () => {
  it("refuses a weak password and a bad username, naming the rule and never echoing the password", async () => {
    const weak = await adminCreate(fromEnv({ CAU_NOI_ADMIN_PASSWORD: "ngan-qua" }));
    expect(weak.status).toBe(2);
    expect(weak.stderr).toMatch(/password: at least 10 characters/);
    expect(weak.stdout + weak.stderr).not.toContain("ngan-qua");
    const badName = await adminCreate(fromEnv({ CAU_NOI_ADMIN_USERNAME: "Quản Trị!" }));
    expect(badName.status).toBe(2);
    expect(badName.stderr).toMatch(/username: 3–40 lowercase letters/);
    const missing = await adminCreate(fromEnv({ CAU_NOI_ADMIN_PASSWORD: "" }));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("CAU_NOI_ADMIN_PASSWORD is not set");
    expect(await db.user.count()).toBe(0);
    expect(await db.unit.count()).toBe(0);
  });

  it("from the environment, creates the top unit of an empty tree and its administrator, audited", async () => {
    const run = await adminCreate(fromEnv());
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("quantri");
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);

    const unit = await db.unit.findUniqueOrThrow({ where: { code: "HN" } });
    expect(unit).toMatchObject({ name: "UBND thành phố Hà Nội", kind: "province", parentId: null, path: `/${unit.id}/`, active: true });
    const user = await db.user.findUniqueOrThrow({ where: { username: "quantri" }, include: { roles: true } });
    expect(user).toMatchObject({ displayName: "Quản trị hệ thống", unitId: unit.id, active: true });
    expect(user.roles.map((role) => role.role)).toEqual(["admin"]);
    expect(await verifyPassword(PASSWORD, user.passwordHash)).toBe(true);

    const audit = await db.auditLog.findMany({ orderBy: { at: "asc" } });
    expect(audit.map((row) => [row.action, row.subjectId])).toEqual([
      ["unit.create", unit.id],
      ["user.create", user.id],
    ]);
    expect(audit.map((row) => row.detail).join()).not.toContain(PASSWORD);
  });

  it("refuses a username that exists and changes nothing", async () => {
    const before = await db.user.findUniqueOrThrow({ where: { username: "quantri" } });
    const run = await adminCreate(fromEnv({ CAU_NOI_ADMIN_PASSWORD: "mot-mat-khau-khac-hoan-toan" }));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("already exists");
    expect((await db.user.findUniqueOrThrow({ where: { username: "quantri" } })).passwordHash).toBe(before.passwordHash);
    expect(await db.auditLog.count()).toBe(2);
  });

  it("asks when run by hand: attaches to an existing unit, and refuses two passwords that differ", async () => {
    const differ = await adminCreate({}, ["quantri2", "Quản trị hai", "HN", PASSWORD, `${PASSWORD}x`, ""].join("\n"));
    expect(differ.status).toBe(2);
    expect(differ.stderr).toContain("the two passwords differ");
    expect(await db.user.findUnique({ where: { username: "quantri2" } })).toBeNull();

    const unknownUnit = await adminCreate({}, ["quantri2", "Quản trị hai", "KHONG-CO", PASSWORD, PASSWORD, ""].join("\n"));
    expect(unknownUnit.status).toBe(2);
    expect(unknownUnit.stderr).toContain("no active unit with code KHONG-CO");

    const run = await adminCreate({}, ["quantri2", "Quản trị hai", "hn", PASSWORD, PASSWORD, ""].join("\n"));
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("Mật khẩu");
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    const user = await db.user.findUniqueOrThrow({ where: { username: "quantri2" }, include: { unit: true } });
    expect(user.unit.code).toBe("HN");
    expect(await db.unit.count()).toBe(1);
    expect(await db.auditLog.count({ where: { action: "user.create", subjectId: user.id } })).toBe(1);
  });
});
