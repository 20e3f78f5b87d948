import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { deriveNodeKey } from "../../signaling/mediaNodes/secret";
import { loadMediaNodeConfig } from "../../signaling/mediaNodes/config";
import { repoRoot } from "../../signaling/paths";

/** `npm run media-node-key -- <id>`: how an operator gets a node's key (second review, finding 5). */
const MASTER = "the-signaling-hosts-master-secret-0123456789";

function run(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join("scripts", "media-node-key.ts"), ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("scripts/media-node-key.ts", () => {
  it("prints the key the signaling processes derive for that id, which a node's configuration takes", () => {
    const printed = run(["media-2"], { MEDIA_NODE_SECRET: MASTER });
    expect(printed.status).toBe(0);
    expect(printed.stdout.trim()).toBe(`MEDIA_NODE_KEY=${deriveNodeKey(MASTER, "media-2").toString("hex")}`);
    expect(printed.stdout + printed.stderr).not.toContain(MASTER);
    const config = loadMediaNodeConfig({ MEDIA_NODE_ID: "media-2", MEDIA_NODE_KEY: printed.stdout.trim().split("=")[1], REDIS_URL: "redis://10.0.0.5:6379" });
    expect("key" in config && config.key.equals(deriveNodeKey(MASTER, "media-2"))).toBe(true);
  }, 90_000);

  it("reads the master from the server's environment file, and refuses a missing master or a bad id", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-node-key-"));
    try {
      const envFile = path.join(dir, "cau-noi.env");
      fs.writeFileSync(envFile, `REDIS_URL=redis://10.0.0.5:6379/0\nMEDIA_NODE_SECRET=${MASTER}\n`);
      expect(run(["media-3", `--server-env=${envFile}`]).stdout.trim()).toBe(`MEDIA_NODE_KEY=${deriveNodeKey(MASTER, "media-3").toString("hex")}`);
      expect(run(["media-3"])).toMatchObject({ status: 2, stdout: "", stderr: expect.stringContaining("MEDIA_NODE_SECRET") });
      expect(run(["media-3"], { MEDIA_NODE_SECRET: "short" })).toMatchObject({ status: 2, stdout: "" });
      expect(run(["bad id!"], { MEDIA_NODE_SECRET: MASTER })).toMatchObject({ status: 2, stdout: "" });
      expect(run([], { MEDIA_NODE_SECRET: MASTER })).toMatchObject({ status: 2, stdout: "" });
      expect(run(["media-3", `--server-env=${path.join(dir, "missing.env")}`])).toMatchObject({ status: 2, stdout: "" });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
