import { recordAudit } from "../../audit";
import type { Db } from "../../db/client";
import type { Prisma } from "../../db/generated/client";
import { vietnamDateOf } from "../../domain/deadlines";
import { vietnamDaysRange, vietnamInstant } from "../../domain/reception";
import { AppError } from "../../errors";
import { type Actor, authorize, meetingPolicy } from "../../policies";
import type { ListMeetingsQuery, MeetingSortField, MeetingSummary, SortDirection } from "../../protocol";
import { auditedFilters, collectPages, EXPORT_MAX_ROWS } from "../exports";
import type { BriefingInvitations } from "../mail/briefingInvitations";
import { meetingHeader } from "./meetingRecords";
import { meetingRecordRefs } from "./recordRefs";

export interface ScheduleMeetingInput {
  title: string;
  roomId: string;
  agenda?: string | undefined;
  start: string;
  end: string;
  unitIds: string[];
}

/** A change to a scheduled briefing: any of its fields; the invited units as the complete new list. */
export interface UpdateMeetingInput {
  title?: string | undefined;
  agenda?: string | null | undefined;
  start?: string | undefined;
  end?: string | undefined;
  unitIds?: string[] | undefined;
}

export interface UpcomingMeeting {
  id: string;
  roomId: string;
  title: string;
  agenda: string | null;
  status: string;
  start: string | null;
  end: string | null;
  invitedUnits: number;
  isChair: boolean;
}

export type { MeetingSummary } from "../../protocol";

const iso = (date: Date | null) => date?.toISOString() ?? null;

function presentUpcoming(
  meeting: { id: string; roomId: string; title: string; agenda: string | null; status: string; scheduledStart: Date | null; scheduledEnd: Date | null; chairUserId: string | null; sites: string[] },
  actorId: string,
): UpcomingMeeting {
  return {
    id: meeting.id,
    roomId: meeting.roomId,
    title: meeting.title,
    agenda: meeting.agenda,
    status: meeting.status,
    start: iso(meeting.scheduledStart),
    end: iso(meeting.scheduledEnd),
    invitedUnits: meeting.sites.length,
    isChair: meeting.chairUserId === actorId,
  };
}

/** Each sort with a unique tie-breaker, so pages never overlap. Never-started meetings sort by their scheduled start. */
function meetingOrderBy(sort: MeetingSortField, dir: SortDirection): Prisma.MeetingOrderByWithRelationInput[] {
  switch (sort) {
    case "start":
      return [{ startedAt: { sort: dir, nulls: "last" } }, { scheduledStart: { sort: dir, nulls: "last" } }, { createdAt: dir }, { id: "asc" }];
    case "title":
      return [{ title: dir }, { id: "asc" }];
    case "room":
      return [{ roomId: dir }];
  }
}

/**
 * Briefings: scheduling, the caller's upcoming meetings, and the list of meeting records (paged in the
 * query: the meeting policy's rule is asked as a database condition, `meetingPolicy.listScope`), with its
 * XLSX export. One meeting's record, exports and recordings are MeetingRecords'.
 */
export class MeetingService {
  /** `invitations`: mails each invited unit's accounts the ICS invitation, its updates and its cancellation. */
  constructor(private readonly db: Db, private readonly invitations?: BriefingInvitations) {}

  async schedule(actor: Actor, body: ScheduleMeetingInput, meta: { ip: string }): Promise<UpcomingMeeting> {
    authorize(meetingPolicy.schedule(actor));
    if (await this.db.meeting.findUnique({ where: { roomId: body.roomId } })) throw new AppError("CONFLICT", { detail: `room ${body.roomId} is taken` });
    const invited = [...new Set(body.unitIds)];
    const units = await this.db.unit.count({ where: { id: { in: invited }, active: true } });
    if (units !== invited.length) throw new AppError("NOT_FOUND", { detail: "an invited unit does not exist or is inactive" });
    // The invitations are queued in the meeting's own transaction: a scheduled briefing always has them.
    const meeting = await this.db.$transaction(async (tx) => {
      const created = await tx.meeting.create({
        data: {
          roomId: body.roomId,
          title: body.title,
          agenda: body.agenda ?? null,
          scheduledStart: new Date(body.start),
          scheduledEnd: new Date(body.end),
          hostUnitId: actor.unitId,
          chairUserId: meetingPolicy.chairsWhatTheySchedule(actor) ? actor.id : null,
          sites: { create: invited.map((unitId) => ({ unitId })) },
        },
      });
      await this.invitations?.enqueue(tx, created, "new", invited);
      await recordAudit(tx, { actorId: actor.id, action: "meeting.schedule", subjectType: "meeting", subjectId: created.id, detail: { roomId: body.roomId, invited: body.unitIds.length }, ip: meta.ip });
      return created;
    });
    return presentUpcoming({ ...meeting, sites: body.unitIds }, actor.id);
  }

  /**
   * Changes a briefing that has not started: time, title, agenda or invited units. The invitation's
   * SEQUENCE goes up by one; the units still invited get the updated invitation (same UID), the units no
   * longer invited its cancellation.
   */
  async update(actor: Actor, meetingId: string, body: UpdateMeetingInput, meta: { ip: string }): Promise<UpcomingMeeting> {
    const meeting = await this.#scheduledForChange(actor, meetingId);
    const before = meeting.sites.map((site) => site.unitId);
    const invited = body.unitIds ? [...new Set(body.unitIds)] : before;
    if (body.unitIds) {
      const units = await this.db.unit.count({ where: { id: { in: invited }, active: true } });
      if (units !== invited.length) throw new AppError("NOT_FOUND", { detail: "an invited unit does not exist or is inactive" });
    }
    const start = body.start ? new Date(body.start) : meeting.scheduledStart;
    const end = body.end ? new Date(body.end) : meeting.scheduledEnd;
    if (!start || !end || end <= start) throw new AppError("VALIDATION_FAILED", { detail: "end must be after start" });
    const updated = await this.db.$transaction(async (tx) => {
      // Only while still scheduled (a concurrent start or cancellation wins).
      const changed = await tx.meeting.updateMany({
        where: { id: meeting.id, status: "scheduled", inviteSequence: meeting.inviteSequence },
        data: {
          ...(body.title !== undefined ? { title: body.title } : {}),
          ...(body.agenda !== undefined ? { agenda: body.agenda } : {}),
          scheduledStart: start,
          scheduledEnd: end,
          inviteSequence: { increment: 1 },
        },
      });
      if (changed.count !== 1) throw new AppError("CONFLICT", { detail: "the meeting changed meanwhile" });
      if (body.unitIds) {
        await tx.meetingSite.deleteMany({ where: { meetingId: meeting.id, unitId: { notIn: invited } } });
        await tx.meetingSite.createMany({ data: invited.filter((unitId) => !before.includes(unitId)).map((unitId) => ({ meetingId: meeting.id, unitId })) });
      }
      const row = await tx.meeting.findUniqueOrThrow({ where: { id: meeting.id } });
      await this.invitations?.enqueue(tx, row, "changed", invited);
      await this.invitations?.enqueue(tx, row, "cancelled", before.filter((unitId) => !invited.includes(unitId)));
      await recordAudit(tx, { actorId: actor.id, action: "meeting.update", subjectType: "meeting", subjectId: meeting.id, detail: { fields: Object.keys(body), sequence: row.inviteSequence }, ip: meta.ip });
      return row;
    });
    return presentUpcoming({ ...updated, sites: invited }, actor.id);
  }

  /** Cancels a briefing that has not started: its room no longer opens, and every invited unit gets the ICS cancellation. */
  async cancel(actor: Actor, meetingId: string, meta: { ip: string }): Promise<UpcomingMeeting> {
    const meeting = await this.#scheduledForChange(actor, meetingId);
    const invited = meeting.sites.map((site) => site.unitId);
    const cancelled = await this.db.$transaction(async (tx) => {
      const changed = await tx.meeting.updateMany({ where: { id: meeting.id, status: "scheduled" }, data: { status: "cancelled", inviteSequence: { increment: 1 } } });
      if (changed.count !== 1) throw new AppError("CONFLICT", { detail: "the meeting is no longer scheduled" });
      const row = await tx.meeting.findUniqueOrThrow({ where: { id: meeting.id } });
      await this.invitations?.enqueue(tx, row, "cancelled", invited);
      await recordAudit(tx, { actorId: actor.id, action: "meeting.cancel", subjectType: "meeting", subjectId: meeting.id, detail: { sequence: row.inviteSequence }, ip: meta.ip });
      return row;
    });
    return presentUpcoming({ ...cancelled, sites: invited }, actor.id);
  }

  /** A scheduled (not started, not cancelled) briefing the actor may change: its chair, or a leader or admin over its host unit. */
  async #scheduledForChange(actor: Actor, meetingId: string) {
    const meeting = await this.db.meeting.findUnique({ where: { id: meetingId }, include: { sites: { select: { unitId: true } } } });
    // Reception rooms and ad-hoc rooms are not briefings one reschedules.
    if (!meeting || meeting.scheduledStart === null) throw new AppError("NOT_FOUND", { detail: `meeting ${meetingId} not found` });
    const hostUnit = meeting.hostUnitId ? await this.db.unit.findUnique({ where: { id: meeting.hostUnitId }, select: { id: true, path: true } }) : null;
    authorize(meetingPolicy.changeScheduled(actor, { chairUserId: meeting.chairUserId, hostUnit }));
    if (meeting.status !== "scheduled") throw new AppError("CONFLICT", { detail: `the meeting is ${meeting.status}` });
    return meeting;
  }

  /** Today's and upcoming meetings the caller may join: chaired, hosted by their unit, or inviting a unit at or above theirs. */
  async upcoming(actor: Actor, now: Date = new Date()): Promise<{ items: UpcomingMeeting[] }> {
    authorize(meetingPolicy.listUpcoming(actor));
    const ancestors = actor.unitPath.split("/").filter(Boolean);
    const startOfToday = vietnamInstant(vietnamDateOf(now), "00:00");
    const meetings = await this.db.meeting.findMany({
      where: {
        status: { notIn: ["ended", "cancelled"] },
        scheduledEnd: { gte: startOfToday },
        OR: [{ chairUserId: actor.id }, { hostUnitId: actor.unitId }, { sites: { some: { unitId: { in: ancestors } } } }],
      },
      orderBy: { scheduledStart: "asc" },
      take: 50,
      include: { sites: { select: { unitId: true } } },
    });
    // Receptions the caller's unit is invited to (the local reception office, an agency, an observer).
    const receptions = await this.db.receptionSession.findMany({
      where: { status: { not: "ended" }, units: { some: { unitId: { in: ancestors } } } },
      include: { unit: { select: { name: true } }, units: { select: { unitId: true } } },
      orderBy: { createdAt: "asc" },
      take: 20,
    });
    return {
      items: [
        ...meetings.map((meeting) => presentUpcoming({ ...meeting, sites: meeting.sites.map((site) => site.unitId) }, actor.id)),
        ...receptions.map((reception) =>
          presentUpcoming(
            {
              id: reception.id,
              roomId: reception.roomId,
              title: `Tiếp công dân — ${reception.unit.name}`,
              agenda: null,
              status: reception.status === "live" ? "live" : "scheduled",
              scheduledStart: reception.startedAt ?? reception.createdAt,
              scheduledEnd: null,
              chairUserId: reception.hostUserId,
              sites: reception.units.map((place) => place.unitId),
            },
            actor.id,
          ),
        ),
      ],
    };
  }

  /** Meeting records the actor may read, filtered, sorted and paged in the database; the total counts only those. */
  async list(actor: Actor, query: ListMeetingsQuery, page: { page: number; pageSize: number }): Promise<{ items: MeetingSummary[]; page: number; pageSize: number; total: number }> {
    authorize(meetingPolicy.list(actor));
    const where: Prisma.MeetingWhereInput = { AND: [await this.#readableBy(actor), filtersOf(query)] };
    const sort = query.sort ?? "start";
    const dir = query.dir ?? (sort === "start" ? "desc" : "asc");
    const [total, rows] = await this.db.$transaction([
      this.db.meeting.count({ where }),
      this.db.meeting.findMany({
        where,
        orderBy: meetingOrderBy(sort, dir),
        skip: (page.page - 1) * page.pageSize,
        take: page.pageSize,
        include: { sites: { select: { unitId: true } }, attendances: { select: { displayName: true, unitId: true } } },
      }),
    ]);
    // The page is judged by the policy itself too: a condition that ever let through more than the rule
    // allows drops the row here (fail closed) instead of showing it.
    const refs = await meetingRecordRefs(this.db, rows);
    const items = rows
      .filter((row) => meetingPolicy.readRecord(actor, refs.get(row.roomId)!))
      .map((row) => ({ ...meetingHeader(row), sites: new Set(row.attendances.map((attendance) => `${attendance.unitId}|${attendance.displayName}`)).size }));
    return { items, page: page.page, pageSize: page.pageSize, total };
  }

  /** The list's rows (same filters, order and rule), all pages, for the XLSX export; audited. */
  async exportList(actor: Actor, query: ListMeetingsQuery, meta: { ip: string }): Promise<MeetingSummary[]> {
    const rows = await collectPages(EXPORT_MAX_ROWS, (page) => this.list(actor, query, page));
    await recordAudit(this.db, { actorId: actor.id, action: "meeting.export", subjectType: "meeting", subjectId: null, detail: { ...auditedFilters(query), rows: rows.length }, ip: meta.ip });
    return rows;
  }

  /** `meetingPolicy.listScope` as a Prisma condition. */
  async #readableBy(actor: Actor): Promise<Prisma.MeetingWhereInput> {
    const scope = meetingPolicy.listScope(actor);
    const ancestors = actor.unitPath.split("/").filter(Boolean);
    const subtree = (await this.db.unit.findMany({ where: { path: { startsWith: actor.unitPath } }, select: { id: true } })).map((unit) => unit.id);
    const briefingUnits = [...new Set([...(scope.briefingUnits.ancestors ? ancestors : []), ...(scope.briefingUnits.subtree ? subtree : [])])];
    const inUnits = { in: briefingUnits };
    const receptionConditions: Prisma.ReceptionSessionWhereInput[] = [
      ...(scope.receptionUnitInSubtree ? [{ unitId: { in: subtree } }] : []),
      ...(scope.receptionHostOrInvited ? [{ hostUserId: actor.id }, { units: { some: { unitId: { in: ancestors } } } }] : []),
    ];
    // Reception rooms are meetings too (same room id); only their session's rule applies to them.
    const allReceptionRooms = (await this.db.receptionSession.findMany({ select: { roomId: true } })).map((session) => session.roomId);
    const readableReceptionRooms =
      receptionConditions.length === 0 ? [] : (await this.db.receptionSession.findMany({ where: { OR: receptionConditions }, select: { roomId: true } })).map((session) => session.roomId);
    return {
      OR: [
        {
          roomId: { notIn: allReceptionRooms },
          OR: [
            { chairUserId: scope.chairUserId },
            { hostUnitId: inUnits },
            { sites: { some: { unitId: inUnits } } },
            // An ad-hoc room (no host, no invitations): the units whose accounts attended stand for them.
            { hostUnitId: null, sites: { none: {} }, attendances: { some: { unitId: inUnits } } },
          ],
        },
        { roomId: { in: readableReceptionRooms } },
      ],
    };
  }
}

/** The list's filters (docs/list-endpoints.md): text in title or room, status, and the meeting's day. */
function filtersOf(query: ListMeetingsQuery): Prisma.MeetingWhereInput {
  const text = query.q?.trim();
  const days = query.from || query.to ? vietnamDaysRange(query.from ?? "2000-01-01", query.to ?? "2100-12-31") : null;
  return {
    ...(text ? { OR: [{ title: { contains: text } }, { roomId: { contains: text } }] } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(days ? { AND: [{ OR: [{ startedAt: days }, { startedAt: null, scheduledStart: days }] }] } : {}),
  };
}
