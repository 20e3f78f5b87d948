import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/**
 * A throw-away redis-server for the tests of several signaling processes (README › Scaling out): its own
 * port (CAU_NOI_TEST_REDIS_PORT, else one the kernel hands out), its own directory under the test's data
 * directory, nothing saved (`--save ''`, no AOF), loopback only; stopped and removed by `stop()`.
 * The Debian package `redis-server` is in scripts/setup.mjs's list.
 */
export const REDIS_SERVER_BIN = process.env.CAU_NOI_REDIS_SERVER ?? "/usr/bin/redis-server";

export const redisInstalled = (): boolean => fs.existsSync(REDIS_SERVER_BIN);

export interface TestRedis {
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

/** Whether nothing listens on the port now (a bind probe; redis-server may still lose a race for it). */
async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

async function kernelPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * CAU_NOI_TEST_REDIS_PORT is the first port tried (the next ones after it when taken, since test files run
 * in parallel and one may start two servers); without it, a port the kernel hands out.
 */
export async function startTestRedis(parentDir?: string): Promise<TestRedis> {
  if (!redisInstalled()) throw new Error(`${REDIS_SERVER_BIN} is missing: apt-get install redis-server (scripts/setup.mjs lists it)`);
  const base = process.env.CAU_NOI_TEST_REDIS_PORT ? Number(process.env.CAU_NOI_TEST_REDIS_PORT) : undefined;
  for (let offset = 0; offset < 50; offset++) {
    const port = base === undefined ? await kernelPort() : base + offset;
    if (!(await portIsFree(port))) continue;
    const started = await startOn(port, parentDir);
    if (started) return started;
  }
  throw new Error("redis-server did not start on any port tried (see its log in the test's directory)");
}

/** Starts redis-server on `port`; undefined when it exited first (the port was taken meanwhile). */
async function startOn(port: number, parentDir: string | undefined): Promise<TestRedis | undefined> {
  const dir = fs.mkdtempSync(path.join(parentDir ?? os.tmpdir(), "cau-noi-redis-"));
  const child = spawn(
    REDIS_SERVER_BIN,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--logfile", path.join(dir, "redis.log"), "--daemonize", "no"],
    { stdio: "ignore" },
  );
  let exited = false;
  const gone = new Promise<void>((resolve) => child.once("exit", () => ((exited = true), resolve())));
  // Ready when OUR server says so in its own log (another one answering on the port would not write
  // there); failed when it exited first. Polled by what happened, not by a fixed wait.
  const log = path.join(dir, "redis.log");
  const ready = () => fs.existsSync(log) && fs.readFileSync(log, "utf8").includes("Ready to accept connections");
  for (let attempt = 0; !ready(); attempt++) {
    if (exited || attempt > 400) {
      child.kill("SIGKILL");
      fs.rmSync(dir, { recursive: true, force: true });
      return undefined;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    stop: async () => {
      if (!exited) {
        child.kill("SIGTERM");
        await gone;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
