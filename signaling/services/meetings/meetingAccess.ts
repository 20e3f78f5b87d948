import type { Db } from "../../db/client";
import { NEW_SITTING_AFTER_MS } from "../../domain/meetings/sittings";
import type { Actor, BriefingRef } from "../../policies";

/**
 * Who may enter a scheduled meeting's room: its chair, the host unit's staff, and accounts of the
 * invited units or of units below them. Rooms without a scheduled meeting (ad-hoc) stay open to every
 * signed-in user; `openSitting` keeps an ended one's record from passing to whoever enters next.
 */
export class MeetingAccess {
  constructor(private readonly db: Db) {}

  async mayJoin(actor: Actor, roomId: string): Promise<boolean> {
    const meeting = await this.db.meeting.findUnique({ where: { roomId }, include: { sites: true } });
    if (!meeting || meeting.sites.length === 0) return true;
    // A cancelled briefing's room does not open again (its invitations were withdrawn).
    if (meeting.status === "cancelled") return false;
    if (meeting.chairUserId === actor.id || meeting.hostUnitId === actor.unitId) return true;
    const invited = await this.db.unit.findMany({ where: { id: { in: meeting.sites.map((site) => site.unitId) } }, select: { path: true } });
    return invited.some((unit) => actor.unitPath.startsWith(unit.path));
  }

  /**
   * Before a join of an ad-hoc room whose meeting has ended: an ad-hoc record's readers are the units that
   * attended it (meetingPolicy), so reopening that record for whoever enters next would hand them its chat,
   * minutes and recordings (a review found it: a stranger reopened an ended room by its typed name). The
   * ended record is therefore set aside under an archived room id, and the room starts a new record, when
   * it ended longer than a sitting's gap ago or the entering unit was not in it; a unit that was, coming
   * back within the gap (everyone dropped, a reload), continues the same meeting.
   */
  async openSitting(actor: Actor, roomId: string, now: Date = new Date()): Promise<void> {
    const meeting = await this.db.meeting.findUnique({ where: { roomId }, include: { sites: { select: { unitId: true } } } });
    if (!meeting || meeting.sites.length > 0 || meeting.status !== "ended") return;
    const recent = meeting.endedAt !== null && now.getTime() - meeting.endedAt.getTime() <= NEW_SITTING_AFTER_MS;
    if (recent && (await this.db.attendance.count({ where: { meetingId: meeting.id, unitId: actor.unitId } })) > 0) return;
    const archivedRoomId = `${roomId}~${(meeting.endedAt ?? meeting.createdAt).toISOString()}`;
    await this.db.$transaction(async (tx) => {
      // Only the first of two simultaneous joins sets it aside; the second finds the new row.
      const moved = await tx.meeting.updateMany({ where: { id: meeting.id, roomId, status: "ended" }, data: { roomId: archivedRoomId } });
      if (moved.count === 1) await tx.meeting.create({ data: { roomId, title: meeting.title, status: "scheduled" } });
    });
  }

  /** The scheduled briefing behind a room, as the chair rule needs it; null for an ad-hoc room. */
  async briefingOf(roomId: string): Promise<BriefingRef | null> {
    const meeting = await this.db.meeting.findUnique({ where: { roomId }, include: { sites: { select: { unitId: true } } } });
    if (!meeting || meeting.sites.length === 0) return null;
    const hostUnit = meeting.hostUnitId ? await this.db.unit.findUnique({ where: { id: meeting.hostUnitId }, select: { id: true, path: true } }) : null;
    return { chairUserId: meeting.chairUserId, hostUnit };
  }
}
