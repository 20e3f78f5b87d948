import { AppError } from "../../errors";
import { authorize, meetingPolicy } from "../../policies";
import type { RoomDirectory } from "../../realtime/RoomDirectory";
import { defineRoute } from "../route";
import { roomParamsSchema, roomStateSchema } from "./schema";

/** Live state of one room (who is in, which media is paused), for staff checking sites before a briefing. */
export function roomRoutes(deps: { rooms: RoomDirectory }) {
  return [
    defineRoute({
      id: "rooms.state",
      method: "get",
      path: "/rooms/:roomId",
      summary: "Who is in a live room and the state of their media",
      auth: "user",
      params: roomParamsSchema,
      response: roomStateSchema,
      handler: async ({ actor, params }) => {
        authorize(meetingPolicy.readRecord(actor));
        const room = await deps.rooms.get(params.roomId);
        if (!room) throw new AppError("NOT_FOUND", { detail: `room ${params.roomId} is not live` });
        return room.snapshot();
      },
    }),
  ];
}
