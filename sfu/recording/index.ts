export {
  composeRecording,
  compositionFilterGraph,
  planComposition,
  type ComposeOptions,
  type Composition,
  type CompositionPlan,
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
