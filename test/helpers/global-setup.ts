import fs from "node:fs";
import { templateDatabasePath } from "./paths";

/** The template database is made by `npm test`'s set-up (migrate deploy); tests copy it. */
export default function setup(): void {
  if (!fs.existsSync(templateDatabasePath)) {
    throw new Error(`${templateDatabasePath} is missing: run \`node scripts/setup.mjs --for-tests\` (npm test does it)`);
  }
}
