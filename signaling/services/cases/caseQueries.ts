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
  events: { action: string; data: string }[];
}

/**
 * The citizen's lookup by code in ONE statement: the case, its unit's name and its events (in sequence
 * order, for the running deadline) as a JSON array. Prisma's `include` sent three (bench p95 ≈ 5 ms).
 */
export async function lookupByCode(db: Db, code: string): Promise<LookupRow | null> {
  const events =
    dialectOf(db) === "postgresql"
      ? Prisma.sql`(SELECT coalesce(json_agg(json_build_object('action', e."action", 'data', e."data") ORDER BY e."sequence"), '[]'::json)::text
                      FROM "CaseEvent" e WHERE e."caseId" = c."id")`
      : Prisma.sql`(SELECT json_group_array(json_object('action', e."action", 'data', e."data"))
                      FROM (SELECT "action", "data" FROM "CaseEvent" WHERE "caseId" = c."id" ORDER BY "sequence") e)`;
  const rows = await db.$queryRaw<(Omit<LookupRow, "events" | "remoteArea" | "anonymous" | "round"> & { remoteArea: number | bigint | boolean; anonymous: number | bigint | boolean; round: number | bigint; events: string })[]>`
    SELECT c."code" AS "code", c."kind" AS "kind", c."state" AS "state", c."round" AS "round", c."receivedDate" AS "receivedDate",
           c."acceptedDate" AS "acceptedDate", c."complexity" AS "complexity", c."remoteArea" AS "remoteArea", c."anonymous" AS "anonymous",
           c."lookupSecretHash" AS "lookupSecretHash", c."publishedAnswer" AS "publishedAnswer", u."name" AS "unitName",
           ${events} AS "events"
      FROM "Case" c JOIN "Unit" u ON u."id" = c."unitId"
     WHERE c."code" = ${code}`;
  const row = rows[0];
  if (!row) return null;
  return { ...row, round: num(row.round), remoteArea: Boolean(Number(row.remoteArea)), anonymous: Boolean(Number(row.anonymous)), events: JSON.parse(row.events) as LookupRow["events"] };
}

export type QueueRow = CaseSummaryRow;

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

type RawQueueRow = Omit<QueueRow, "unit" | "round"> & { round: number | bigint; unitId: string; unitCode: string; unitName: string };

/** A queue row's columns from "Case" c and "Unit" u (aliases quoted: PostgreSQL folds bare ones). */
const QUEUE_COLUMNS = Prisma.sql`c."id" AS "id", c."code" AS "code", c."kind" AS "kind", c."state" AS "state", c."round" AS "round", c."summary" AS "summary",
           c."receivedDate" AS "receivedDate", c."dueDate" AS "dueDate", c."deadlineRule" AS "deadlineRule", c."assigneeId" AS "assigneeId",
           u."id" AS "unitId", u."code" AS "unitCode", u."name" AS "unitName"`;

/**
 * One part of the queue (cases with a deadline, or without), in the order of the index
 * Case(dueDate, receivedDate DESC, code): SQLite walks the index and stops after `limit` rows in scope
 * instead of sorting every case.
 */
async function queuePart(db: Db, actor: Scope, part: "due" | "none", after: Prisma.Sql, limit: number, offset: number): Promise<QueueRow[]> {
  const rows = await db.$queryRaw<RawQueueRow[]>`
    SELECT ${QUEUE_COLUMNS}
      FROM "Case" c JOIN "Unit" u ON u."id" = c."unitId"
     WHERE ${part === "due" ? Prisma.sql`c."dueDate" IS NOT NULL` : Prisma.sql`c."dueDate" IS NULL`} ${after}
       AND (${inSubtree("u", actor.unitPath)} OR c."assigneeId" = ${actor.id})
     ORDER BY c."dueDate", c."receivedDate" DESC, c."code"
     LIMIT ${limit} OFFSET ${offset}`;
  return rows.map(({ unitId, unitCode, unitName, round, ...row }) => ({ ...row, round: num(round), unit: { id: unitId, code: unitCode, name: unitName } }));
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

export interface BellRow {
  id: string;
  code: string;
  summary: string;
  dueDate: string;
  assigneeId: string | null;
}

/**
 * The notification bell's cases (due within 5 days or overdue, assigned to the actor or unassigned in
 * their units), nearest first, at most 50: two index-ordered reads of Case(assigneeId, dueDate) that each
 * stop after 50 rows, merged. One OR over both made SQLite collect and sort every match (bench ≈ 100 ms).
 */
export async function bellRows(db: Db, actor: Scope, today: LocalDate): Promise<BellRow[]> {
  const until = addDays(today, 5);
  return db.$queryRaw<BellRow[]>`
    SELECT "id", "code", "summary", "dueDate", "assigneeId" FROM (
      SELECT * FROM (SELECT c."id" AS "id", c."code" AS "code", c."summary" AS "summary", c."dueDate" AS "dueDate", c."assigneeId" AS "assigneeId"
                       FROM "Case" c WHERE c."assigneeId" = ${actor.id} AND c."dueDate" <= ${until}
                      ORDER BY c."dueDate", c."code" LIMIT 50) AS mine
      UNION ALL
      SELECT * FROM (SELECT c."id" AS "id", c."code" AS "code", c."summary" AS "summary", c."dueDate" AS "dueDate", c."assigneeId" AS "assigneeId"
                       FROM "Case" c JOIN "Unit" u ON u."id" = c."unitId"
                      WHERE c."assigneeId" IS NULL AND c."dueDate" <= ${until} AND ${inSubtree("u", actor.unitPath)}
                      ORDER BY c."dueDate", c."code" LIMIT 50) AS unassigned) AS bell
     ORDER BY "dueDate", "code" LIMIT 50`;
}

/** The list's sort (docs/list-endpoints.md), whitelisted by the query schema. */
export interface CaseOrder {
  sort: CaseSortField;
  dir: SortDirection;
}

/**
 * Each sort as Prisma orders it and as SQL does, ties broken by the code so pages never overlap. Cases
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

/**
 * Whether a case's petitioner is protected, as the search triggers and casePolicy decide it (a
 * denunciation, ever classified as one, or not yet classified), over the "Case" row aliased `c`.
 */
const PROTECTED_CASE_SQL = Prisma.sql`(c."kind" IS NULL OR c."kind" = 'denunciation' OR c."wasDenunciation")`;

/**
 * The hits of a search with their score, lower = better: FTS5's bm25 on SQLite; on PostgreSQL minus
 * ts_rank over the weighted tsvector (weights D, C, B, A = content, summary, names, code in FTS5's
 * proportions 1 : 2 : 5 : 10), so one ORDER BY serves both. "nameHit" is 1 when the searched words stand,
 * whole and in order, in the names a reader may see: someone searching "Trần Văn Bình" wants that person's
 * cases before letters that merely use the words, which bm25 alone ranks by frequency (issue 15: exact
 * code and name matches first). Only names in the index count, so it can never point at a protected one.
 * "visibleHit" is 1 when every term matches within the code and the names alone: the only text of a
 * protected case that a search may look at (searchPage).
 */
function searchHits(db: Db, text: string, match: string): Prisma.Sql {
  const words = searchWords(text).join(" ");
  if (dialectOf(db) === "postgresql") {
    // The folded words as a phrase at weight B (names), from letters and digits only, as "search".query builds its terms.
    const namePhrase = Prisma.sql`(SELECT string_agg('''' || t.tok || ''':B', ' <-> ' ORDER BY t.n)::tsquery
                                     FROM regexp_split_to_table("search".fold(${words}), '[^[:alnum:]]+') WITH ORDINALITY AS t(tok, n)
                                    WHERE t.tok <> '')`;
    return Prisma.sql`SELECT d."caseId" AS "caseId", -ts_rank('{0.1, 0.2, 0.5, 1.0}'::real[], s."doc", q.q) AS "score",
                             CASE WHEN s."doc" @@ q.names THEN 1 ELSE 0 END AS "nameHit",
                             CASE WHEN ts_filter(s."doc", '{a,b}') @@ q.q THEN 1 ELSE 0 END AS "visibleHit"
                        FROM "search"."CaseSearch" s JOIN "CaseSearchDoc" d ON d."docId" = s."docId"
                        CROSS JOIN (SELECT "search".query(${words}) AS q, ${namePhrase} AS names) q
                       WHERE s."doc" @@ q.q`;
  }
  // An FTS5 phrase of the same sanitised words (letters, digits and marks only: no syntax), names column only.
  const namePhrase = `names : "${words}"`;
  // The same terms within the code and names columns only (FTS5 column filter over the whole expression).
  const visible = `{code names} : (${match})`;
  return Prisma.sql`SELECT d."caseId" AS "caseId", bm25("CaseSearch", 10.0, 2.0, 1.0, 5.0) AS "score",
                           CASE WHEN "CaseSearch".rowid IN (SELECT rowid FROM "CaseSearch" WHERE "CaseSearch" MATCH ${namePhrase}) THEN 1 ELSE 0 END AS "nameHit",
                           CASE WHEN "CaseSearch".rowid IN (SELECT rowid FROM "CaseSearch" WHERE "CaseSearch" MATCH ${visible}) THEN 1 ELSE 0 END AS "visibleHit"
                      FROM "CaseSearch" JOIN "CaseSearchDoc" d ON d."docId" = "CaseSearch".rowid
                     WHERE "CaseSearch" MATCH ${match}`;
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

/**
 * Case search (issue 15 item 4) over the FTS5 index "CaseSearch" of migration 20261206235000_case_search:
 * code, summary, content and the names a reader may see (never a protected petitioner's — they are not
 * in the index; a protected case is matched on its code and those names only, see the conditions).
 * Within the actor's reach and the other filters; the exact code first, then the cases with a party of
 * exactly the searched name, then bm25 with code and names weighted above summary and content. On PostgreSQL the same over the tsvector index
 * "search"."CaseSearch" (searchHits).
 */
export async function searchPage(
  db: Db,
  actor: Scope,
  text: string,
  filters: SearchFilters,
  page: { page: number; pageSize: number },
  order: CaseOrder | null = null,
): Promise<{ items: QueueRow[]; total: number }> {
  const match = ftsMatch(text);
  if (match === null) return { items: [], total: 0 };
  const conditions = [
    Prisma.sql`(${inSubtree("u", actor.unitPath)} OR c."assigneeId" = ${actor.id})`,
    // A protected case is found by its code and the names it shows everyone (respondents) only, never by
    // its summary or letter, which may name the denouncer. A rule that dropped hits matching the hidden
    // identity instead answered differently for words that begin the denouncer's name — an oracle that
    // spelled it out prefix by prefix (review finding). Nothing here depends on the identity.
    Prisma.sql`(h."visibleHit" = 1 OR NOT ${PROTECTED_CASE_SQL})`,
    ...(filters.unitId !== undefined ? [Prisma.sql`c."unitId" = ${filters.unitId}`] : []),
    ...(filters.state !== undefined ? [Prisma.sql`c."state" = ${filters.state}`] : []),
    ...(filters.kind !== undefined ? [Prisma.sql`c."kind" = ${filters.kind}`] : []),
    ...(filters.assigneeId !== undefined ? [Prisma.sql`c."assigneeId" = ${filters.assigneeId}`] : []),
    ...(filters.receivedFrom !== undefined ? [Prisma.sql`c."receivedDate" >= ${filters.receivedFrom}`] : []),
    ...(filters.receivedTo !== undefined ? [Prisma.sql`c."receivedDate" <= ${filters.receivedTo}`] : []),
    ...(filters.dueFrom !== undefined ? [Prisma.sql`c."dueDate" >= ${filters.dueFrom}`] : []),
    ...(filters.dueBefore !== undefined ? [Prisma.sql`c."dueDate" < ${filters.dueBefore}`] : []),
    ...(filters.dueTo !== undefined ? [Prisma.sql`c."dueDate" <= ${filters.dueTo}`] : []),
  ];
  const where = Prisma.join(conditions, " AND ");
  const hits = searchHits(db, text, match);
  // The score weighs the summary and letter too: for a protected case it would rank by words it is not
  // searched on, and its place beside a known case would tell whether its letter holds a word (second
  // review). Protected cases all rank the same (0: after every scored hit) and then by code.
  const protectedBlindScore = Prisma.sql`CASE WHEN ${PROTECTED_CASE_SQL} THEN 0 ELSE h."score" END`;
  const exactCode = text.trim().toUpperCase();
  const [rows, counted] = await db.$transaction([
    db.$queryRaw<RawQueueRow[]>`
      SELECT ${QUEUE_COLUMNS}
        FROM (${hits}) h JOIN "Case" c ON c."id" = h."caseId" JOIN "Unit" u ON u."id" = c."unitId"
       WHERE ${where}
       ORDER BY ${order === null ? Prisma.sql`c."code" = ${exactCode} DESC, h."nameHit" DESC, ${protectedBlindScore}, c."code"` : caseOrderSql(order)}
       LIMIT ${page.pageSize} OFFSET ${(page.page - 1) * page.pageSize}`,
    db.$queryRaw<{ n: number | bigint }[]>`
      SELECT COUNT(*) AS n
        FROM (${hits}) h JOIN "Case" c ON c."id" = h."caseId" JOIN "Unit" u ON u."id" = c."unitId"
       WHERE ${where}`,
  ]);
  const items = rows.map(({ unitId, unitCode, unitName, round, ...row }) => ({ ...row, round: num(round), unit: { id: unitId, code: unitCode, name: unitName } }));
  return { items, total: num(counted[0]?.n) };
}
