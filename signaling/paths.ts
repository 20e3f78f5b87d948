import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Repository (install) root, so file defaults do not depend on the directory the server is started from.
 * The nearest ancestor holding package.json rather than a fixed "..": the same module runs from
 * signaling/paths.ts (tsx, tests) and from build/signaling/paths.js (`npm start`, one level deeper).
 */
function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start, "..");
  }
}

export const repoRoot = findRoot(path.dirname(fileURLToPath(import.meta.url)));
