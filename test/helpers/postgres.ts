import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "../../signaling/paths";

/**
 * The PostgreSQL pass of the integration suite (README "PostgreSQL", `npm test` runs it when PostgreSQL 15
 * is installed): a throw-away cluster of the test's own — initdb in a temporary directory, trust on
 * loopback only, its own port and socket directory, nothing system-wide — with one migrated template
 * database; each test file gets its own database copied from it (CREATE DATABASE … TEMPLATE).
 */
const run = promisify(execFile);

export const PG_BIN = process.env.CAU_NOI_PG_BIN ?? "/usr/lib/postgresql/15/bin";
export const PG_TEST_PORT = Number(process.env.CAU_NOI_TEST_PG_PORT ?? 55432);
const USER = "app";
const TEMPLATE = "cau_noi_template";

/** True in the PostgreSQL pass (`CAU_NOI_TEST_DB=postgres`, set by scripts/run-tests.mjs). */
export const postgresPass = process.env.CAU_NOI_TEST_DB === "postgres";

export const pgUrl = (database: string) => `postgresql://${USER}@127.0.0.1:${PG_TEST_PORT}/${database}`;

/** Whether the Debian PostgreSQL 15 server binaries are present (the pass is skipped without them). */
export const postgresInstalled = (): boolean => fs.existsSync(path.join(PG_BIN, "initdb")) && fs.existsSync(path.join(PG_BIN, "pg_ctl"));

/** initdb and postgres refuse to run as root: as root, run them as the `postgres` user. */
function asServerUser(command: string, args: string[]): void {
  if (process.getuid?.() === 0) {
    const quoted = [command, ...args].map((part) => `'${part.replace(/'/g, "'\\''")}'`).join(" ");
    execFileSync("su", ["postgres", "-s", "/bin/sh", "-c", quoted], { stdio: "pipe" });
  } else {
    execFileSync(command, args, { stdio: "pipe" });
  }
}

export async function psql(database: string, sql: string): Promise<string> {
  const { stdout } = await run("psql", ["-h", "127.0.0.1", "-p", String(PG_TEST_PORT), "-U", USER, "-d", database, "-v", "ON_ERROR_STOP=1", "-Atqc", sql], {
    env: { ...process.env, PGCONNECT_TIMEOUT: "10" },
  });
  return stdout.trim();
}

export interface TestCluster {
  dir: string;
  stop(): void;
}

/**
 * Starts the cluster and makes the migrated template (prisma migrate deploy with prisma.pg.config.ts).
 * Called once by the global set-up of the PostgreSQL pass.
 */
export function startTestCluster(): TestCluster {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-pg-"));
  const data = path.join(dir, "data");
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres", dir]);
  asServerUser(path.join(PG_BIN, "initdb"), ["-D", data, "-A", "trust", "-U", USER, "-E", "UTF8", "--no-locale"]);
  // C collation (--no-locale): text sorts by code point, as SQLite's BINARY does.
  asServerUser(path.join(PG_BIN, "pg_ctl"), [
    "-D", data, "-l", path.join(dir, "server.log"), "-w", "-t", "60", "start",
    "-o", `-p ${PG_TEST_PORT} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c full_page_writes=off`,
  ]);
  const stop = () => {
    try {
      asServerUser(path.join(PG_BIN, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    execFileSync("psql", ["-h", "127.0.0.1", "-p", String(PG_TEST_PORT), "-U", USER, "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-qc", `CREATE DATABASE ${TEMPLATE}`]);
    execFileSync(path.join(repoRoot, "node_modules", ".bin", "prisma"), ["migrate", "deploy", "--config", "prisma.pg.config.ts"], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: pgUrl(TEMPLATE) },
      stdio: "pipe",
    });
  } catch (error) {
    stop();
    throw error;
  }
  return { dir, stop };
}

export interface TestPgDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A new database copied from the migrated template: one per test file (or per server). `empty` makes an
 * unmigrated one instead (a restore's target).
 */
export async function createTestPgDatabase(options: { empty?: boolean } = {}): Promise<TestPgDatabase> {
  const name = `t_${process.pid}_${randomBytes(4).toString("hex")}`;
  await psql("postgres", `CREATE DATABASE ${name} TEMPLATE ${options.empty ? "template0" : TEMPLATE}`);
  return {
    url: pgUrl(name),
    drop: async () => {
      await psql("postgres", `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
