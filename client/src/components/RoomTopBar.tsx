import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatElapsed } from "../dates";
import type { RoomView } from "../media/RoomClient";

/** The time the meeting has run, ticking each second. */
function MeetingClock({ startedAt }: { startedAt: string | null }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (!startedAt) return null;
  const elapsed = formatElapsed(now - Date.parse(startedAt));
  return (
    // A timer is not announced at every tick (role "timer" is not a live region by default).
    <span className="room-timer" role="timer" data-testid="room-timer" aria-label={t("briefing.elapsedLabel", { elapsed })}>
      <span aria-hidden="true">⏱ {elapsed}</span>
    </span>
  );
}

export interface SidePanels {
  participants: boolean;
  chat: boolean;
}

/**
 * The top of the room: the meeting's title and running time, the connection and the recording, and the
 * two side panels (participants, chat) a site opens when it needs them — with the unread count on the
 * chat while it is closed, and the raised hands on the participants for the chair.
 */
export function RoomTopBar({
  view,
  title,
  panels,
  onToggle,
  unread,
  handsWaiting,
}: {
  view: RoomView;
  title: string;
  panels: SidePanels;
  onToggle: (panel: keyof SidePanels) => void;
  unread: number;
  handsWaiting: number;
}) {
  const { t } = useTranslation();
  const count = view.peers.length + 1;
  return (
    <div className="room-bar">
      <div className="room-heading">
        <h2 className="room-title" data-testid="room-title">
          {title}
        </h2>
        <MeetingClock startedAt={view.startedAt} />
        <p className="room-status" data-testid="room-status" data-status={view.status} aria-live="polite">
          {view.status === "reconnecting" ? t("room.reconnecting") : t("room.joined", { room: view.roomId })}
          <span className="room-count"> · {t("room.participants", { count })}</span>
        </p>
      </div>
      <div className="room-bar-side">
        {view.moderation.recording && (
          <p className="recording-badge" role="status" data-testid="recording-badge">
            <span className="rec-dot" aria-hidden="true" /> {t("room.recording")}
          </p>
        )}
        {!view.moderation.recording && view.recordingJob && view.recordingJob.status !== "recording" && (
          <p className="recording-job" role="status" data-testid="recording-job" data-status={view.recordingJob.status}>
            {t(`recordings.status.${view.recordingJob.status}`)}
            {view.recordingJob.status === "composing" && ` ${Math.round(view.recordingJob.fraction * 100)} %`}
          </p>
        )}
        <button type="button" className="panel-toggle" data-testid="toggle-participants" aria-expanded={panels.participants} aria-controls="room-side" onClick={() => onToggle("participants")}>
          {t("briefing.participantsButton", { count })}
          {handsWaiting > 0 && (
            <span className="count-badge hand-badge" data-testid="hands-badge">
              ✋ {handsWaiting}
            </span>
          )}
        </button>
        <button type="button" className="panel-toggle" data-testid="toggle-chat" aria-expanded={panels.chat} aria-controls="room-side" onClick={() => onToggle("chat")}>
          {t("chat.title")}
          {unread > 0 && (
            <>
              <span className="count-badge" data-testid="chat-unread" aria-hidden="true">
                {unread}
              </span>
              <span className="visually-hidden">{t("briefing.unread", { count: unread })}</span>
            </>
          )}
        </button>
      </div>
    </div>
  );
}
