import type { Db } from "../db/client";
import { AppError } from "../errors";
import type { RequestHandlers } from "./handlers";
import type { IoServer, RoomChannels } from "./io";

const HISTORY = 100;

/** Room chat, kept with the meeting (a meeting row is created for an ad-hoc room, as attendance does). */
export function chatHandlers(io: IoServer, channels: RoomChannels, db: Db): Pick<RequestHandlers, "sendChat" | "getChat"> {
  return {
    sendChat: async ({ text }, session) => {
      const current = session.membership;
      if (!current || current.room.closed) throw new AppError("NOT_JOINED");
      const meeting = await db.meeting.upsert({ where: { roomId: current.room.id }, create: { roomId: current.room.id, title: current.room.id, status: "live" }, update: {} });
      const row = await db.chatMessage.create({
        data: { meetingId: meeting.id, peerId: current.peer.id, userId: session.actor.id, displayName: current.peer.displayName, text },
      });
      const message = { id: row.id, peerId: row.peerId, displayName: row.displayName, text: row.text, at: row.at.toISOString() };
      io.to(channels.room(current.room.id)).emit("chatMessage", message);
      return message;
    },
    getChat: async (_request, session) => {
      const current = session.membership;
      if (!current || current.room.closed) throw new AppError("NOT_JOINED");
      const rows = await db.chatMessage.findMany({ where: { meeting: { roomId: current.room.id } }, orderBy: { at: "desc" }, take: HISTORY });
      return { messages: rows.reverse().map((row) => ({ id: row.id, peerId: row.peerId, displayName: row.displayName, text: row.text, at: row.at.toISOString() })) };
    },
  };
}
