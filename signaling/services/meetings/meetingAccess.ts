import type { Db } from "../../db/client";
import type { Actor, BriefingRef } from "../../policies";

/**
 * Who may enter a scheduled meeting's room: its chair, the host unit's staff, and accounts of the
 * invited units or of units below them. Rooms without a scheduled meeting (ad-hoc) stay open to every
 * signed-in user.
 */
export class MeetingAccess {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async mayJoin(actor: Actor, roomId: string): Promise<boolean> {
    const meeting = await this.#db.meeting.findUnique({ where: { roomId }, include: { sites: true } });
    if (!meeting || meeting.sites.length === 0) return true;
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
