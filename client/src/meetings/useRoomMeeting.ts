import { useApi } from "../api/useApi";

/** The fields of an upcoming-meetings row the room's top bar shows. */
interface UpcomingRow {
  roomId: string;
  title: string;
  invitedUnits: number;
}

export interface RoomMeeting {
  /** The scheduled title; an unscheduled room is called by its room id, as its record is. */
  title: string;
  /** Units invited to a scheduled briefing; null for an unscheduled room. */
  invitedUnits: number | null;
}

/**
 * The meeting behind a room, from the same list the home page offers ("today and upcoming"): every role
 * may read it, so a commune site sees its briefing's title without a new endpoint.
 */
export function useRoomMeeting(roomId: string | null): RoomMeeting {
  const { data } = useApi<{ items: UpcomingRow[] }>("/meetings/upcoming");
  const row = data?.items.find((item) => item.roomId === roomId);
  return row ? { title: row.title, invitedUnits: row.invitedUnits > 0 ? row.invitedUnits : null } : { title: roomId ?? "", invitedUnits: null };
}
