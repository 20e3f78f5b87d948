import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionResponseSchema, sessionUserSchema } from "../../signaling/protocol";
import { unitCommand, unitValues, waitForOutput } from "../helpers/serviceUnit";

/**
 * Issue 16: a fresh server installed from the release bundle alone, as README › Install on a server
 * does it, with the npm registry unreachable: unpack, the unit's migrate command on an empty data
 * directory, `npm run admin:create`, the unit's start command, /api/health ready, the new administrator
 * signs in. Everything runs from the unpacked folder in a temporary directory, whose parents hold no
 * node_modules, so nothing can come from this checkout.
 *
 * The bundle is made once per run (`node scripts/bundle.mjs`, what `npm run bundle` runs after its set-up,
 * which `npm test`'s pretest has already done): it compiles the server, reuses client/dist when current,
 * and packs about 400 MB of production modules, so this file takes one to three minutes.
 */
const root = path.resolve(import.meta.dirname, "../..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { name: string; version: string };
const tarballName = `${pkg.name}-${pkg.version}-linux-x64.tar.gz`;
const PASSWORD = "mat-khau-quan-tri-may-chu-moi-2026";

interface Run {
  status: number | null;
  output: string;
}

/**
 * The service runs as its own unprivileged user on a release owned by root (README: "the service only
 * reads it"). When the test runs as root, the install's commands run as `nobody` for the same reason; the
 * unpacked files keep the archive's owner, root.
 */
const NOBODY = 65534;
const asServiceUser: { uid?: number; gid?: number } = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};

/** A child process to its end, without blocking this worker (so vitest's timeouts still apply). */
function run(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; uid?: number; gid?: number }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, output }));
  });
}

let work: string;
let release: string;
let dataDir: string;
let server: ChildProcess | undefined;
const secrets = { JWT_SECRET: randomBytes(48).toString("base64"), LOOKUP_HMAC_KEY: randomBytes(48).toString("base64") };

/**
 * The server's environment, as /etc/cau-noi.env and the unit give it, plus npm pointed at a registry
 * that does not answer and told to stay offline: any attempt to download fails instead of succeeding
 * here and failing on the province's server. HOME is empty (no npm cache, no .npmrc of this machine).
 */
function offlineEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: [path.dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"].join(path.delimiter),
    HOME: path.join(work, "home"),
    npm_config_registry: "http://127.0.0.1:9",
    npm_config_offline: "true",
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    NODE_ENV: "production",
    CHECKPOINT_DISABLE: "1",
    ...secrets,
    DATABASE_URL: `file:${path.join(dataDir, "cau-noi.db")}`,
    DATA_DIR: dataDir,
    HOST: "127.0.0.1",
    PORT: "0",
    MEDIASOUP_WORKERS: "1",
    LOG_LEVEL: "warn",
    ...extra,
  };
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-fresh-server-"));
  fs.chmodSync(work, 0o755);
  dataDir = path.join(work, "var-lib-cau-noi");
  // Like the unit's StateDirectory and the service user's home: the only places it may write.
  for (const dir of [dataDir, path.join(work, "home")]) {
    fs.mkdirSync(dir, { mode: 0o750 });
    if (asServiceUser.uid !== undefined) fs.chownSync(dir, NOBODY, NOBODY);
  }
  const made = await run(process.execPath, [path.join(root, "scripts", "bundle.mjs"), "--out-dir", path.join(work, "dist")], { cwd: root, env: process.env });
  expect(made.status, made.output).toBe(0);
  // As on the server: tar -C /opt -xzf cau-noi-<version>-linux-x64.tar.gz
  fs.mkdirSync(path.join(work, "opt"));
  const unpacked = await run("tar", ["-C", path.join(work, "opt"), "-xzf", path.join(work, "dist", tarballName)], { cwd: work, env: offlineEnv() });
  expect(unpacked.status, unpacked.output).toBe(0);
  release = path.join(work, "opt", `${pkg.name}-${pkg.version}`);
}, 420_000);

afterAll(() => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const SLOW = 180_000;
const inRelease = (...parts: string[]) => path.join(release, ...parts);

describe("the release bundle (npm run bundle)", () => {
  it("carries the built server and client, the migrations, production modules with the native parts, deploy/ and the install notes", () => {
    for (const file of [
      "build/signaling/main.js",
      "client/dist/index.html",
      "prisma/schema.prisma",
      "prisma.config.ts",
      "node_modules/mediasoup/worker/out/Release/mediasoup-worker",
      "node_modules/@libsql/linux-x64-gnu/index.node",
      "node_modules/.bin/prisma",
      "node_modules/.bin/tsx",
      "deploy/cau-noi.service",
      "deploy/cau-noi.env.example",
      "scripts/admin-create.ts",
      "package.json",
      "INSTALL.md",
      "RELEASE",
      "DEBIAN-PACKAGES",
      "MANIFEST",
    ]) {
      expect(fs.existsSync(inRelease(file)), file).toBe(true);
    }
    if (asServiceUser.uid !== undefined) expect(fs.statSync(inRelease("build", "signaling", "main.js")).uid).toBe(0); // unpacked as root, owned by root
    const migrations = (dir: string) => fs.readdirSync(dir).filter((name) => fs.existsSync(path.join(dir, name, "migration.sql"))).sort();
    expect(migrations(inRelease("prisma", "migrations"))).toEqual(migrations(path.join(root, "prisma", "migrations")));
    // Development tools and the developer's files stay behind.
    for (const absent of ["node_modules/vitest", "node_modules/vite", "node_modules/@playwright/test", "node_modules/eslint", "test", "data", ".git", "client/src", "scripts/setup.mjs"]) {
      expect(fs.existsSync(inRelease(absent)), absent).toBe(false);
    }
    const scripts = Object.keys((JSON.parse(fs.readFileSync(inRelease("package.json"), "utf8")) as { scripts: Record<string, string> }).scripts);
    expect(scripts.sort()).toEqual(["admin:create", "backup", "prestart", "restore", "retention", "start", "tls:init", "verify:history"]);
    expect(fs.readFileSync(inRelease("INSTALL.md"), "utf8")).toContain("npm run bundle");
    expect(fs.readFileSync(inRelease("RELEASE"), "utf8")).toMatch(new RegExp(`^version: ${pkg.version}$`, "m"));
    // ffmpeg for recordings, and the libraries the mediasoup worker was linked against here.
    const debs = fs.readFileSync(inRelease("DEBIAN-PACKAGES"), "utf8").split("\n");
    expect(debs).toEqual(expect.arrayContaining(["ffmpeg", "fonts-noto-core", "libsrtp2-1", "libusrsctp2", "libuv1"]));
  }, SLOW);

  it("MANIFEST and the archive's .sha256 check with sha256sum; a changed file is caught", async () => {
    const env = offlineEnv();
    const manifest = await run("sha256sum", ["--strict", "--quiet", "-c", "MANIFEST"], { cwd: release, env });
    expect(manifest.status, manifest.output).toBe(0);
    const lines = fs.readFileSync(inRelease("MANIFEST"), "utf8").trim().split("\n");
    expect(lines.some((line) => line.endsWith("  node_modules/mediasoup/worker/out/Release/mediasoup-worker"))).toBe(true);
    const archive = await run("sha256sum", ["--strict", "-c", `${tarballName}.sha256`], { cwd: path.join(work, "dist"), env });
    expect(archive.status, archive.output).toBe(0);

    const readme = inRelease("README.md");
    const original = fs.readFileSync(readme);
    fs.appendFileSync(readme, "\naltered\n");
    try {
      const altered = await run("sha256sum", ["--strict", "--quiet", "-c", "MANIFEST"], { cwd: release, env });
      expect(altered.status).not.toBe(0);
      expect(altered.output).toContain("README.md: FAILED");
    } finally {
      fs.writeFileSync(readme, original);
    }
  }, SLOW); // sha256sum reads the whole unpacked release (about 400 MB) twice, and the archive
});

describe("a fresh server from the bundle, without the npm registry", () => {
  it("migrates an empty data directory, creates the first administrator, starts, reports ready, and the administrator signs in", async () => {
    const unit = fs.readFileSync(inRelease("deploy", "cau-noi.service"), "utf8");
    const [pre] = unitValues(unit, "ExecStartPre");
    const [start] = unitValues(unit, "ExecStart");

    // 1. The unit's ExecStartPre (prisma migrate deploy) on the empty StateDirectory.
    const [preCommand, ...preArgs] = unitCommand(pre!, release);
    const migrate = await run(preCommand, preArgs, { cwd: release, env: offlineEnv(), ...asServiceUser });
    expect(migrate.status, migrate.output).toBe(0);
    expect(migrate.output).toMatch(/migrations? (have been successfully applied|applied)/i);
    expect(fs.existsSync(path.join(dataDir, "cau-noi.db"))).toBe(true);

    // 2. npm run admin:create, unattended, on the empty database: it also makes the top unit.
    const admin = await run("npm", ["run", "admin:create"], {
      cwd: release,
      env: offlineEnv({
        CAU_NOI_ADMIN_USERNAME: "quantri",
        CAU_NOI_ADMIN_NAME: "Quản trị hệ thống",
        CAU_NOI_ADMIN_UNIT: "TINH-THU",
        CAU_NOI_ADMIN_UNIT_NAME: "UBND tỉnh Thử Nghiệm",
        CAU_NOI_ADMIN_PASSWORD: PASSWORD,
      }),
      ...asServiceUser,
    });
    expect(admin.status, admin.output).toBe(0);
    expect(admin.output).not.toContain(PASSWORD);

    // 3. npm start's prestart accepts the unpacked build (tar kept the sources older than build/).
    const prestart = await run(process.execPath, ["scripts/build-server.mjs", "--check"], { cwd: release, env: offlineEnv() });
    expect(prestart.status, prestart.output).toBe(0);

    // 4. The unit's ExecStart.
    const [command, ...args] = unitCommand(start!, release);
    server = spawn(command, args, { cwd: release, env: offlineEnv(), stdio: ["ignore", "pipe", "pipe"], ...asServiceUser });
    const [, url] = await waitForOutput(server, /is running:\s+(http:\/\/127\.0\.0\.1:\d+)/);

    const health = await fetch(`${url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", database: "ok", workers: { alive: 1 } });
    // The media worker that runs is the bundle's own binary, not this checkout's.
    const children = fs.readFileSync(`/proc/${server.pid}/task/${server.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
    const executables = children.map((pid) => fs.readlinkSync(`/proc/${pid}/exe`));
    expect(executables).toContain(inRelease("node_modules", "mediasoup", "worker", "out", "Release", "mediasoup-worker"));

    // 5. The new administrator signs in and is an administrator of the new top unit.
    const login = await fetch(`${url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "quantri", password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const session = sessionResponseSchema.parse(await login.json());
    const me = await fetch(`${url}/api/auth/me`, { headers: { authorization: `Bearer ${session.accessToken}` } });
    expect(me.status).toBe(200);
    const user = sessionUserSchema.parse(await me.json());
    expect(user).toMatchObject({ username: "quantri", roles: ["admin"], unit: { code: "TINH-THU", name: "UBND tỉnh Thử Nghiệm" } });
    const wrong = await fetch(`${url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "quantri", password: `${PASSWORD}-sai` }),
    });
    expect(wrong.status).toBe(401);

    const exited = new Promise<number | null>((resolve) => server!.on("exit", (code) => resolve(code)));
    server.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, SLOW);
});
