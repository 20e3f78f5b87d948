import fs from "node:fs";
import { templateDatabasePath } from "./paths";
import { postgresInstalled, postgresPass, startTestCluster } from "./postgres";

/**
 * The template database is made by `npm test`'s set-up (migrate deploy); tests copy it. In the PostgreSQL
 * pass (CAU_NOI_TEST_DB=postgres) a throw-away cluster with a migrated template is started here and
 * stopped when the run ends.
 */
export default function setup(): (() => void) | undefined {
  if (!fs.existsSync(templateDatabasePath)) {
    throw new Error(`${templateDatabasePath} is missing: run \`node scripts/setup.mjs --for-tests\` (npm test does it)`);
  }
  if (!postgresPass) return undefined;
  if (!postgresInstalled()) throw new Error("CAU_NOI_TEST_DB=postgres, but PostgreSQL 15 is not installed (apt-get install postgresql)");
  const cluster = startTestCluster();
  return () => cluster.stop();
}
