import { useTranslation } from "react-i18next";
import { PreJoin } from "../components/PreJoin";
import { RoomView } from "../components/RoomView";
import { useRoomClient } from "../useRoomClient";

export function MeetingPage() {
  const { t } = useTranslation();
  const [view, client] = useRoomClient();
  const inRoom = view.status === "joined" || view.status === "reconnecting";
  return inRoom ? (
    <RoomView view={view} client={client} />
  ) : (
    <>
      {(view.notice === "removed" || view.notice === "ended") && (
        <p className="notice centered" role="status" data-testid="meeting-notice">
          {t(`notices.${view.notice}`)}
        </p>
      )}
      <PreJoin busy={view.status === "connecting"} errorCode={view.errorCode} onJoin={(roomId, choice) => void client.join(roomId, choice)} />
    </>
  );
}
