#!/usr/bin/env node
// Idempotent set-up shared by `npm run demo` (--seed) and `npm test` (--for-tests): Debian packages,
// npm dependencies, the offline mediasoup worker, the database and the web client. Each step checks a
// stamp first, so a second run takes seconds. Node built-ins only: it runs before node_modules exists.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildWebClient, hashTree, webClientIsFresh } from "./lib/webClient.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = new Set(process.argv.slice(2));
const forTests = args.has("--for-tests");
const seed = args.has("--seed");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const started = Date.now();

const APT_PACKAGES = [
  // mediasoup worker build (scripts/mediasoup-worker/build-mediasoup-worker.sh)
  "meson", "ninja-build", "pkg-config", "g++", "patch", "libssl-dev", "libuv1-dev", "libsrtp2-dev",
  "libusrsctp-dev", "libabsl-dev", "libflatbuffers-dev", "flatbuffers-compiler",
  // browser tests, recording, documents with Vietnamese text
  "chromium", "ffmpeg", "fonts-noto-core", "poppler-utils",
  // TURN relay test (test/e2e/turn-relay.spec.ts starts its own turnserver)
  "coturn",
  // HTTPS e2e (test/e2e/https-trusted-ca.spec.ts): certutil puts the tls:init CA into Chromium's NSS database
  "libnss3-tools",
  // PostgreSQL mode's second test pass (test/helpers/postgres.ts starts a throw-away cluster) and
  // `npm run backup` in PostgreSQL mode (pg_dump/pg_restore)
  "postgresql",
  // Several signaling processes (README › Scaling out): test/helpers/redis.ts starts a throw-away redis-server
  "redis-server",
];

// Later steps must find the real worker binary: `skip` only tells `npm ci` not to download one.
const childEnv = { ...process.env };
if (childEnv.MEDIASOUP_WORKER_BIN === "skip") delete childEnv.MEDIASOUP_WORKER_BIN;

class StepError extends Error {}

function run(command, argv, { env = childEnv, stream = false } = {}) {
  const result = spawnSync(command, argv, { cwd: root, env, stdio: stream ? "inherit" : "pipe", encoding: "utf8" });
  if (result.error) throw new StepError(`${command}: ${result.error.message}`);
  if (result.status !== 0) {
    const output = stream ? "" : `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n").slice(-40).join("\n");
    throw new StepError(`${command} ${argv.join(" ")} exited with ${result.status}${output ? `\n${output}` : ""}`);
  }
  return result.stdout ?? "";
}

function sha256(...parts) {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest("hex");
}

const readStamp = (file) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : "");
const writeStamp = (file, value) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${value}\n`);
};

/** Runs one step and prints its outcome and time; `streams` steps print their own progress lines first. */
async function step(name, action, { streams = false } = {}) {
  const t0 = Date.now();
  process.stdout.write(streams ? `[setup] ${name} …\n` : `[setup] ${name} … `);
  try {
    const note = await action();
    console.log(`${streams ? `[setup] ${name} … ` : ""}${note ?? "ok"} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (error) {
    console.log(`FAILED (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    console.error(`[setup] ${name} failed: ${error instanceof StepError ? error.message : error?.stack ?? error}`);
    process.exit(1);
  }
}

function checkNode() {
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major !== 20 || minor < 19) {
    throw new StepError(`Node.js 20.19 or newer 20.x is required (mediasoup 3.19.3 pins Node 20), found ${process.versions.node}`);
  }
  return `node ${process.versions.node}`;
}

function debianPackages() {
  if (process.env.CAU_NOI_SKIP_APT === "1") return "skipped (CAU_NOI_SKIP_APT=1)";
  const installed = (pkg) =>
    spawnSync("dpkg-query", ["-W", "-f=${Status}", pkg], { encoding: "utf8" }).stdout?.includes("install ok installed");
  if (spawnSync("dpkg-query", ["--version"]).status !== 0) throw new StepError("dpkg-query not found: this set-up targets Debian 12");
  const missing = APT_PACKAGES.filter((pkg) => !installed(pkg));
  if (missing.length === 0) return "all present";
  if (process.getuid?.() !== 0) {
    throw new StepError(`missing Debian packages; install them, then run again:\n  sudo apt-get install -y --no-install-recommends ${missing.join(" ")}`);
  }
  console.log(`installing ${missing.join(" ")}`);
  const env = { ...childEnv, DEBIAN_FRONTEND: "noninteractive" };
  const install = () => spawnSync("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...missing], { env, stdio: "inherit" }).status === 0;
  const lists = fs.existsSync("/var/lib/apt/lists") ? fs.readdirSync("/var/lib/apt/lists") : [];
  const listsEmpty = !lists.some((f) => f.endsWith("_Packages"));
  if (listsEmpty || !install()) {
    run("apt-get", ["update", "-q"], { env, stream: true });
    if (!install()) throw new StepError(`apt-get install ${missing.join(" ")} failed`);
  }
  return `installed ${missing.length}`;
}

function npmDependencies() {
  const stampFile = path.join(root, "node_modules", ".cau-noi-lock.sha256");
  const lockHash = sha256(fs.readFileSync(path.join(root, "package-lock.json")));
  if (fs.existsSync(path.join(root, "node_modules")) && readStamp(stampFile) === lockHash) return "up to date";
  // Any value of MEDIASOUP_WORKER_BIN stops mediasoup's postinstall from downloading a worker (no internet).
  run("npm", ["ci", "--no-audit", "--no-fund"], { env: { ...childEnv, MEDIASOUP_WORKER_BIN: "skip" } });
  writeStamp(stampFile, lockHash);
  return "installed (npm ci)";
}

function mediasoupWorker() {
  // The kit keeps its own stamp and a binary cache in ~/.cache/mediasoup-worker (about 3 minutes cold).
  run("bash", [path.join(root, "scripts", "mediasoup-worker", "build-mediasoup-worker.sh")], { stream: true });
}

/**
 * Both generated clients: SQLite's from prisma/schema.prisma and PostgreSQL's from prisma/pg/schema.prisma
 * (signaling/db/client.ts imports both). A stale PostgreSQL schema stops the set-up: it means a model was
 * added without `node scripts/gen-pg-schema.mjs` and a PostgreSQL migration (README "PostgreSQL").
 */
function prismaClient() {
  run(process.execPath, [path.join(root, "scripts", "gen-pg-schema.mjs"), "--check"]);
  const prismaVersion = JSON.parse(fs.readFileSync(path.join(root, "node_modules", "prisma", "package.json"), "utf8")).version;
  const notes = [];
  for (const [dir, schema, config] of [
    ["generated", "prisma/schema.prisma", "prisma.config.ts"],
    ["generated-pg", "prisma/pg/schema.prisma", "prisma.pg.config.ts"],
  ]) {
    const stampFile = path.join(root, "signaling", "db", dir, ".schema.sha256");
    const expected = sha256(fs.readFileSync(path.join(root, schema)), prismaVersion);
    if (fs.existsSync(path.join(root, "signaling", "db", dir, "client.ts")) && readStamp(stampFile) === expected) continue;
    // prisma.config.ts follows DATABASE_URL's engine, so each generate gets a URL of its own engine;
    // generate never connects.
    const env = { ...childEnv, DATABASE_URL: dir === "generated-pg" ? "postgresql://localhost/unused" : `file:${path.join(root, "data", "unused.db")}` };
    run(bin("prisma"), ["generate", "--config", config], { env });
    writeStamp(stampFile, expected);
    notes.push(dir);
  }
  return notes.length === 0 ? "up to date" : `generated ${notes.join(", ")}`;
}

function migrate(databaseUrl) {
  // A relative file: URL is relative to the working directory of prisma, which is the repo root here.
  if (databaseUrl.startsWith("file:")) fs.mkdirSync(path.dirname(path.resolve(root, databaseUrl.slice("file:".length))), { recursive: true });
  // PostgreSQL mode has its own schema and migrations (prisma/pg): prisma.config.ts follows the URL.
  const output = run(bin("prisma"), ["migrate", "deploy"], { env: { ...childEnv, DATABASE_URL: databaseUrl } });
  return /No pending migrations/.test(output) ? "no pending migrations" : "migrations applied";
}

function testTemplateDatabase() {
  const file = path.join(root, "data", "test", "template.db");
  const stampFile = `${file}.sha256`;
  const expected = hashTree(root, ["prisma/migrations"]);
  if (fs.existsSync(file) && readStamp(stampFile) === expected) return "up to date";
  for (const suffix of ["", "-journal", "-wal", "-shm"]) fs.rmSync(`${file}${suffix}`, { force: true });
  migrate(`file:${file}`);
  writeStamp(stampFile, expected);
  return "created";
}

function clientBuild() {
  if (!fs.existsSync(path.join(root, "client", "vite.config.ts"))) return "skipped (no client yet)";
  if (webClientIsFresh(root)) return "up to date";
  try {
    buildWebClient(root, childEnv);
  } catch (error) {
    throw new StepError(error.message);
  }
  return "built";
}

const defaultDatabaseUrl = `file:${path.join(root, "data", "cau-noi.db")}`;

await step("node", checkNode);
await step("debian packages", debianPackages, { streams: true });
await step("npm dependencies", npmDependencies);
await step("mediasoup worker", mediasoupWorker, { streams: true });
await step("prisma client", prismaClient);
await step("database", () => migrate(childEnv.DATABASE_URL ?? defaultDatabaseUrl));
if (seed) await step("demo data", () => run(bin("tsx"), ["prisma/seed.ts", "--demo"]).trim().split("\n").at(-1));
if (forTests) await step("test database template", testTemplateDatabase);
await step("web client", clientBuild);
console.log(`[setup] ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
