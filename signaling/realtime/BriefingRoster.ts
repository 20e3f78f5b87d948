import type { Peer, Room } from "../../sfu";
import type { Db } from "../db/client";
import type { Logger } from "../logger";
import { isWithin } from "../policies";
import type { ServerEvent } from "../protocol";
import { type IoServer, peerChannel } from "./io";
import type { Moderation } from "./ModerationState";

interface InvitedUnit {
  id: string;
  name: string;
  path: string;
}

interface RoomRoster {
  /** The briefing's invited units, read once per room session (none: an ad-hoc room, a reception). */
  invited: Promise<InvitedUnit[]>;
  /** peerId → the unit path of the account behind it. */
  present: Map<string, string>;
}

/**
 * Who of a scheduled briefing's invited units is in the room and who is missing, for the chair's participant
 * list ("Vắng"). Only the chairs are told: a commune site learns the other sites in the room from their tiles,
 * not the list of units invited. A unit is present when an account of it, or of a unit below it (the same
 * rule that lets it in, MeetingAccess.mayJoin), is in the room.
 */
export class BriefingRoster {
  readonly #db: Db;
  readonly #io: IoServer;
  readonly #moderation: Moderation;
  readonly #logger: Logger;
  readonly #rooms = new WeakMap<Room, RoomRoster>();

  constructor(options: { db: Db; io: IoServer; moderation: Moderation; logger: Logger }) {
    this.#db = options.db;
    this.#io = options.io;
    this.#moderation = options.moderation;
    this.#logger = options.logger.child({ component: "roster" });
  }

  /** A peer entered the room (after the moderation registered it, so a chair entering is told at once). */
  entered(room: Room, peer: Peer, unitPath: string): void {
    const roster = this.#of(room);
    roster.present.set(peer.id, unitPath);
    void this.#announce(room, roster);
  }

  #of(room: Room): RoomRoster {
    const known = this.#rooms.get(room);
    if (known) return known;
    const roster: RoomRoster = { invited: this.#invited(room.id), present: new Map() };
    roster.invited.catch(() => undefined);
    this.#rooms.set(room, roster);
    room.on("peerLeft", (peer) => {
      if (roster.present.delete(peer.id)) void this.#announce(room, roster);
    });
    return roster;
  }

  async #invited(roomId: string): Promise<InvitedUnit[]> {
    const meeting = await this.#db.meeting.findUnique({ where: { roomId }, select: { sites: { select: { unitId: true } } } });
    if (!meeting || meeting.sites.length === 0) return [];
    const units = await this.#db.unit.findMany({ where: { id: { in: meeting.sites.map((site) => site.unitId) } }, select: { id: true, name: true, path: true } });
    return units.sort((a, b) => a.name.localeCompare(b.name, "vi"));
  }

  async #announce(room: Room, roster: RoomRoster): Promise<void> {
    try {
      const invited = await roster.invited;
      if (invited.length === 0 || room.closed) return;
      const paths = [...roster.present.values()];
      const event: ServerEvent<"roster"> = {
        units: invited.map((unit) => ({ id: unit.id, name: unit.name, present: paths.some((path) => isWithin({ id: "", path }, unit)) })),
      };
      for (const chairPeerId of this.#moderation.chairPeerIds(room)) this.#io.to(peerChannel(chairPeerId)).emit("roster", event);
    } catch (error) {
      // The list is an aid to the chair; the meeting goes on without it.
      this.#logger.error({ err: error, roomId: room.id }, "could not tell the chair the invited units");
    }
  }
}
