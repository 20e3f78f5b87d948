#!/usr/bin/env node
// `npm run bundle`: the release an IT officer carries to a server without internet (README › Production ›
// Install on a server). Run it on a machine with the npm registry, of the same Debian release and
// architecture as the server (the mediasoup worker and libsql are native code). `prebundle` runs the
// set-up first (npm ci, the mediasoup worker, the Prisma client, the web client).
//
//   node scripts/bundle.mjs [--out-dir <dir>]      → <dir>/cau-noi-<version>-linux-x64.tar.gz (+ .sha256)
//
// The archive holds one folder, cau-noi-<version>/, with:
//   build/            the server compiled here, from the sources below (never a build/ lying around)
//   client/dist/      the web client (reused when its stamp says it is current, else built)
//   node_modules/     the production dependencies only (the lockfile's non-dev packages, what
//                     `npm ls --omit=dev` lists), with the locally built mediasoup worker and libsql's binary
//   signaling/ sfu/ scripts/ prisma/ prisma.config.ts tsconfig.json
//                     sources the operator commands run through tsx (admin:create, backup, restore, …),
//                     the schema and every migration
//   deploy/ package.json package-lock.json README.md INSTALL.md (README's install section)
//   RELEASE           version, commit, build machine, Node and mediasoup versions
//   DEBIAN-PACKAGES   Debian packages the server needs at run time (ffmpeg, fonts, and the libraries the
//                     native code was linked against here, found with ldd + dpkg -S)
//   MANIFEST          SHA-256 of every file, in `sha256sum -c` format (written last)
// What it cannot carry: Node.js itself and the Debian packages (README says how to fetch them).
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildWebClient, webClientIsFresh } from "./lib/webClient.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const started = Date.now();

class BundleError extends Error {}

function option(name) {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function run(command, argv, options = {}) {
  const result = spawnSync(command, argv, { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) throw new BundleError(`${command}: ${result.error.message}`);
  if (result.status !== 0) {
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n").slice(-30).join("\n");
    throw new BundleError(`${command} ${argv.join(" ")} exited with ${result.status}\n${output}`);
  }
  return result.stdout ?? "";
}

function note(message) {
  console.log(`[bundle] ${message} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const platform = `${process.platform}-${process.arch}`;
const releaseName = `${pkg.name}-${pkg.version}`;
const outDir = path.resolve(option("--out-dir") ?? path.join(root, "dist"));
const tarball = path.join(outDir, `${releaseName}-${platform}.tar.gz`);

/** Operator commands that work in the release; the others (demo, test, dev, build, …) need the dev tools. */
const RELEASE_SCRIPTS = ["prestart", "start", "admin:create", "backup", "restore", "retention", "verify:history", "tls:init"];
/** Files of the operator scripts and their helpers that ship (README › Production lists the commands). */
const RELEASE_SCRIPT_FILES = ["admin-create.ts", "backup.ts", "restore.ts", "retention.ts", "verify-history.ts", "tls-init.ts", "build-server.mjs"];
/** Needed at run time but not linked: recording and documents with Vietnamese text. */
const RUNTIME_DEBIAN_PACKAGES = ["ffmpeg", "fonts-noto-core"];
const WORKER = path.join("node_modules", "mediasoup", "worker", "out", "Release", "mediasoup-worker");

function checkPrerequisites() {
  if (process.platform !== "linux") throw new BundleError(`a release is made on the server's platform (Linux), not ${process.platform}`);
  const missing = [
    ["node_modules", "npm dependencies"],
    [WORKER, "the mediasoup worker"],
    [path.join("signaling", "db", "generated", "client.ts"), "the Prisma client"],
    [path.join("signaling", "db", "generated-pg", "client.ts"), "the Prisma client for PostgreSQL"],
  ].filter(([file]) => !fs.existsSync(path.join(root, file)));
  if (missing.length > 0) {
    throw new BundleError(`missing ${missing.map(([, what]) => what).join(", ")}: run \`npm run setup\` first (npm run bundle does it as prebundle)`);
  }
}

/**
 * Copies files or folders keeping their modification times (npm's prestart compares the sources' times
 * with build/'s) and symlinks as written (node_modules/.bin links are relative; a resolved absolute link
 * would point back at this checkout).
 */
function copy(relative, staging, filter = () => true) {
  const from = path.join(root, relative);
  if (!fs.existsSync(from)) throw new BundleError(`${relative} is missing`);
  fs.cpSync(from, path.join(staging, relative), { recursive: true, preserveTimestamps: true, verbatimSymlinks: true, filter: (source) => filter(source) });
}

/**
 * The production dependency tree: every package-lock entry npm does not mark `dev` (exactly what
 * `npm ci --omit=dev` installs and `npm ls --omit=dev` lists) that is installed here. Each package is
 * copied without its own nested node_modules, which are entries of their own.
 */
function copyProductionModules(staging) {
  const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8"));
  const installed = Object.entries(lock.packages ?? {}).filter(([location, entry]) => location.startsWith("node_modules/") && !entry.dev && fs.existsSync(path.join(root, location)));
  for (const [location] of installed) {
    const nested = path.join(root, location, "node_modules");
    copy(location, staging, (source) => source !== nested && !source.startsWith(`${nested}${path.sep}`));
  }
  // Command links (node_modules/.bin/prisma, tsx, …) whose package shipped.
  const binDir = path.join(root, "node_modules", ".bin");
  fs.mkdirSync(path.join(staging, "node_modules", ".bin"), { recursive: true });
  for (const name of fs.readdirSync(binDir)) {
    const link = path.join(binDir, name);
    if (!fs.lstatSync(link).isSymbolicLink()) continue;
    const target = path.resolve(binDir, fs.readlinkSync(link));
    if (fs.existsSync(path.join(staging, path.relative(root, target)))) copy(path.join("node_modules", ".bin", name), staging);
  }
  return installed.length;
}

/** Debian packages owning the shared libraries the native code links to (ldd, then dpkg -S). */
function linkedDebianPackages(staging) {
  const natives = [path.join(staging, WORKER), ...fs.readdirSync(path.join(staging, "node_modules"), { recursive: true }).filter((file) => file.endsWith(".node")).map((file) => path.join(staging, "node_modules", file))];
  const libraries = new Set();
  for (const file of natives) {
    const ldd = spawnSync("ldd", [file], { encoding: "utf8" });
    // A binary for another libc (libsql ships a musl build too) is not for this server: skip what ldd cannot read.
    if (ldd.status !== 0 || /not a dynamic executable/.test(ldd.stdout + ldd.stderr)) continue;
    for (const match of ldd.stdout.matchAll(/=>\s+(\/\S+)/g)) libraries.add(match[1]);
    if (/=> not found/.test(ldd.stdout) && !file.includes("musl")) throw new BundleError(`${path.relative(staging, file)} needs a library this machine lacks:\n${ldd.stdout}`);
  }
  const packages = new Set();
  for (const library of libraries) {
    for (const candidate of [library, `/usr${library}`, fs.realpathSync(library)]) {
      const owner = spawnSync("dpkg", ["-S", candidate], { encoding: "utf8" });
      if (owner.status === 0) {
        packages.add(owner.stdout.split(":")[0]);
        break;
      }
    }
  }
  return [...packages].sort();
}

/** README's "Install on a server" section, for reading on the server without the rest. */
function installSection() {
  const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
  const start = readme.indexOf("\n### Install on a server");
  if (start < 0) throw new BundleError('README.md has no "### Install on a server" section');
  const end = readme.indexOf("\n### ", start + 1);
  return `# ${pkg.name} ${pkg.version} — Install on a server\n\n(From README.md › Production; the whole README is beside this file.)\n${readme.slice(start + "\n### Install on a server".length, end < 0 ? undefined : end).trimEnd()}\n`;
}

function gitCommit() {
  const head = spawnSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8" });
  if (head.status !== 0) return "unknown (not a git checkout)";
  const dirty = spawnSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: root, encoding: "utf8" }).stdout.trim() !== "";
  return `${head.stdout.trim()}${dirty ? " (with uncommitted changes)" : ""}`;
}

function osRelease() {
  try {
    return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(fs.readFileSync("/etc/os-release", "utf8"))?.[1] ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** `sha256sum -c MANIFEST` on the server checks every regular file (links are checked through their target). */
function writeManifest(releaseDir) {
  const lines = [];
  for (const relative of fs.readdirSync(releaseDir, { recursive: true }).sort()) {
    const file = path.join(releaseDir, relative);
    if (!fs.lstatSync(file).isFile()) continue;
    lines.push(`${createHash("sha256").update(fs.readFileSync(file)).digest("hex")}  ${relative}`);
  }
  fs.writeFileSync(path.join(releaseDir, "MANIFEST"), `${lines.join("\n")}\n`);
  return lines.length;
}

function bundle() {
  checkPrerequisites();
  fs.mkdirSync(outDir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(outDir, ".staging-"));
  const releaseDir = path.join(staging, releaseName);
  try {
    fs.mkdirSync(releaseDir);
    if (webClientIsFresh(root)) note("web client: up to date, reused");
    else {
      buildWebClient(root);
      note("web client: built");
    }
    // Sources first, then the server compiled from them: build/ is newer than every source, as prestart checks.
    for (const item of ["signaling", "sfu", "deploy", "client/dist", "prisma/schema.prisma", "prisma/migrations", "prisma/pg", "prisma/adapter-fixes.ts", "prisma.config.ts", "prisma.pg.config.ts", "tsconfig.json", "package-lock.json", "README.md"]) {
      copy(item, releaseDir);
    }
    for (const file of RELEASE_SCRIPT_FILES) copy(path.join("scripts", file), releaseDir);
    run(process.execPath, [path.join(root, "scripts", "build-server.mjs"), "--out", path.join(releaseDir, "build")]);
    note("server compiled into build/");
    const packages = copyProductionModules(releaseDir);
    note(`node_modules: ${packages} production packages`);

    const scripts = Object.fromEntries(RELEASE_SCRIPTS.filter((name) => pkg.scripts?.[name]).map((name) => [name, pkg.scripts[name]]));
    fs.writeFileSync(path.join(releaseDir, "package.json"), `${JSON.stringify({ ...pkg, scripts }, null, 2)}\n`);
    fs.writeFileSync(path.join(releaseDir, "INSTALL.md"), installSection());
    const debianPackages = [...RUNTIME_DEBIAN_PACKAGES, ...linkedDebianPackages(releaseDir)];
    fs.writeFileSync(path.join(releaseDir, "DEBIAN-PACKAGES"), `${debianPackages.join("\n")}\n`);
    const mediasoupVersion = JSON.parse(fs.readFileSync(path.join(root, "node_modules", "mediasoup", "package.json"), "utf8")).version;
    fs.writeFileSync(
      path.join(releaseDir, "RELEASE"),
      [
        `name: ${pkg.name}`,
        `version: ${pkg.version}`,
        `platform: ${platform}`,
        `commit: ${gitCommit()}`,
        `built: ${new Date().toISOString()} on ${osRelease()} (${os.hostname()})`,
        `node: ${process.versions.node} (the server needs ${pkg.engines?.node ?? "Node.js 20"})`,
        `mediasoup: ${mediasoupVersion} (worker built on this machine)`,
        "",
      ].join("\n"),
    );
    const files = writeManifest(releaseDir);
    note(`MANIFEST: ${files} files`);

    // Owner root in the archive: unpacked as root, the service user can read it and not change it.
    const partial = `${tarball}.${randomBytes(4).toString("hex")}.partial`;
    run("tar", ["--sort=name", "--owner=0", "--group=0", "--numeric-owner", "-C", staging, "-czf", partial, releaseName]);
    fs.renameSync(partial, tarball);
    const digest = createHash("sha256").update(fs.readFileSync(tarball)).digest("hex");
    fs.writeFileSync(`${tarball}.sha256`, `${digest}  ${path.basename(tarball)}\n`);
    const megabytes = (fs.statSync(tarball).size / 1024 / 1024).toFixed(0);
    const shown = path.relative(process.cwd(), tarball);
    note(`${shown.startsWith("..") ? tarball : shown}: ${megabytes} MB, sha256 ${digest}`);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

try {
  bundle();
  console.log(`Mang theo / take along: ${path.basename(tarball)} (+ .sha256), Node.js ${pkg.engines?.node ?? "20"} and the Debian packages in DEBIAN-PACKAGES (README › Install on a server).`);
} catch (error) {
  console.error(`[bundle] failed: ${error instanceof BundleError ? error.message : (error?.stack ?? error)}`);
  process.exit(1);
}
