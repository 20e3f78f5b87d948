import fs from "node:fs";
import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config";

/**
 * The integration suite's PostgreSQL pass (README "PostgreSQL"): the files listed in
 * test/postgres-pass.json under "run", with CAU_NOI_TEST_DB=postgres so test/helpers/global-setup.ts starts
 * a throw-away PostgreSQL 15 cluster and every test server gets its own database. The files under "notRun"
 * are listed there with the reason (scripts/run-tests.mjs prints them).
 */
const list = JSON.parse(fs.readFileSync(new URL("./test/postgres-pass.json", import.meta.url), "utf8")) as { run: string[] };
process.env.CAU_NOI_TEST_DB = "postgres";

export default mergeConfig(base, defineConfig({ test: { include: list.run } }));
