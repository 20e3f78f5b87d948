import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_JWT_SECRET, DEMO_LOOKUP_HMAC_KEY, loadConfig } from "../../signaling/config";
import { startupRefusals } from "../../signaling/productionSafety";
import { templateDatabasePath } from "../helpers/paths";
import { unitCommand, unitValues, waitForOutput } from "../helpers/serviceUnit";

// Issue 16 item 3: `npm start` runs the compiled server (no tsx, no Vite) in production mode.
const root = path.resolve(import.meta.dirname, "../..");
const entry = path.join(root, "build", "signaling", "main.js");
const startScript = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.start ?? "";

let dir: string;
let server: ChildProcess | undefined;

/** The environment an IT officer's /etc/cau-noi.env gives: real secrets, its own database and data folder. */
function productionEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    JWT_SECRET: randomBytes(48).toString("base64"),
    LOOKUP_HMAC_KEY: randomBytes(48).toString("base64"),
    DATABASE_URL: `file:${path.join(dir, "cau-noi.db")}`,
    DATA_DIR: dir,
    PORT: "0",
    HOST: "127.0.0.1",
    MEDIASOUP_WORKERS: "1",
    LOG_LEVEL: "warn",
    ...overrides,
  };
}

/** KEY=value lines of an env file (systemd EnvironmentFile syntax as the examples use it; comments skipped). */
function readEnvFile(file: string): Record<string, string> {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  return Object.fromEntries(lines.flatMap((line) => (/^[A-Z][A-Z0-9_]*=/.test(line) ? [[line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]] : [])));
}

beforeAll(() => {
  // Build once, as the install does (`npm run build:server`), then run only the output.
  const build = spawnSync(process.execPath, [path.join(root, "scripts", "build-server.mjs")], { cwd: root, encoding: "utf8" });
  expect(build.status, `${build.stdout}${build.stderr}`).toBe(0);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-production-start-"));
  // The template is migrated and empty: exactly a fresh production database after `prisma migrate deploy`.
  fs.copyFileSync(templateDatabasePath, path.join(dir, "cau-noi.db"));
}, 180_000);

afterAll(() => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// Each test starts node processes (server, mediasoup worker, Prisma CLI); on a loaded machine that takes far
// longer than the default 30 s, and a timeout here would say nothing about the product.
const SLOW = 180_000;

describe("production start (issue 16 item 3)", () => {
  it("npm start is the compiled server in production mode, not tsx", () => {
    expect(startScript).toContain("NODE_ENV=production");
    expect(startScript).toContain("node ");
    expect(startScript).toContain("build/signaling/main.js");
    expect(startScript).not.toMatch(/\btsx\b|vite/);
    // Every relative import was given the file it names (Node's ES module loader needs the extension).
    const main = fs.readFileSync(entry, "utf8");
    expect(main).toMatch(/from "\.\/server\.js"/);
    expect(main).not.toMatch(/from "\.\.?\/[^"]*[^s]"/);
  });

  it("starts with npm start's own command, prints where it listens and its health URL, serves health and the client, stops on SIGTERM", async () => {
    // The exact command npm runs, without the shell in between so SIGTERM reaches node as systemd sends it.
    const words = startScript.trim().split(/\s+/);
    const assignments = Object.fromEntries(words.filter((word) => /^[A-Z_]+=/.test(word)).map((word) => word.split("=", 2) as [string, string]));
    const [command, ...args] = words.filter((word) => !/^[A-Z_]+=/.test(word));
    expect(command).toBe("node");
    server = spawn(process.execPath, args, { cwd: root, env: { ...productionEnv(), ...assignments }, stdio: ["ignore", "pipe", "pipe"] });
    const [, url, health] = await waitForOutput(server, /is running:\s+(http:\/\/127\.0\.0\.1:\d+)\s*\n\s*Kiểm tra \/ health:\s+(\S+)/);
    expect(health).toBe(`${url}/api/health`);

    const response = await fetch(health!);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; database: string; workers: { alive: number } };
    expect(body).toMatchObject({ status: "ok", database: "ok" });
    expect(body.workers.alive).toBe(1); // the mediasoup worker binary loads from the compiled server

    // Production mode: the built client is served (no Vite), and the refresh cookie would be Secure.
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);

    const exited = new Promise<number | null>((resolve) => server!.on("exit", (code) => resolve(code)));
    server.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, SLOW);

  it("npm's prestart refuses a build older than the sources instead of running old code", () => {
    const prestart = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.prestart ?? "";
    expect(prestart).toBe("node scripts/build-server.mjs --check");
    const check = () => spawnSync(process.execPath, [path.join(root, "scripts", "build-server.mjs"), "--check"], { cwd: root, encoding: "utf8" });
    expect(check().status).toBe(0);
    const { atime, mtime } = fs.statSync(entry);
    fs.utimesSync(entry, new Date(0), new Date(0)); // as if the sources were upgraded after the last build
    try {
      const stale = check();
      expect(stale.status).toBe(1);
      expect(stale.stderr).toContain("npm run build:server");
    } finally {
      fs.utimesSync(entry, atime, mtime);
    }
  }, SLOW);

  it("refuses a demo secret with exit code 2 before opening anything", () => {
    const refuse = (overrides: Record<string, string>) =>
      spawnSync(process.execPath, [entry], {
        cwd: root,
        env: { ...productionEnv({ DATABASE_URL: "file:/nonexistent/never-opened.db", ...overrides }), NODE_ENV: "production" },
        encoding: "utf8",
        timeout: SLOW,
      });
    const jwt = refuse({ JWT_SECRET: DEMO_JWT_SECRET });
    expect(jwt.status).toBe(2);
    expect(jwt.stderr).toMatch(/demo JWT_SECRET/);
    const lookup = refuse({ LOOKUP_HMAC_KEY: DEMO_LOOKUP_HMAC_KEY });
    expect(lookup.status).toBe(2);
    expect(lookup.stderr).toContain("LOOKUP_HMAC_KEY is the demo key");
    expect(lookup.stderr).not.toContain("JWT_SECRET");
  }, SLOW);

  it("deploy/cau-noi.env.example names every setting, is valid configuration, and its placeholder secrets are refused", () => {
    const example = readEnvFile(path.join(root, "deploy", "cau-noi.env.example"));
    const settings = Object.keys(readEnvFile(path.join(root, ".env.example")));
    expect(settings.length).toBeGreaterThan(30);
    expect(settings.filter((key) => !(key in example))).toEqual([]);
    expect(example.NODE_ENV).toBe("production");

    // As shipped the placeholders stop the server: the JWT one at configuration, the lookup key at start.
    expect(() => loadConfig(example)).toThrow(/JWT_SECRET/);
    const onlyJwt = loadConfig({ ...example, JWT_SECRET: randomBytes(48).toString("base64") });
    expect(startupRefusals(onlyJwt, false).join("\n")).toMatch(/LOOKUP_HMAC_KEY is shorter than 32 bytes/);
    const filledIn = loadConfig({ ...example, JWT_SECRET: randomBytes(48).toString("base64"), LOOKUP_HMAC_KEY: randomBytes(48).toString("base64") });
    expect(startupRefusals(filledIn, false)).toEqual([]);
    expect(filledIn.env).toBe("production");
  });

  it("deploy/cau-noi.service: its ExecStartPre migrates an empty data directory and its ExecStart serves it", async () => {
    const unit = fs.readFileSync(path.join(root, "deploy", "cau-noi.service"), "utf8");
    expect(unitValues(unit, "User")).toEqual(["cau-noi"]);
    expect(unitValues(unit, "EnvironmentFile")).toEqual(["/etc/cau-noi.env"]);
    expect(unitValues(unit, "Restart")).toEqual(["on-failure"]);
    expect(unitValues(unit, "RestartPreventExitStatus")).toEqual(["2"]); // a refused configuration is not retried
    expect(unitValues(unit, "Environment")).toContain("NODE_ENV=production");
    // V8's JIT needs writable+executable memory: this option would kill node at start.
    expect(unitValues(unit, "MemoryDenyWriteExecute")).toEqual([]);

    // The unit's own commands, with the install directory and node of this checkout.
    const [pre] = unitValues(unit, "ExecStartPre");
    const [start] = unitValues(unit, "ExecStart");
    const fresh = fs.mkdtempSync(path.join(dir, "fresh-"));
    const env = productionEnv({ DATABASE_URL: `file:${path.join(fresh, "cau-noi.db")}`, DATA_DIR: fresh, NODE_ENV: "production", CHECKPOINT_DISABLE: "1" });
    const [preCommand, ...preArgs] = unitCommand(pre!, root);
    const migrate = spawnSync(preCommand!, preArgs, { cwd: root, env, encoding: "utf8", timeout: SLOW });
    expect(migrate.status, `${migrate.stdout}${migrate.stderr}`).toBe(0);
    expect(fs.existsSync(path.join(fresh, "cau-noi.db"))).toBe(true);

    const [command, ...args] = unitCommand(start!, root);
    const unitServer = spawn(command!, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    try {
      const [, health] = await waitForOutput(unitServer, /Kiểm tra \/ health:\s+(\S+)/);
      const response = await fetch(health!);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: "ok", database: "ok" });
    } finally {
      const exited = new Promise<number | null>((resolve) => unitServer.on("exit", (code) => resolve(code)));
      unitServer.kill("SIGTERM");
      expect(await exited).toBe(0);
    }
  }, SLOW);
});
