import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import type { Actor, BriefingRef } from "../../policies";

/**
 * Who may enter a scheduled meeting's room: its chair, the host unit's staff, and accounts of the
 * invited units or of units below them. Rooms without a scheduled meeting (ad-hoc) are open to every
 * signed-in user while live; once ended, only to the units that were in them (MEETING_ENDED).
 */
export class MeetingAccess {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async mayJoin(actor: Actor, roomId: string): Promise<boolean> {
    const meeting = await this.#db.meeting.findUnique({ where: { roomId }, include: { sites: true } });
    if (!meeting) return true;
    if (meeting.sites.length === 0) {
      // An ad-hoc meeting's readers are the units that attended it (meetingPolicy): letting any unit join
      // it once it ended would hand a stranger its chat, minutes and recordings. Only a unit that was in it
      // may open it again; anyone else opens a room of their own.
      if (meeting.status !== "ended") return true;
      if ((await this.#db.attendance.count({ where: { meetingId: meeting.id, unitId: actor.unitId } })) > 0) return true;
      throw new AppError("MEETING_ENDED");
    }
    // A cancelled briefing's room does not open again (its invitations were withdrawn).
    if (meeting.status === "cancelled") return false;
    if (meeting.chairUserId === actor.id || meeting.hostUnitId === actor.unitId) return true;
    const invited = await this.#db.unit.findMany({ where: { id: { in: meeting.sites.map((site) => site.unitId) } }, select: { path: true } });
    return invited.some((unit) => actor.unitPath.startsWith(unit.path));
  }

  /** The scheduled briefing behind a room, as the chair rule needs it; null for an ad-hoc room. */
  async briefingOf(roomId: string): Promise<BriefingRef | null> {
    const meeting = await this.#db.meeting.findUnique({ where: { roomId }, include: { sites: { select: { unitId: true } } } });
    if (!meeting || meeting.sites.length === 0) return null;
    const hostUnit = meeting.hostUnitId ? await this.#db.unit.findUnique({ where: { id: meeting.hostUnitId }, select: { id: true, path: true } }) : null;
    return { chairUserId: meeting.chairUserId, hostUnit };
  }
}
