import { recordAudit } from "../../audit";
import type { CitizenSecrets } from "../../auth/citizenSecrets";
import type { Db, DbTransaction } from "../../db/client";
import { type CaseForDeadline, firstRoundFiling, refiledDenunciation, secondRoundFiling } from "../../domain/cases/caseDeadline";
import { formatCaseCode, newLookupSecret } from "../../domain/cases/caseCode";
import { eventHash, GENESIS, verifyChain, type ChainCheck } from "../../domain/cases/hashChain";
import { dialogueHeldThisRound, forwardingNoticeRecorded, type HistoryEvent } from "../../domain/cases/roundFacts";
import { actionPayloads, type CaseAction, caseActions, type CaseKind, type CaseState, transitions } from "../../domain/cases/workflow";
import { addDays, DeadlineError, deadlineRules, type DeadlineRuleId, type DenunciationComplexity, type LocalDate, localDate, nearestDuty, openDuties, type OpenDuty, vietnamDateOf, WorkingCalendar } from "../../domain/deadlines";
import { AppError } from "../../errors";
import { BellCache, caseClock } from "./bellCache";
import { bellRows, type CaseOrder, decodeQueueCursor, filteredPage, lookupByCode, type QueueRow, SEARCH_CAP, type SearchFilters, searchPage, workQueuePage } from "./caseQueries";
import { auditedFilters, collectPages, EXPORT_MAX_ROWS } from "../exports";
import { type Actor, authorize, casePolicy, identityProtected } from "../../policies";
import { rolesOf } from "../../presenters/user";
import { maskIdentityInText, PROTECTED_DENOUNCER_NAME, presentCaseSummary, presentDeadline, presentDuty, presentParties } from "../../presenters/case";
import type { CaseDetail, CaseNotification, CaseSummary, ListCasesQuery } from "../../protocol";

/**
 * A page of the case list; `nextCursor` on the default work queue only (keyset paging);
 * `totalIsLowerBound` on a search with more hits than it ranks (caseQueries.SEARCH_CAP): "more than".
 */
export interface CaseListPage {
  items: CaseSummary[];
  total: number;
  page: number;
  pageSize: number;
  nextCursor?: string | null;
  totalIsLowerBound?: boolean;
}

type TransactionClient = DbTransaction;



interface CaseInput {
  unitId: string;
  channel: string;
  receivedDate: string;
  summary: string;
  content: string;
  kind?: CaseKind | undefined;
  anonymous: boolean;
  parties: { role: string; name: string; idNumber?: string | undefined; phone?: string | undefined; address?: string | undefined; organization?: string | undefined }[];
}

/** The steps that add a suspension, resumption or extension: checked strictly against the law's limits. */
const CLOCK_STEPS: ReadonlySet<CaseAction> = new Set(["extend", "suspend", "resume"]);

/** "Due soon" in the work queue's filter and in the metrics: a deadline within this many days. */
export const DUE_SOON_DAYS = 5;

/**
 * Petitions: intake with a readable code, workflow transitions written as hash-chained events, the
 * running statutory deadline, identity protection on read, and the citizen's lookup.
 */
type LoadedCase = NonNullable<Awaited<ReturnType<Db["case"]["findUnique"]>>> & { unit: { parentId: string | null; path: string } };

export class CaseService {
  readonly #db: Db;
  #calendar: { loadedAt: number; value: WorkingCalendar } | undefined;
  /** The last recomputation after a calendar edit (they run one at a time). */
  #recomputing: Promise<unknown> = Promise.resolve();
  readonly #secrets: CitizenSecrets;
  /** What "today" is for the bell (tests move it across Vietnam's midnight). */
  readonly #clock: () => Date;
  readonly #bell = new BellCache<readonly CaseNotification[]>();

  constructor(db: Db, secrets: CitizenSecrets, options: { clock?: () => Date } = {}) {
    this.#db = db;
    this.#secrets = secrets;
    this.#clock = options.clock ?? (() => new Date());
  }

  /** `wasDenunciation`: the source (a reception session's booking or book entry) said denunciation, whatever kind is given now. */
  async create(actor: Actor, input: CaseInput, meta: { ip: string }, origin: { wasDenunciation?: boolean } = {}): Promise<{ case: CaseDetail; lookupSecret: string }> {
    const unit = await this.#db.unit.findUnique({ where: { id: input.unitId } });
    if (!unit || !unit.active) throw new AppError("NOT_FOUND", { detail: "unit not found" });
    authorize(casePolicy.create(actor, unit));
    const { id, lookupSecret } = await this.#record(actor.id, unit, input, meta, origin.wasDenunciation ?? false);
    return { case: await this.detail(actor, id, meta), lookupSecret };
  }

  /** A citizen's own submission from the public form: no account, so no actor; the unit must be active. */
  async submitPublic(input: CaseInput, meta: { ip: string }): Promise<{ code: string; lookupSecret: string }> {
    const unit = await this.#db.unit.findUnique({ where: { id: input.unitId } });
    if (!unit || !unit.active) throw new AppError("NOT_FOUND", { detail: "unit not found" });
    const { code, lookupSecret } = await this.#record(null, unit, { ...input, channel: "online" }, meta, false);
    return { code, lookupSecret };
  }

  async #record(actorId: string | null, unit: { id: string; code: string }, input: CaseInput, meta: { ip: string }, wasDenunciation: boolean) {
    const lookupSecret = newLookupSecret();
    const year = Number(input.receivedDate.slice(0, 4));
    // Read before the transaction: SQLite allows one writer, and a second connection would wait on it.
    const calendar = await this.#workingCalendar();
    const created = await this.#db.$transaction(async (tx) => {
      const counter = await tx.caseCounter.upsert({
        where: { unitId_year: { unitId: unit.id, year } },
        create: { unitId: unit.id, year, next: 2 },
        update: { next: { increment: 1 } },
      });
      const row = await tx.case.create({
        data: {
          code: formatCaseCode(unit.code, year, counter.next - 1),
          // Typed codes are compared in upper case, whatever case the citizen types.
          lookupSecretHash: this.#secrets.digest(lookupSecret.toUpperCase()),
          kind: input.kind ?? null,
          wasDenunciation: wasDenunciation || input.kind === "denunciation",
          unitId: unit.id,
          channel: input.channel,
          summary: input.summary,
          content: input.content,
          receivedDate: input.receivedDate,
          anonymous: input.anonymous,
          parties: { create: input.parties.map((party) => ({ ...party })) },
        },
      });
      // The kind given at intake is part of the history: it decides which duty the receipt opens.
      await this.#appendEvent(tx, row.id, actorId, "receive", null, "received", null, { channel: input.channel, receivedDate: input.receivedDate, ...(input.kind ? { kind: input.kind } : {}) });
      await this.#refreshDeadline(tx, row.id, calendar);
      // In the same transaction: a case never exists without the record of who filed it.
      await recordAudit(tx, { actorId, action: "case.create", subjectType: "case", subjectId: row.id, detail: { code: row.code, channel: input.channel }, ip: meta.ip });
      return row;
    });
    return { id: created.id, code: created.code, lookupSecret };
  }

  async apply(actor: Actor, caseId: string, action: CaseAction, rawPayload: unknown, meta: { ip: string }): Promise<CaseDetail> {
    const current = await this.#load(caseId);
    authorize(casePolicy.act(actor, current));
    const history = await this.#history(caseId);
    const refusal = casePolicy.stepRefusal(actor, action, { state: current.state as CaseState, kind: current.kind as CaseKind | null, round: current.round, dialogueHeld: dialogueHeldThisRound(history) });
    if (refusal === "FORBIDDEN") throw new AppError("FORBIDDEN");
    if (refusal === "DIALOGUE_REQUIRED") throw new AppError("DIALOGUE_REQUIRED", { detail: "round 2 is decided only after a dialogue with the complainant (Luật Khiếu nại 2011, Điều 39)" });
    if (refusal) throw new AppError("INVALID_TRANSITION", { detail: `${action} from ${current.state}: ${refusal}` });
    const parsed = actionPayloads[action].safeParse(rawPayload);
    if (!parsed.success) throw AppError.fromZod(parsed.error);
    const payload = parsed.data as Record<string, unknown>;
    const transition = transitions[action];
    const continuesAfterWithdrawal = action === "withdraw" && payload.continueHandling === true;
    if (continuesAfterWithdrawal && current.kind !== "denunciation") {
      const message = "only a denunciation may be handled on after its withdrawal (Luật Tố cáo 2018, Điều 33)";
      throw new AppError("VALIDATION_FAILED", { details: [{ path: "continueHandling", message }], detail: message });
    }
    const toState = continuesAfterWithdrawal || transition.staysInState ? current.state : transition.to;

    const changes: Record<string, unknown> = {};
    if (action === "classify") {
      Object.assign(changes, { kind: payload.kind, eligible: payload.eligible, withinCompetence: payload.withinCompetence, complexity: payload.complexity, remoteArea: payload.remoteArea });
      // Set once: a later reclassification keeps the petitioner protected (casePolicy.readProtectedIdentity).
      if (payload.kind === "denunciation") changes.wasDenunciation = true;
    }
    if (action === "accept") {
      changes.acceptedDate = payload.decisionDate;
      if (current.kind === "complaint" && current.round === 1) await this.#checkFirstRoundFiling(current, history, payload);
    }
    if (action === "publish") changes.publishedAnswer = payload.publishedAnswer;
    if (action === "secondRound") {
      Object.assign(changes, { round: current.round + 1, receivedDate: payload.receivedDate, acceptedDate: null, publishedAnswer: null });
      await this.#checkSecondRound(current, payload, changes);
    }
    if (action === "refile") {
      Object.assign(changes, { receivedDate: payload.receivedDate, acceptedDate: null, publishedAnswer: null, assigneeId: null });
      await this.#checkRefile(current, payload, changes);
    }
    if (action === "forward") {
      const target = await this.#db.unit.findUnique({ where: { id: String(payload.toUnitId) } });
      if (!target || !target.active) throw new AppError("NOT_FOUND", { detail: "target unit not found" });
      if (target.id === current.unitId) throw new AppError("INVALID_TRANSITION", { detail: "forward to the same unit" });
      // The denouncer is told of the forwarding with it (Luật TC Art. 24(1)(b)), by the unit that forwards:
      // once the case has moved, that unit can no longer record it, and the notice is not the receiver's duty.
      if (current.kind === "denunciation" && !current.anonymous && !forwardingNoticeRecorded(history)) {
        throw new AppError("DENOUNCER_NOTICE_REQUIRED", { detail: "record the notice of the forwarding to the denouncer (notify: forwarding) before forwarding" });
      }
      Object.assign(changes, { unitId: target.id, assigneeId: null });
    }

    // Read before the transaction: SQLite allows one writer, and a second connection would wait on it.
    const calendar = await this.#workingCalendar();
    await this.#db.$transaction(async (tx) => {
      // Conditional on the state we checked: of two concurrent transitions only one applies.
      const { count } = await tx.case.updateMany({ where: { id: caseId, state: current.state }, data: { ...changes, state: toState } });
      if (count === 0) throw new AppError("CONFLICT", { detail: "the case changed meanwhile" });
      const data = {
        ...payload,
        ...(action === "extend" ? { grantedOn: typeof payload.decisionDate === "string" ? payload.decisionDate : vietnamDateOf(new Date()) } : {}),
        // The receiving unit's clock starts the day it receives the petition (issue 13, item 4).
        ...(action === "forward" ? { fromUnitId: current.unitId, receivedByTargetOn: vietnamDateOf(new Date()) } : {}),
        // Kept for reports: was the case resolved within its statutory period?
        ...(action === "conclude" ? { dueAtConclusion: resolutionDue(current) } : {}),
      };
      const reason = typeof payload.reason === "string" ? payload.reason : null;
      await this.#appendEvent(tx, caseId, actor.id, action, current.state, toState, reason, data);
      // Only the steps that change the resolution clock can break a rule; the others never fail on a history
      // that a later calendar edit made irregular (that duty is then shown with its problem instead).
      await this.#refreshDeadline(tx, caseId, calendar, CLOCK_STEPS.has(action));
    });
    if (action === "classify" && current.kind !== null && current.kind !== payload.kind) {
      // The history has the classify event too; the audit log is where reviewers look for kind changes.
      await recordAudit(this.#db, { actorId: actor.id, action: "case.reclassify", subjectType: "case", subjectId: caseId, detail: { from: current.kind, to: payload.kind, wasDenunciation: current.wasDenunciation }, ip: meta.ip });
    }
    return this.detail(actor, caseId, meta);
  }

  async assign(actor: Actor, caseId: string, assigneeId: string, meta: { ip: string }): Promise<CaseDetail> {
    const current = await this.#load(caseId);
    authorize(casePolicy.assign(actor, current));
    const assignee = await this.#db.user.findUnique({ where: { id: assigneeId }, include: { unit: true, roles: true } });
    const canHandle = assignee !== null && casePolicy.assignable({ roles: rolesOf(assignee) });
    // The leader assigns within their own subtree: their inspectorate or the unit in charge.
    if (!assignee || !assignee.active || !canHandle || !assignee.unit.path.startsWith(actor.unitPath)) {
      throw new AppError("NOT_FOUND", { detail: "assignee must be an active officer or inspector in the leader's units" });
    }
    await this.#db.$transaction(async (tx) => {
      await tx.case.update({ where: { id: caseId }, data: { assigneeId } });
      await this.#appendEvent(tx, caseId, actor.id, "assign", current.state, current.state, null, { assigneeId, previousAssigneeId: current.assigneeId });
    });
    return this.detail(actor, caseId, meta);
  }

  async detail(actor: Actor, caseId: string, meta: { ip: string }): Promise<CaseDetail> {
    const row = await this.#db.case.findUnique({
      where: { id: caseId },
      include: { unit: true, parties: { orderBy: { id: "asc" } }, events: { orderBy: { sequence: "asc" } } },
    });
    if (!row) throw new AppError("NOT_FOUND", { detail: "case not found" });
    authorize(casePolicy.read(actor, row));
    const mayReadIdentity = casePolicy.readProtectedIdentity(actor, row);
    if (identityProtected(row) && mayReadIdentity && row.parties.length > 0) {
      await recordAudit(this.#db, { actorId: actor.id, action: "case.identity.read", subjectType: "case", subjectId: row.id, ip: meta.ip });
    }
    const duties = await this.#dutiesOf(row, row.events);
    const dialogueHeld = dialogueHeldThisRound(row.events.map((event) => ({ action: event.action, data: JSON.parse(event.data) as Record<string, unknown> })));
    const today = vietnamDateOf(new Date());
    const assignee = row.assigneeId ? await this.#db.user.findUnique({ where: { id: row.assigneeId }, select: { displayName: true } }) : null;
    // The masked parties' identity also leaves the free text (a letter often begins "Tôi là …").
    const hidden = mayReadIdentity ? [] : row.parties.filter((party) => party.role !== "respondent").flatMap((party) => [party.name, party.idNumber, party.phone, party.address]);
    return {
      ...presentCaseSummary(
        { ...row, summary: maskIdentityInText(row.summary, hidden) },
        presentDeadline(nearestDuty(duties) ?? null, today),
        new Map(row.assigneeId && assignee ? [[row.assigneeId, assignee.displayName]] : []),
      ),
      duties: duties.map((duty) => presentDuty(duty, today)),
      channel: row.channel as CaseDetail["channel"],
      content: maskIdentityInText(row.content, hidden),
      anonymous: row.anonymous,
      complexity: row.complexity as CaseDetail["complexity"],
      remoteArea: row.remoteArea,
      assigneeId: row.assigneeId,
      assigneeName: assignee?.displayName ?? null,
      publishedAnswer: row.publishedAnswer,
      parties: presentParties(row.parties, mayReadIdentity),
      events: row.events.map((event) => ({
        sequence: event.sequence,
        at: event.at.toISOString(),
        actorId: event.actorId,
        action: event.action,
        fromState: event.fromState,
        toState: event.toState,
        // A reason may name the denouncer ("Bà … rút đơn"): masked like the content, e.g. for the unit a
        // denunciation was forwarded to (Luật TC Art. 47).
        reason: event.reason === null ? null : maskIdentityInText(event.reason, hidden),
      })),
      allowedActions: casePolicy.act(actor, row)
        ? caseActions.filter((action) => casePolicy.stepRefusal(actor, action, { state: row.state as CaseState, kind: row.kind as CaseKind | null, round: row.round, dialogueHeld }) === null)
        : [],
    };
  }

  /** `everyHit`: a search counts and ranks every hit, not only the newest SEARCH_CAP (the export). */
  async list(actor: Actor, query: ListCasesQuery & { after?: string | undefined }, page: { page: number; pageSize: number }, options: { everyHit?: boolean } = {}): Promise<CaseListPage> {
    authorize(casePolicy.list(actor));
    const today = vietnamDateOf(new Date());
    const { after, sort, dir } = query;
    const order: CaseOrder = { sort: sort ?? "due", dir: dir ?? (sort === "received" ? "desc" : "asc") };
    const queueOrder = order.sort === "due" && order.dir === "asc";
    // Named one by one: the route's query also carries page and pageSize, which are not filters (counting
    // every key kept the default queue off its fast path and refused every `after` cursor over HTTP).
    const filtered = [query.state, query.kind, query.unitId, query.deadline, query.q, query.receivedFrom, query.receivedTo].some((value) => value !== undefined && value !== "") || query.mine === "true";
    // The default queue (no filter, its own order) is what every clerk opens: served by caseQueries in index order.
    if (queueOrder && !filtered) {
      const cursor = after === undefined ? undefined : decodeQueueCursor(after);
      if (after !== undefined && !cursor) throw new AppError("VALIDATION_FAILED", { detail: "after: not a work-queue cursor" });
      const result = await workQueuePage(this.#db, actor, { ...page, after: cursor });
      return { items: this.#presentRows(result.items, today), total: result.total, page: page.page, pageSize: page.pageSize, nextCursor: result.nextCursor };
    }
    if (after !== undefined) throw new AppError("VALIDATION_FAILED", { detail: "after: keyset paging serves the unfiltered work queue only" });
    // Text search goes through the FTS5 index (caseQueries.searchPage): diacritics-insensitive, ranked,
    // and holding no protected petitioner's name, so no hit can reveal who denounced.
    if (query.q !== undefined && query.q.trim() !== "") {
      // Without an explicit sort a search is ranked (exact code first, then exact names, then the newest)
      // over its newest SEARCH_CAP hits; an export or a sort takes every hit.
      const result = await searchPage(this.#db, actor, query.q, this.#searchFilters(actor, query, today), page, sort === undefined ? null : order, options.everyHit ? null : SEARCH_CAP);
      return { items: this.#presentRows(result.items, today), total: result.total, page: page.page, pageSize: page.pageSize, ...(result.totalIsLowerBound ? { totalIsLowerBound: true } : {}) };
    }
    const result = await filteredPage(this.#db, actor, this.#searchFilters(actor, query, today), order, page);
    return { items: this.#presentRows(result.items, today), total: result.total, page: page.page, pageSize: page.pageSize };
  }

  /** The list's filters as stored values (the same for a search and a filtered list). */
  #searchFilters(actor: Actor, query: ListCasesQuery, today: LocalDate): SearchFilters {
    return {
      unitId: query.unitId || undefined,
      state: query.state || undefined,
      kind: query.kind || undefined,
      assigneeId: query.mine === "true" ? actor.id : undefined,
      receivedFrom: query.receivedFrom || undefined,
      receivedTo: query.receivedTo || undefined,
      dueBefore: query.deadline === "overdue" ? today : undefined,
      dueFrom: query.deadline === "dueSoon" ? today : undefined,
      dueTo: query.deadline === "dueSoon" ? addDays(today, DUE_SOON_DAYS) : undefined,
    };
  }

  /**
   * Every row of the list as the caller sees it (the same filters, order and masking), for the XLSX export;
   * refused above EXPORT_MAX_ROWS. The export is audited with its filters and size.
   */
  async exportList(actor: Actor, query: ListCasesQuery, meta: { ip: string }): Promise<CaseSummary[]> {
    const rows = await collectPages(EXPORT_MAX_ROWS, (page) => this.list(actor, query, page, { everyHit: true }));
    await recordAudit(this.#db, { actorId: actor.id, action: "case.export", subjectType: "case", subjectId: null, detail: { ...auditedFilters(query), rows: rows.length }, ip: meta.ip });
    return rows;
  }

  /** List rows with their deadline and assignee, as read with the page (no further statement). */
  #presentRows(rows: readonly QueueRow[], today: LocalDate): CaseSummary[] {
    const names = new Map(rows.flatMap((row) => (row.assigneeId && row.assigneeName !== null ? [[row.assigneeId, row.assigneeName] as const] : [])));
    return rows.map((row) => presentCaseSummary({ ...row, summary: listedSummary(row) }, presentStoredDeadline(row, today), names));
  }

  /**
   * Cases needing attention now: due within 5 days or overdue, assigned to the actor or unassigned in
   * their units, from the stored deadlines. Every staff page polls it, so the answer is kept per actor,
   * scope and Vietnam day until the database's case clock moves (bellCache.ts): a poll between two writes
   * costs one primary-key read. The clock is read before the rows, never after.
   */
  async notifications(actor: Actor): Promise<CaseNotification[]> {
    authorize(casePolicy.list(actor));
    const today = vietnamDateOf(this.#clock());
    const version = await caseClock(this.#db);
    const kept = await this.#bell.answer({ actorId: actor.id, unitPath: actor.unitPath, today }, version, async () => {
      const rows = await bellRows(this.#db, actor, today);
      return rows.map((row) =>
        Object.freeze({
          caseId: row.id,
          code: row.code,
          summary: listedSummary(row),
          due: row.dueDate,
          status: row.dueDate < today ? ("overdue" as const) : ("dueSoon" as const),
          assignedToMe: row.assigneeId === actor.id,
        }),
      );
    });
    return [...kept];
  }

  /** Every case history in the actor's units, checked; the damaged ones with their first broken link. */
  async verifyAll(actor: Actor) {
    authorize(casePolicy.verifyHistory(actor, { kind: null, wasDenunciation: false, assigneeId: null, unit: { id: actor.unitId, path: actor.unitPath } }));
    const cases = await this.#db.case.findMany({ where: { unit: { path: { startsWith: actor.unitPath } } }, select: { id: true, code: true }, orderBy: { code: "asc" } });
    const damaged: { caseId: string; code: string; sequence: number; problem: string }[] = [];
    for (const item of cases) {
      const result = await this.verifyStored(item.id);
      if (!result.ok) damaged.push({ caseId: item.id, code: item.code, sequence: result.brokenAt.sequence, problem: result.problem });
    }
    return { checked: cases.length, damaged };
  }

  /** The citizen's view by code and secret; wrong pairs are indistinguishable from unknown codes. */
  async lookup(code: string, secret: string) {
    const row = await lookupByCode(this.#db, code);
    // Digested even for an unknown code, so the answer takes as long either way.
    const matches = this.#secrets.matches(row?.lookupSecretHash ?? null, secret.toUpperCase());
    if (!row || !matches) throw new AppError("NOT_FOUND", { detail: "no case with this code and secret" });
    const today = vietnamDateOf(new Date());
    const kind = row.kind as CaseKind | null;
    return {
      code: row.code,
      kind,
      state: row.state as CaseState,
      unitName: row.unitName,
      receivedDate: row.receivedDate,
      // The stored nearest duty, as the work queue shows it; recomputed from the history only while a
      // days-off edit has it marked stale (the recomputation follows within moments).
      deadline: row.dutiesStale ? presentDeadline(nearestDuty(await this.#dutiesOf(row, await this.#db.caseEvent.findMany({ where: { case: { code: row.code } }, orderBy: { sequence: "asc" } }))) ?? null, today) : presentStoredDeadline(row, today),
      publishedAnswer: row.state === "published" || row.state === "enforced" || row.state === "closed" ? row.publishedAnswer : null,
    };
  }

  async verifyHistory(actor: Actor, caseId: string): Promise<ChainCheck> {
    const row = await this.#load(caseId);
    authorize(casePolicy.verifyHistory(actor, row));
    return this.verifyStored(caseId);
  }

  /** Checks one case's chain as stored (also used by the verification command). */
  async verifyStored(caseId: string): Promise<ChainCheck> {
    const events = await this.#db.caseEvent.findMany({ where: { caseId }, orderBy: { sequence: "asc" } });
    return verifyChain(events.map((event) => ({ ...event, at: event.at.toISOString() })));
  }

  /** A round-1 complaint is accepted only when filed within its limit (Luật KN Art. 9; ch. IV for disciplinary ones). */
  async #checkFirstRoundFiling(current: LoadedCase, history: readonly HistoryEvent[], payload: Record<string, unknown>) {
    const knewOfDecisionOn = payload.knewOfDecisionOn;
    if (typeof knewOfDecisionOn !== "string") {
      const message = "a complaint's acceptance records the day the complainant knew of the decision or act (Luật Khiếu nại 2011, Điều 9)";
      throw new AppError("VALIDATION_FAILED", { details: [{ path: "knewOfDecisionOn", message }], detail: message });
    }
    if (knewOfDecisionOn > current.receivedDate) {
      const message = "the complainant cannot have learnt of the decision after filing the complaint";
      throw new AppError("VALIDATION_FAILED", { details: [{ path: "knewOfDecisionOn", message }], detail: message });
    }
    const filing = firstRoundFiling(history, await this.#workingCalendar(), { knewOfDecisionOn, filedOn: current.receivedDate });
    if (!filing.ok) throw new AppError("FILING_LIMIT_PASSED", { detail: filing.detail });
  }

  /** The history as the workflow's checks read it: actions and their parsed data, in order. */
  async #history(caseId: string): Promise<HistoryEvent[]> {
    const events = await this.#db.caseEvent.findMany({ where: { caseId }, orderBy: { sequence: "asc" }, select: { action: true, data: true } });
    return events.map((event) => ({ action: event.action, data: JSON.parse(event.data) as Record<string, unknown> }));
  }

  /** Round 2 in time (Luật KN Art. 33) and at the superior authority: the parent unit or an ancestor the citizen names. */
  async #checkSecondRound(current: LoadedCase, payload: Record<string, unknown>, changes: Record<string, unknown>) {
    const events = await this.#db.caseEvent.findMany({ where: { caseId: current.id }, orderBy: { sequence: "asc" } });
    const filing = secondRoundFiling(
      { ...current, kind: current.kind as CaseKind | null, state: current.state as CaseState, complexity: current.complexity as CaseForDeadline["complexity"] },
      events.map((event) => ({ action: event.action, data: JSON.parse(event.data) as Record<string, unknown>, at: event.at })),
      await this.#workingCalendar(),
      { filedOn: String(payload.receivedDate), ...(typeof payload.decisionReceivedOn === "string" ? { decisionReceivedOn: payload.decisionReceivedOn } : {}) },
    );
    if (!filing.ok) throw new AppError(filing.refusal === "FILING_LIMIT_PASSED" ? "DEADLINE_RULE" : "INVALID_TRANSITION", { detail: filing.detail });
    await this.#moveToSuperior(current, payload, changes, "round 2");
  }

  /** A re-filed denunciation (Luật TC Art. 37): on its grounds (overdue / unlawful), to the superior authority. */
  async #checkRefile(current: LoadedCase, payload: Record<string, unknown>, changes: Record<string, unknown>) {
    const events = await this.#db.caseEvent.findMany({ where: { caseId: current.id }, orderBy: { sequence: "asc" } });
    const filing = refiledDenunciation(
      { ...current, kind: current.kind as CaseKind | null, state: current.state as CaseState, complexity: current.complexity as CaseForDeadline["complexity"] },
      events.map((event) => ({ action: event.action, data: JSON.parse(event.data) as Record<string, unknown>, at: event.at })),
      await this.#workingCalendar(),
      { filedOn: String(payload.receivedDate), grounds: payload.grounds === "unlawful" ? "unlawful" : "overdue" },
    );
    if (!filing.ok) throw new AppError("INVALID_TRANSITION", { detail: `${filing.refusal}: ${filing.detail}` });
    await this.#moveToSuperior(current, payload, changes, "a re-filed denunciation");
  }

  /** To the parent unit, or the ancestor the citizen names (`toUnitId`); the top unit keeps it (no superior in this deployment). */
  async #moveToSuperior(current: LoadedCase, payload: Record<string, unknown>, changes: Record<string, unknown>, what: string) {
    const targetId = typeof payload.toUnitId === "string" ? payload.toUnitId : current.unit.parentId;
    if (!targetId) return;
    const target = await this.#db.unit.findUnique({ where: { id: targetId } });
    if (!target || !target.active || target.id === current.unitId || !current.unit.path.startsWith(target.path)) {
      throw new AppError("NOT_FOUND", { detail: `${what} goes to an active superior unit of the case's unit` });
    }
    Object.assign(changes, { unitId: target.id, assigneeId: null });
  }

  async #load(caseId: string) {
    const row = await this.#db.case.findUnique({ where: { id: caseId }, include: { unit: true } });
    if (!row) throw new AppError("NOT_FOUND", { detail: "case not found" });
    return row;
  }

  async #appendEvent(tx: TransactionClient, caseId: string, actorId: string | null, action: string, fromState: string | null, toState: string, reason: string | null, data: Record<string, unknown>) {
    const last = await tx.caseEvent.findFirst({ where: { caseId }, orderBy: { sequence: "desc" } });
    const at = new Date();
    const content = { caseId, sequence: (last?.sequence ?? 0) + 1, at: at.toISOString(), actorId, action, fromState, toState, reason, data: JSON.stringify(data) };
    const previousHash = last?.hash ?? GENESIS;
    await tx.caseEvent.create({ data: { ...content, at, previousHash, hash: eventHash(previousHash, content) } });
  }

  /**
   * Recomputes the case's open duties from its history, in the caller's transaction: the stored nearest one
   * (dueDate, deadlineRule) is what the work queue, badges, bell, metrics and reports read. `strict`: a step
   * that breaks a rule (an extension after the period ran out) throws here and the transaction rolls back.
   */
  async #refreshDeadline(tx: TransactionClient, caseId: string, calendar: WorkingCalendar, strict = false) {
    const row = await tx.case.findUniqueOrThrow({ where: { id: caseId }, include: { events: { orderBy: { sequence: "asc" } } } });
    const duties = await this.#dutiesOf(row, row.events, { calendar, strict });
    await tx.case.update({ where: { id: caseId }, data: storedDuties(duties) });
  }

  /**
   * Computes the duties of cases stored before duties existed (openDuties null): run at start-up after the
   * migration that added the column, and harmless afterwards (nothing left to do). Returns how many it set.
   */
  async backfillDuties(batchSize = 200): Promise<number> {
    const calendar = await this.#workingCalendar();
    let done = 0;
    for (;;) {
      const batch = await this.#db.case.findMany({ where: { openDuties: null }, include: { events: { orderBy: { sequence: "asc" } } }, orderBy: { id: "asc" }, take: batchSize });
      if (batch.length === 0) return done;
      for (const row of batch) {
        // Lenient: an old history that breaks a rule still gets its other duties (the broken one has no date).
        const duties = await this.#dutiesOf(row, row.events, { calendar });
        // Only while still not computed: a step taken meanwhile has written fresher duties in its transaction.
        const { count } = await this.#db.case.updateMany({ where: { id: row.id, openDuties: null }, data: storedDuties(duties) });
        done += count;
      }
    }
  }

  /**
   * In the transaction of a days-off edit: the cases with an open period that ends on or after the edited
   * day get their stored duties marked stale (openDuties NULL) and their ids returned for
   * `recomputeDuties` after the commit. Periods ending before the day cannot change; a later period may
   * start from one that spans it, so "ends on or after" is the safe test. Marked in the edit's own
   * transaction so that a server stopped before the recomputation leaves them to the start-up back-fill,
   * never silently stale.
   */
  async markDutiesStale(tx: TransactionClient, editedDay: string): Promise<string[]> {
    const open = await tx.case.findMany({ where: { openDuties: { not: null }, NOT: { openDuties: "[]" } }, select: { id: true, openDuties: true } });
    const affected = open
      .filter((row) => (JSON.parse(row.openDuties!) as { due: string | null }[]).some((duty) => duty.due === null || duty.due >= editedDay))
      .map((row) => row.id);
    for (let at = 0; at < affected.length; at += 500) {
      await tx.case.updateMany({ where: { id: { in: affected.slice(at, at + 500) } }, data: { openDuties: null } });
    }
    return affected;
  }

  /**
   * Recomputes the stored duties of these cases with the calendar as it is now, each in its own
   * transaction. Runs one after another: a run started after a later edit always comes last, so the last
   * stored dates are the last calendar's even when two edits come close together.
   */
  recomputeDuties(caseIds: readonly string[]): Promise<number> {
    const run = this.#recomputing.then(async () => {
      this.invalidateCalendar();
      const calendar = await this.#workingCalendar();
      for (const caseId of caseIds) await this.#db.$transaction((tx) => this.#refreshDeadline(tx, caseId, calendar));
      return caseIds.length;
    });
    this.#recomputing = run.catch(() => undefined);
    return run;
  }

  async #dutiesOf(
    row: { kind: string | null; receivedDate: string; complexity: string; remoteArea: boolean; anonymous?: boolean },
    events: readonly { sequence?: number; action: string; data: string; at?: Date }[],
    options: { calendar?: WorkingCalendar; strict?: boolean } = {},
  ): Promise<OpenDuty[]> {
    try {
      return openDuties(
        { kind: row.kind, receivedDate: row.receivedDate, complexity: row.complexity as DenunciationComplexity, remoteArea: row.remoteArea, anonymous: row.anonymous ?? false },
        events.map((event) => ({ ...(event.sequence === undefined ? {} : { sequence: event.sequence }), action: event.action, data: JSON.parse(event.data) as Record<string, unknown>, ...(event.at ? { at: event.at } : {}) })),
        options.calendar ?? (await this.#workingCalendar()),
        { strict: options.strict ?? false },
      );
    } catch (error) {
      if (error instanceof DeadlineError) throw new AppError("DEADLINE_RULE", { detail: error.message, cause: error });
      throw error;
    }
  }

  /** Called when an admin edits the days-off calendar, so deadlines use it at once. */
  invalidateCalendar(): void {
    this.#calendar = undefined;
  }

  /** Holidays change rarely; read them at most once a minute (or after an edit). */
  async #workingCalendar(): Promise<WorkingCalendar> {
    if (this.#calendar && Date.now() - this.#calendar.loadedAt < 60_000) return this.#calendar.value;
    const value = WorkingCalendar.fromStored(await this.#db.holiday.findMany({ select: { date: true, kind: true } }));
    this.#calendar = { loadedAt: Date.now(), value };
    return value;
  }
}

export { PROTECTED_DENOUNCER_NAME };

/** The columns that hold a case's duties: all of them as JSON, and the nearest `act` one for the queries (also the bench's seed). */
export function storedDuties(duties: readonly OpenDuty[]) {
  const nearest = nearestDuty(duties);
  return {
    dueDate: nearest?.due ?? null,
    deadlineRule: nearest?.ruleId ?? null,
    openDuties: JSON.stringify(duties.map(({ id, ruleId, nature, start, due }) => ({ id, ruleId, nature, start, due: due ?? null }))),
  };
}

/** The due date of the running resolution period when a decision is recorded (reports: resolved in time?). */
function resolutionDue(row: { dueDate: string | null; openDuties: string | null }): string | null {
  if (row.openDuties === null) return row.dueDate;
  const duties = JSON.parse(row.openDuties) as { ruleId: string; due: string | null }[];
  return duties.find((duty) => duty.ruleId.includes(".resolve"))?.due ?? null;
}

/**
 * A row's summary as a list shows it: a clerk's summary can name the denouncer ("Ông … tố cáo …"). Lists,
 * search hits, exports and notifications mask a protected case's parties in it for every reader: only the
 * case page, which audits the read (case.identity.read), shows it to those the policy lets read the
 * identity. The parties come with the row (caseQueries: hiddenIdentity, read for protected cases only).
 */
function listedSummary(row: Pick<QueueRow, "summary" | "kind" | "wasDenunciation" | "hiddenIdentity">): string {
  if (!identityProtected(row)) return row.summary;
  return maskIdentityInText(row.summary, (row.hiddenIdentity ?? []).flat());
}

/** Lists read the stored deadline (kept current on every transition) instead of recomputing it. */
function presentStoredDeadline(row: { dueDate: string | null; deadlineRule: string | null }, today: LocalDate) {
  const rule = row.deadlineRule ? deadlineRules[row.deadlineRule as DeadlineRuleId] : undefined;
  const stored = rule ? { due: row.dueDate ? localDate(row.dueDate) : undefined, ruleId: rule.id, basis: rule.basis } : null;
  return presentDeadline(stored, today);
}
