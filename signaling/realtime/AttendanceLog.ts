import type { QualitySummary } from "../../sfu";
import type { Db } from "../db/client";
import type { Logger } from "../logger";

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

  constructor(db: Db, logger: Logger) {
    this.#db = db;
    this.#logger = logger.child({ component: "attendance" });
  }

  joined(roomId: string, peer: { id: string; displayName: string; userId: string; unitId: string }, at: Date = new Date()): void {
    this.#enqueue(roomId, "record a join", async () => {
      // An unscheduled room gets an ad-hoc meeting so its attendance is kept like any other.
      const meeting = await this.#db.meeting.upsert({
        where: { roomId },
        create: { roomId, title: roomId, status: "live", startedAt: at },
        update: {},
      });
      if (meeting.status !== "live") {
        await this.#db.meeting.update({
          where: { id: meeting.id },
          data: { status: "live", startedAt: meeting.startedAt ?? at, endedAt: null },
        });
      }
      const row = await this.#db.attendance.create({
        data: { meetingId: meeting.id, peerId: peer.id, displayName: peer.displayName, userId: peer.userId, unitId: peer.unitId, joinedAt: at },
      });
      this.#openRows.set(peer.id, row.id);
    });
  }

  left(roomId: string, peerId: string, reason: string, quality?: QualitySummary, at: Date = new Date()): void {
    this.#enqueue(roomId, "record a leave", async () => {
      const rowId = this.#openRows.get(peerId);
      if (!rowId) return;
      this.#openRows.delete(peerId);
      const link = quality ? { qualityUp: quality.uplink, qualityDown: quality.downlink, poorShare: quality.poorShare } : {};
      await this.#db.attendance.update({ where: { id: rowId }, data: { leftAt: at, leaveReason: reason, ...link } });
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
        const row = await tx.attendance.update({ where: { id: rowId }, data: { leftAt: droppedAt, leaveReason: "disconnected" } });
        return tx.attendance.create({
          data: { meetingId: row.meetingId, peerId, displayName: row.displayName, userId: row.userId, unitId: row.unitId, joinedAt: at },
        });
      });
      this.#openRows.set(peerId, next.id);
    });
  }

  /**
   * At start-up, before anyone joins: a stay still open was cut by the end of the previous process (a
   * crash, SIGKILL, power cut), since peers live only in memory. It ends now (the moment of the crash is
   * not known; this bounds it) as `serverRestarted`, instead of counting as present for ever. One
   * process per database, as SQLite and the in-memory rooms already require.
   */
  async closeInterrupted(at: Date = new Date()): Promise<number> {
    const { count } = await this.#db.attendance.updateMany({ where: { leftAt: null }, data: { leftAt: at, leaveReason: "serverRestarted" } });
    if (count > 0) this.#logger.warn({ stays: count }, "closed attendance left open by the previous process");
    return count;
  }

  /** The room emptied: its meeting is over until someone joins again. */
  roomEmptied(roomId: string, at: Date = new Date()): void {
    this.#enqueue(roomId, "end the meeting", async () => {
      await this.#db.meeting.updateMany({ where: { roomId, status: "live" }, data: { status: "ended", endedAt: at } });
    });
  }

  /** Resolves when every write queued so far has finished (shutdown, tests). */
  async flush(): Promise<void> {
    await Promise.all([...this.#queues.values()]);
  }

  #enqueue(roomId: string, what: string, write: () => Promise<void>): void {
    const tail = (this.#queues.get(roomId) ?? Promise.resolve())
      .then(write)
      .catch((error: unknown) => this.#logger.error({ err: error, roomId }, `could not ${what}`));
    this.#queues.set(roomId, tail);
    void tail.then(() => {
      if (this.#queues.get(roomId) === tail) this.#queues.delete(roomId);
    });
  }
}
