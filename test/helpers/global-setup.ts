import fs from "node:fs";
import { templateDatabasePath } from "./paths";
import { postgresInstalled, postgresPass, startTestCluster } from "./postgres";

/** One cluster for the whole run: vitest runs this once per project (vitest.config.ts has two), in one process. */
type SharedCluster = { users: number; stop: () => void };
const shared = globalThis as typeof globalThis & { cauNoiTestCluster?: SharedCluster };

/**
 * The template database is made by `npm test`'s set-up (migrate deploy); tests copy it. In the PostgreSQL
 * pass (CAU_NOI_TEST_DB=postgres) a throw-away cluster with a migrated template is started here and
 * stopped when the last project using it is torn down.
 */
export default function setup(): (() => void) | undefined {
  if (!fs.existsSync(templateDatabasePath)) {
    throw new Error(`${templateDatabasePath} is missing: run \`node scripts/setup.mjs --for-tests\` (npm test does it)`);
  }
  if (!postgresPass) return undefined;
  if (!postgresInstalled()) throw new Error("CAU_NOI_TEST_DB=postgres, but PostgreSQL 15 is not installed (apt-get install postgresql)");
  const cluster = (shared.cauNoiTestCluster ??= { users: 0, stop: startTestCluster().stop });
  cluster.users += 1;
  return () => {
    cluster.users -= 1;
    if (cluster.users > 0) return;
    cluster.stop();
    delete shared.cauNoiTestCluster;
  };
}
