import type { types } from "mediasoup";

/** Who a track belongs to, kept with the file so a composition (or a person) can tell tracks apart. */
export interface TrackLabel {
  peerId: string;
  displayName: string;
  /** "mic", "webcam", "screen" for Cầu Nối's own producers; free text for anything else. */
  source: string;
}

/** One recorded producer: a Matroska file holding its media as it arrived (no transcoding). */
export interface RecordedTrack {
  /** The recorded producer's id; a recorder records each producer once. */
  producerId: string;
  kind: types.MediaKind;
  /** The codec's MIME type as mediasoup names it ("video/VP8", "audio/opus"). */
  mimeType: string;
  file: string;
  label: TrackLabel;
  /** Wall clock (ms since epoch) when the consumer was first resumed. */
  startedAt: number;
  /**
   * Wall clock of the first packet mediasoup sent to ffmpeg, which is the file's first frame (a video
   * consumer starts with a keyframe); later than `startedAt` by the wait for that keyframe. Undefined
   * when no packet ever came. The composition places the file by this time.
   */
  mediaStartedAt?: number;
  /** Wall clock (ms since epoch) when the producer closed, the recorder stopped, or ffmpeg died. */
  endedAt: number;
  /**
   * The file was not finalised: ffmpeg died while recording, or ignored SIGINT at stop and had to be
   * killed. The partial file is kept — a Matroska file cut short still plays up to its last cluster.
   */
  failed: boolean;
  /** Why, when failed. */
  failure?: string;
}

/** A track as it is now, recording or not; `pid` is the ffmpeg writing it while it runs. */
export interface TrackSnapshot extends Omit<RecordedTrack, "endedAt"> {
  state: "recording" | "ending" | "ended";
  endedAt?: number;
  pid?: number;
}
