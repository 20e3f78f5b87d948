import type { Db } from "../../db/client";
import type { MeetingRecordRef, UnitRef } from "../../policies";

/** A meeting as far as its record rule needs it: who chairs, hosts, is invited and attended. */
export interface MeetingShape {
  roomId: string;
  chairUserId: string | null;
  hostUnitId: string | null;
  sites: readonly { unitId: string }[];
  attendances: readonly { unitId: string | null }[];
}

/** The facts the meeting policy needs, for many meetings in a few queries. */
export async function meetingRecordRefs(db: Db, meetings: readonly MeetingShape[]): Promise<Map<string, MeetingRecordRef>> {
  const sessions = await db.receptionSession.findMany({
    where: { roomId: { in: meetings.map((meeting) => meeting.roomId) } },
    select: {
      roomId: true,
      unitId: true,
      hostUserId: true,
      units: { select: { unitId: true, role: true } },
      declaredKind: true,
      identityProtected: true,
      booking: { select: { petitionKind: true } },
      bookEntries: { select: { petitionKind: true, wasDenunciation: true } },
    },
  });
  const unitIds = new Set<string>();
  for (const meeting of meetings) {
    if (meeting.hostUnitId) unitIds.add(meeting.hostUnitId);
    for (const site of meeting.sites) unitIds.add(site.unitId);
    for (const row of meeting.attendances) if (row.unitId) unitIds.add(row.unitId);
  }
  for (const session of sessions) {
    unitIds.add(session.unitId);
    for (const place of session.units) unitIds.add(place.unitId);
  }
  const units = new Map((await db.unit.findMany({ where: { id: { in: [...unitIds] } }, select: { id: true, path: true } })).map((unit) => [unit.id, unit]));
  const unitRef = (id: string | null): UnitRef[] => {
    const unit = id ? units.get(id) : undefined;
    return unit ? [unit] : [];
  };
  const sessionByRoom = new Map(sessions.map((session) => [session.roomId, session]));
  const refs = new Map<string, MeetingRecordRef>();
  for (const meeting of meetings) {
    const session = sessionByRoom.get(meeting.roomId);
    if (session) {
      // A session whose unit row is gone has no readers: an unknown path matches no scope.
      const unit = unitRef(session.unitId)[0] ?? { id: session.unitId, path: "\u0000" };
      // Every record of what the petition is: the booking, the kind declared with the consent, the book
      // entries; a set-once flag (the session or an entry once said denunciation) counts as saying it still.
      const kinds = [
        session.booking?.petitionKind,
        session.declaredKind,
        ...session.bookEntries.map((entry) => entry.petitionKind),
        session.identityProtected || session.bookEntries.some((entry) => entry.wasDenunciation) ? "denunciation" : null,
      ].filter((kind): kind is string => typeof kind === "string");
      refs.set(meeting.roomId, {
        kind: "reception",
        session: {
          unit,
          hostUserId: session.hostUserId,
          invited: session.units.flatMap((place) => unitRef(place.unitId).map((ref) => ({ unit: ref, role: place.role }))),
          petitionKinds: kinds,
        },
      });
      continue;
    }
    refs.set(meeting.roomId, {
      kind: "briefing",
      briefing: {
        chairUserId: meeting.chairUserId,
        hostUnit: unitRef(meeting.hostUnitId)[0] ?? null,
        invitedUnits: meeting.sites.flatMap((site) => unitRef(site.unitId)),
        attendingUnits: [...new Set(meeting.attendances.map((row) => row.unitId))].flatMap((id) => unitRef(id)),
      },
    });
  }
  return refs;
}

