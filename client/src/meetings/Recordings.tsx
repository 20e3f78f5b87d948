import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { downloadWithToken } from "../api/download";
import { useSession } from "../session";

export interface RecordingInfo {
  id: string;
  status: "recording" | "composing" | "ready" | "failed";
  progress: number;
  startedAt: string;
  stoppedAt: string | null;
  durationSeconds: number | null;
  sizeBytes: number | null;
  sha256: string | null;
  partial: boolean;
  error: string | null;
}

const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(Math.round(seconds % 60)).padStart(2, "0")}`;
const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

/** A meeting's recordings: progress while composed (the page polls), then the file with its SHA-256. */
export function Recordings({ meetingId, roomId, recordings, reload }: { meetingId: string; roomId: string; recordings: RecordingInfo[]; reload: () => Promise<void> }) {
  const { t } = useTranslation();
  const [, session] = useSession();
  const [failed, setFailed] = useState(false);
  const busy = recordings.some((recording) => recording.status === "recording" || recording.status === "composing");
  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(() => void reload(), 2_000);
    return () => clearInterval(timer);
  }, [busy, reload]);

  if (recordings.length === 0) return <p className="hint">{t("recordings.none")}</p>;
  return (
    <ul className="recordings" data-testid="recordings">
      {recordings.map((recording, index) => (
        <li key={recording.id} data-testid="recording-row" data-status={recording.status} data-sha256={recording.sha256 ?? ""}>
          <strong>{t("recordings.item", { n: index + 1 })}</strong> · {t(`recordings.status.${recording.status}`)}
          {recording.status === "composing" && (
            <progress max={1} value={recording.progress} aria-label={t("recordings.status.composing")}>
              {Math.round(recording.progress * 100)} %
            </progress>
          )}
          {recording.status === "ready" && (
            <>
              {" "}
              · {recording.durationSeconds !== null && clock(recording.durationSeconds)}
              {recording.sizeBytes !== null && ` · ${megabytes(recording.sizeBytes)}`}{" "}
              <button
                type="button"
                data-testid="recording-download"
                onClick={() =>
                  void downloadWithToken(`/api/meetings/${meetingId}/recordings/${recording.id}`, session.accessToken, `ghi-hinh-${roomId}-${index + 1}.mp4`).then((ok) => setFailed(!ok))
                }
              >
                {t("recordings.download")}
              </button>
              <div className="muted sha">SHA-256: {recording.sha256}</div>
            </>
          )}
          {recording.partial && <div className="notice">{t("recordings.partial")}</div>}
          {recording.status === "failed" && <div className="error">{t("recordings.failed")}</div>}
        </li>
      ))}
      {failed && <li className="error">{t("errors.INTERNAL")}</li>}
    </ul>
  );
}
