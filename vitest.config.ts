import fs from "node:fs";
import { defineConfig } from "vitest/config";

/**
 * CAU_NOI_TEST_DB=postgres is the integration suite's PostgreSQL pass (README "PostgreSQL"): only the files
 * listed in test/postgres-pass.json under "run"; test/helpers/global-setup.ts then starts a throw-away
 * PostgreSQL 15 cluster and every test server gets its own database. The files under "notRun" are listed
 * there with the reason (scripts/run-tests.mjs prints them).
 */
const postgresPass = process.env.CAU_NOI_TEST_DB === "postgres";
const postgresFiles = (): string[] => (JSON.parse(fs.readFileSync(new URL("./test/postgres-pass.json", import.meta.url), "utf8")) as { run: string[] }).run;

export default defineConfig({
  test: {
    include: postgresPass ? postgresFiles() : ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"],
    // mediasoup workers are child processes; forks isolate them per test file.
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits for something the server does on its own (a queue drained, a stay closed). Its
    // default of 1 s assumes a quiet machine; CI is 2 loaded cores. A bound, never a speed claim.
    expect: { poll: { timeout: 15_000 } },
    globalSetup: ["test/helpers/global-setup.ts"],
  },
});
