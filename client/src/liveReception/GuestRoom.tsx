import { useEffect, useState, useSyncExternalStore } from "react";
import { useTranslation } from "react-i18next";
import { currentLocale } from "../i18n";
import { RoomClient } from "../media/RoomClient";
import { ErrorMessage } from "../components/ErrorMessage";
import { Tile, remoteTileProps } from "../components/Tile";
import type { GuestLobby } from "./GuestLobby";

/**
 * The citizen's side of the video reception, on a phone: the receiving staff large, the citizen's own
 * picture small, three large buttons. Media starts only here, after the recording notice was answered.
 */
export function GuestRoom({ lobby, roomId, onLeft }: { lobby: GuestLobby; roomId: string; onLeft: () => void }) {
  const { t } = useTranslation();
  const [client] = useState(() => new RoomClient(currentLocale, lobby));
  const view = useSyncExternalStore(client.store.subscribe, client.store.getSnapshot);
  useEffect(() => {
    void client.join(roomId);
    return () => void client.leave();
  }, [client, roomId]);
  // The officer ended the session (or the server closed the room): back to the receipt.
  useEffect(() => {
    if (view.status === "idle" && (view.notice === "ended" || view.notice === "removed" || view.errorCode === "ROOM_CLOSED")) onLeft();
  }, [view.status, view.notice, view.errorCode, onLeft]);

  return (
    <section className="guest-room" data-testid="guest-room" data-status={view.status}>
      {view.moderation.recording && (
        <p className="recording-badge" role="status" data-testid="recording-badge">
          <span className="rec-dot" aria-hidden="true" /> {t("guest.beingRecorded")}
        </p>
      )}
      <ErrorMessage code={view.errorCode} />
      <div className="guest-tiles">
        {view.peers.map((peer) => (
          <Tile key={peer.id} {...remoteTileProps(peer)} />
        ))}
        {view.peers.length === 0 && <p className="hint">{t("guest.staffComing")}</p>}
      </div>
      <div className="guest-self">
        <Tile testId="local-tile" displayName={view.displayName ?? t("room.you")} suffix={`(${t("room.you")})`} videoTrack={view.localVideoTrack} videoOff={!view.cameraOn} micOff={!view.micOn} mirrored />
      </div>
      <nav className="guest-controls" aria-label={t("daily.controlsLabel")}>
        <button type="button" data-testid="toggle-mic" aria-pressed={!view.micOn} disabled={!view.hasMic || view.status !== "joined"} onClick={() => void client.setMicEnabled(!view.micOn).catch(() => undefined)}>
          {view.micOn ? t("controls.muteMic") : t("controls.unmuteMic")}
        </button>
        <button type="button" data-testid="toggle-camera" aria-pressed={!view.cameraOn} disabled={!view.hasCamera || view.status !== "joined"} onClick={() => void client.setCameraEnabled(!view.cameraOn).catch(() => undefined)}>
          {view.cameraOn ? t("controls.cameraOff") : t("controls.cameraOn")}
        </button>
        <button type="button" className="danger" data-testid="leave-button" onClick={() => void client.leave().then(onLeft)}>
          {t("guest.leave")}
        </button>
      </nav>
    </section>
  );
}
