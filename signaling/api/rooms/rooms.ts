import type { MeetingRecords } from "../../services/meetings/meetingRecords";
import type { RoomDirectory } from "../../realtime/RoomDirectory";
import { defineRoute } from "../route";
import { roomParamsSchema, roomStateSchema } from "./schema";

/** Live state of one room (who is in, which media is paused), for staff checking sites before a briefing. */
export function roomRoutes({ rooms, records }: { rooms: RoomDirectory; records: MeetingRecords }) {
  // The room's meeting decides who may look in, and whether a reception's citizen is named (meeting policy).
  return [
    defineRoute({
      id: "rooms.state",
      method: "get",
      path: "/rooms/:roomId",
      summary: "Who is in a live room and the state of their media",
      auth: "user",
      params: roomParamsSchema,
      response: roomStateSchema,
      handler: async ({ actor, params, meta }) =>
        records.roomState(actor, params.roomId, async () => (await rooms.get(params.roomId))?.snapshot() ?? null, meta),
    }),
  ];
}
