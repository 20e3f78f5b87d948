import type { Room } from "../../sfu";
import { AppError } from "../errors";
import { currentMembership, type RequestHandlers, type Session } from "./handlers";
import { type IoServer, peerChannel, type RoomChannels } from "./io";
import type { Moderation } from "./ModerationState";
import type { ResumableSessions } from "./ResumableSessions";

function target(room: Room, peerId: string) {
  const peer = room.peer(peerId);
  if (!peer) throw new AppError("NOT_FOUND", { detail: "no such site in this room" });
  return peer;
}

/**
 * Pauses the given peers' producers of one source (the server's pause). The other sites hear of it from the
 * room; the owner is told here as well, so its own page shows the camera or microphone off instead of on
 * while nothing is sent (the room's own notice skips the owner, who normally paused it itself).
 */
async function pauseSource(io: IoServer, room: Room, peerIds: readonly string[], source: "mic" | "webcam"): Promise<void> {
  for (const peerId of peerIds) {
    const peer = room.peer(peerId);
    if (!peer) continue;
    for (const producer of peer.producers) {
      if (producer.appData.source !== source || producer.paused) continue;
      await room.pauseProducer(peer, producer.id);
      io.to(peerChannel(peerId)).emit("producerPaused", { peerId, producerId: producer.id });
    }
  }
}

type ChairEvents = "muteSite" | "setMuteAll" | "stopCamera" | "removeSite" | "lockRoom" | "spotlight" | "grantFloor" | "raiseHand" | "endMeeting";

/**
 * The chair's controls (mute, camera, floor, spotlight, lock, remove, end) and the sites' raised hands.
 * Who may use which is decided before these run: the room event policy by role, then the dispatcher's
 * check that the caller chairs this room (policies/rooms.ts, chairOfRoomRequired).
 */
export function chairControlHandlers(
  io: IoServer,
  channels: RoomChannels,
  moderation: Moderation,
  resumable: ResumableSessions,
  /** Runs before a room is ended for all (a reception session is closed in the book). */
  onEnd: (room: Room, session: Session) => Promise<void> = async () => undefined,
): Pick<RequestHandlers, ChairEvents> {
  const announce = (room: Room) => moderation.commit(room);
  const mutedNow = (room: Room) => room.peers.filter((peer) => moderation.isMuted(room, peer)).map((peer) => peer.id);

  return {
    muteSite: async ({ peerId, muted }, session) => {
      const { room } = currentMembership(session);
      target(room, peerId);
      moderation.setMuted(room, peerId, muted);
      if (muted) await pauseSource(io, room, [peerId], "mic");
      await announce(room);
      return {};
    },
    setMuteAll: async ({ on }, session) => {
      const { room } = currentMembership(session);
      moderation.setMuteAll(room, on);
      if (on) await pauseSource(io, room, mutedNow(room), "mic");
      await announce(room);
      return {};
    },
    stopCamera: async ({ peerId }, session) => {
      const { room } = currentMembership(session);
      target(room, peerId);
      await pauseSource(io, room, [peerId], "webcam");
      return {};
    },
    removeSite: async ({ peerId }, session) => {
      const { room } = currentMembership(session);
      const peer = target(room, peerId);
      io.to(peerChannel(peerId)).emit("removed", { locked: moderation.isLocked(room) });
      // Its socket stops receiving the room's broadcasts, and it cannot resume into it.
      io.in(peerChannel(peerId)).socketsLeave([channels.room(room.id), channels.staff(room.id), peerChannel(peerId)]);
      resumable.forget(peerId);
      // A removed site is no member any more: a locked room keeps it out.
      moderation.expel(room, peerId);
      room.leave(peer, "removed");
      await announce(room);
      return {};
    },
    lockRoom: async ({ locked }, session) => {
      const { room } = currentMembership(session);
      moderation.setLocked(room, locked);
      await announce(room);
      return {};
    },
    spotlight: async ({ peerId }, session) => {
      const { room } = currentMembership(session);
      if (peerId) target(room, peerId);
      moderation.setSpotlight(room, peerId);
      await announce(room);
      return {};
    },
    grantFloor: async ({ peerId }, session) => {
      const { room } = currentMembership(session);
      if (peerId) target(room, peerId);
      const lost = moderation.setFloor(room, peerId);
      if (lost.length > 0) {
        await pauseSource(io, room, mutedNow(room).filter((id) => lost.includes(id)), "mic");
        // Sharing came with the floor: a site that lost it stops presenting (chairs keep theirs).
        for (const share of room.producersOf("screen")) {
          if (!lost.includes(share.peer.id) || moderation.mayShareScreen(room, share.peer)) continue;
          room.closeProducer(share.peer, share.producerId);
          io.to(peerChannel(share.peer.id)).emit("producerClosed", { peerId: share.peer.id, producerId: share.producerId });
        }
      }
      await announce(room);
      return {};
    },
    raiseHand: async ({ raised }, session) => {
      const { room, peer } = currentMembership(session);
      moderation.setHand(room, peer.id, raised);
      await announce(room);
      return {};
    },
    endMeeting: async (_request, session) => {
      const { room } = currentMembership(session);
      await onEnd(room, session);
      for (const peer of room.peers) resumable.forget(peer.id);
      room.end();
      return {};
    },
  };
}
