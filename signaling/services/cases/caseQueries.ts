import { type Db, dialectOf } from "../../db/client";
import { Prisma } from "../../db/generated/client";
import { addDays, type LocalDate } from "../../domain/deadlines";
import type { CaseSummaryRow } from "../../presenters/case";
import type { CaseSortField, SortDirection } from "../../protocol";

/**
 * The case queries a clerk feels on every page at a million cases (issue 15), as SQLite SQL written for
 * the indexes of migration 20261206170000_case_performance. Kept apart from CaseService so the ordering
 * and scope rules live in one place each; every function answers exactly what the Prisma query it replaces
 * answered (test/integration/case-queries.test.ts compares both on a seeded data set).
 *
 * The same SQL runs on PostgreSQL (README "PostgreSQL"): column aliases are quoted (PostgreSQL folds bare
 * ones to lower case), subqueries in FROM are named, and where the dialects differ (JSON aggregation, the
 * full-text index) the query branches on dialectOf(db).
 */

/** "this unit and its descendants" on Unit.path, as Prisma's `startsWith` but usable inside raw SQL. */
const inSubtree = (alias: string, unitPath: string) => Prisma.sql`substr(${Prisma.raw(`${alias}."path"`)}, 1, ${unitPath.length}) = ${unitPath}`;

/**
 * Whether a case's petitioner is protected, as the search triggers and casePolicy decide it (a
 * denunciation, ever classified as one, or not yet classified), over the "Case" row aliased `c`.
 */
const PROTECTED_CASE_SQL = Prisma.sql`(c."kind" IS NULL OR c."kind" = 'denunciation' OR c."wasDenunciation")`;

const num = (value: number | bigint | null | undefined) => Number(value ?? 0);

export interface LookupRow {
  code: string;
  kind: string | null;
  state: string;
  round: number;
  receivedDate: string;
  acceptedDate: string | null;
  complexity: string;
  remoteArea: boolean;
  /** No notice can reach an anonymous petitioner, so no notice duty opens. */
  anonymous: boolean;
  lookupSecretHash: string;
  publishedAnswer: string | null;
  unitName: string;
  /** The nearest open duty as stored on every step (CaseService.#refreshDeadline): its date and rule. */
  dueDate: string | null;
  deadlineRule: string | null;
  /** The stored duties were marked stale by a days-off edit and not yet recomputed (CaseService.markDutiesStale). */
  dutiesStale: boolean;
}

/**
 * The citizen's lookup by code in ONE statement: the case, its unit's name and its stored nearest duty
 * (what the work queue shows). Prisma's `include` sent three statements; the events and the calendar are
 * read only for a case whose stored duties a days-off edit has just marked stale (CaseService.lookup).
 */
export async function lookupByCode(db: Db, code: string): Promise<LookupRow | null> {
  const rows = await db.$queryRaw<(Omit<LookupRow, "remoteArea" | "anonymous" | "round" | "dutiesStale"> & { remoteArea: number | bigint | boolean; anonymous: number | bigint | boolean; round: number | bigint; dutiesStale: number | bigint | boolean })[]>`
    SELECT c."code" AS "code", c."kind" AS "kind", c."state" AS "state", c."round" AS "round", c."receivedDate" AS "receivedDate",
           c."acceptedDate" AS "acceptedDate", c."complexity" AS "complexity", c."remoteArea" AS "remoteArea", c."anonymous" AS "anonymous",
           c."lookupSecretHash" AS "lookupSecretHash", c."publishedAnswer" AS "publishedAnswer", u."name" AS "unitName",
           c."dueDate" AS "dueDate", c."deadlineRule" AS "deadlineRule", CASE WHEN c."openDuties" IS NULL THEN 1 ELSE 0 END AS "dutiesStale"
      FROM "Case" c JOIN "Unit" u ON u."id" = c."unitId"
     WHERE c."code" = ${code}`;
  const row = rows[0];
  if (!row) return null;
  return { ...row, round: num(row.round), remoteArea: Boolean(Number(row.remoteArea)), anonymous: Boolean(Number(row.anonymous)), dutiesStale: Boolean(Number(row.dutiesStale)) };
}

/**
 * A list row with what presenting it needs, read in the same statement (a page is one round trip): the
 * assignee's name and, for a protected case only, the identity its summary is masked with
 * (CaseService.#presentRows; never sent out as such).
 */
export interface QueueRow extends CaseSummaryRow {
  wasDenunciation: boolean;
  assigneeName: string | null;
  /** A protected case's parties other than the respondent: [name, CCCD, phone, address] each. Null otherwise. */
  hiddenIdentity: (string | null)[][] | null;
}

/** Position in the work queue's order, for keyset paging: the last row of the previous page. */
export interface QueueCursor {
  dueDate: string | null;
  receivedDate: string;
  code: string;
}

export const encodeQueueCursor = (row: QueueCursor): string => Buffer.from(JSON.stringify([row.dueDate, row.receivedDate, row.code])).toString("base64url");

/** Undefined for anything that is not a cursor this module wrote (the caller answers VALIDATION_FAILED). */
export function decodeQueueCursor(value: string): QueueCursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (!Array.isArray(parsed) || parsed.length !== 3) return undefined;
    const [dueDate, receivedDate, code] = parsed as unknown[];
    if ((dueDate !== null && typeof dueDate !== "string") || typeof receivedDate !== "string" || typeof code !== "string") return undefined;
    return { dueDate, receivedDate, code };
  } catch {
    return undefined;
  }
}

interface Scope {
  id: string;
  unitPath: string;
}

type RawQueueRow = Omit<QueueRow, "unit" | "round" | "wasDenunciation" | "hiddenIdentity"> & {
  round: number | bigint;
  wasDenunciation: number | bigint | boolean;
  hiddenIdentity: string | null;
  unitId: string;
  unitCode: string;
  unitName: string;
};

/** A queue row's columns from "Case" c and "Unit" u (aliases quoted: PostgreSQL folds bare ones). */
const QUEUE_COLUMNS = Prisma.sql`c."id" AS "id", c."code" AS "code", c."kind" AS "kind", c."state" AS "state", c."round" AS "round", c."summary" AS "summary",
           c."receivedDate" AS "receivedDate", c."dueDate" AS "dueDate", c."deadlineRule" AS "deadlineRule", c."assigneeId" AS "assigneeId",
           c."wasDenunciation" AS "wasDenunciation", u."id" AS "unitId", u."code" AS "unitCode", u."name" AS "unitName"`;

/**
 * A page of rows (a query selecting QUEUE_COLUMNS, already limited) with the assignee's name and a
 * protected case's hidden identity added, in `order` (over the page's column names, aliased `c`). Added
 * outside the page so the subqueries run for the page's rows only, not for every row a sort looks at.
 */
function withPresentation(db: Db, page: Prisma.Sql, order: Prisma.Sql, extra: Prisma.Sql = Prisma.empty): Prisma.Sql {
  const identity =
    dialectOf(db) === "postgresql"
      ? Prisma.sql`(SELECT json_agg(json_build_array(p."name", p."idNumber", p."phone", p."address"))::text FROM "CaseParty" p WHERE p."caseId" = c."id" AND p."role" <> 'respondent')`
      : Prisma.sql`(SELECT json_group_array(json_array(p."name", p."idNumber", p."phone", p."address")) FROM "CaseParty" p WHERE p."caseId" = c."id" AND p."role" <> 'respondent')`;
  return Prisma.sql`SELECT c.*, (SELECT a."displayName" FROM "User" a WHERE a."id" = c."assigneeId") AS "assigneeName",
                           CASE WHEN ${PROTECTED_CASE_SQL} THEN ${identity} END AS "hiddenIdentity" ${extra}
                      FROM (${page}) c
                     ORDER BY ${order}`;
}

function toQueueRow({ unitId, unitCode, unitName, round, wasDenunciation, hiddenIdentity, ...row }: RawQueueRow): QueueRow {
  return {
    ...row,
    round: num(round),
    wasDenunciation: Boolean(Number(wasDenunciation)),
    hiddenIdentity: hiddenIdentity === null ? null : (JSON.parse(hiddenIdentity) as (string | null)[][]),
    unit: { id: unitId, code: unitCode, name: unitName },
  };
}

const QUEUE_ORDER = Prisma.sql`c."dueDate", c."receivedDate" DESC, c."code"`;

/**
 * One part of the queue (cases with a deadline, or without), in the order of the index
 * Case(dueDate, receivedDate DESC, code): SQLite walks the index and stops after `limit` rows in scope
 * instead of sorting every case.
 */
async function queuePart(db: Db, actor: Scope, part: "due" | "none", after: Prisma.Sql, limit: number, offset: number): Promise<QueueRow[]> {
  const page = Prisma.sql`
    SELECT ${QUEUE_COLUMNS}
      FROM "Case" c JOIN "Unit" u ON u."id" = c."unitId"
     WHERE ${part === "due" ? Prisma.sql`c."dueDate" IS NOT NULL` : Prisma.sql`c."dueDate" IS NULL`} ${after}
       AND (${inSubtree("u", actor.unitPath)} OR c."assigneeId" = ${actor.id})
     ORDER BY ${QUEUE_ORDER}
     LIMIT ${limit} OFFSET ${offset}`;
  return (await db.$queryRaw<RawQueueRow[]>(withPresentation(db, page, QUEUE_ORDER))).map(toQueueRow);
}

/**
 * The default work queue (no filters): the actor's units' cases and the cases assigned to them, nearest
 * deadline first, cases without one last, then newest, then code — the order of CaseService.list.
 * Either a page by number (offset within the index order) or the page after a cursor (keyset).
 */
export async function workQueuePage(db: Db, actor: Scope, page: { page: number; pageSize: number; after?: QueueCursor | undefined }) {
  const limit = page.pageSize;
  let items: QueueRow[];
  if (page.after) {
    const { dueDate, receivedDate, code } = page.after;
    const afterInNone = Prisma.sql`AND (c."receivedDate" < ${receivedDate} OR (c."receivedDate" = ${receivedDate} AND c."code" > ${code}))`;
    if (dueDate === null) {
      items = await queuePart(db, actor, "none", afterInNone, limit, 0);
    } else {
      const afterInDue = Prisma.sql`AND c."dueDate" >= ${dueDate} AND (c."dueDate" > ${dueDate} OR (c."receivedDate" < ${receivedDate} OR (c."receivedDate" = ${receivedDate} AND c."code" > ${code})))`;
      items = await queuePart(db, actor, "due", afterInDue, limit, 0);
      if (items.length < limit) items = items.concat(await queuePart(db, actor, "none", Prisma.empty, limit - items.length, 0));
    }
  } else {
    const offset = (page.page - 1) * page.pageSize;
    items = await queuePart(db, actor, "due", Prisma.empty, limit, offset);
    if (items.length < limit) {
      // Where the cases without a deadline start: right after the last dated one when this page has
      // some, else counted (only deep pages past every dated case get here).
      const datedBefore = items.length > 0 ? offset + items.length : await countDated(db, actor);
      items = items.concat(await queuePart(db, actor, "none", Prisma.empty, limit - items.length, Math.max(0, offset - datedBefore)));
    }
  }
  const last = items.at(-1);
  return { items, total: await workQueueTotal(db, actor), nextCursor: items.length === limit && last ? encodeQueueCursor(last) : null };
}

async function countDated(db: Db, actor: Scope): Promise<number> {
  const [row] = await db.$queryRaw<{ n: number | bigint }[]>`
    SELECT COUNT(*) AS n FROM "Case" c JOIN "Unit" u ON u."id" = c."unitId"
     WHERE c."dueDate" IS NOT NULL AND (${inSubtree("u", actor.unitPath)} OR c."assigneeId" = ${actor.id})`;
  return num(row?.n);
}

/**
 * How many cases the default queue holds: the maintained per-unit tally of the actor's units, plus the
 * cases assigned to the actor in other units (few, read by the assignee index).
 */
export async function workQueueTotal(db: Db, actor: Scope): Promise<number> {
  const [row] = await db.$queryRaw<{ n: number | bigint | null }[]>`
    SELECT (SELECT SUM(t."n") FROM "CaseTally" t WHERE t."unitId" IN (SELECT u."id" FROM "Unit" u WHERE ${inSubtree("u", actor.unitPath)}))
         + (SELECT COUNT(*) FROM "Case" c JOIN "Unit" u ON u."id" = c."unitId" WHERE c."assigneeId" = ${actor.id} AND NOT (${inSubtree("u", actor.unitPath)})) AS n`;
  return num(row?.n);
}

export type BellRow = Pick<QueueRow, "id" | "code" | "summary" | "assigneeId" | "kind" | "wasDenunciation" | "hiddenIdentity"> & { dueDate: string };

/**
 * The notification bell's cases (due within 5 days or overdue, assigned to the actor or unassigned in
 * their units), nearest first, at most 50, with what masking their summaries needs — one statement: two
 * index-ordered reads of Case(assigneeId, dueDate) that each stop after 50 rows, merged. One OR over both
 * made SQLite collect and sort every match (bench ≈ 100 ms); a second and third statement for the
 * masking made it 16 ms under load (issue 15).
 */
export async function bellRows(db: Db, actor: Scope, today: LocalDate): Promise<BellRow[]> {
  const until = addDays(today, 5);
  const columns = Prisma.sql`c."id" AS "id", c."code" AS "code", c."summary" AS "summary", c."dueDate" AS "dueDate", c."assigneeId" AS "assigneeId",
                             c."kind" AS "kind", c."wasDenunciation" AS "wasDenunciation"`;
  const bell = Prisma.sql`
      SELECT * FROM (SELECT ${columns} FROM "Case" c WHERE c."assigneeId" = ${actor.id} AND c."dueDate" <= ${until}
                      ORDER BY c."dueDate", c."code" LIMIT 50) AS mine
      UNION ALL
      SELECT * FROM (SELECT ${columns} FROM "Case" c JOIN "Unit" u ON u."id" = c."unitId"
                      WHERE c."assigneeId" IS NULL AND c."dueDate" <= ${until} AND ${inSubtree("u", actor.unitPath)}
                      ORDER BY c."dueDate", c."code" LIMIT 50) AS unassigned`;
  const page = Prisma.sql`SELECT * FROM (${bell}) AS bell ORDER BY "dueDate", "code" LIMIT 50`;
  const rows = await db.$queryRaw<(Omit<BellRow, "wasDenunciation" | "hiddenIdentity"> & { wasDenunciation: number | bigint | boolean; hiddenIdentity: string | null })[]>(
    withPresentation(db, page, Prisma.sql`c."dueDate", c."code"`),
  );
  return rows.map(({ wasDenunciation, hiddenIdentity, ...row }) => ({
    id: row.id,
    code: row.code,
    summary: row.summary,
    dueDate: row.dueDate,
    assigneeId: row.assigneeId,
    kind: row.kind,
    wasDenunciation: Boolean(Number(wasDenunciation)),
    hiddenIdentity: hiddenIdentity === null ? null : (JSON.parse(hiddenIdentity) as (string | null)[][]),
  }));
}

/** The list's sort (docs/list-endpoints.md), whitelisted by the query schema. */
export interface CaseOrder {
  sort: CaseSortField;
  dir: SortDirection;
}

/**
 * Each sort as Prisma orders it (the reference test/integration/case-queries.test.ts compares the SQL
 * lists with) and as SQL does (caseOrderSql), ties broken by the code so pages never overlap. Cases
 * without a deadline stay last whichever way `due` runs: they are not "latest".
 */
export function caseOrderBy(order: CaseOrder): Prisma.CaseOrderByWithRelationInput[] {
  const { dir } = order;
  switch (order.sort) {
    case "due":
      return [{ dueDate: { sort: dir, nulls: "last" } }, { receivedDate: "desc" }, { code: "asc" }];
    case "received":
      return [{ receivedDate: dir }, { code: "asc" }];
    case "code":
      return [{ code: dir }];
    case "state":
      return [{ state: dir }, { dueDate: { sort: "asc", nulls: "last" } }, { code: "asc" }];
  }
}

function caseOrderSql(order: CaseOrder): Prisma.Sql {
  const dir = Prisma.raw(order.dir === "desc" ? "DESC" : "ASC");
  switch (order.sort) {
    case "due":
      return Prisma.sql`c."dueDate" IS NULL, c."dueDate" ${dir}, c."receivedDate" DESC, c."code"`;
    case "received":
      return Prisma.sql`c."receivedDate" ${dir}, c."code"`;
    case "code":
      return Prisma.sql`c."code" ${dir}`;
    case "state":
      return Prisma.sql`c."state" ${dir}, c."dueDate" IS NULL, c."dueDate", c."code"`;
  }
}

/** "đ"/"Đ" is a letter of its own, not a d with a mark: folded here as the index triggers fold it. */
const foldD = (text: string) => text.replace(/đ/g, "d").replace(/Đ/g, "D");

/** At most this many words of a search reach FTS5 (the text is at most 100 characters anyway). */
const MAX_SEARCH_TERMS = 16;

/**
 * The user's text as an FTS5 query of prefix terms, all required: only runs of letters, digits and marks
 * survive, each quoted — so quotes, `*`, `-`, `^`, `:`, parentheses, NEAR/AND/OR/NOT never act as
 * syntax. Null when nothing searchable is left (e.g. `"` or `-`).
 */
export function ftsMatch(text: string): string | null {
  const terms = ftsTerms(text);
  return terms.length === 0 ? null : terms.join(" ");
}

/** Each searchable word of the user's text as a quoted FTS5 prefix term (see ftsMatch). */
function ftsTerms(text: string): string[] {
  return searchWords(text).map((term) => `"${term}"*`);
}

/**
 * The searchable words of the user's text: runs of letters, digits and marks. On PostgreSQL each word goes
 * as a parameter to "search".query (migration prisma/pg/migrations/…_init), which folds it as the index
 * does and keeps only letters and digits, so no user text is tsquery syntax either.
 */
function searchWords(text: string): string[] {
  return foldD(text.normalize("NFC"))
    .split(/[^\p{L}\p{N}\p{M}]+/u)
    .filter((term) => term !== "")
    .slice(0, MAX_SEARCH_TERMS);
}


/** The filters of CaseService.list besides the text, already resolved to stored values. */
export interface SearchFilters {
  unitId?: string | undefined;
  state?: string | undefined;
  kind?: string | undefined;
  assigneeId?: string | undefined;
  receivedFrom?: string | undefined;
  receivedTo?: string | undefined;
  dueFrom?: string | undefined;
  dueBefore?: string | undefined;
  dueTo?: string | undefined;
}

/** The reader's reach (their units' subtree, or assigned to them) and the filters, over "Case" c and "Unit" u. */
function listConditions(actor: Scope, filters: SearchFilters): Prisma.Sql {
  return Prisma.join(
    [
      Prisma.sql`(${inSubtree("u", actor.unitPath)} OR c."assigneeId" = ${actor.id})`,
      ...(filters.unitId !== undefined ? [Prisma.sql`c."unitId" = ${filters.unitId}`] : []),
      ...(filters.state !== undefined ? [Prisma.sql`c."state" = ${filters.state}`] : []),
      ...(filters.kind !== undefined ? [Prisma.sql`c."kind" = ${filters.kind}`] : []),
      ...(filters.assigneeId !== undefined ? [Prisma.sql`c."assigneeId" = ${filters.assigneeId}`] : []),
      ...(filters.receivedFrom !== undefined ? [Prisma.sql`c."receivedDate" >= ${filters.receivedFrom}`] : []),
      ...(filters.receivedTo !== undefined ? [Prisma.sql`c."receivedDate" <= ${filters.receivedTo}`] : []),
      ...(filters.dueFrom !== undefined ? [Prisma.sql`c."dueDate" >= ${filters.dueFrom}`] : []),
      ...(filters.dueBefore !== undefined ? [Prisma.sql`c."dueDate" < ${filters.dueBefore}`] : []),
      ...(filters.dueTo !== undefined ? [Prisma.sql`c."dueDate" <= ${filters.dueTo}`] : []),
    ],
    " AND ",
  );
}

/**
 * A filtered page of the case list (any filter, any sort, no search text) with its total, in ONE
 * statement: the page, its presentation and the count (an uncorrelated subquery, run once). Prisma's
 * count + findMany + include and the presentation's reads were six statements (bench: filtered list p95
 * 73 ms under load, SQLite's share 3 ms). Only a page past the end (no row to carry the count) costs a
 * second statement.
 */
export async function filteredPage(db: Db, actor: Scope, filters: SearchFilters, order: CaseOrder, page: { page: number; pageSize: number }): Promise<{ items: QueueRow[]; total: number }> {
  const where = listConditions(actor, filters);
  const count = Prisma.sql`SELECT COUNT(*) FROM "Case" c JOIN "Unit" u ON u."id" = c."unitId" WHERE ${where}`;
  const rows = await db.$queryRaw<(RawQueueRow & { total: number | bigint })[]>(
    withPresentation(
      db,
      Prisma.sql`SELECT ${QUEUE_COLUMNS} FROM "Case" c JOIN "Unit" u ON u."id" = c."unitId" WHERE ${where}
                  ORDER BY ${caseOrderSql(order)} LIMIT ${page.pageSize} OFFSET ${(page.page - 1) * page.pageSize}`,
      caseOrderSql(order),
      Prisma.sql`, (${count}) AS "total"`,
    ),
  );
  if (rows.length === 0) {
    if (page.page === 1) return { items: [], total: 0 };
    const [counted] = await db.$queryRaw<{ n: number | bigint }[]>`SELECT COUNT(*) AS "n" FROM "Case" c JOIN "Unit" u ON u."id" = c."unitId" WHERE ${where}`;
    return { items: [], total: num(counted?.n) };
  }
  return { items: rows.map(({ total: _total, ...row }) => toQueueRow(row)), total: num(rows[0]!.total) };
}

/**
 * How many hits a ranked search looks at (newest first), and the name matches it adds; past it the total
 * is a lower bound ("more than 1 000": the reader narrows the search). What costs at a million cases is
 * reading every hit's case row for the reader's scope, counting them and ranking them all (issue 15:
 * 0.4–0.8 s for a common word); within the cap the answer is exactly the uncapped one.
 */
export const SEARCH_CAP = 1000;

/**
 * The hits of a search that this reader may be shown, as ("docId", "caseId") rows over "Case" c / "Unit" u
 * (the reader's scope, the filters, and the privacy rule: a protected case is matched within its code and
 * the names it shows everyone only — never its summary or letter, which may name the denouncer; nothing
 * here depends on the hidden identity), newest first. `names`: instead of every word anywhere, the words
 * as a phrase in the names column (a party of exactly that name: ranked first).
 */
function searchHitsSql(db: Db, words: string, match: string, where: Prisma.Sql, what: "all" | "namePhrase", limit: number | null): Prisma.Sql {
  const names = what === "namePhrase";
  const limited = limit === null ? Prisma.empty : Prisma.sql`LIMIT ${limit}`;
  if (dialectOf(db) === "postgresql") {
    // The folded words as a phrase at weight B (names), from letters and digits only, as "search".query builds its terms.
    const query = names
      ? Prisma.sql`(SELECT string_agg('''' || t.tok || ''':B', ' <-> ' ORDER BY t.n)::tsquery
                      FROM regexp_split_to_table("search".fold(${words}), '[^[:alnum:]]+') WITH ORDINALITY AS t(tok, n)
                     WHERE t.tok <> '')`
      : Prisma.sql`"search".query(${words})`;
    return Prisma.sql`SELECT s."docId" AS "docId", d."caseId" AS "caseId"
                        FROM (SELECT ${query} AS q) q
                        JOIN "search"."CaseSearch" s ON s."doc" @@ q.q
                        JOIN "CaseSearchDoc" d ON d."docId" = s."docId" JOIN "Case" c ON c."id" = d."caseId" JOIN "Unit" u ON u."id" = c."unitId"
                       WHERE ${where} ${names ? Prisma.empty : Prisma.sql`AND (NOT ${PROTECTED_CASE_SQL} OR ts_filter(s."doc", '{a,b}') @@ q.q)`}
                       ORDER BY s."docId" DESC ${limited}`;
  }
  // FTS5 walks its hits in rowid order (the case's "CaseSearchDoc" key: newest last), so with the newest
  // first and a limit it stops early instead of reading and sorting every hit.
  const fts = names ? `names : "${words}"` : match;
  return Prisma.sql`SELECT "CaseSearch".rowid AS "docId", d."caseId" AS "caseId"
                      FROM "CaseSearch" JOIN "CaseSearchDoc" d ON d."docId" = "CaseSearch".rowid
                      JOIN "Case" c ON c."id" = d."caseId" JOIN "Unit" u ON u."id" = c."unitId"
                     WHERE "CaseSearch" MATCH ${fts} AND ${where}
                       ${names ? Prisma.empty : Prisma.sql`AND (NOT ${PROTECTED_CASE_SQL} OR "CaseSearch".rowid IN (SELECT rowid FROM "CaseSearch" WHERE "CaseSearch" MATCH ${`{code names} : (${match})`}))`}
                     ORDER BY "CaseSearch".rowid DESC ${limited}`;
}

/**
 * Case search (issue 15 item 4) over the FTS5 index "CaseSearch" (migration 20261206235000_case_search;
 * on PostgreSQL the tsvector index "search"."CaseSearch"): code, summary, content and the names a reader
 * may see (never a protected petitioner's — they are not in the index; a protected case is matched on its
 * code and those names only). Within the actor's reach and the other filters.
 *
 * Ranked (no explicit sort): the exact code first, then the cases with a party of exactly the searched
 * name (the words as a phrase in the names column), then the newest. The rank reads nothing but the code,
 * the names every reader sees and the filing order, so a protected case's place says nothing of its letter.
 * With `cap` only the newest `cap` hits (and the newest `cap` name matches) are ranked, and when there are
 * more `totalIsLowerBound` is set; without it (exports, an explicit sort) every hit counts.
 */
export async function searchPage(
  db: Db,
  actor: Scope,
  text: string,
  filters: SearchFilters,
  page: { page: number; pageSize: number },
  order: CaseOrder | null = null,
  cap: number | null = SEARCH_CAP,
): Promise<{ items: QueueRow[]; total: number; totalIsLowerBound: boolean }> {
  const match = ftsMatch(text);
  if (match === null) return { items: [], total: 0, totalIsLowerBound: false };
  const words = searchWords(text).join(" ");
  const where = listConditions(actor, filters);
  const offset = (page.page - 1) * page.pageSize;
  if (order !== null) {
    const hits = searchHitsSql(db, words, match, where, "all", null);
    const rows = await db.$queryRaw<(RawQueueRow & { total: number | bigint })[]>(
      withPresentation(
        db,
        Prisma.sql`SELECT ${QUEUE_COLUMNS} FROM (${hits}) h JOIN "Case" c ON c."id" = h."caseId" JOIN "Unit" u ON u."id" = c."unitId"
                    ORDER BY ${caseOrderSql(order)} LIMIT ${page.pageSize} OFFSET ${offset}`,
        caseOrderSql(order),
        Prisma.sql`, (SELECT COUNT(*) FROM (${hits}) h) AS "total"`,
      ),
    );
    const total = rows.length > 0 ? num(rows[0]!.total) : page.page === 1 ? 0 : num((await db.$queryRaw<{ n: number | bigint }[]>`SELECT COUNT(*) AS "n" FROM (${hits}) h`)[0]?.n);
    return { items: rows.map(({ total: _total, ...row }) => toQueueRow(row)), total, totalIsLowerBound: false };
  }
  const exactCode = text.trim().toUpperCase();
  // Candidates: the newest hits ("hits" reads one past the cap, to know whether there are more), the newest name
  // matches and the exact code, each flagged; a case in several is ranked by its best flag. Named in a
  // WITH so each is read once (both engines materialise a CTE used twice).
  const ranked = Prisma.sql`
    WITH "hits" AS (${searchHitsSql(db, words, match, where, "all", cap === null ? null : cap + 1)}),
         "ranked" AS (
           SELECT "docId", "caseId", MAX("codeHit") AS "codeHit", MAX("nameHit") AS "nameHit" FROM (
             SELECT "docId", "caseId", 0 AS "codeHit", 0 AS "nameHit" FROM (SELECT * FROM "hits" ORDER BY "docId" DESC ${cap === null ? Prisma.empty : Prisma.sql`LIMIT ${cap}`}) AS "newest"
             UNION ALL
             SELECT "docId", "caseId", 0 AS "codeHit", 1 AS "nameHit" FROM (${searchHitsSql(db, words, match, where, "namePhrase", cap)}) AS "names"
             UNION ALL
             SELECT d."docId" AS "docId", c."id" AS "caseId", 1 AS "codeHit", 0 AS "nameHit"
               FROM "Case" c JOIN "Unit" u ON u."id" = c."unitId" JOIN "CaseSearchDoc" d ON d."caseId" = c."id"
              WHERE c."code" = ${exactCode} AND ${where}) AS "candidates"
           GROUP BY "docId", "caseId")`;
  const counts = Prisma.sql`(SELECT COUNT(*) FROM "ranked") AS "candidates", (SELECT COUNT(*) FROM "hits") AS "hits"`;
  const rows = await db.$queryRaw<(RawQueueRow & { codeHit: number | bigint; nameHit: number | bigint; docId: number | bigint; candidates: number | bigint; hits: number | bigint })[]>`
    ${ranked}
    ${withPresentation(
      db,
      Prisma.sql`SELECT ${QUEUE_COLUMNS}, r."codeHit" AS "codeHit", r."nameHit" AS "nameHit", r."docId" AS "docId"
                   FROM "ranked" r JOIN "Case" c ON c."id" = r."caseId" JOIN "Unit" u ON u."id" = c."unitId"
                  ORDER BY r."codeHit" DESC, r."nameHit" DESC, r."docId" DESC LIMIT ${page.pageSize} OFFSET ${offset}`,
      Prisma.sql`c."codeHit" DESC, c."nameHit" DESC, c."docId" DESC`,
      Prisma.sql`, ${counts}`,
    )}`;
  const items = rows.map(({ codeHit: _codeHit, nameHit: _nameHit, docId: _docId, candidates: _candidates, hits: _hits, ...row }) => toQueueRow(row));
  // A page past the end has no row to carry the counts.
  const [found] = rows.length > 0 ? rows : page.page === 1 ? [] : await db.$queryRaw<{ candidates: number | bigint; hits: number | bigint }[]>`${ranked} SELECT ${counts}`;
  if (!found) return { items, total: 0, totalIsLowerBound: false };
  // Within the cap the candidates are exactly the hits; past it, what can be paged through.
  return { items, total: num(found.candidates), totalIsLowerBound: cap !== null && num(found.hits) > cap };
}
