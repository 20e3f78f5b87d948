import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { deriveNodeKey } from "../../signaling/mediaNodes/secret";
import { repoRoot } from "../../signaling/paths";

/**
 * A media node (`signaling/main.ts --role=media`) as its own process, the way another host runs it: its own
 * MEDIASOUP_LISTEN_IP (a loopback address such as 127.0.0.3 stands for the other host), its own port range,
 * registered in the given Redis. Resolves once it prints its URL (it is in Redis by then).
 */
export interface TestMediaNode {
  id: string;
  url: string;
  child: ChildProcess;
  log: string[];
  stop(): Promise<void>;
}

/** The signaling side's master (MEDIA_NODE_SECRET); a node is given only its key derived from it. */
export const TEST_MEDIA_NODE_SECRET = "test-media-node-secret-0123456789abcdef";

/** The key the node `id` holds (MEDIA_NODE_KEY), as `npm run media-node-key` prints it. */
export const testNodeKey = (id: string): Buffer => deriveNodeKey(TEST_MEDIA_NODE_SECRET, id);

export async function startTestMediaNode(options: { id: string; redisUrl: string; listenIp: string; ports: { min: number; max: number }; heartbeatMs?: number; env?: Record<string, string> }): Promise<TestMediaNode> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "test",
    MEDIA_NODE_ID: options.id,
    MEDIA_NODE_KEY: testNodeKey(options.id).toString("hex"),
    MEDIA_NODE_HOST: options.listenIp,
    MEDIA_NODE_PORT: "0",
    // 1 s (entry kept 3 s): a 300 ms beat lost the node whenever a loaded CI machine paused it for a second.
    MEDIA_NODE_HEARTBEAT_MS: String(options.heartbeatMs ?? 1_000),
    REDIS_URL: options.redisUrl,
    MEDIASOUP_WORKERS: "1",
    MEDIASOUP_LISTEN_IP: options.listenIp,
    MEDIASOUP_MIN_PORT: String(options.ports.min),
    MEDIASOUP_MAX_PORT: String(options.ports.max),
    MEDIASOUP_ENABLE_TCP: "false",
    LOG_LEVEL: "warn",
    ...(process.env.MEDIASOUP_WORKER_BIN ? { MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN } : {}),
    ...options.env,
  };
  const child = spawn(process.execPath, ["--import", "tsx", path.join("signaling", "main.ts"), "--role=media"], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
  const log: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) {
        log.push(line);
        const found = new RegExp(`media node ${options.id}:\\s+(https?://\\S+)`).exec(line);
        if (found) resolve(found[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code, signal) => reject(new Error(`media node exited (${code ?? signal}) before listening:\n${log.join("\n")}`)));
  });
  return {
    id: options.id,
    url,
    child,
    log,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
