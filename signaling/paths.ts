import path from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root, so file defaults do not depend on the directory the server is started from. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
