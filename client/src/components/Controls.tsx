import { useTranslation } from "react-i18next";
import type { RoomClient, RoomView } from "../media/RoomClient";
import { hrefOf } from "../routing";
import { useConfirm } from "./ConfirmDialog";
import { FullscreenButton } from "./FullscreenButton";
import { LAST_N_CHOICES } from "../media/lastN";

/** How many camera videos this page receives (last-N): automatic for the screen, or the user's choice. */
export interface VideoBudgetControl {
  n: number;
  /** N for this screen without a choice. */
  automatic: number;
  choice: number | null;
  setChoice: (choice: number | null) => void;
}

/**
 * `isChair`: this page chairs the room (records, ends it); `moderates`: it also holds the briefing
 * controls over other sites' microphones, which are a leader's (an officer hosting a reception chairs
 * without them).
 */
export function Controls({
  view,
  client,
  isChair,
  moderates,
  videoBudget,
}: {
  view: RoomView;
  client: RoomClient;
  isChair: boolean;
  moderates: boolean;
  videoBudget?: VideoBudgetControl;
}) {
  const { t } = useTranslation();
  const { confirm, dialog } = useConfirm();
  const micLabel = !view.hasMic
    ? t("controls.noMic")
    : view.mutedByChair
      ? t("controls.mutedByChair")
      : view.micOn
        ? t("controls.muteMic")
        : t("controls.unmuteMic");
  const cameraLabel = !view.hasCamera ? t("controls.noCamera") : view.cameraOn ? t("controls.cameraOff") : t("controls.cameraOn");
  const busy = view.status !== "joined";
  const handRaised = view.selfPeerId !== null && view.moderation.hands.includes(view.selfPeerId);
  const hasFloor = view.selfPeerId !== null && view.moderation.floorPeerId === view.selfPeerId;
  // The server decides too; the button only appears where sharing would be accepted.
  const mayShare = (isChair || hasFloor) && typeof navigator !== "undefined" && Boolean(navigator.mediaDevices?.getDisplayMedia);
  const someoneElsePresents = view.screenShare !== null && view.screenShare.peerId !== view.selfPeerId;
  const endMeeting = async () => {
    if (await confirm({ title: t("daily.endMeetingTitle"), text: t("daily.endMeetingText"), confirmLabel: t("controls.endMeeting") })) await client.endMeeting();
  };
  // Locking shuts out sites still on their way: asked first. Unlocking harms nobody.
  const lockOrUnlock = async () => {
    if (view.moderation.locked) return client.lockRoom(false);
    if (await confirm({ title: t("daily.lockTitle"), text: t("daily.lockText"), confirmLabel: t("controls.lock") })) await client.lockRoom(true);
  };
  return (
    <nav className="controls" aria-label={t("daily.controlsLabel")}>
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
      {mayShare && (
        <button
          type="button"
          data-testid="share-screen"
          aria-pressed={view.sharingScreen}
          disabled={busy || (!view.sharingScreen && someoneElsePresents)}
          onClick={() => void (view.sharingScreen ? client.stopScreenShare() : client.startScreenShare())}
        >
          {view.sharingScreen ? t("controls.stopShare") : t("controls.shareScreen")}
        </button>
      )}
      <button type="button" data-testid="audio-only" aria-pressed={view.audioOnly} disabled={busy} onClick={() => void client.setAudioOnly(!view.audioOnly)}>
        {view.audioOnly ? t("controls.videoBack") : t("controls.audioOnly")}
      </button>
      {videoBudget && (
        <label className="video-budget">
          <span>{t("room.videoBudget")}</span>
          <select
            data-testid="video-budget"
            value={videoBudget.choice === null ? "auto" : String(videoBudget.choice)}
            disabled={view.audioOnly}
            onChange={(event) => videoBudget.setChoice(event.target.value === "auto" ? null : Number(event.target.value))}
          >
            <option value="auto">{t("room.videoBudgetAuto", { n: videoBudget.automatic })}</option>
            {LAST_N_CHOICES.map((n) => (
              <option key={n} value={String(n)}>
                {n}
              </option>
            ))}
          </select>
        </label>
      )}
      {isChair && (
        <button
          type="button"
          data-testid="record"
          aria-pressed={view.moderation.recording}
          disabled={busy}
          onClick={() => void (view.moderation.recording ? client.stopRecording() : client.startRecording())}
        >
          {view.moderation.recording ? t("controls.stopRecording") : t("controls.startRecording")}
        </button>
      )}
      {moderates && (
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
      {moderates && (
        <button type="button" data-testid="lock-room" aria-pressed={view.moderation.locked} disabled={busy} onClick={() => void lockOrUnlock()}>
          {view.moderation.locked ? t("controls.unlock") : t("controls.lock")}
        </button>
      )}
      {!isChair && view.hasMic && (
        <button type="button" data-testid="raise-hand" aria-pressed={handRaised} disabled={busy || view.moderation.floorPeerId === view.selfPeerId} onClick={() => void client.raiseHand(!handRaised)}>
          {handRaised ? t("controls.lowerHand") : `✋ ${t("controls.raiseHand")}`}
        </button>
      )}
      {isChair && (
        <button type="button" className="danger" data-testid="end-meeting" disabled={busy} onClick={() => void endMeeting()}>
          {t("controls.endMeeting")}
        </button>
      )}
      <FullscreenButton />
      {/* Leaving goes home, first: the room page closes, so no new preview takes the camera while the room client releases it. */}
      <button
        type="button"
        className="leave"
        data-testid="leave-button"
        onClick={() => {
          window.location.hash = hrefOf("home");
          void client.leave();
        }}
      >
        {t("controls.leave")}
      </button>
      {dialog}
    </nav>
  );
}
