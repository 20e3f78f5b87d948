import type { RecordingProgress, RecordingStatus } from "../services/recordings/RecordingService";

interface RecordingRow {
  id: string;
  status: string;
  startedAt: Date;
  stoppedAt: Date | null;
  durationSeconds: number | null;
  sizeBytes: number | null;
  sha256: string | null;
  partial: boolean;
  error: string | null;
}

const statuses: readonly RecordingStatus[] = ["recording", "composing", "ready", "failed"];

/** A recording for the meeting page: its state (live progress while composing) and the file's facts. */
export function presentRecording(row: RecordingRow, live: RecordingProgress | undefined) {
  const status = statuses.find((known) => known === (live?.status ?? row.status)) ?? "failed";
  return {
    id: row.id,
    status,
    progress: status === "ready" ? 1 : (live?.fraction ?? 0),
    startedAt: row.startedAt.toISOString(),
    stoppedAt: row.stoppedAt?.toISOString() ?? null,
    durationSeconds: row.durationSeconds,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    partial: row.partial,
    error: row.error,
  };
}
