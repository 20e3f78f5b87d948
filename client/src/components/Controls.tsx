import { useTranslation } from "react-i18next";
import type { RoomClient, RoomView } from "../media/RoomClient";

export function Controls({ view, client, isChair }: { view: RoomView; client: RoomClient; isChair: boolean }) {
  const { t } = useTranslation();
  const micLabel = !view.hasMic
    ? t("controls.noMic")
    : view.mutedByChair
      ? t("controls.mutedByChair")
      : view.micOn
        ? t("controls.muteMic")
        : t("controls.unmuteMic");
  const cameraLabel = !view.hasCamera ? t("controls.noCamera") : view.cameraOn ? t("controls.cameraOff") : t("controls.cameraOn");
  const busy = view.status !== "joined";
  return (
    <nav className="controls" aria-label="controls">
      <button
        type="button"
        data-testid="toggle-mic"
        aria-pressed={!view.micOn}
        disabled={!view.hasMic || busy || view.mutedByChair}
        onClick={() => void client.setMicEnabled(!view.micOn).catch(() => undefined)}
      >
        {micLabel}
      </button>
      <button
        type="button"
        data-testid="toggle-camera"
        aria-pressed={!view.cameraOn}
        disabled={!view.hasCamera || busy}
        onClick={() => void client.setCameraEnabled(!view.cameraOn).catch(() => undefined)}
      >
        {cameraLabel}
      </button>
      {isChair && (
        <button
          type="button"
          data-testid="mute-all"
          aria-pressed={view.moderation.muteAll}
          disabled={busy}
          onClick={() => void client.setMuteAll(!view.moderation.muteAll)}
        >
          {view.moderation.muteAll ? t("controls.unmuteAll") : t("controls.muteAll")}
        </button>
      )}
      <button type="button" className="danger" data-testid="leave-button" onClick={() => void client.leave()}>
        {t("controls.leave")}
      </button>
    </nav>
  );
}
