import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { createClient } from "@libsql/client";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { type CaseStatistics, caseStatistics } from "../../../signaling/services/cases/caseStatistics";
import { CaseService } from "../../../signaling/services/cases/cases";
import { createDb, type Db } from "../../../signaling/db/client";
import { PrismaClient } from "../../../signaling/db/generated/client";
import { parseReportPeriod } from "../../../signaling/domain/cases/reportPeriod";
import type { Actor } from "../../../signaling/policies";
import { templateDatabasePath } from "../../helpers/paths";
import { LEADER_ID, ROOT_UNIT_ID, SEED_LOOKUP_SECRET, SEED_SECRETS, type SeedResult, seedCases } from "../lib/caseSeed";
import { benchTempDir } from "../lib/media";
import { byUnitGrouped, statisticsSinglePass, statisticsWithoutByUnit } from "../lib/proposedStatistics";
import { round, type Summary, summarize } from "../lib/util";

export type CaseOperation = "lookup" | "filteredList" | "workQueue" | "textSearch" | "notifications" | "quarterlyReport";

export interface CasesOptions {
  cases: number;
  /** Samples per operation (the first call of each is a warm-up and not counted). */
  iterations?: Partial<Record<CaseOperation, number>>;
  /** Also measure with the proposed indexes added to the same copy (before/after). */
  tryProposedIndexes?: boolean;
  /** Keep the database file (its path is in the result) instead of deleting it. */
  keepDatabase?: boolean;
  /** Time budget per operation, ms (a slow operation gets fewer samples). Default 30 s. */
  budgetMs?: number;
}

interface Sample {
  codes: string[];
  communes: string[];
}

type Timings = Record<CaseOperation, Summary & { rows: number }>;

export interface StatementPlan {
  sql: string;
  params: string;
  durationMs: number;
  plan: string[];
}

export interface CasesResult {
  seeded: Omit<SeedResult, "units" | "sampleCodes"> & { fileMB: number };
  /** ms per call, through the product's CaseService / caseStatistics (Prisma + libsql adapter). */
  timings: Timings;
  /** ms for the same SQL replayed through libsql alone. */
  sqlOnly: Partial<Record<CaseOperation, Summary>>;
  /** The quarterly report with the per-unit breakdown as two GROUP BYs (proposal, bench-only code). */
  reportWithGroupedByUnit?: Summary & { sameFigures: boolean };
  /** All of the report's counts in one GROUP BY pass, scoped by unit ids (proposal, bench-only code). */
  reportSinglePass?: Summary & { sameFigures: boolean };
  /** The single pass once the proposed indexes exist. */
  reportSinglePassWithIndexes?: Summary;
  /** With the proposed indexes, when tried (text search and the report are not re-run). */
  withProposedIndexes?: Partial<Timings>;
  proposedIndexes: string[];
  /** The SQL each operation sends, with SQLite's query plan for it (one traced call each). */
  plans: Record<CaseOperation, StatementPlan[]>;
  postgres: string;
  databaseFile?: string;
  notes: string[];
}

/**
 * Indexes proposed for the product (prisma/schema.prisma), tried on the bench copy only:
 * - Case(unitId, state, dueDate) — `@@index([unitId, state, dueDate])`: the filtered work list (unit +
 *   state + overdue) is then one index range; with (unitId, state) and (state, dueDate) SQLite reads
 *   every overdue case of that state in all units and filters them by unit.
 * - Case(assigneeId, dueDate) — `@@index([assigneeId, dueDate])`, replacing `@@index([assigneeId])`: the
 *   notification bell (every page load) asks for dueDate ≤ today + 5 among the actor's cases and the
 *   unassigned ones; on (assigneeId) alone it reads every unassigned case.
 * - Case(receivedDate, unitId, kind, state, withinCompetence, acceptedDate, dueDate) — covering index
 *   for the report's single pass (statisticsSinglePass): the period's cases are read from the index alone.
 * - CaseEvent(caseId, action) — `@@index([caseId, action])`: the report's `conclude` events of the
 *   period's cases without reading every event of every case.
 */
export const PROPOSED_INDEXES = [
  `CREATE INDEX IF NOT EXISTS "Case_unitId_state_dueDate_idx" ON "Case"("unitId", "state", "dueDate")`,
  `CREATE INDEX IF NOT EXISTS "Case_assigneeId_dueDate_idx" ON "Case"("assigneeId", "dueDate")`,
  `CREATE INDEX IF NOT EXISTS "Case_report_idx" ON "Case"("receivedDate", "unitId", "kind", "state", "withinCompetence", "acceptedDate", "dueDate")`,
  `CREATE INDEX IF NOT EXISTS "CaseEvent_caseId_action_idx" ON "CaseEvent"("caseId", "action")`,
];

const OPEN_STATES = ["classified", "accepted", "verifying"] as const;
const REPORT_PERIOD = "2026-Q3";
const SEARCH_TERMS = ["bồi thường", "Trần Văn Bình", "không-có-trong-dữ-liệu", "tran van binh"];

async function postgresStatus(): Promise<string> {
  const host = process.env.PGHOST ?? "127.0.0.1";
  const port = Number(process.env.PGPORT ?? 5432);
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
  return reachable
    ? `skipped: a server answers on ${host}:${port}; the product runs on PostgreSQL (README "PostgreSQL"), but this bench's seeder writes SQLite directly, so no PostgreSQL figures yet`
    : `skipped: no PostgreSQL server reachable on ${host}:${port}`;
}

/** The last quarterly report an operation produced (to check the proposals give the same figures). */
let lastReport: CaseStatistics | undefined;

function operations(db: Db, service: CaseService, actor: Actor, sample: Sample) {
  let lookups = 0;
  let lists = 0;
  let searches = 0;
  const period = parseReportPeriod(REPORT_PERIOD)!;
  const page = { page: 1, pageSize: 50 };
  return {
    lookup: async () => {
      await service.lookup(sample.codes[lookups++ % sample.codes.length]!, SEED_LOOKUP_SECRET);
      return 1;
    },
    filteredList: async () => {
      const i = lists++;
      const result = await service.list(actor, { unitId: sample.communes[(i * 37) % sample.communes.length], state: OPEN_STATES[i % OPEN_STATES.length], deadline: "overdue" }, page);
      return result.total;
    },
    workQueue: async () => (await service.list(actor, {}, page)).total,
    textSearch: async () => (await service.list(actor, { q: SEARCH_TERMS[searches++ % SEARCH_TERMS.length] }, page)).total,
    notifications: async () => (await service.notifications(actor)).length,
    quarterlyReport: async () => {
      lastReport = await caseStatistics(db, actor, period);
      return lastReport.received;
    },
  } satisfies Record<CaseOperation, () => Promise<number>>;
}

/** Times each operation (skipping those with 0 iterations); a slow one stops after `budgetMs` (at least one sample after the warm-up). */
async function measure(ops: Record<CaseOperation, () => Promise<number>>, iterations: Record<CaseOperation, number>, budgetMs: number, log: (line: string) => void): Promise<Timings> {
  const timings = {} as Timings;
  for (const name of Object.keys(ops) as CaseOperation[]) {
    if (iterations[name] <= 0) continue;
    const warmStarted = performance.now();
    let rows = await ops[name]();
    const warmMs = performance.now() - warmStarted;
    // A call that takes a good part of the budget is its own sample: no second cold-vs-warm question.
    const samples: number[] = warmMs > budgetMs / 3 ? [warmMs] : [];
    if (samples.length === 0) {
      const deadline = performance.now() + budgetMs;
      for (let i = 0; i < iterations[name]; i++) {
        if (i > 0 && performance.now() + warmMs > deadline) break;
        const started = performance.now();
        rows = await ops[name]();
        samples.push(performance.now() - started);
      }
    }
    timings[name] = { ...rounded(summarize(samples)), rows };
    log(`  cases ${name.padEnd(16)} p50 ${timings[name].p50} ms, p95 ${timings[name].p95} ms (n=${samples.length}, rows ${rows})`);
  }
  return timings;
}

/** The SQL of one call of each operation, with EXPLAIN QUERY PLAN, through a query-logging client. */
async function tracePlans(file: string, actor: Actor, sample: Sample): Promise<Record<CaseOperation, StatementPlan[]>> {
  const traced = new PrismaClient({ adapter: new PrismaLibSQL({ url: `file:${file}` }), log: [{ emit: "event", level: "query" }] });
  const captured: { sql: string; params: string; durationMs: number }[] = [];
  traced.$on("query", (event) => captured.push({ sql: event.query, params: event.params, durationMs: event.duration }));
  const raw = createClient({ url: `file:${file}` });
  const plans = {} as Record<CaseOperation, StatementPlan[]>;
  try {
    const ops = operations(traced as unknown as Db, new CaseService(traced as unknown as Db, SEED_SECRETS), actor, sample);
    for (const name of Object.keys(ops) as CaseOperation[]) {
      captured.length = 0;
      await ops[name]();
      const statements: StatementPlan[] = [];
      for (const statement of captured) {
        if (!/^\s*SELECT/i.test(statement.sql)) continue;
        let plan: string[];
        try {
          const result = await raw.execute({ sql: `EXPLAIN QUERY PLAN ${statement.sql}`, args: JSON.parse(statement.params) as (string | number | null)[] });
          plan = result.rows.map((row) => String(row.detail));
        } catch (error) {
          plan = [`(no plan: ${(error as Error).message})`];
        }
        statements.push({ sql: statement.sql, params: statement.params, durationMs: round(statement.durationMs), plan });
      }
      plans[name] = statements;
    }
  } finally {
    await traced.$disconnect();
    raw.close();
  }
  return plans;
}

/**
 * The same statements run one after another straight through libsql (no Prisma, no JS around them):
 * how much of each operation's time is SQLite's.
 */
async function replaySql(file: string, plans: Record<CaseOperation, StatementPlan[]>, budgetMs: number, timings: Timings): Promise<Partial<Record<CaseOperation, Summary>>> {
  const raw = createClient({ url: `file:${file}` });
  const replay: Partial<Record<CaseOperation, Summary>> = {};
  try {
    for (const [name, statements] of Object.entries(plans) as [CaseOperation, StatementPlan[]][]) {
      // An operation slower than the whole budget is not replayed (the traced durations show its SQL).
      if ((timings[name]?.p50 ?? 0) > budgetMs) continue;
      const samples: number[] = [];
      const deadline = performance.now() + budgetMs;
      let first = 0;
      for (let i = 0; i < 20; i++) {
        const started = performance.now();
        for (const statement of statements) await raw.execute({ sql: statement.sql, args: JSON.parse(statement.params) as (string | number | null)[] });
        const elapsed = performance.now() - started;
        if (i === 0) first = elapsed;
        else samples.push(elapsed);
        if (performance.now() > deadline) break;
      }
      if (samples.length === 0) samples.push(first);
      replay[name] = rounded(summarize(samples));
    }
  } finally {
    raw.close();
  }
  return replay;
}

const rounded = (summary: Summary): Summary => ({ ...summary, p50: round(summary.p50), p95: round(summary.p95), p99: round(summary.p99), max: round(summary.max), mean: round(summary.mean) });

/**
 * Cases at scale: a fresh copy of the migrated template, seeded with `cases` petitions (≈ 4.4 events and
 * one party each), then the product's own queries timed: citizen lookup by code, the filtered work
 * list (unit + state + overdue), the default work queue, text search, the notification bell and the
 * quarterly statistics. Then, on the same copy, the proposals: the report's per-unit breakdown as two
 * GROUP BYs, and the proposed indexes.
 */
export async function casesScenario(options: CasesOptions, log: (line: string) => void = console.log): Promise<CasesResult> {
  const iterations: Record<CaseOperation, number> = {
    lookup: 300,
    filteredList: 40,
    workQueue: 10,
    textSearch: 6,
    notifications: 10,
    quarterlyReport: 5,
    ...options.iterations,
  };
  const budgetMs = options.budgetMs ?? 30_000;
  const file = path.join(benchTempDir(), `cases-${options.cases}.db`);
  fs.copyFileSync(templateDatabasePath, file);
  log(`  seeding ${options.cases} cases into ${file}…`);
  const seeded = await seedCases(file, options.cases, { log });
  log(`  seeded ${seeded.cases} cases, ${seeded.events} events, ${seeded.parties} parties in ${round(seeded.seconds)} s`);
  const actor: Actor = { id: LEADER_ID, roles: ["leader"], unitId: ROOT_UNIT_ID, unitPath: `/${ROOT_UNIT_ID}/` };
  const sample: Sample = { codes: seeded.sampleCodes, communes: seeded.units.filter((unit) => unit.kind === "commune").map((unit) => unit.id) };
  const period = parseReportPeriod(REPORT_PERIOD)!;

  const result: CasesResult = {
    seeded: { cases: seeded.cases, events: seeded.events, parties: seeded.parties, seconds: round(seeded.seconds), fileMB: round(fs.statSync(file).size / 1024 / 1024) },
    timings: {} as Timings,
    sqlOnly: {},
    proposedIndexes: PROPOSED_INDEXES,
    plans: {} as CasesResult["plans"],
    postgres: await postgresStatus(),
    notes: [
      "Timed through the product's code: CaseService.lookup / list / notifications and caseStatistics, on createDb() (Prisma 6 + libsql adapter), one connection, warm page cache; the first call of each is a warm-up.",
      "sqlOnly = the statements Prisma sent for one call, replayed one after another through libsql: the SQLite share of the time.",
      "filteredList = list({ unitId: <commune>, state: classified|accepted|verifying, deadline: 'overdue' }) as a province leader (the unit-subtree OR assignee scope applies).",
      "workQueue = list({}) page 1 as a province leader: the default 'Hồ sơ đơn thư' screen (count + 50 rows ordered by due date).",
      "textSearch cycles 'bồi thường' (in many summaries), 'Trần Văn Bình' (a petitioner name), a term that matches nothing and 'tran van binh' (the name without diacritics), through list({ q }): the FTS5 index CaseSearch (migration 20261206235000_case_search), exact code first, then bm25.",
      `quarterlyReport = caseStatistics(${REPORT_PERIOD}) for the whole province (what the Thống kê page and the XLSX/PDF report run).`,
    ],
  };
  const db = createDb(`file:${file}`);
  try {
    result.timings = await measure(operations(db, new CaseService(db, SEED_SECRETS), actor, sample), iterations, budgetMs, log);
    result.plans = await tracePlans(file, actor, sample);
    result.sqlOnly = await replaySql(file, result.plans, budgetMs / 3, result.timings);
    log(`  SQL only (libsql replay): ${Object.entries(result.sqlOnly).map(([name, summary]) => `${name} ${summary?.p50} ms`).join(", ")}`);

    // Proposals for the report: (1) the per-unit breakdown as two GROUP BYs, (2) everything in one pass.
    const product = lastReport ?? (await caseStatistics(db, actor, period));
    const key = (rows: { unitId: string; received: number; overdueOpen: number }[]) =>
      JSON.stringify([...rows].sort((a, b) => a.unitId.localeCompare(b.unitId)).map((row) => [row.unitId, row.received, row.overdueOpen]));
    const grouped = await byUnitGrouped(db, actor, period);
    const single = await statisticsSinglePass(db, actor, period);
    const timeIt = async (fn: () => Promise<unknown>) => {
      const samples: number[] = [];
      const deadline = performance.now() + budgetMs;
      for (let i = 0; i < iterations.quarterlyReport && (i === 0 || performance.now() < deadline); i++) {
        const started = performance.now();
        await fn();
        samples.push(performance.now() - started);
      }
      return rounded(summarize(samples));
    };
    result.reportWithGroupedByUnit = {
      ...(await timeIt(async () => {
        await statisticsWithoutByUnit(db, actor, period);
        await byUnitGrouped(db, actor, period);
      })),
      sameFigures: key(product.byUnit) === key(grouped),
    };
    result.reportSinglePass = {
      ...(await timeIt(() => statisticsSinglePass(db, actor, period))),
      sameFigures:
        single.received === product.received &&
        single.withinCompetence === product.withinCompetence &&
        single.accepted === product.accepted &&
        single.overdueOpen === product.overdueOpen &&
        single.resolved === product.resolved &&
        key(single.byUnit) === key(product.byUnit),
    };
    log(
      `  quarterlyReport proposals: grouped per-unit breakdown p50 ${result.reportWithGroupedByUnit.p50} ms (same figures: ${result.reportWithGroupedByUnit.sameFigures}); ` +
        `single pass p50 ${result.reportSinglePass.p50} ms (same figures: ${result.reportSinglePass.sameFigures})`,
    );

    if (options.tryProposedIndexes) {
      const raw = createClient({ url: `file:${file}` });
      try {
        for (const sql of PROPOSED_INDEXES) await raw.execute(sql);
      } finally {
        raw.close();
      }
      log("  with the proposed indexes:");
      const subset = { ...iterations, textSearch: 0, quarterlyReport: 0 };
      result.withProposedIndexes = await measure(operations(db, new CaseService(db, SEED_SECRETS), actor, sample), subset, budgetMs, log);
      result.reportSinglePassWithIndexes = rounded(await timeIt(() => statisticsSinglePass(db, actor, period)));
      log(`  quarterlyReport single pass with the proposed indexes: p50 ${result.reportSinglePassWithIndexes.p50} ms`);
    }
  } finally {
    await db.$disconnect();
    if (options.keepDatabase) result.databaseFile = file;
    else fs.rmSync(file, { force: true });
  }
  return result;
}
