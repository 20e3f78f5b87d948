import type { types } from "mediasoup";

/**
 * What a room needs of a peer's transports and consumers. A receiver may sit on a media node on another host
 * (issue 17 item 2): its transport and consumers are then proxies driven over the node's control channel,
 * and the Room and Peer treat both kinds through these interfaces instead of branching on where they are.
 * mediasoup's own objects satisfy them as they are.
 */
export type MediaSource = "mic" | "webcam" | "screen";
export type TransportDirection = "send" | "recv";

export interface TransportAppData extends types.AppData {
  direction: TransportDirection;
  /** Set once the client sent its DTLS parameters; mediasoup accepts them only once. */
  connectRequested?: boolean;
}

/** The figures of a consumer's outgoing stream the room and its tests read (mediasoup's ConsumerStat has more). */
export interface ConsumerStatSummary {
  type: string;
  kind: string;
  packetCount: number;
  byteCount: number;
}

export interface PeerConsumer {
  readonly id: string;
  /** The media node it lives on; undefined for a consumer in this process's workers. */
  readonly nodeId?: string;
  readonly kind: types.MediaKind;
  readonly type: types.ConsumerType;
  readonly rtpParameters: types.RtpParameters;
  readonly paused: boolean;
  readonly producerPaused: boolean;
  readonly closed: boolean;
  readonly score: types.ConsumerScore;
  readonly preferredLayers: types.ConsumerLayers | undefined;
  readonly currentLayers: types.ConsumerLayers | undefined;
  resume(): Promise<void>;
  pause(): Promise<void>;
  requestKeyFrame(): Promise<void>;
  setPreferredLayers(layers: types.ConsumerLayers): Promise<void>;
  getStats(): Promise<ConsumerStatSummary[]>;
  close(): void;
  on(event: "layerschange", listener: (layers?: types.ConsumerLayers) => void): unknown;
  on(event: "transportclose" | "producerclose", listener: () => void): unknown;
  readonly observer: { once(event: "close", listener: () => void): unknown };
}

export interface ConsumeOptions {
  producerId: string;
  rtpCapabilities: types.RtpCapabilities;
  paused: boolean;
  preferredLayers?: types.ConsumerLayers;
}

export interface PeerTransport {
  readonly id: string;
  readonly nodeId?: string;
  readonly appData: TransportAppData;
  readonly closed: boolean;
  readonly iceParameters: types.IceParameters;
  readonly iceCandidates: types.IceCandidate[];
  readonly dtlsParameters: types.DtlsParameters;
  connect(options: { dtlsParameters: types.DtlsParameters }): Promise<void>;
  restartIce(): Promise<types.IceParameters>;
  consume(options: ConsumeOptions): Promise<PeerConsumer>;
  close(): void;
  on(event: "dtlsstatechange", listener: (state: types.DtlsState) => void): unknown;
  readonly observer: { once(event: "close", listener: () => void): unknown };
}

/** A consumer of this process's workers (tests and the bench reach mediasoup's object through it). */
export function isLocalConsumer(consumer: PeerConsumer): consumer is types.Consumer {
  return consumer.nodeId === undefined;
}

export function isLocalTransport(transport: PeerTransport): transport is types.WebRtcTransport<TransportAppData> {
  return transport.nodeId === undefined;
}

/** One end of a pipe between two hosts: where it listens, and its SRTP keys. */
export interface PipeEnd {
  ip: string;
  port: number;
  srtpParameters: types.SrtpParameters;
}

/** A producer recreated on a media node's router from the home router's pipe (same id). */
export interface RemotePipeProducer {
  pause(): Promise<void>;
  resume(): Promise<void>;
  close(): void;
}

/** A room's router on a media node, driven over the node's control channel. */
export interface RemoteRouter {
  readonly id: string;
  readonly nodeId: string;
  readonly closed: boolean;
  createWebRtcTransport(options: { initialAvailableOutgoingBitrate: number; enableTcp: boolean; appData: TransportAppData }): Promise<PeerTransport>;
  /** A pipe transport (SRTP, RTX) on this router; `connect` it to the home end. */
  createPipeTransport(): Promise<{ id: string; local: PipeEnd; connect(remote: PipeEnd): Promise<void> }>;
  pipeProduce(pipeTransportId: string, producer: { id: string; kind: types.MediaKind; rtpParameters: types.RtpParameters; paused: boolean }): Promise<RemotePipeProducer>;
  close(): void;
  /** The router is gone on the node (its worker died, or the node was lost); its receivers must move. */
  onLost(listener: () => void): void;
}

/** A live media node another host runs (`--role=media`). */
export interface RemoteMediaNode {
  readonly id: string;
  readonly closed: boolean;
  createRouter(): Promise<RemoteRouter>;
}

/** Where a room may put receivers beyond this host. */
export interface RemoteNodes {
  /** The live node with the most room, or undefined when none is registered. */
  pick(): RemoteMediaNode | undefined;
  /** Overflow goes to a node even while local workers have room (tests and sites that want it). */
  readonly first: boolean;
  /** Address this host's pipe transports listen on, reachable from the nodes. */
  readonly pipeListenIp: string;
}
