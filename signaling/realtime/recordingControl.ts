import type { RecordingRoomPort, RecordingService } from "../services/recordings/RecordingService";
import { chairMembership, type RequestHandlers, type Session } from "./handlers";
import type { IoServer, RoomChannels } from "./io";
import type { Moderation } from "./ModerationState";

/** How the recording service reaches a live room: the chair's peers, the room's badge and progress events. */
export function recordingRoomPort(io: IoServer, channels: RoomChannels, moderation: Moderation): RecordingRoomPort {
  return {
    chairPeerIds: (room) => moderation.chairPeerIds(room),
    announceProgress: (room, roomId, recordingId, progress) => {
      if (room) {
        moderation.setRecording(room, progress.status === "recording");
        if (!room.closed) io.to(channels.room(room.id)).emit("moderation", moderation.snapshot(room));
      }
      io.to(channels.room(roomId)).emit("recordingProgress", { recordingId, ...progress });
    },
    announceConsentWithdrawn: (roomId, recordingId, peerIds) => io.to(channels.room(roomId)).emit("recordingConsentWithdrawn", { recordingId, peerIds }),
  };
}

/** The chair's "Ghi hình" / "Dừng ghi hình": the chair of the caller's room starts and stops its recording. */
export function recordingHandlers(recordings: RecordingService, moderation: Moderation): Pick<RequestHandlers, "startRecording" | "stopRecording"> {
  const roomOf = (session: Session) => chairMembership(session, moderation).room;
  return {
    startRecording: async (_request, session) => ({ recordingId: await recordings.start(roomOf(session), session.actor.id) }),
    stopRecording: async (_request, session) => ({ recordingId: await recordings.stop(roomOf(session)) }),
  };
}
