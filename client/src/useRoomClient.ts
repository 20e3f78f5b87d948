import { useEffect, useState, useSyncExternalStore } from "react";
import { currentLocale } from "./i18n";
import { RoomClient, type RoomView } from "./media/RoomClient";
import { useSession } from "./session";

/** One RoomClient for the page's lifetime, and its current view. */
export function useRoomClient(): [RoomView, RoomClient] {
  const [, session] = useSession();
  const [client] = useState(() => new RoomClient(currentLocale, session));
  const view = useSyncExternalStore(client.store.subscribe, client.store.getSnapshot);
  // Signing out unmounts the meeting: leave the room rather than keep a socket for a signed-out user.
  useEffect(() => () => void client.leave(), [client]);
  return [view, client];
}
