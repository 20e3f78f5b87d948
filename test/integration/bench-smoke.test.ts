import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../signaling/paths";
import { benchPlan } from "../bench/run";
import { type Clip, cleanupTemp, encodeClip, encodeSimulcastClip } from "../bench/lib/media";
import { type BenchResults, formatTable, tableRows } from "../bench/lib/report";
import { finiteNumbers } from "../bench/lib/util";
import { briefingScenario } from "../bench/scenarios/briefing";
import { casesScenario } from "../bench/scenarios/cases";
import { fanOutScenario } from "../bench/scenarios/fanout";
import { joinFirstFrameScenario } from "../bench/scenarios/joinFirstFrame";
import { recordingScenario } from "../bench/scenarios/recording";
import { remoteNodeScenario } from "../bench/scenarios/remoteNode";
import { signalingScenario } from "../bench/scenarios/signaling";
import { webClientScenario } from "../bench/scenarios/webClient";
import { chairGridScenario } from "../bench/scenarios/chairGrid";

/**
 * `npm run bench` is not part of `npm test`; this runs every scenario at a tiny size so the bench keeps
 * working as the product changes. It checks that each runs and produces finite numbers, never how fast.
 */
const browserAvailable = fs.existsSync("/usr/bin/chromium") && fs.existsSync(path.join(repoRoot, "client", "dist", "index.html"));
const results: BenchResults = {};
const quiet = () => undefined;
let clip: Clip;

beforeAll(async () => {
  clip = await encodeClip({ seconds: 3 });
}, 60_000);

afterAll(() => cleanupTemp());

describe("bench scenarios at tiny sizes", () => {
  it("plans both modes", () => {
    expect(benchPlan(true).fanOut.steps).toEqual([10, 50]);
    expect(benchPlan(false).signaling.clients).toBe(1000);
    expect(benchPlan(false).cases.cases).toBe(1_000_000);
  });

  it("fan-out: the same forwarding through sfu/Room and bare mediasoup reaches the sink", async () => {
    const result = await fanOutScenario({ steps: [2], srtpSteps: [2], warmupMs: 1_500, windowMs: 1_500, clip }, quiet);
    results.fanOut = result;
    expect(result.runs.map((run) => [run.stack, run.srtp]).sort()).toEqual([["bare", false], ["bare", true], ["ours", false], ["ours", true]]);
    expect(result.runs.every((run) => run.sent > 0 && run.received > 0)).toBe(true);
    expect(finiteNumbers(result)).toEqual([]);
  }, 90_000);

  it("briefing: chair, sites and viewers in one Room over two workers, Room placing and piping; the pipe's cost", async () => {
    const simulcast = await encodeSimulcastClip(3);
    const result = await briefingScenario(
      {
        points: [{ sites: 3, viewers: 4 }],
        sitesWithVideo: 2,
        railTiles: 2,
        // Spread from the first receiver the home worker cannot take, so both workers carry receivers.
        afterConsumers: 4,
        workers: 2,
        joinConcurrency: 1,
        warmupMs: 2_500,
        windowMs: 1_500,
        pipeCost: { receivers: [2], repeats: 1, warmupMs: 2_500, windowMs: 1_500 },
        clip: simulcast,
      },
      quiet,
    );
    results.briefing = result;
    expect(result.points).toHaveLength(1);
    const [point] = result.points;
    // Room put receivers on both workers and piped producers to the second one's router.
    expect(point!.receiversPerWorker.every((count) => count > 0), JSON.stringify(point)).toBe(true);
    expect(point!.pipedProducersPerWorker[1]).toBeGreaterThan(0);
    expect(result.spreadByRoom).toBe(true);
    expect(point!.packetsPerSecondPerWorker.every((pps) => pps > 0)).toBe(true);
    expect(point!.pipedPacketsPerSecond).toBeGreaterThan(0);
    expect(result.pipeCost?.runs.map((run) => run.mode)).toEqual(["ingest only", "local", "piped"]);
    expect(result.pipeCost?.runs.every((run) => run.mode === "ingest only" || run.forwardedPackets > 0)).toBe(true);
    expect(result.pipeCost?.runs.find((run) => run.mode === "piped")?.pipedPackets).toBeGreaterThan(0);
    expect(finiteNumbers(result)).toEqual([]);
  }, 120_000);

  it.skipIf(!browserAvailable)("join → first frame: one join in Chromium", async () => {
    const result = await joinFirstFrameScenario({ iterations: 1 });
    results.joinFirstFrame = result;
    expect(result.joinToFirstFrameMs.n + result.timeouts).toBe(1);
    expect(finiteNumbers(result)).toEqual([]);
  }, 90_000);

  it.skipIf(!browserAvailable)("web client: every public page and the staff app load compressed and become usable", async () => {
    // No throttling: the smoke test checks the measurement works, the figures come from `npm run bench`.
    const result = await webClientScenario({ downloadKbps: 100_000, uploadKbps: 100_000, latencyMs: 0, cpuSlowdown: 1 });
    results.webClient = result;
    expect(result.pages.map((page) => page.path)).toEqual(["/tra-cuu", "/gui-don", "/lich-tiep-dan", "/tiep-dan/vao", "/"]);
    // Compressed and split: every page fetched some script, each well under the old 1 MB single bundle.
    expect(result.pages.every((page) => page.scripts > 0 && page.jsWireKB > 0 && page.jsWireKB < 500)).toBe(true);
    expect(finiteNumbers(result)).toEqual([]);
  }, 120_000);

  it.skipIf(!browserAvailable)("chair page: a chair and a few sites, the page's main-thread figures over short windows", async () => {
    const result = await chairGridScenario({ sites: 4, mediaSites: 1, windowSeconds: 2, profileSeconds: 1 }, quiet);
    results.chairGrid = result;
    expect(result.participantsShown).toBeGreaterThanOrEqual(4);
    expect(result.busy.siteEvents).toBeGreaterThan(0);
    expect(result.idle.taskMsPerS).toBeGreaterThan(0);
    expect(finiteNumbers(result)).toEqual([]);
  }, 240_000);

  it("signaling: sockets connect with tokens, join a room and get acks", async () => {
    const result = await signalingScenario({ clients: 5, loadSeconds: 1 });
    results.signaling = result;
    expect(result.joined).toBe(5);
    expect(result.ackMs.n).toBeGreaterThan(0);
    expect(finiteNumbers(result)).toEqual([]);
  }, 90_000);

  it("cases: seeds a copy of the template and times every figure of the product's queries", async () => {
    const result = await casesScenario(
      {
        cases: 300,
        budgetMs: 2_000,
        iterations: { lookup: 3, filteredList: 2, workQueue: 1, workQueueNext: 1, textSearch: 6, notifications: 1, notificationsRecomputed: 1, quarterlyReport: 1, yearReport: 1 },
      },
      quiet,
    );
    results.cases = result;
    expect(result.seeded.cases).toBe(300);
    expect(result.seeded.events).toBeGreaterThan(300);
    const operations = ["lookup", "filteredList", "workQueue", "workQueueNext", "textSearch", "notifications", "notificationsRecomputed", "quarterlyReport", "yearReport"];
    expect(Object.keys(result.timings).sort()).toEqual([...operations].sort());
    expect(Object.keys(result.plans).sort()).toEqual([...operations].sort());
    expect(result.timings.workQueue.rows).toBe(300);
    expect(result.keysetMatchesPageTwo).toBe(true);
    // Every kind of search text has its figure; the code and the name find cases, the nonsense none.
    expect(result.searchByTerm.map((term) => term.what)).toHaveLength(6);
    expect(result.searchByTerm.find((term) => term.what === "a case code")?.rows).toBe(1);
    expect(result.searchByTerm.find((term) => term.what === "no match")?.rows).toBe(0);
    expect(result.timings.yearReport.rows).toBeGreaterThanOrEqual(result.timings.quarterlyReport.rows);
    expect(finiteNumbers(result)).toEqual([]);
    const figures = tableRows({ cases: result }, {}).map((row) => row.figure);
    for (const figure of ["lookup by code", "default work queue", "work queue next page", "notification bell", "text search", "quarterly report", "year report"]) {
      expect(figures.some((text) => text.startsWith(figure)), figure).toBe(true);
    }
  }, 90_000);

  it("recording: measures sfu/recording when it is there, or says it is not available yet", async () => {
    const result = await recordingScenario({ sessionSeconds: 4, participants: 1, clip });
    results.recording = result;
    // "failed" means sfu/recording changed under the bench: adapt recordSession() in test/bench/scenarios/recording.ts.
    expect(result.status, result.status === "failed" ? result.reason : "").not.toBe("failed");
    expect(finiteNumbers(result)).toEqual([]);
  }, 90_000);

  it("media node: receivers placed by Room on a media node process (TLS control channel, SRTP pipe) against local ones", async () => {
    const result = await remoteNodeScenario({ receivers: [2], repeats: 1, warmupMs: 2_500, windowMs: 1_500, clip: await encodeSimulcastClip(3) }, quiet);
    results.remoteNode = result;
    expect(result.runs.map((run) => run.mode)).toEqual(["ingest only", "local", "remote"]);
    expect(result.runs.every((run) => run.mode === "ingest only" || run.forwardedPackets > 0)).toBe(true);
    // The node's worker did the remote run's forwarding.
    expect(result.runs.find((run) => run.mode === "remote")!.nodeWorkerCpuMs).toBeGreaterThan(0);
    expect(finiteNumbers(result)).toEqual([]);
  }, 120_000);

  it("prints a table with every scenario beside its goal", () => {
    const rows = tableRows(results, {});
    for (const scenario of ["1 fan-out", "2 briefing", "3 join→frame", "4 signaling", "5 cases", "6 recording", "8 chair page", "9 media node"]) {
      expect(rows.some((row) => row.scenario === scenario)).toBe(true);
    }
    expect(formatTable(rows)).toContain("efficiency ours/bare");
  });
});
