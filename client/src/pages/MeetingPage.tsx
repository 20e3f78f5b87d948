import { useTranslation } from "react-i18next";
import { PreJoin } from "../components/PreJoin";
import { useBriefingRoom } from "../meetings/BriefingRoomApi";
import { Upcoming } from "../meetings/Upcoming";
import { RoomView, useRoomPageHeight } from "../components/RoomView";
import { ReceptionPanel } from "../liveReception/ReceptionPanel";
import { useReceptionRoom } from "../liveReception/ReceptionRoomApi";
import { hashParams } from "../routing";
import { useRoomClient } from "../useRoomClient";

/**
 * The meeting room. `open`: the room page is the one shown. The camera and microphone are taken only by
 * the pre-join screen, which exists only while the room page is open: leaving it (or never coming)
 * releases them; an admin editing units or a clerk working cases never has them on. Once joined, the
 * call survives navigation (the room client owns the tracks until the user leaves the meeting).
 */
export function MeetingPage({ open }: { open: boolean }) {
  const { t } = useTranslation();
  const [view, client] = useRoomClient();
  // A reception room's staff calls and waiting room travel over the same socket, apart from the media session.
  const [lobby, reception] = useReceptionRoom(client);
  // So do a briefing's minutes and the chair's list of invited units.
  const [briefing, briefingApi] = useBriefingRoom(client);
  const inRoom = view.status === "joined" || view.status === "reconnecting";
  useRoomPageHeight(inRoom && open);
  if (inRoom) {
    return <RoomView view={view} client={client} briefing={{ state: briefing, api: briefingApi }} panel={lobby ? <ReceptionPanel view={view} lobby={lobby} client={reception} /> : undefined} />;
  }
  if (!open) return null;
  // A room picked from a schedule entry ("#/room?room=…", or "/?room=…" from a link) fills the pre-join screen.
  const chosenRoom = hashParams().get("room") ?? new URLSearchParams(window.location.search).get("room");
  return (
    <>
      {(view.notice === "removed" || view.notice === "ended") && (
        <p className="notice centered" role="status" data-testid="meeting-notice">
          {t(`notices.${view.notice}`)}
        </p>
      )}
      <PreJoin
        key={chosenRoom ?? "default"}
        {...(chosenRoom ? { initialRoomId: chosenRoom } : {})}
        busy={view.status === "connecting"}
        errorCode={view.errorCode}
        onJoin={(roomId, choice) => void client.join(roomId, choice)}
      />
      <Upcoming />
    </>
  );
}
