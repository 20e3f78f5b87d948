import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bellRows, decodeQueueCursor, lookupByCode, workQueuePage, workQueueTotal } from "../../signaling/services/cases/caseQueries";
import { caseStatistics, countsByChildUnit } from "../../signaling/services/cases/caseStatistics";
import { CaseService } from "../../signaling/services/cases/cases";
import { createDb, type Db } from "../../signaling/db/client";
import type { Prisma } from "../../signaling/db/generated/client";
import { parseReportPeriod } from "../../signaling/domain/cases/reportPeriod";
import { addDays, type LocalDate, vietnamDateOf } from "../../signaling/domain/deadlines";
import type { Actor } from "../../signaling/policies";
import { LEADER_ID, ROOT_UNIT_ID, SEED_LOOKUP_SECRET, SEED_SECRETS, seedCases, type SeedResult } from "../bench/lib/caseSeed";
import { copyIntoPostgres } from "../helpers/copyToPostgres";
import { templateDatabasePath } from "../helpers/paths";
import { createTestPgDatabase, postgresPass, type TestPgDatabase } from "../helpers/postgres";

/**
 * Issue 15's queries (signaling/services/cases/caseQueries.ts, the single-pass report) give the same answers as
 * the Prisma queries they replaced, on the bench's seeded data set (real codes, deadlines, assignees in
 * other units, cases without a deadline). The references below are the replaced queries, verbatim. In the
 * PostgreSQL pass the seeded rows are copied into a PostgreSQL database and the same comparisons run there.
 */
let dir: string;
let db: Db;
let pgDatabase: TestPgDatabase | undefined;
let seeded: SeedResult;
const leader: Actor = { id: LEADER_ID, roles: ["leader"], unitId: ROOT_UNIT_ID, unitPath: `/${ROOT_UNIT_ID}/` };
let officer: Actor;
const today = vietnamDateOf(new Date()) as LocalDate;

const scopeOf = (actor: Actor): Prisma.CaseWhereInput => ({ OR: [{ unit: { path: { startsWith: actor.unitPath } } }, { assigneeId: actor.id }] });
const queueOrder: Prisma.CaseOrderByWithRelationInput[] = [{ dueDate: { sort: "asc", nulls: "last" } }, { receivedDate: "desc" }, { code: "asc" }];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-case-queries-"));
  const file = path.join(dir, "cases.db");
  fs.copyFileSync(templateDatabasePath, file);
  seeded = await seedCases(file, 1_500, { log: () => undefined });
  db = createDb(`file:${file}`);
  if (postgresPass) {
    pgDatabase = await createTestPgDatabase();
    const pg = createDb(pgDatabase.url);
    await copyIntoPostgres(db, pg);
    await db.$disconnect();
    db = pg;
  }
  // An officer of a commune with cases assigned in other units too: the queue's OR scope matters.
  const [row] = await db.$queryRaw<{ id: string; unitId: string; path: string }[]>`
    SELECT u."id" AS "id", u."unitId" AS "unitId", n."path" AS "path" FROM "User" u JOIN "Unit" n ON n."id" = u."unitId"
     WHERE u."id" <> ${LEADER_ID} AND EXISTS (SELECT 1 FROM "Case" c WHERE c."assigneeId" = u."id" AND c."unitId" <> u."unitId")
     ORDER BY u."id" LIMIT 1`;
  officer = { id: row!.id, roles: ["officer"], unitId: row!.unitId, unitPath: row!.path };
}, 120_000);

afterAll(async () => {
  await db?.$disconnect();
  await pgDatabase?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("work queue", () => {
  it.each([["leader"], ["officer"]])("the %s's pages by number are the Prisma order, total from the tally equals COUNT", async (who) => {
    const actor = who === "leader" ? leader : officer;
    const expectedIds = (await db.case.findMany({ where: scopeOf(actor), orderBy: queueOrder, select: { id: true } })).map((row) => row.id);
    expect(expectedIds.length).toBeGreaterThan(0);
    expect(await workQueueTotal(db, actor)).toBe(await db.case.count({ where: scopeOf(actor) }));
    const pageSize = 40;
    const pages = Math.ceil(expectedIds.length / pageSize) + 1;
    const got: string[] = [];
    for (let page = 1; page <= pages; page++) got.push(...(await workQueuePage(db, actor, { page, pageSize })).items.map((row) => row.id));
    expect(got).toEqual(expectedIds);
  });

  it.each([["leader"], ["officer"]])("the %s's keyset pages cover the queue once, without duplicates or gaps", async (who) => {
    const actor = who === "leader" ? leader : officer;
    const expectedIds = (await db.case.findMany({ where: scopeOf(actor), orderBy: queueOrder, select: { id: true } })).map((row) => row.id);
    const got: string[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 1_000; guard++) {
      const result: Awaited<ReturnType<typeof workQueuePage>> = await workQueuePage(db, actor, { page: 1, pageSize: 35, after: cursor ? decodeQueueCursor(cursor) : undefined });
      got.push(...result.items.map((row) => row.id));
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    expect(new Set(got).size).toBe(got.length);
    expect(got).toEqual(expectedIds);
  });

  it("CaseService.list without filters answers the Prisma page and a cursor; a foreign cursor is refused", async () => {
    const service = new CaseService(db, SEED_SECRETS);
    const first = await service.list(leader, {}, { page: 1, pageSize: 20 });
    const expected = await db.case.findMany({ where: scopeOf(leader), orderBy: queueOrder, take: 20, select: { id: true } });
    expect(first.items.map((item) => item.id)).toEqual(expected.map((row) => row.id));
    expect(first.total).toBe(seeded.cases);
    expect("nextCursor" in first && first.nextCursor).toBeTruthy();
    await expect(service.list(leader, { after: "not-a-cursor" }, { page: 1, pageSize: 20 })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    await expect(service.list(leader, { state: "received", after: (first as { nextCursor: string }).nextCursor }, { page: 1, pageSize: 20 })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
  });

  it("the tally follows inserts, state and unit changes and deletes (triggers)", async () => {
    const tally = async () => (await db.caseTally.findMany({ where: { n: { gt: 0 } }, orderBy: [{ unitId: "asc" }, { state: "asc" }] })).map((row) => [row.unitId, row.state, row.n]);
    const grouped = async () =>
      (await db.case.groupBy({ by: ["unitId", "state"], _count: { _all: true }, orderBy: [{ unitId: "asc" }, { state: "asc" }] })).map((row) => [row.unitId, row.state, row._count._all]);
    expect(await tally()).toEqual(await grouped());
    const [a, b] = await db.case.findMany({ take: 2, orderBy: { code: "asc" }, select: { id: true, unitId: true } });
    const otherUnit = seeded.units.find((unit) => unit.id !== a!.unitId && unit.kind === "commune")!.id;
    await db.case.update({ where: { id: a!.id }, data: { state: "closed", unitId: otherUnit } });
    await db.caseEvent.deleteMany({ where: { caseId: b!.id } });
    await db.caseParty.deleteMany({ where: { caseId: b!.id } });
    await db.case.delete({ where: { id: b!.id } });
    expect(await tally()).toEqual(await grouped());
  });

  it("each case's conclusion counts are those of its conclusion events (triggers), deletes included", async () => {
    const mismatches = async () =>
      (
        await db.$queryRaw<{ n: number | bigint }[]>`
          SELECT COUNT(*) AS "n" FROM "Case" c
           WHERE c."conclusions" <> (SELECT COUNT(*) FROM "CaseEvent" e WHERE e."caseId" = c."id" AND e."action" = 'conclude')`
      ).map((row) => Number(row.n))[0];
    expect(await db.case.count({ where: { conclusions: { gt: 0 } } })).toBeGreaterThan(0);
    expect(await mismatches()).toBe(0);
    const concluded = await db.case.findFirstOrThrow({ where: { conclusions: { gt: 0 } }, select: { id: true } });
    await db.caseEvent.deleteMany({ where: { caseId: concluded.id, action: "conclude" } });
    expect(await db.case.findUniqueOrThrow({ where: { id: concluded.id }, select: { conclusions: true, concludedOnTime: true, outcomeRight: true, outcomePartlyRight: true, outcomeWrong: true } })).toEqual({
      conclusions: 0,
      concludedOnTime: 0,
      outcomeRight: 0,
      outcomePartlyRight: 0,
      outcomeWrong: 0,
    });
    expect(await mismatches()).toBe(0);
  });
});

// SQLite only: on PostgreSQL the copy rebuilds the search tables from the copied rows (copyIntoPostgres).
describe.skipIf(postgresPass)("the bench's seeded data set", () => {
  it("has every protected case in the protected-identity search index, as the product writes them", async () => {
    const [protectedCases] = await db.$queryRaw<{ n: number | bigint }[]>`
      SELECT COUNT(*) AS "n" FROM "Case" WHERE "kind" IS NULL OR "kind" = 'denunciation' OR "wasDenunciation"`;
    const [indexed] = await db.$queryRaw<{ n: number | bigint }[]>`SELECT COUNT(*) AS "n" FROM "CaseSearchProtected"`;
    expect(Number(protectedCases!.n)).toBeGreaterThan(0);
    expect(Number(indexed!.n)).toBe(Number(protectedCases!.n));
  });
});

describe("notification bell", () => {
  it.each([["leader"], ["officer"]])("the %s's bell lists what the OR query listed (ties ordered by code)", async (who) => {
    const actor = who === "leader" ? leader : officer;
    const expected = await db.case.findMany({
      where: { dueDate: { lte: addDays(today, 5) }, OR: [{ assigneeId: actor.id }, { assigneeId: null, unit: { path: { startsWith: actor.unitPath } } }] },
      orderBy: [{ dueDate: "asc" }, { code: "asc" }],
      take: 50,
      select: { id: true, code: true, summary: true, dueDate: true, assigneeId: true },
    });
    expect(expected.length).toBeGreaterThan(0);
    expect(await bellRows(db, actor, today)).toEqual(expected);
  });
});

describe("lookup by code", () => {
  it("one statement gives the case, its unit name and its events in order; the service still checks the secret", async () => {
    const code = seeded.sampleCodes[3]!;
    const row = await lookupByCode(db, code);
    const expected = await db.case.findUnique({ where: { code }, include: { unit: true, events: { orderBy: { sequence: "asc" } } } });
    expect(row).toMatchObject({ code, kind: expected!.kind, state: expected!.state, round: expected!.round, remoteArea: expected!.remoteArea, unitName: expected!.unit.name });
    expect(row!.events).toEqual(expected!.events.map((event) => ({ action: event.action, data: event.data })));
    expect(await lookupByCode(db, "BN-1999-999999")).toBeNull();
    const service = new CaseService(db, SEED_SECRETS);
    expect((await service.lookup(code, SEED_LOOKUP_SECRET)).code).toBe(code);
    await expect(service.lookup(code, "WRONG-SECRET")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("quarterly report in one pass", () => {
  it.each([["2026-Q3"], ["2026"]])("%s: the same figures as the separate counts", async (id) => {
    const period = parseReportPeriod(id)!;
    for (const actor of [leader, officer]) {
      const scope = { unit: { path: { startsWith: actor.unitPath } }, receivedDate: { gte: period.from, lte: period.to } };
      const [received, kinds, states, withinCompetence, accepted, overdueOpen, byUnit] = await Promise.all([
        db.case.count({ where: scope }),
        db.case.groupBy({ by: ["kind"], where: scope, _count: { _all: true } }),
        db.case.groupBy({ by: ["state"], where: scope, _count: { _all: true } }),
        db.case.count({ where: { ...scope, withinCompetence: true } }),
        db.case.count({ where: { ...scope, acceptedDate: { not: null } } }),
        db.case.count({ where: { ...scope, dueDate: { lt: today } } }),
        countsByChildUnit(db, actor, scope, today),
      ]);
      const report = await caseStatistics(db, actor, period);
      expect({ received: report.received, withinCompetence: report.withinCompetence, accepted: report.accepted, overdueOpen: report.overdueOpen }).toEqual({
        received,
        withinCompetence,
        accepted,
        overdueOpen,
      });
      for (const row of kinds) if (row.kind) expect(report.byKind[row.kind]).toBe(row._count._all);
      for (const row of states) expect(report.byState[row.state]).toBe(row._count._all);
      const key = (rows: { unitId: string; received: number; overdueOpen: number }[]) =>
        rows.filter((row) => row.received > 0 || row.unitId === actor.unitId).map((row) => [row.unitId, row.received, row.overdueOpen]).sort();
      expect(key(report.byUnit)).toEqual(key(byUnit));
    }
    expect((await caseStatistics(db, leader, period)).received).toBeGreaterThan(0);
  });

  it.each([["2026-Q3"], ["2026"], ["2025"]])("%s: resolved, on time and outcomes are those of the period's conclusion events", async (id) => {
    const period = parseReportPeriod(id)!;
    for (const actor of [leader, officer]) {
      // The replaced query, verbatim: every conclusion event of the period's cases, read and counted here.
      const scope = { unit: { path: { startsWith: actor.unitPath } }, receivedDate: { gte: period.from, lte: period.to } };
      const conclusions = await db.caseEvent.findMany({ where: { action: "conclude", case: scope }, select: { data: true } });
      const outcomes = { right: 0, partlyRight: 0, wrong: 0 };
      let onTime = 0;
      for (const event of conclusions) {
        const data = JSON.parse(event.data) as { outcome?: keyof typeof outcomes; decisionDate?: string; dueAtConclusion?: string | null };
        if (data.outcome && data.outcome in outcomes) outcomes[data.outcome]++;
        if (!data.dueAtConclusion || (data.decisionDate && data.decisionDate <= data.dueAtConclusion)) onTime++;
      }
      const report = await caseStatistics(db, actor, period);
      expect({ resolved: report.resolved, resolvedOnTime: report.resolvedOnTime, resolvedLate: report.resolvedLate, outcomes: report.outcomes }).toEqual({
        resolved: conclusions.length,
        resolvedOnTime: onTime,
        resolvedLate: conclusions.length - onTime,
        outcomes,
      });
    }
    if (id === "2025") expect((await caseStatistics(db, leader, period)).resolved).toBeGreaterThan(0);
  });
});
