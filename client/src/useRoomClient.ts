import { useState, useSyncExternalStore } from "react";
import { currentLocale } from "./i18n";
import { RoomClient, type RoomView } from "./media/RoomClient";

/** One RoomClient for the page's lifetime, and its current view. */
export function useRoomClient(): [RoomView, RoomClient] {
  const [client] = useState(() => new RoomClient(currentLocale));
  const view = useSyncExternalStore(client.store.subscribe, client.store.getSnapshot);
  return [view, client];
}
