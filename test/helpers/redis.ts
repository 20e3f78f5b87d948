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

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Answers once the server replies PONG to a raw RESP PING (no client library involved in the check). */
async function pingOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    let answer = "";
    socket.setTimeout(1000);
    socket.on("data", (chunk) => {
      answer += chunk.toString();
      if (answer.includes("\r\n")) {
        socket.destroy();
        resolve(answer.startsWith("+PONG"));
      }
    });
    socket.on("connect", () => socket.write("*1\r\n$4\r\nPING\r\n"));
    socket.on("error", () => resolve(false));
    socket.on("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export async function startTestRedis(parentDir?: string): Promise<TestRedis> {
  if (!redisInstalled()) throw new Error(`${REDIS_SERVER_BIN} is missing: apt-get install redis-server (scripts/setup.mjs lists it)`);
  const dir = fs.mkdtempSync(path.join(parentDir ?? os.tmpdir(), "cau-noi-redis-"));
  const port = process.env.CAU_NOI_TEST_REDIS_PORT ? Number(process.env.CAU_NOI_TEST_REDIS_PORT) : await freePort();
  const child = spawn(
    REDIS_SERVER_BIN,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--logfile", path.join(dir, "redis.log"), "--daemonize", "no"],
    { stdio: "ignore" },
  );
  let exited = false;
  const gone = new Promise<void>((resolve) => child.once("exit", () => ((exited = true), resolve())));
  // Polled by replies, not by time: the server is up when it answers, or has failed when it exited.
  for (let attempt = 0; !(await pingOnce(port)); attempt++) {
    if (exited || attempt > 200) {
      child.kill("SIGKILL");
      const log = fs.existsSync(path.join(dir, "redis.log")) ? fs.readFileSync(path.join(dir, "redis.log"), "utf8") : "";
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`redis-server did not start on port ${port}:\n${log.slice(-2000)}`);
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

