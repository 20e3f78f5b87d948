#!/usr/bin/env node
// Compiles the server (signaling/ + sfu/ + the generated Prisma client) to plain ES modules in build/,
// so `npm start` runs `node build/signaling/main.js` with no TypeScript transpiler at run time.
//
// Why tsc plus a rewrite step: the sources use extensionless relative imports ("./config"), which the
// bundler-style resolution of tsconfig.json allows but Node's ES module loader does not. The code must
// stay ESM (the generated Prisma client and signaling/paths.ts use import.meta.url), so CommonJS is not an
// option. tsc keeps one output file per source file (stack traces and source maps point at real files);
// afterwards every relative specifier is given the extension of the file that actually exists, and the
// build fails if one cannot be resolved — a broken import is found here, not at 3 a.m. on the server.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const buildDir = path.join(root, "build");
// `--out <dir>`: compile elsewhere (the release bundle compiles straight into its staging folder, so it
// never reads a build/ that another process — a test, a developer — is rebuilding at the same moment).
const outFlag = process.argv.indexOf("--out");
const outDir = outFlag >= 0 && process.argv[outFlag + 1] ? path.resolve(process.argv[outFlag + 1]) : buildDir;

// `--check` (npm's prestart): refuse to start a missing or stale build instead of silently running old code
// after the sources changed (an upgrade unpacked without `npm run build`).
if (process.argv.includes("--check")) {
  const entry = path.join(buildDir, "signaling", "main.js");
  if (!fs.existsSync(entry)) {
    console.error("build/ is missing: run `npm run build` first (Chưa build máy chủ: chạy `npm run build`).");
    process.exit(1);
  }
  const built = fs.statSync(entry).mtimeMs;
  const sources = ["signaling", "sfu"].flatMap((dir) =>
    fs.readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith(".ts")).map((e) => path.join(e.parentPath, e.name)),
  );
  const newer = sources.filter((file) => fs.statSync(file).mtimeMs > built);
  if (newer.length > 0) {
    console.error(`build/ is older than ${newer.length} source file(s), e.g. ${path.relative(root, newer[0])}: run \`npm run build:server\` (Bản build đã cũ).`);
    process.exit(1);
  }
  process.exit(0);
}

fs.rmSync(outDir, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(root, "tsconfig.build.json"), "--outDir", outDir], {
  cwd: root,
  stdio: "inherit",
});
if (tsc.status !== 0) {
  console.error("build:server: tsc failed");
  process.exit(tsc.status ?? 1);
}

/** Static `import … from`, `export … from`, bare `import "…"` and dynamic `import("…")` with a relative specifier. */
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])(\.\.?\/[^"'\n]*)\2/g;

function resolveSpecifier(file, specifier) {
  const target = path.resolve(path.dirname(file), specifier);
  if (/\.(m?js|json)$/.test(specifier) && fs.existsSync(target)) return specifier;
  if (fs.existsSync(`${target}.js`)) return `${specifier}.js`;
  if (fs.existsSync(path.join(target, "index.js"))) return `${specifier}/index.js`;
  return undefined;
}

const unresolved = [];
let files = 0;
for (const entry of fs.readdirSync(outDir, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith(".js")) continue;
  const file = path.join(entry.parentPath, entry.name);
  const source = fs.readFileSync(file, "utf8");
  const rewritten = source.replace(SPECIFIER, (whole, lead, quote, specifier) => {
    const resolved = resolveSpecifier(file, specifier);
    if (resolved === undefined) {
      unresolved.push(`${path.relative(root, file)}: ${specifier}`);
      return whole;
    }
    return `${lead}${quote}${resolved}${quote}`;
  });
  if (rewritten !== source) fs.writeFileSync(file, rewritten);
  files += 1;
}
if (unresolved.length > 0) {
  console.error(`build:server: unresolved relative imports:\n  ${unresolved.join("\n  ")}`);
  process.exit(1);
}
console.log(`build:server: ${files} modules in ${path.relative(root, outDir)}/ — start with: npm start`);
