import type { QualitySummary } from "../../sfu";
import type { Db } from "../db/client";
import { retryTransient } from "../db/transient";
import { sittingStart } from "../domain/meetings/sittings";
import type { Logger } from "../logger";

/**
 * A write the database refused for a while (another process holding SQLite's lock past its 5 s wait, a
 * PostgreSQL deadlock) is tried again after these pauses, in its turn in the room's queue: the attendance
 * record is what the meeting's minutes count, and a lost join made a present site look absent.
 */
const RETRY_PAUSES_MS = [500, 2_000, 5_000, 10_000] as const;

/**
 * Writes who was in which room and when. Media must not wait on, or fail because of, the database, so
 * writes run in the background; they are queued per room so a leave never lands before its join and
 * a meeting is never marked ended after someone rejoined it.
 */
export class AttendanceLog {
  readonly #db: Db;
  readonly #logger: Logger;
  /** roomId → the tail of that room's write queue. */
  readonly #queues = new Map<string, Promise<void>>();
  /** peerId → its open Attendance row. */
  readonly #openRows = new Map<string, string>();
  /** roomId → the start of the meeting going on in it (the room timer), known once its first join is written. */
  readonly #starts = new Map<string, Promise<Date>>();

  constructor(db: Db, logger: Logger) {
    this.#db = db;
    this.#logger = logger.child({ component: "attendance" });
  }

  /**
   * Records a join, and resolves when the meeting in the room began: the start stored on its row at the
   * first join, which survives the room emptying and filling again (and a restart of this process), unlike
   * the room's own session. Only the first join after the room opened waits for the database; the others
   * get the start already known. Rejects if the database failed (the caller falls back to the session).
   */
  joined(roomId: string, peer: { id: string; displayName: string; userId: string; unitId: string }, at: Date = new Date()): Promise<Date> {
    let settle: { resolve: (start: Date) => void; reject: (error: unknown) => void } | undefined;
    let known = this.#starts.get(roomId);
    if (!known) {
      known = new Promise<Date>((resolve, reject) => (settle = { resolve, reject }));
      // Nobody waits on a failure but the caller; it must not surface as an unhandled rejection.
      known.catch(() => undefined);
      this.#starts.set(roomId, known);
    }
    this.#enqueue(roomId, "record a join", async () => {
      let meetingId: string;
      try {
        const meeting = await this.#openMeeting(roomId, at);
        meetingId = meeting.id;
        settle?.resolve(meeting.startedAt);
      } catch (error) {
        if (settle) this.#starts.delete(roomId);
        settle?.reject(error);
        throw error;
      }
      const row = await this.#db.attendance.create({
        data: { meetingId, peerId: peer.id, displayName: peer.displayName, userId: peer.userId, unitId: peer.unitId, joinedAt: at },
      });
      this.#openRows.set(peer.id, row.id);
    });
    return known;
  }

  /** The start of the meeting going on in a room, as the first join after it opened found it; undefined before. */
  meetingStart(roomId: string): Promise<Date> | undefined {
    return this.#starts.get(roomId);
  }

  /** The meeting row of a room, live from now: created for an ad-hoc room, revived if it had ended. */
  async #openMeeting(roomId: string, at: Date): Promise<{ id: string; startedAt: Date }> {
    // An unscheduled room gets an ad-hoc meeting so its attendance is kept like any other.
    const meeting = await this.#db.meeting.upsert({
      where: { roomId },
      create: { roomId, title: roomId, status: "live", startedAt: at },
      update: {},
    });
    if (meeting.status === "live") return { id: meeting.id, startedAt: meeting.startedAt ?? at };
    const startedAt = sittingStart(meeting, at);
    await this.#db.meeting.update({ where: { id: meeting.id }, data: { status: "live", startedAt, endedAt: null } });
    return { id: meeting.id, startedAt };
  }

  left(roomId: string, peerId: string, reason: string, quality?: QualitySummary, at: Date = new Date()): void {
    this.#enqueue(roomId, "record a leave", async () => {
      const rowId = this.#openRows.get(peerId);
      if (!rowId) return;
      const link = quality ? { qualityUp: quality.uplink, qualityDown: quality.downlink, poorShare: quality.poorShare } : {};
      // Only if still open: a process that took the room over from a stalled one may have closed it already.
      await this.#db.attendance.updateMany({ where: { id: rowId, leftAt: null }, data: { leftAt: at, leaveReason: reason, ...link } });
      // Forgotten once written, so a refused write is tried again with its row.
      this.#openRows.delete(peerId);
    });
  }

  /**
   * The peer's connection dropped at `droppedAt` and it resumed now as the same peer: its stay ends there
   * as a disconnection and a new stay begins, so the record shows the gap and counts it.
   */
  resumed(roomId: string, peerId: string, droppedAt: Date, at: Date = new Date()): void {
    this.#enqueue(roomId, "record a reconnection", async () => {
      const rowId = this.#openRows.get(peerId);
      if (!rowId) return;
      const next = await this.#db.$transaction(async (tx) => {
        // Only a stay still open: a process that took the room over from this one (stalled past the TTL)
        // may have closed it already, and its close stands — no second close, no new stay here.
        const closed = await tx.attendance.updateMany({ where: { id: rowId, leftAt: null }, data: { leftAt: droppedAt, leaveReason: "disconnected" } });
        if (closed.count !== 1) return null;
        const row = await tx.attendance.findUniqueOrThrow({ where: { id: rowId } });
        return tx.attendance.create({
          data: { meetingId: row.meetingId, peerId, displayName: row.displayName, userId: row.userId, unitId: row.unitId, joinedAt: at },
        });
      });
      if (next) this.#openRows.set(peerId, next.id);
      else this.#openRows.delete(peerId);
    });
  }

  /**
   * At start-up, before anyone joins: a stay still open was cut by the end of the previous process (a
   * crash, SIGKILL, power cut), since peers live only in memory. It ends now (the moment of the crash is
   * not known; this bounds it) as `serverRestarted`, instead of counting as present for ever. One
   * process per database, as SQLite and the in-memory rooms already require.
   */
  async closeInterrupted(at: Date = new Date(), liveElsewhere: readonly string[] = []): Promise<number> {
    // Rooms another live signaling process owns (several processes on Redis) are not this process's to close.
    const notLive = liveElsewhere.length > 0 ? { roomId: { notIn: [...liveElsewhere] } } : {};
    const { count } = await this.#db.attendance.updateMany({ where: { leftAt: null, meeting: notLive }, data: { leftAt: at, leaveReason: "serverRestarted" } });
    if (count > 0) this.#logger.warn({ stays: count }, "closed attendance left open by the previous process");
    // Its meetings were live only in that process's rooms: they ended with it. Left "live", an ad-hoc one
    // would be reopened as is for whoever enters next (MeetingAccess.openSitting acts on ended ones only),
    // handing them its record (second privacy review).
    const meetings = await this.#db.meeting.updateMany({ where: { status: "live", ...notLive }, data: { status: "ended", endedAt: at } });
    if (meetings.count > 0) this.#logger.warn({ meetings: meetings.count }, "ended the meetings left live by the previous process");
    return count;
  }

  /**
   * The room emptied: its meeting is over until someone joins again — unless `stillOurs` (asked in turn
   * with this room's other writes) says another process holds the room now and its meeting goes on there.
   */
  roomEmptied(roomId: string, at: Date = new Date(), stillOurs?: () => Promise<boolean>): void {
    // The next join reads the row again: it decides whether the same meeting goes on (sittingStart).
    this.#starts.delete(roomId);
    this.#enqueue(roomId, "end the meeting", async () => {
      if (stillOurs && !(await stillOurs())) return;
      // And in the same statement: no stay of it open. Between the check above and this write another
      // process may have taken the room and let someone in; its open stay keeps the meeting live.
      await this.#db.meeting.updateMany({ where: { roomId, status: "live", attendances: { none: { leftAt: null } } }, data: { status: "ended", endedAt: at } });
    });
  }

  /**
   * This process took the room over from a dead one (several processes): the stays that one held, open
   * still, end as `serverRestarted` — at `lastSeen` (its last heartbeat) when they began before it, else at
   * `deadBy` (the latest it can have died). Only stays that began before `claimedAt`; queued ahead of this
   * process's own first join in the room.
   */
  closeOrphaned(roomId: string, lastSeen: Date, deadBy: Date, claimedAt: Date): void {
    this.#enqueue(roomId, "close the stays of a dead owner", async () => {
      const open = { leftAt: null, meeting: { roomId } };
      const before = await this.#db.attendance.updateMany({ where: { ...open, joinedAt: { lte: lastSeen } }, data: { leftAt: lastSeen, leaveReason: "serverRestarted" } });
      const after = await this.#db.attendance.updateMany({ where: { ...open, joinedAt: { gt: lastSeen, lte: deadBy } }, data: { leftAt: deadBy, leaveReason: "serverRestarted" } });
      // Begun after the latest moment the owner can have died by its own clock (a late heartbeat, clock
      // skew): ended where it began, never before it (a negative stay).
      const late = await this.#db.attendance.findMany({ where: { ...open, joinedAt: { gt: deadBy, lte: claimedAt } }, select: { id: true, joinedAt: true } });
      for (const stay of late) await this.#db.attendance.updateMany({ where: { id: stay.id, leftAt: null }, data: { leftAt: stay.joinedAt, leaveReason: "serverRestarted" } });
      if (before.count + after.count + late.length > 0) this.#logger.warn({ roomId, stays: before.count + after.count + late.length }, "closed the stays a dead signaling process left open");
    });
  }

  /** Resolves when every write queued so far has finished (shutdown, tests). */
  async flush(): Promise<void> {
    await Promise.all([...this.#queues.values()]);
  }

  #enqueue(roomId: string, what: string, write: () => Promise<void>): void {
    const tail = (this.#queues.get(roomId) ?? Promise.resolve())
      .then(() =>
        retryTransient(write, {
          pausesMs: RETRY_PAUSES_MS,
          onRetry: (error, attempt) => this.#logger.warn({ err: error, roomId, attempt }, `the database refused to ${what} for now; trying again`),
        }),
      )
      .catch((error: unknown) => this.#logger.error({ err: error, roomId }, `could not ${what}`));
    this.#queues.set(roomId, tail);
    void tail.then(() => {
      if (this.#queues.get(roomId) === tail) this.#queues.delete(roomId);
    });
  }
}
