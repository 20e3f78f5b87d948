import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "@playwright/test";
import { recordPeerConnections } from "./media-stats";
import { signIn } from "./session";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * A server of one spec's own, for settings the shared e2e server does not have (TURN, a disk threshold):
 * a fresh copy of the template database with the demo accounts under `dir`, any free port, started as one
 * node process from the sources like signaling-restart.spec.ts does. `url` is https:// when `settings` give
 * TLS_CERT/TLS_KEY.
 */
export interface OwnServer {
  child: ChildProcess;
  url: string;
  log: string[];
  stop(): Promise<void>;
}

export async function startOwnServer(dir: string, settings: Record<string, string>): Promise<OwnServer> {
  fs.mkdirSync(dir, { recursive: true });
  const databaseFile = path.join(dir, "cau-noi.db");
  fs.copyFileSync(path.join(root, "data", "test", "template.db"), databaseFile);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "test",
    CAU_NOI_DEMO: "1",
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: `file:${databaseFile}`,
    DATA_DIR: path.join(dir, "data"),
    LOG_LEVEL: "warn",
    MEDIASOUP_WORKERS: "1",
    ...settings,
  };
  execFileSync(process.execPath, ["--import", "tsx", path.join("prisma", "seed.ts")], { cwd: root, env, stdio: "ignore" });
  const child = spawn(process.execPath, ["--import", "tsx", path.join("signaling", "main.ts")], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  const log: string[] = [];
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    await exited;
  };
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) {
        log.push(line);
        const found = /is running:\s+(https?:\/\/\S+)/.exec(line);
        if (found) resolve(found[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code, signal) => reject(new Error(`server exited (${code ?? signal}) before listening:\n${log.join("\n")}`)));
  });
  return { child, url, log, stop };
}

/** A signed-in page of its own browser context on `baseURL`, its peer connections recorded. */
export async function openPage(browser: Browser, baseURL: string, username: string, roomPath: string): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await recordPeerConnections(page);
  await page.goto(roomPath);
  await signIn(page, username);
  return page;
}
