import { AppError } from "../errors";
import type { RequestHandlers, Session } from "./handlers";
import { roomChannel } from "./io";
import type { IoServer } from "./io";
import type { Moderation } from "./ModerationState";

function membershipOf(session: Session) {
  const current = session.membership;
  if (!current || current.room.closed || current.peer.closed) throw new AppError("NOT_JOINED");
  return current;
}

/** Pauses every microphone of the given peers (the server's pause; their clients are told). */
async function pauseMics(room: NonNullable<Session["membership"]>["room"], peerIds: readonly string[]): Promise<void> {
  for (const peerId of peerIds) {
    const peer = room.peer(peerId);
    if (!peer) continue;
    for (const producer of peer.producers) {
      if (producer.appData.source === "mic" && !producer.paused) await room.pauseProducer(peer, producer.id);
    }
  }
}

/** The chair's controls over sites' microphones. Who is a chair is decided by the room event policy. */
export function moderationHandlers(io: IoServer, moderation: Moderation): Pick<RequestHandlers, "muteSite" | "setMuteAll"> {
  const announce = (room: NonNullable<Session["membership"]>["room"]) => io.to(roomChannel(room.id)).emit("moderation", moderation.snapshot(room));
  return {
    muteSite: async ({ peerId, muted }, session) => {
      const { room } = membershipOf(session);
      if (!room.peer(peerId)) throw new AppError("NOT_FOUND", { detail: "no such site in this room" });
      moderation.setMuted(room, peerId, muted);
      if (muted) await pauseMics(room, [peerId]);
      announce(room);
      return {};
    },
    setMuteAll: async ({ on }, session) => {
      const { room } = membershipOf(session);
      moderation.setMuteAll(room, on);
      if (on) await pauseMics(room, room.peers.filter((peer) => moderation.isMuted(room, peer)).map((peer) => peer.id));
      announce(room);
      return {};
    },
  };
}
