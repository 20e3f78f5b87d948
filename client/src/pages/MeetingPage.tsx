import { JoinForm } from "../components/JoinForm";
import { RoomView } from "../components/RoomView";
import { useRoomClient } from "../useRoomClient";

export function MeetingPage() {
  const [view, client] = useRoomClient();
  const inRoom = view.status === "joined" || view.status === "reconnecting";
  return inRoom ? (
    <RoomView view={view} client={client} />
  ) : (
    <JoinForm busy={view.status === "connecting"} errorCode={view.errorCode} onJoin={(roomId) => void client.join(roomId)} />
  );
}
