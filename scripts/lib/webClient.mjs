// When the built web client (client/dist) is up to date, shared by the set-up (scripts/setup.mjs) and the
// release bundle (scripts/bundle.mjs), so both rebuild it for the same reasons and reuse it otherwise.
// Node built-ins only: the set-up runs it before node_modules exists.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * What the Vite build reads: the client, the lockfile (library versions) and the server folders the
 * browser bundles: the protocol schemas and the pure policy rules (client/src/access.ts imports them; they
 * import only the protocol). A change in any of them makes the stamp differ.
 */
const INPUTS = ["client", "signaling/protocol", "signaling/policies", "package-lock.json"];

/** Hash of every file under the given paths relative to `root` (sorted, so the walk order does not matter). */
export function hashTree(root, paths, exclude = () => false) {
  const files = [];
  const walk = (p) => {
    if (!fs.existsSync(p) || exclude(p)) return;
    const stat = fs.statSync(p);
    if (stat.isDirectory()) for (const entry of fs.readdirSync(p)) walk(path.join(p, entry));
    else files.push(p);
  };
  for (const p of paths) walk(path.join(root, p));
  files.sort();
  const hash = createHash("sha256");
  for (const file of files) hash.update(path.relative(root, file)).update("\0").update(fs.readFileSync(file)).update("\0");
  return hash.digest("hex");
}

const distOf = (root) => path.join(root, "client", "dist");
const stampOf = (root) => path.join(distOf(root), ".build-hash");

/** The hash client/dist must carry to be current. */
export function webClientInputsHash(root) {
  return hashTree(root, INPUTS, (p) => p.startsWith(distOf(root)));
}

/** True when client/dist was built from exactly the current inputs. */
export function webClientIsFresh(root) {
  if (!fs.existsSync(path.join(distOf(root), "index.html")) || !fs.existsSync(stampOf(root))) return false;
  return fs.readFileSync(stampOf(root), "utf8").trim() === webClientInputsHash(root);
}

/** Builds client/dist with Vite and stamps it; throws with the build's last lines when it fails. */
export function buildWebClient(root, env = process.env) {
  const expected = webClientInputsHash(root);
  const vite = path.join(root, "node_modules", ".bin", "vite");
  const result = spawnSync(vite, ["build", "--config", "client/vite.config.ts", "--logLevel", "warn"], { cwd: root, env, encoding: "utf8" });
  if (result.error) throw new Error(`vite: ${result.error.message}`);
  if (result.status !== 0) {
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n").slice(-40).join("\n");
    throw new Error(`vite build exited with ${result.status}\n${output}`);
  }
  fs.writeFileSync(stampOf(root), `${expected}\n`);
}
