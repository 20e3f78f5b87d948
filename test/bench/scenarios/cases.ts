import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { createClient } from "@libsql/client";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { caseStatistics } from "../../../signaling/services/cases/caseStatistics";
import { CaseService } from "../../../signaling/services/cases/cases";
import { createDb, type Db } from "../../../signaling/db/client";
import { PrismaClient } from "../../../signaling/db/generated/client";
import { parseReportPeriod, type ReportPeriod } from "../../../signaling/domain/cases/reportPeriod";
import { vietnamDateOf } from "../../../signaling/domain/deadlines";
import type { Actor } from "../../../signaling/policies";
import { templateDatabasePath } from "../../helpers/paths";
import { LEADER_ID, ROOT_UNIT_ID, SEED_LOOKUP_SECRET, SEED_SECRETS, type SeedResult, seedCases } from "../lib/caseSeed";
import { benchTempDir } from "../lib/media";
import { round, type Summary, summarize } from "../lib/util";

export type CaseOperation = "lookup" | "filteredList" | "workQueue" | "workQueueNext" | "textSearch" | "notifications" | "notificationsRecomputed" | "quarterlyReport" | "yearReport";

export interface CasesOptions {
  cases: number;
  /** Samples per operation (the first call of each is a warm-up and not counted). */
  iterations?: Partial<Record<CaseOperation, number>>;
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
  /** textSearch split by the kind of text searched (the same CaseService.list({ q }) call). */
  searchByTerm: { term: string; what: string; rows: number; p50: number; p95: number; n: number }[];
  /** The keyset page after page 1 holds the same cases as page 2 by number (a sanity check of the figure). */
  keysetMatchesPageTwo: boolean;
  /** The SQL each operation sends, with SQLite's query plan for it (one traced call each). */
  plans: Record<CaseOperation, StatementPlan[]>;
  postgres: string;
  databaseFile?: string;
  notes: string[];
}

const OPEN_STATES = ["classified", "accepted", "verifying"] as const;

/**
 * The last whole quarter before `today` and its year (the seed spreads cases over three years back, open
 * ones over the last five months, so both periods are full whenever the bench runs).
 */
function reportPeriods(today: string): { quarter: ReportPeriod; year: ReportPeriod } {
  const current = Math.floor((Number(today.slice(5, 7)) - 1) / 3);
  const year = Number(today.slice(0, 4)) - (current === 0 ? 1 : 0);
  return { quarter: parseReportPeriod(`${year}-Q${current === 0 ? 4 : current}`)!, year: parseReportPeriod(String(year))! };
}

/**
 * What a clerk types: a topic word in many cases, a petitioner's name as written, without marks and in
 * capitals (the same cases), a case code, and a text that matches nothing. The code is the sample's.
 */
const searchTerms = (code: string) => [
  { term: "bồi thường", what: "topic words (≈ 5 % of cases)" },
  { term: "Trần Văn Bình", what: "a name with marks" },
  { term: "tran van binh", what: "the name without marks" },
  { term: "TRAN VAN BINH", what: "the name in capitals" },
  { term: code, what: "a case code" },
  { term: "không-có-trong-dữ-liệu", what: "no match" },
];

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

function operations(db: Db, service: CaseService, actor: Actor, sample: Sample, periods: ReturnType<typeof reportPeriods>) {
  let lookups = 0;
  let lists = 0;
  let searches = 0;
  const page = { page: 1, pageSize: 50 };
  const terms = searchTerms(sample.codes[0] ?? "BN-2026-000001").map((entry) => entry.term);
  let cursor: string | undefined;
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
    workQueue: async () => {
      const result = await service.list(actor, {}, page);
      cursor = result.nextCursor ?? undefined;
      return result.total;
    },
    // The next page by the cursor page 1 handed out (the client's "Trang sau"), count included.
    workQueueNext: async () => {
      cursor ??= (await service.list(actor, {}, page)).nextCursor ?? undefined;
      return (await service.list(actor, { after: cursor }, page)).items.length;
    },
    textSearch: async () => (await service.list(actor, { q: terms[searches++ % terms.length] }, page)).total,
    // A staff page's poll: the answer kept since the last case write (one read of the case clock).
    notifications: async () => (await service.notifications(actor)).length,
    // The first poll after a case write: nothing kept (a fresh service), the clock read and the bell's query.
    notificationsRecomputed: async () => (await new CaseService(db, SEED_SECRETS).notifications(actor)).length,
    quarterlyReport: async () => (await caseStatistics(db, actor, periods.quarter)).received,
    yearReport: async () => (await caseStatistics(db, actor, periods.year)).received,
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
    const ops = operations(traced as unknown as Db, new CaseService(traced as unknown as Db, SEED_SECRETS), actor, sample, reportPeriods(vietnamDateOf(new Date())));
    for (const name of Object.keys(ops) as CaseOperation[]) {
      // The bell as a poll sees it: its answer already kept, so what is traced is the poll's own statement.
      if (name === "notifications") await ops[name]();
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

/** Each search term on its own (the textSearch figure mixes them). */
async function measureSearchTerms(service: CaseService, actor: Actor, code: string, iterations: number, budgetMs: number, log: (line: string) => void): Promise<CasesResult["searchByTerm"]> {
  const rows: CasesResult["searchByTerm"] = [];
  for (const { term, what } of searchTerms(code)) {
    let found = (await service.list(actor, { q: term }, { page: 1, pageSize: 50 })).total;
    const samples: number[] = [];
    const deadline = performance.now() + budgetMs;
    for (let i = 0; i < iterations && (i === 0 || performance.now() < deadline); i++) {
      const started = performance.now();
      found = (await service.list(actor, { q: term }, { page: 1, pageSize: 50 })).total;
      samples.push(performance.now() - started);
    }
    const summary = rounded(summarize(samples));
    rows.push({ term, what, rows: found, p50: summary.p50, p95: summary.p95, n: summary.n });
    log(`  search ${JSON.stringify(term)} (${what}): p50 ${summary.p50} ms, p95 ${summary.p95} ms, ${found} cases`);
  }
  return rows;
}

/**
 * Cases at scale: a fresh copy of the migrated template, seeded with `cases` petitions (≈ 4.4 events and
 * one party each), then the product's own queries timed: citizen lookup by code, the filtered work
 * list (unit + state + overdue), the default work queue (count + page 1) and its next page by cursor,
 * text search, the notification bell, and the quarterly and year statistics.
 */
export async function casesScenario(options: CasesOptions, log: (line: string) => void = console.log): Promise<CasesResult> {
  const iterations: Record<CaseOperation, number> = {
    lookup: 300,
    filteredList: 40,
    workQueue: 40,
    workQueueNext: 40,
    textSearch: 36,
    notifications: 60,
    notificationsRecomputed: 60,
    quarterlyReport: 5,
    yearReport: 5,
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
  const periods = reportPeriods(vietnamDateOf(new Date()));

  const result: CasesResult = {
    seeded: { cases: seeded.cases, events: seeded.events, parties: seeded.parties, seconds: round(seeded.seconds), fileMB: round(fs.statSync(file).size / 1024 / 1024) },
    timings: {} as Timings,
    sqlOnly: {},
    searchByTerm: [],
    keysetMatchesPageTwo: false,
    plans: {} as CasesResult["plans"],
    postgres: await postgresStatus(),
    notes: [
      "Timed through the product's code: CaseService.lookup / list / notifications and caseStatistics, on createDb() (Prisma 6 + libsql adapter), one connection, warm page cache; the first call of each is a warm-up.",
      "sqlOnly = the statements Prisma sent for one call, replayed one after another through libsql: the SQLite share of the time.",
      "filteredList = list({ unitId: <commune>, state: classified|accepted|verifying, deadline: 'overdue' }) as a province leader (the unit-subtree OR assignee scope applies).",
      "workQueue = list({}) page 1 as a province leader: the default 'Hồ sơ đơn thư' screen (total from the CaseTally counts + 50 rows in the order index). workQueueNext = the page after it by the keyset cursor page 1 returned (total included).",
      "textSearch cycles the searchByTerm texts through list({ q }): the FTS5 index CaseSearch, the exact code first, then a party of exactly that name, then the newest, over the newest SEARCH_CAP hits (the total is then a lower bound).",
      "notifications = the bell as a staff page polls it: due within 5 days or overdue, the actor's or unassigned in their units, at most 50, kept per actor, scope and Vietnam day until the case clock (table CaseClock, moved by triggers on every case write) moves: one primary-key read. notificationsRecomputed = the first poll after a case write: the clock read, then one statement (two index-ordered reads of Case(assigneeId, dueDate) and the masking identity of protected cases).",
      `quarterlyReport / yearReport = caseStatistics(${periods.quarter.id} / ${periods.year.id}) for the whole province (what the Thống kê page and the XLSX/PDF report run): one GROUP BY pass over the covering index Case_report_idx, the period's conclusions, the reception book.`,
    ],
  };
  const db = createDb(`file:${file}`);
  try {
    const service = new CaseService(db, SEED_SECRETS);
    result.timings = await measure(operations(db, service, actor, sample, periods), iterations, budgetMs, log);
    const first = await service.list(actor, {}, { page: 1, pageSize: 50 });
    const byCursor = first.nextCursor ? await service.list(actor, { after: first.nextCursor }, { page: 1, pageSize: 50 }) : { items: [] };
    const byNumber = await service.list(actor, {}, { page: 2, pageSize: 50 });
    result.keysetMatchesPageTwo = JSON.stringify(byCursor.items.map((item) => item.id)) === JSON.stringify(byNumber.items.map((item) => item.id));
    if (iterations.textSearch > 0) result.searchByTerm = await measureSearchTerms(service, actor, sample.codes[0] ?? "", Math.max(1, Math.ceil(iterations.textSearch / 6)), budgetMs / 6, log);
    result.plans = await tracePlans(file, actor, sample);
    result.sqlOnly = await replaySql(file, result.plans, budgetMs / 3, result.timings);
    log(`  SQL only (libsql replay): ${Object.entries(result.sqlOnly).map(([name, summary]) => `${name} ${summary?.p50} ms`).join(", ")}`);
  } finally {
    await db.$disconnect();
    if (options.keepDatabase) result.databaseFile = file;
    else fs.rmSync(file, { force: true });
  }
  return result;
}
