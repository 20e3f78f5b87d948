export { roomMediaCodecs } from "./codecs";
export { SfuError, type SfuErrorCode } from "./errors";
export { Peer, type MediaSource, type TransportDirection } from "./Peer";
export type { QualitySummary } from "./QualityMeter";
export { linkLevel, type LinkLevel } from "./linkQuality";
export {
  Room,
  type ConsumerParameters,
  type PeerLeaveReason,
  type PeerSnapshot,
  type ProducerSnapshot,
  type RoomCloseReason,
  type TransportNetworkOptions,
  type TransportParameters,
} from "./Room";
export { WorkerPool, type PooledWorker, type PortRange, type WorkerPoolOptions } from "./WorkerPool";
