import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEMO_JWT_SECRET, DEMO_LOOKUP_HMAC_KEY, loadConfig } from "../../signaling/config";
import { isExplicitDemo, startupRefusals } from "../../signaling/productionSafety";

const root = path.resolve(import.meta.dirname, "../..");

describe("production safety (issue 11 item 9)", () => {
  it("refuses the demo secret whatever NODE_ENV says, unless the demo is started explicitly", () => {
    for (const NODE_ENV of ["development", "test", "production"] as const) {
      const config = loadConfig(NODE_ENV === "production" ? { NODE_ENV, JWT_SECRET: DEMO_JWT_SECRET + "x" } : { NODE_ENV });
      if (NODE_ENV !== "production") expect(startupRefusals(config, false).join()).toMatch(/demo secret/);
      expect(startupRefusals(config, true)).toEqual([]);
    }
  });

  it("counts the secret in bytes", () => {
    const lookupHmacKey = "k".repeat(32);
    expect(startupRefusals({ auth: { ...loadConfig({}).auth, lookupHmacKey, jwtSecret: "ắ".repeat(11) } }, false)).toEqual([]);
    expect(startupRefusals({ auth: { ...loadConfig({}).auth, lookupHmacKey, jwtSecret: "a".repeat(31) } }, false).join()).toMatch(/32 bytes/);
  });

  it("refuses the demo LOOKUP_HMAC_KEY and one under 32 bytes outside the demo (issue 11 item 13)", () => {
    const auth = { ...loadConfig({}).auth, jwtSecret: "j".repeat(48) };
    expect(loadConfig({}).auth.lookupHmacKey).toBe(DEMO_LOOKUP_HMAC_KEY);
    expect(startupRefusals({ auth }, false).join()).toMatch(/LOOKUP_HMAC_KEY is the demo key/);
    expect(startupRefusals({ auth: { ...auth, lookupHmacKey: "ắ".repeat(10) } }, false).join()).toMatch(/LOOKUP_HMAC_KEY is shorter than 32 bytes/);
    expect(startupRefusals({ auth: { ...auth, lookupHmacKey: "ắ".repeat(11) } }, false)).toEqual([]);
    expect(startupRefusals({ auth }, true)).toEqual([]);
    expect(loadConfig({ LOOKUP_HMAC_KEY: "from-the-environment-".repeat(2) }).auth.lookupHmacKey).toBe("from-the-environment-".repeat(2));
  });

  it("knows the demo only from --demo or CAU_NOI_DEMO=1", () => {
    expect(isExplicitDemo(["--demo"], {})).toBe(true);
    expect(isExplicitDemo([], { CAU_NOI_DEMO: "1" })).toBe(true);
    expect(isExplicitDemo([], { NODE_ENV: "development" })).toBe(false);
  });

  it("the real entry point exits with the reason before opening anything", () => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "development", PORT: "0" };
    const run = spawnSync(path.join(root, "node_modules", ".bin", "tsx"), ["signaling/main.ts"], { cwd: root, env, encoding: "utf8", timeout: 60_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("JWT_SECRET");
    expect(run.stderr).toContain("LOOKUP_HMAC_KEY");
  });
});

describe("demo accounts (issue 11 item 9)", () => {
  it("are never seeded unless the demo is asked for", () => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: "file:/nonexistent/never-opened.db" };
    const run = spawnSync(path.join(root, "node_modules", ".bin", "tsx"), ["prisma/seed.ts"], { cwd: root, env, encoding: "utf8", timeout: 60_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("outside the demo");
  });
});
