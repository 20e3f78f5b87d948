import { useTranslation } from "react-i18next";
import { useState } from "react";
import { PreJoin } from "../components/PreJoin";
import { Upcoming } from "../meetings/Upcoming";
import { RoomView } from "../components/RoomView";
import { ReceptionPanel } from "../liveReception/ReceptionPanel";
import { useRoomClient } from "../useRoomClient";

export function MeetingPage() {
  const { t } = useTranslation();
  const [view, client] = useRoomClient();
  const [chosenRoom, setChosenRoom] = useState<string | null>(null);
  const inRoom = view.status === "joined" || view.status === "reconnecting";
  return inRoom ? (
    <RoomView view={view} client={client} panel={view.lobby ? <ReceptionPanel view={view} lobby={view.lobby} client={client} /> : undefined} />
  ) : (
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
      <Upcoming onEnter={setChosenRoom} />
    </>
  );
}
