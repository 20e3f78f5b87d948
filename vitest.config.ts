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
const files = postgresPass ? postgresFiles() : ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"];

/**
 * Files that kill, stop or race processes against a lease's TTL, or measure a recording against the
 * server's clock: they run one at a time, after the rest, with no other test file loading the machine
 * beside them. Every other file runs two at a time (on CI's two cores one worker left a core idle while a
 * file waited on a child process, and the suite neared CI's 45 minutes).
 */
const alone = [
  "test/integration/room-owner.test.ts",
  "test/integration/several-processes.test.ts",
  "test/integration/media-nodes.test.ts",
  "test/integration/kill-nine.test.ts",
  "test/integration/sqlite-shared-file.test.ts",
  "test/integration/attendance-handover.test.ts",
  "test/integration/recorder.test.ts",
  "test/integration/room-workers.test.ts",
  "test/integration/lease-check.test.ts",
];
const aloneHere = postgresPass ? alone.filter((file) => files.includes(file)) : alone;

export default defineConfig({
  test: {
    // mediasoup workers are child processes; forks isolate them per test file.
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits for something the server does on its own (a queue drained, a stay closed). Its
    // default of 1 s assumes a quiet machine; CI is 2 loaded cores. A bound, never a speed claim.
    expect: { poll: { timeout: 15_000 } },
    globalSetup: ["test/helpers/global-setup.ts"],
    projects: [
      { extends: true, test: { name: "shared", include: files, exclude: alone, maxWorkers: 2, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: "alone", include: aloneHere, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
