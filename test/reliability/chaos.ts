// `npm run chaos -- [--kills 20] [--seed N] [--writers 4]`: the long kill -9 run. The server is SIGKILLed
// at random moments while cases, workflow steps, attachments and reception-book entries are written at
// full speed; after each restart the store is checked. Figures go to test/bench/results/chaos-<date>.json;
// the exit code is 1 when any check failed.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "../../signaling/paths";
import { runKillNine } from "../helpers/killNine";

const { values } = parseArgs({ options: { kills: { type: "string", default: "20" }, seed: { type: "string" }, writers: { type: "string", default: "4" } } });
const kills = Number(values.kills);
const writers = Number(values.writers);
const seed = values.seed === undefined ? Date.now() % 1_000_000 : Number(values.seed);
if (!Number.isInteger(kills) || kills < 1 || !Number.isInteger(writers) || writers < 1 || !Number.isFinite(seed)) {
  console.error("usage: npm run chaos -- [--kills 20] [--seed N] [--writers 4]");
  process.exit(2);
}

const started = Date.now();
console.log(`kill -9 chaos: ${kills} kills, ${writers} writers, seed ${seed}`);
const result = await runKillNine({ kills, seed, writers, onProgress: (line) => console.log(line) });
const report = { kind: "chaos-kill-9", at: new Date().toISOString(), durationS: Math.round((Date.now() - started) / 1000), writers, ...result };
const directory = path.join(repoRoot, "test", "bench", "results");
fs.mkdirSync(directory, { recursive: true });
const file = path.join(directory, `chaos-${report.at.slice(0, 10)}-seed${seed}.json`);
fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
const restart = [...result.restartMs].sort((a, b) => a - b);
console.log(
  `\n${result.kills} kills in ${report.durationS} s: acknowledged ${result.acknowledged.cases} cases, ${result.acknowledged.steps} steps, ` +
    `${result.acknowledged.attachments} files, ${result.acknowledged.entries} entries; ${result.interrupted} requests cut by a kill; ` +
    `${result.orphanFilesSwept} orphan files swept; restart median ${restart[Math.floor(restart.length / 2)]} ms; ` +
    `${result.problems.length} problems\nfigures: ${path.relative(repoRoot, file)}`,
);
for (const problem of result.problems) console.log(`  PROBLEM ${problem}`);
process.exit(result.problems.length > 0 ? 1 : 0);
