/** Failures of recording and composition; callers branch on the code, the message is for logs. */
export type RecordingErrorCode =
  /** The recorder was stopped; it takes no more producers. */
  | "RECORDER_STOPPED"
  /** The producer is already recorded, or closed before its recording started. */
  | "PRODUCER_UNAVAILABLE"
  /** Every port of the recorder's range is taken. */
  | "NO_FREE_PORT"
  /** An ffmpeg (or ffprobe) process could not start, or ended in error. */
  | "FFMPEG_FAILED"
  /** None of the tracks given to the composer has decodable media. */
  | "NOTHING_TO_COMPOSE";

export class RecordingError extends Error {
  readonly code: RecordingErrorCode;

  constructor(code: RecordingErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RecordingError";
    this.code = code;
  }
}
