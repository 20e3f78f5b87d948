import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_JWT_SECRET, DEMO_LOOKUP_HMAC_KEY } from "../../signaling/config";
import { templateDatabasePath } from "../helpers/paths";

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

/** Resolves with the first stdout text matching `pattern`, or rejects with everything the process said if it exits first. */
function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(pattern);
      if (match) resolve(match);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
  });
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
  });

  it("refuses a demo secret with exit code 2 before opening anything", () => {
    const refuse = (overrides: Record<string, string>) =>
      spawnSync(process.execPath, [entry], {
        cwd: root,
        env: { ...productionEnv({ DATABASE_URL: "file:/nonexistent/never-opened.db", ...overrides }), NODE_ENV: "production" },
        encoding: "utf8",
        timeout: 60_000,
      });
    const jwt = refuse({ JWT_SECRET: DEMO_JWT_SECRET });
    expect(jwt.status).toBe(2);
    expect(jwt.stderr).toMatch(/demo JWT_SECRET/);
    const lookup = refuse({ LOOKUP_HMAC_KEY: DEMO_LOOKUP_HMAC_KEY });
    expect(lookup.status).toBe(2);
    expect(lookup.stderr).toContain("LOOKUP_HMAC_KEY is the demo key");
    expect(lookup.stderr).not.toContain("JWT_SECRET");
  });
});
