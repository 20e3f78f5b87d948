/**
 * `npm run bench` (full, ~25–35 min on the 2-core box) and `npm run bench -- --quick` (< 5 min).
 * Options: `--only=fanOut,cases,remoteNode` / `--skip=joinFirstFrame` (scenario keys below), `--no-write`,
 * `--briefing-viewers=300,500` (the briefing's viewer steps), `--cases=100000` (the case scenario's size instead of the plan's).
 * Prints a table of every figure beside its goal and writes test/bench/results/<date>[-quick].json.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "../../signaling/paths";
import { machine, versions } from "./lib/machine";
import { type Clip, cleanupTemp, encodeClip, encodeSimulcastClip } from "./lib/media";
import { type BenchResults, formatTable, tableRows } from "./lib/report";
import { round, unusedResultFile } from "./lib/util";
import { briefingScenario } from "./scenarios/briefing";
import { casesScenario } from "./scenarios/cases";
import { chairGridScenario } from "./scenarios/chairGrid";
import { fanOutScenario } from "./scenarios/fanout";
import { joinFirstFrameScenario } from "./scenarios/joinFirstFrame";
import { recordingScenario } from "./scenarios/recording";
import { remoteNodeScenario } from "./scenarios/remoteNode";
import { signalingScenario } from "./scenarios/signaling";
import { webClientScenario } from "./scenarios/webClient";

type ScenarioKey = keyof BenchResults;
const SCENARIOS: ScenarioKey[] = ["fanOut", "briefing", "joinFirstFrame", "signaling", "cases", "recording", "webClient", "chairGrid", "remoteNode"];

export interface BenchPlan {
  quick: boolean;
  fanOut: Parameters<typeof fanOutScenario>[0];
  briefing: Parameters<typeof briefingScenario>[0];
  joinFirstFrame: Parameters<typeof joinFirstFrameScenario>[0];
  signaling: Parameters<typeof signalingScenario>[0];
  cases: Parameters<typeof casesScenario>[0];
  recording: Parameters<typeof recordingScenario>[0];
  webClient: Parameters<typeof webClientScenario>[0];
  chairGrid: Parameters<typeof chairGridScenario>[0];
  remoteNode: Parameters<typeof remoteNodeScenario>[0];
}

export function benchPlan(quick: boolean): BenchPlan {
  return quick
    ? {
        quick,
        fanOut: { steps: [10, 50], srtpSteps: [50], warmupMs: 3_000, windowMs: 6_000 },
        briefing: {
          points: [{ sites: 166, viewers: 100 }],
          warmupMs: 3_000,
          windowMs: 6_000,
          pipeCost: { receivers: [1, 20], repeats: 1, warmupMs: 2_500, windowMs: 5_000 },
        },
        joinFirstFrame: { iterations: 5 },
        signaling: { clients: 200, loadSeconds: 5, compareWal: true },
        cases: { cases: 50_000, budgetMs: 10_000 },
        recording: { sessionSeconds: 12, participants: 2 },
        webClient: {},
        chairGrid: { sites: 40, mediaSites: 2, windowSeconds: 15, profileSeconds: 5 },
        remoteNode: { receivers: [10, 50], repeats: 1, warmupMs: 3_000, windowMs: 6_000 },
      }
    : {
        quick,
        fanOut: { steps: [10, 50, 100, 200, 400], srtpSteps: [200], warmupMs: 4_000, windowMs: 8_000, repeats: 2 },
        briefing: {
          // The province: the chair, 166 communes and wards, viewers stepped up until a worker or the loss gives out.
          points: [
            { sites: 166, viewers: 100 },
            { sites: 166, viewers: 300 },
            { sites: 166, viewers: 500 },
          ],
          warmupMs: 4_000,
          windowMs: 10_000,
          pipeCost: { receivers: [1, 10, 50], repeats: 2, warmupMs: 3_000, windowMs: 8_000 },
        },
        joinFirstFrame: { iterations: 20 },
        signaling: { clients: 1000, loadSeconds: 10, compareWal: true },
        cases: { cases: 1_000_000, budgetMs: 30_000 },
        recording: { sessionSeconds: 30, participants: 4 },
        webClient: {},
        chairGrid: { sites: 40, mediaSites: 2, windowSeconds: 30, profileSeconds: 10 },
        remoteNode: { receivers: [1, 10, 50], repeats: 2, warmupMs: 3_000, windowMs: 8_000 },
      };
}

function parseList(args: string[], name: string): ScenarioKey[] | undefined {
  const arg = args.find((candidate) => candidate.startsWith(`--${name}=`));
  if (!arg) return undefined;
  const keys = arg.slice(name.length + 3).split(",").filter(Boolean) as ScenarioKey[];
  const unknown = keys.filter((key) => !SCENARIOS.includes(key));
  if (unknown.length) throw new Error(`unknown scenario(s) ${unknown.join(", ")}; known: ${SCENARIOS.join(", ")}`);
  return keys;
}

function resultFile(quick: boolean): string {
  const date = new Date().toISOString().slice(0, 10);
  return unusedResultFile(path.join(repoRoot, "test", "bench", "results"), `${date}${quick ? "-quick" : ""}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes("--quick");
  const only = parseList(args, "only");
  const skip = parseList(args, "skip") ?? [];
  const selected = SCENARIOS.filter((key) => (!only || only.includes(key)) && !skip.includes(key));
  const plan = benchPlan(quick);
  // `--briefing-viewers=300,500`: the briefing's viewer steps (with 166 sites) instead of the plan's.
  const viewers = args.find((arg) => arg.startsWith("--briefing-viewers="));
  if (viewers) plan.briefing.points = viewers.split("=")[1]!.split(",").map((count) => ({ sites: 166, viewers: Number(count) }));
  // `--cases=100000`: the case scenario at that size (1 M takes minutes to seed; the machine is shared).
  const cases = args.find((arg) => arg.startsWith("--cases="));
  if (cases) {
    const count = Number(cases.split("=")[1]);
    if (!Number.isInteger(count) || count < 1) throw new Error(`--cases: a positive whole number, not ${cases.split("=")[1]}`);
    plan.cases.cases = count;
  }
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const facts = { versions: versions(), machine: machine() };
  console.log(`cau-noi bench (${quick ? "quick" : "full"}): ${selected.join(", ")}`);
  console.log(`  ${facts.machine.cpuModel}, ${facts.machine.cores} cores, ${facts.machine.memoryGB} GB; node ${facts.versions.node}, mediasoup ${facts.versions.mediasoup}; ${facts.versions.ffmpeg}`);
  console.log(`  load average at start: ${facts.machine.loadAverageAtStart.join(" ")} (other people's tests share this machine)`);

  const results: BenchResults = {};
  const errors: Record<string, string> = {};
  const seconds: Record<string, number> = {};
  let clip: Clip | undefined;
  const media = () => (clip ? Promise.resolve(clip) : encodeClip({ seconds: 10 }).then((encoded) => (clip = encoded)));

  const run = async <K extends ScenarioKey>(key: K, fn: () => Promise<NonNullable<BenchResults[K]>>) => {
    if (!selected.includes(key)) return;
    console.log(`\n▶ ${key}`);
    const t0 = performance.now();
    try {
      results[key] = await fn();
    } catch (error) {
      errors[key] = (error as Error).stack ?? String(error);
      console.error(`  ${key} failed: ${errors[key]}`);
    }
    seconds[key] = round((performance.now() - t0) / 1000);
    console.log(`  (${seconds[key]} s)`);
  };

  try {
    await run("fanOut", async () => fanOutScenario({ ...plan.fanOut, clip: await media() }));
    await run("briefing", async () => briefingScenario({ ...plan.briefing, clip: await encodeSimulcastClip(10) }));
    await run("joinFirstFrame", () => joinFirstFrameScenario(plan.joinFirstFrame));
    await run("signaling", () => signalingScenario(plan.signaling));
    await run("cases", () => casesScenario(plan.cases));
    await run("recording", async () => recordingScenario({ ...plan.recording, clip: await media() }));
    await run("webClient", () => webClientScenario(plan.webClient));
    await run("chairGrid", () => chairGridScenario(plan.chairGrid));
    await run("remoteNode", async () => remoteNodeScenario({ ...plan.remoteNode, clip: await encodeSimulcastClip(10) }));
  } finally {
    cleanupTemp();
  }

  const rows = tableRows(results, errors);
  const table = formatTable(rows);
  console.log(`\n${table}\n`);
  const report = {
    mode: quick ? "quick" : "full",
    startedAt,
    durationSeconds: round((performance.now() - started) / 1000),
    scenarioSeconds: seconds,
    ...facts,
    loadAverageAtEnd: os.loadavg().map((value) => round(value)),
    clip: clip ? { seconds: round(clip.seconds), videoKbps: round(clip.videoKbps), audioKbps: round(clip.audioKbps), gopFrames: clip.gopFrames, fps: clip.fps } : null,
    plan,
    table: rows,
    results,
    errors,
  };
  if (!args.includes("--no-write")) {
    const file = resultFile(quick);
    fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`results: ${path.relative(repoRoot, file)}`);
  }
  console.log(`total ${report.durationSeconds} s`);
  // mediasoup workers and sockets are closed; anything left (a stuck child) must not keep us alive.
  process.exit(Object.keys(errors).length ? 1 : 0);
}

// Only as the entry point (the smoke test imports the plan without running the bench).
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main();
