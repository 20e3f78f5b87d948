import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { CitizenSecrets } from "../auth/citizenSecrets";
import { CaseService } from "../services/cases/cases";
import { createDb, isPostgresUrl } from "../db/client";

/**
 * Backups of one install: a consistent snapshot of the SQLite database (`VACUUM INTO`, which reads one
 * transaction's view while the server keeps writing) and a copy of the data directory (attachments,
 * recordings), in a dated folder with a manifest of sizes and SHA-256 sums.
 *
 * Order matters: the database first, then the files. Files are written before the rows that name them
 * (see storeFileByContent), so every row in the snapshot finds its file in the copy; a file newer than
 * the snapshot is an orphan that the server's start-up sweep removes after a restore.
 *
 * Files are incremental across backups in the same folder: a file whose path, size and sum match the
 * previous backup's is hard-linked, not copied (attachments are content-addressed, so that is most).
 *
 * PostgreSQL mode (DATABASE_URL=postgresql://…): the snapshot is `pg_dump --format=custom` (one
 * repeatable-read transaction, so also consistent while the server writes) and restore is `pg_restore`
 * into an empty database; the manifest, the sums and the history check are the same.
 */
export const MANIFEST = "manifest.json";
const DATABASE = "database.sqlite";
const PG_DUMP_FILE = "database.pgdump";
const FILES = "files";

const entrySchema = z.object({ path: z.string().min(1), size: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) });
const manifestSchema = z.object({
  format: z.literal("cau-noi-backup/1"),
  createdAt: z.string(),
  version: z.string(),
  /** Absent in backups made before PostgreSQL mode: SQLite. */
  engine: z.enum(["sqlite", "postgresql"]).optional(),
  database: entrySchema,
  files: z.array(entrySchema),
});
export type BackupManifest = z.infer<typeof manifestSchema>;
type Entry = z.infer<typeof entrySchema>;

/** The database file a `file:` URL names. */
export function databaseFileOf(url: string): string {
  if (!url.startsWith("file:")) throw new Error("backups support SQLite (file:) and PostgreSQL (postgresql://) databases only");
  return path.resolve(url.slice("file:".length).split("?")[0]!);
}

/**
 * A PostgreSQL client program (pg_dump, pg_restore): from PG_BIN_DIR when set, else PostgreSQL 15's
 * Debian directory when present (the server's version), else the PATH.
 */
function pgProgram(name: string): string {
  const dir = process.env.PG_BIN_DIR ?? "/usr/lib/postgresql/15/bin";
  const candidate = path.join(dir, name);
  return fs.existsSync(candidate) ? candidate : name;
}

/** Runs a PostgreSQL client program; its stderr becomes the error message. */
function runPg(name: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(pgProgram(name), args, { maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`${name} failed: ${stderr.trim() || error.message}`));
      else resolve();
    });
  });
}

/** libpq does not know Prisma's `?schema=` parameter: drop query parameters it would refuse. */
function libpqUrl(url: string): string {
  const u = new URL(url);
  u.searchParams.delete("schema");
  u.searchParams.delete("connection_limit");
  return u.toString();
}

function sha256Of(file: string): string {
  const hash = createHash("sha256");
  const fd = fs.openSync(file, "r");
  try {
    const buffer = Buffer.alloc(1024 * 1024);
    for (let read = fs.readSync(fd, buffer); read > 0; read = fs.readSync(fd, buffer)) hash.update(buffer.subarray(0, read));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest("hex");
}

/** Relative paths (with "/") of the regular files under `root`, sorted. */
function listFiles(root: string, skip: (absolute: string) => boolean): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    for (const entry of entries) {
      const absolute = path.join(dir, entry.name);
      if (skip(absolute)) continue;
      if (entry.isDirectory()) walk(absolute);
      else if (entry.isFile()) found.push(path.relative(root, absolute).split(path.sep).join("/"));
    }
  };
  walk(root);
  return found.sort();
}

const stamp = (date: Date) => date.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);

function previousManifest(root: string, except: string): { dir: string; byPath: Map<string, Entry> } | undefined {
  const candidates = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((name) => name.startsWith("cau-noi-") && path.join(root, name) !== except && fs.existsSync(path.join(root, name, MANIFEST)))
        .sort()
    : [];
  const last = candidates.at(-1);
  if (!last) return undefined;
  const parsed = manifestSchema.safeParse(JSON.parse(fs.readFileSync(path.join(root, last, MANIFEST), "utf8")));
  if (!parsed.success) return undefined;
  return { dir: path.join(root, last), byPath: new Map(parsed.data.files.map((entry) => [entry.path, entry])) };
}

export interface BackupResult {
  dir: string;
  manifest: BackupManifest;
  /** Files hard-linked from the previous backup instead of copied. */
  reused: number;
}

/** Writes `<root>/cau-noi-<UTC date-time>/` with the snapshot, the files and the manifest (written last). */
export async function createBackup(options: {
  databaseUrl: string;
  dataDir: string;
  root: string;
  version?: string;
  now?: Date;
  /** The configured key files (SERVER_KEY_FILE, SIGNING_KEY_FILE…), left out wherever they are in the data directory. */
  keyFiles?: readonly string[];
}): Promise<BackupResult> {
  const postgres = isPostgresUrl(options.databaseUrl);
  const databaseFile = postgres ? undefined : databaseFileOf(options.databaseUrl);
  const now = options.now ?? new Date();
  let dir = path.join(path.resolve(options.root), `cau-noi-${stamp(now)}`);
  for (let n = 2; fs.existsSync(dir); n++) dir = path.join(path.resolve(options.root), `cau-noi-${stamp(now)}-${n}`);
  fs.mkdirSync(path.join(dir, FILES), { recursive: true, mode: 0o700 });

  const snapshot = path.join(dir, postgres ? PG_DUMP_FILE : DATABASE);
  if (postgres) {
    // One repeatable-read snapshot of the whole database (schemas "public" and "search"), writers not
    // blocked; custom format: compressed, and pg_restore can check and replay it. No owners or grants,
    // so it restores under whichever role runs the restore.
    await runPg("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", `--file=${snapshot}`, `--dbname=${libpqUrl(options.databaseUrl)}`]);
  } else {
    const db = createDb(options.databaseUrl);
    try {
      // One read transaction's consistent view, written as a compact new database; writers are not blocked.
      await db.$executeRawUnsafe("VACUUM INTO ?", snapshot);
    } finally {
      await db.$disconnect();
    }
  }

  const dataDir = path.resolve(options.dataDir);
  // The live database (and its log) when it lives inside the data directory, and unfinished uploads.
  const live = new Set(databaseFile ? [databaseFile, `${databaseFile}-wal`, `${databaseFile}-shm`, `${databaseFile}-journal`] : []);
  // The key that seals stored secrets stays out — keys/server.key, and an earlier version's keys/signing.key
  // and secrets.key: a backup carries the sealed secrets (certificate passwords, the SMTP password), so it
  // must not carry their key too (README › Production › Server key says to keep a copy apart).
  const keys = path.join(dataDir, "keys");
  const secretsKey = path.join(dataDir, "secrets.key");
  const keyFiles = new Set([secretsKey, ...(options.keyFiles ?? []).map((file) => path.resolve(file))]);
  const skip = (absolute: string) =>
    live.has(absolute) || absolute.endsWith(".tmp") || absolute === path.resolve(options.root) || absolute === keys || absolute.startsWith(`${keys}${path.sep}`) || keyFiles.has(absolute);
  const previous = previousManifest(path.resolve(options.root), dir);
  const files: Entry[] = [];
  let reused = 0;
  for (const relative of listFiles(dataDir, skip)) {
    const source = path.join(dataDir, relative);
    const target = path.join(dir, FILES, relative);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const size = fs.statSync(source).size;
    const before = previous?.byPath.get(relative);
    if (before && before.size === size && sha256Of(source) === before.sha256) {
      try {
        fs.linkSync(path.join(previous!.dir, FILES, relative), target);
        files.push(before);
        reused++;
        continue;
      } catch {
        // Another file system, or the previous copy is gone: copy instead.
      }
    }
    fs.copyFileSync(source, target);
    // The copy is what was saved: sum the copy, so a file still being written is described as it was copied.
    files.push({ path: relative, size: fs.statSync(target).size, sha256: sha256Of(target) });
  }

  const manifest: BackupManifest = {
    format: "cau-noi-backup/1",
    createdAt: now.toISOString(),
    version: options.version ?? "dev",
    engine: postgres ? "postgresql" : "sqlite",
    database: { path: path.basename(snapshot), size: fs.statSync(snapshot).size, sha256: sha256Of(snapshot) },
    files,
  };
  fs.writeFileSync(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir, manifest, reused };
}

export class RestoreError extends Error {
  constructor(readonly problems: string[]) {
    super(`restore refused:\n  ${problems.join("\n  ")}`);
    this.name = "RestoreError";
  }
}

/** Checks every sum in a backup; the problems found (empty when intact). */
export function checkBackup(dir: string): { manifest?: BackupManifest; problems: string[] } {
  const manifestFile = path.join(dir, MANIFEST);
  if (!fs.existsSync(manifestFile)) return { problems: [`${manifestFile} missing: not a backup, or an unfinished one`] };
  const parsed = manifestSchema.safeParse(JSON.parse(fs.readFileSync(manifestFile, "utf8")));
  if (!parsed.success) return { problems: [`${manifestFile} is not a valid manifest`] };
  const manifest = parsed.data;
  const problems: string[] = [];
  const check = (entry: Entry, file: string) => {
    if (path.relative(dir, file).startsWith("..")) return problems.push(`${entry.path}: outside the backup`);
    if (!fs.existsSync(file)) return problems.push(`${entry.path}: missing`);
    if (fs.statSync(file).size !== entry.size) return problems.push(`${entry.path}: size differs`);
    if (sha256Of(file) !== entry.sha256) return problems.push(`${entry.path}: SHA-256 differs`);
    return undefined;
  };
  check(manifest.database, path.join(dir, manifest.database.path));
  for (const entry of manifest.files) check(entry, path.join(dir, FILES, entry.path));
  return { manifest, problems };
}

export interface RestoreResult {
  files: number;
  cases: number;
  /** Case codes whose history hash chain does not verify (empty after a good restore). */
  brokenHistories: string[];
}

/**
 * Restores a checked backup into an empty install (no database file, or on PostgreSQL an existing
 * database without tables; empty or absent data directory), then verifies every case's history hash
 * chain on the restored database.
 */
export async function restoreBackup(options: { from: string; databaseUrl: string; dataDir: string; lookupHmacKey: string }): Promise<RestoreResult> {
  const { manifest, problems } = checkBackup(options.from);
  if (!manifest || problems.length > 0) throw new RestoreError(problems);
  const postgres = isPostgresUrl(options.databaseUrl);
  const engine = manifest.engine ?? "sqlite";
  if (engine !== (postgres ? "postgresql" : "sqlite")) {
    throw new RestoreError([`the backup is of a ${engine} database; DATABASE_URL names a ${postgres ? "postgresql" : "sqlite"} one`]);
  }
  const databaseFile = postgres ? undefined : databaseFileOf(options.databaseUrl);
  const dataDir = path.resolve(options.dataDir);
  const occupied: string[] = [];
  if (databaseFile && fs.existsSync(databaseFile)) occupied.push(`${databaseFile} exists`);
  if (postgres) {
    const tables = await countPgTables(options.databaseUrl);
    if (tables > 0) occupied.push(`the database has ${tables} tables`);
  }
  const inDataDir = listFiles(dataDir, () => false);
  if (inDataDir.length > 0) occupied.push(`${dataDir} is not empty (${inDataDir.length} files)`);
  if (occupied.length > 0) throw new RestoreError([...occupied, "restore only into an empty install: move the current one away first"]);

  if (databaseFile) {
    fs.mkdirSync(path.dirname(databaseFile), { recursive: true });
    fs.copyFileSync(path.join(options.from, manifest.database.path), databaseFile);
  } else {
    // One transaction: a dump that fails half-way leaves the database empty, not half restored.
    await runPg("pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", `--dbname=${libpqUrl(options.databaseUrl)}`, path.join(options.from, manifest.database.path)]);
  }
  for (const entry of manifest.files) {
    const target = path.join(dataDir, entry.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(options.from, FILES, entry.path), target);
  }

  const db = createDb(options.databaseUrl);
  try {
    // PostgreSQL checked the dump as pg_restore replayed it (types, keys, constraints); SQLite's file is checked here.
    if (!postgres) {
      const [integrity] = await db.$queryRawUnsafe<{ integrity_check: string }[]>("PRAGMA integrity_check");
      if (integrity?.integrity_check !== "ok") throw new RestoreError([`restored database fails integrity_check: ${integrity?.integrity_check}`]);
    }
    const service = new CaseService(db, new CitizenSecrets(options.lookupHmacKey));
    const cases = await db.case.findMany({ select: { id: true, code: true }, orderBy: { code: "asc" } });
    const brokenHistories: string[] = [];
    for (const item of cases) if (!(await service.verifyStored(item.id)).ok) brokenHistories.push(item.code);
    return { files: manifest.files.length, cases: cases.length, brokenHistories };
  } finally {
    await db.$disconnect();
  }
}

/** Tables in a PostgreSQL database's own schemas (0 for a new, empty database). */
async function countPgTables(databaseUrl: string): Promise<number> {
  const db = createDb(databaseUrl);
  try {
    const [row] = await db.$queryRawUnsafe<{ n: number | bigint }[]>(
      "SELECT COUNT(*) AS n FROM pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
    );
    return Number(row?.n ?? 0);
  } finally {
    await db.$disconnect();
  }
}
