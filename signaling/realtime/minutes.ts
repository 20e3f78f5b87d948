import type { Room } from "../../sfu";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { directivePolicy } from "../policies";
import { rolesOf } from "../presenters/user";
import type { MinutesService, RoomViewer } from "../services/directives/minutes";
import { currentMembership, type RequestHandlers, type Session } from "./handlers";
import { type IoServer, peerChannel } from "./io";
import type { Moderation } from "./ModerationState";

type MinutesEvents = "getMinutes" | "setSecretary" | "saveMinutesNotes" | "addConclusion" | "addDirective";

/**
 * The minutes in the room. Keepers (the chair, the secretary) are sent the whole minutes whenever they
 * change; a directive is shown at once to the sites of the units it is addressed to (and of units below them).
 */
export function minutesHandlers(io: IoServer, db: Db, minutes: MinutesService, moderation: Moderation): Pick<RequestHandlers, MinutesEvents> {
  const viewerOf = (session: Session): { room: Room; viewer: RoomViewer } => {
    const { room, peer } = currentMembership(session);
    if (session.actor.guest) throw new AppError("FORBIDDEN");
    return { room, viewer: { actor: session.actor, chairsHere: moderation.isChair(room, peer) } };
  };

  /** Each peer in the room with its account's unit path, to address it (peers of accounts gone are skipped). */
  const peersWithUnits = async (room: Room) => {
    const state = moderation.of(room);
    const byPeer = room.peers.flatMap((peer) => {
      const userId = state.userOf(peer.id);
      return userId && !userId.startsWith("guest:") ? [{ peer, userId }] : [];
    });
    const users = await db.user.findMany({ where: { id: { in: byPeer.map((entry) => entry.userId) } }, select: { id: true, unit: { select: { path: true } } } });
    const paths = new Map(users.map((user) => [user.id, user.unit.path]));
    return byPeer.flatMap((entry) => {
      const unitPath = paths.get(entry.userId);
      return unitPath ? [{ ...entry, unitPath }] : [];
    });
  };

  /** Sends every keeper in the room its copy of the minutes (each copy says it is a keeper's). */
  const refreshKeepers = async (room: Room) => {
    // Only the chairs and the secretary can be keepers: the sites are not asked one by one.
    const secretary = (await db.meetingMinutes.findFirst({ where: { meeting: { roomId: room.id } }, select: { secretaryUserId: true } }))?.secretaryUserId ?? null;
    const candidates = (await peersWithUnits(room)).filter((entry) => entry.userId === secretary || moderation.isChair(room, entry.peer));
    for (const entry of candidates) {
      const chairsHere = moderation.isChair(room, entry.peer);
      const user = await db.user.findUnique({ where: { id: entry.userId }, include: { roles: true } });
      if (!user) continue;
      const actor = { id: user.id, roles: rolesOf(user), unitId: user.unitId, unitPath: entry.unitPath };
      const copy = await minutes.forRoom(room.id, { actor, chairsHere });
      if (copy.keeper) io.to(peerChannel(entry.peer.id)).emit("minutes", copy);
    }
  };

  return {
    getMinutes: async (_request, session) => {
      const { room, viewer } = viewerOf(session);
      return minutes.forRoom(room.id, viewer);
    },
    setSecretary: async ({ peerId }, session) => {
      const { room, viewer } = viewerOf(session);
      const userId = peerId === null ? null : moderation.of(room).userOf(peerId);
      if (peerId !== null && (!room.peer(peerId) || !userId || userId.startsWith("guest:"))) throw new AppError("NOT_FOUND", { detail: "no such site in this room" });
      await minutes.setSecretary(room.id, viewer, userId ?? null);
      await refreshKeepers(room);
      return minutes.forRoom(room.id, viewer);
    },
    saveMinutesNotes: async ({ notes }, session) => {
      const { room, viewer } = viewerOf(session);
      return minutes.saveNotes(room.id, viewer, notes);
    },
    addConclusion: async ({ text }, session) => {
      const { room, viewer } = viewerOf(session);
      const conclusion = await minutes.addConclusion(room.id, viewer, text);
      await refreshKeepers(room);
      return conclusion;
    },
    addDirective: async (request, session) => {
      const { room, viewer } = viewerOf(session);
      const issued = await minutes.addDirective(room.id, viewer, request);
      for (const entry of await peersWithUnits(room)) {
        const units = issued.units.filter((unit) => directivePolicy.addressedTo(entry, unit));
        if (units.length === 0) continue;
        const ids = new Set(units.map((unit) => unit.id));
        io.to(peerChannel(entry.peer.id)).emit("directiveIssued", { ...issued.directive, units: issued.directive.units.filter((unit) => ids.has(unit.unitId)) });
      }
      await refreshKeepers(room);
      return issued.directive;
    },
  };
}
