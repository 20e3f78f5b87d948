/**
 * Server-side recording. During a session, a Recorder copies each producer into its own Matroska file
 * (one PlainTransport + one ffmpeg per producer, no transcoding); afterwards composeRecording() joins
 * the files into ONE MP4 (H.264 + AAC), cameras in a grid and microphones mixed, each at its own start.
 */
export {
  composeRecording,
  compositionFilterGraph,
  planComposition,
  type ComposeOptions,
  type Composition,
  type CompositionPlan,
  type RecordingSpan,
  type SkippedTrack,
  type TimelineTrack,
} from "./compose";
export { RecordingError, type RecordingErrorCode } from "./errors";
export { sha256OfFile } from "./hash";
export { gridLayout, type Cell, type Size } from "./layout";
export type { UdpPortRange } from "./ports";
export { probeMedia, type MediaProbe, type ProbedStream } from "./probe";
export { DEFAULT_RECORDER_PORT_RANGE, Recorder, type RecorderEvents, type RecorderOptions } from "./Recorder";
export { buildRecordingSdp, type RecordingSdpOptions } from "./sdp";
export type { RecordedTrack, TrackLabel, TrackSnapshot } from "./types";
