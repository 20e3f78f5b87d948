import type { types } from "mediasoup";
import { roomMediaCodecs } from "./codecs";
import { SfuError, asMediaRejection } from "./errors";
import { Peer, type MediaSource, type PeerOptions, type ProducerAppData, type TransportDirection } from "./Peer";
import { LayerWishes } from "./layerWishes";
import type { LinkLevel } from "./linkQuality";
import type { PeerConsumer, PeerTransport, RemoteNodes, TransportAppData } from "./mediaObjects";
import {
  type PipedProducer,
  type ReceiverRouter,
  type TransportNetworkOptions,
  listenInfos,
  localRouterKey,
  openLocalReceiverRouter,
  openRemoteReceiverRouter,
  remoteRouterKey,
} from "./receiverRouters";
import { TypedEmitter } from "./TypedEmitter";
import type { PooledWorker, WorkerPool } from "./WorkerPool";
import { Recorder, type RecordedTrack, type UdpPortRange } from "./recording";

/** Where a room's recording writes its tracks, and the loopback ports its ffmpeg processes listen on. */
export interface RoomRecordingOptions {
  directory: string;
  portRange: UdpPortRange;
  ffmpegPath?: string;
  /** Video tracks recorded at most (screen and cameras, chairs' first); every microphone is recorded. */
  maxVideoTracks?: number;
}

export type { TransportNetworkOptions } from "./receiverRouters";

/**
 * A room may place receivers on other workers of the machine: the home worker keeps every producer (and
 * so recording and speaker detection), and each producer is piped once to a router on another worker
 * when a receiver there first needs it.
 */
export interface RoomSpreadOptions {
  pool: Pick<WorkerPool, "leastLoaded" | "consumersOn">;
  /**
   * Receivers stay on the home worker while it carries fewer consumers than this (every room of the
   * worker counted): a small meeting costs no pipe. 0 spreads from the first receiver.
   */
  afterConsumers: number;
  /**
   * Media nodes of other hosts (issue 17 item 2): a receiver goes there when the worker it would get here
   * already carries `afterConsumers` consumers (or always, with `remote.first`).
   */
  remote?: RemoteNodes;
}

export interface RoomCreateOptions {
  id: string;
  worker: PooledWorker;
  network: TransportNetworkOptions;
  /** Without it the room lives on its home worker's router alone. */
  spread?: RoomSpreadOptions;
}

/** A router of the room receivers are placed on besides home (another worker, or a media node). */
interface RouterSlot {
  readonly router: ReceiverRouter;
  /** Producers piped here from the home router (same ids), with the consumers using each. */
  readonly piped: Map<string, { pipe: Promise<PipedProducer>; consumers: number }>;
  /** Receiving transports on this router and their peers (kept when the router dies, to know who to move). */
  readonly receivers: Map<string, Peer>;
}

export interface ProducerSnapshot {
  id: string;
  kind: types.MediaKind;
  source: MediaSource;
  paused: boolean;
  /** Simulcast encodings sent (1 = a single layer). */
  layers: number;
}

export interface PeerSnapshot {
  id: string;
  displayName: string;
  producers: ProducerSnapshot[];
}

export interface TransportParameters {
  id: string;
  iceParameters: types.IceParameters;
  iceCandidates: types.IceCandidate[];
  dtlsParameters: types.DtlsParameters;
}

export interface ConsumerParameters {
  consumerId: string;
  producerId: string;
  peerId: string;
  kind: types.MediaKind;
  source: MediaSource;
  rtpParameters: types.RtpParameters;
  producerPaused: boolean;
}

export type RoomCloseReason = "empty" | "workerDied" | "closed" | "ended";
/** Why a peer left, for attendance records. */
export type PeerLeaveReason = "left" | "disconnected" | "removed" | "workerDied";

export type RoomEvents = {
  peerJoined: [peer: Peer];
  peerLeft: [peer: Peer, reason: PeerLeaveReason];
  newProducer: [peer: Peer, producer: ProducerSnapshot];
  producerClosed: [peer: Peer, producerId: string];
  producerPaused: [peer: Peer, producerId: string];
  producerResumed: [peer: Peer, producerId: string];
  /** `peer` is the consumer's owner, who must drop it. */
  consumerClosed: [peer: Peer, consumerId: string];
  /** The dominant speaker changed (mediasoup's active speaker observer over the microphones). */
  activeSpeaker: [peer: Peer];
  /** A peer's link changed level (null: nothing flowing to judge), checked at each quality sample. */
  linkQuality: [peer: Peer, link: LinkLevel | null];
  /** `peers` are those still inside when it closed (none when it emptied). */
  closed: [reason: RoomCloseReason, peers: Peer[]];
  /**
   * A worker other than the home one died: these peers received on it and have left the room (reason
   * `workerDied`); they rejoin by themselves. Everyone else goes on.
   */
  peersLostMedia: [peers: Peer[]];
};

function snapshotOf(producer: types.Producer<ProducerAppData>): ProducerSnapshot {
  return {
    id: producer.id,
    kind: producer.kind,
    source: producer.appData.source,
    paused: producer.paused,
    layers: Math.max(1, producer.rtpParameters.encodings?.length ?? 1),
  };
}

/** mediasoup calls are async: an object created while its peer was leaving belongs to no one. */
function closeIfPeerLeft(peer: Peer, created: { close(): void }, doing: string): void {
  if (!peer.closed) return;
  created.close();
  throw new SfuError("ROOM_CLOSED", `peer ${peer.id} left while ${doing}`);
}

/**
 * A briefing room on one mediasoup router: its peers, and who receives whose media. It decides,
 * Peer objects hold the media objects. Closes itself when the last peer leaves or its worker dies.
 */
/**
 * A consumer can close while a request about it is in flight (its producer left, its transport closed):
 * the worker then answers "not found". That is the receiver holding a stale id, so it gets the same
 * CONSUMER_NOT_FOUND as an unknown id, not an internal error; a failure of a consumer still open is rethrown.
 * mediasoup hands the worker's close notice to Node a tick after the answer, so "the worker no longer has
 * this consumer" counts as closed even while Node's object still says open.
 */
function closedMeansGone(consumer: PeerConsumer) {
  const goneInWorker = `handler with ID ${consumer.id} not found`;
  return (error: unknown): never => {
    if (consumer.closed || (error instanceof Error && error.message.includes(goneInWorker))) {
      throw new SfuError("CONSUMER_NOT_FOUND", `consumer ${consumer.id} closed during the request`, { cause: error });
    }
    throw error;
  };
}

export class Room extends TypedEmitter<RoomEvents> {
  readonly id: string;
  readonly workerIndex: number;
  readonly #router: types.Router;
  readonly #homeWorker: PooledWorker;
  /** Routers on other workers or media nodes, by ReceiverRouter.key; created when the first receiver is placed there. */
  readonly #others = new Map<string, Promise<RouterSlot>>();
  /** Which router each receiving transport is on (absent: home). */
  readonly #slotOfTransport = new Map<string, RouterSlot>();
  readonly #spread: RoomSpreadOptions | undefined;
  readonly #speakers: types.AudioLevelObserver;
  #loudest: string | null = null;
  readonly #network: TransportNetworkOptions;
  readonly #portRange: { min: number; max: number };
  readonly #peers = new Map<string, Peer>();
  /** producerId → owner, to answer consume requests without scanning peers. */
  readonly #producerOwners = new Map<string, Peer>();
  /** Each peer's link as last announced (linkQuality events), for those who join later. */
  readonly #links = new WeakMap<Peer, LinkLevel | null>();
  readonly #layerWishes = new LayerWishes();
  readonly #qualityTimer: NodeJS.Timeout;
  #recording: { recorder: Recorder; maxVideoTracks: number; videoTracks: number } | null = null;
  #closed = false;

  static async create(options: RoomCreateOptions): Promise<Room> {
    const router = await options.worker.worker.createRouter({ mediaCodecs: roomMediaCodecs });
    // The loudest microphone every 800 ms above -75 dBov (mediasoup's demo uses -80; room noise after
    // the browser's noise suppression stays below it): fast enough for last-N ordering to follow a
    // conversation, slow enough not to flap. (ActiveSpeakerObserver, tried first, never reported a
    // speaker with Chromium's audio here, as in mediasoup issue #1542; audio levels are reliable.)
    const speakers = await router.createAudioLevelObserver({ maxEntries: 1, threshold: -75, interval: 800 });
    return new Room(options, router, speakers);
  }

  private constructor(options: RoomCreateOptions, router: types.Router, speakers: types.AudioLevelObserver) {
    super();
    this.id = options.id;
    this.workerIndex = options.worker.index;
    this.#router = router;
    this.#homeWorker = options.worker;
    this.#spread = options.spread;
    this.#speakers = speakers;
    // Every 5 s: enough samples for a meeting-long summary, negligible work for the worker.
    this.#qualityTimer = setInterval(() => {
      for (const peer of this.#peers.values()) {
        peer.sampleQuality();
        // Only a change is announced: a room of forty sites says nothing while the links hold.
        const link = peer.link;
        if (link !== (this.#links.get(peer) ?? null)) {
          this.#links.set(peer, link);
          this.emit("linkQuality", peer, link);
        }
      }
    }, 5_000);
    this.#qualityTimer.unref();
    speakers.on("volumes", ([loudest]) => {
      const owner = loudest ? this.#producerOwners.get(loudest.producer.id) : undefined;
      // Only a change is news: the same speaker going on talking is not announced again.
      if (!owner || this.#closed || owner.id === this.#loudest) return;
      this.#loudest = owner.id;
      this.emit("activeSpeaker", owner);
    });
    this.#network = options.network;
    this.#portRange = options.worker.portRange;
    router.on("workerclose", () => this.#close("workerDied"));
  }

  get closed(): boolean {
    return this.#closed;
  }

  get rtpCapabilities(): types.RtpCapabilities {
    return this.#router.rtpCapabilities;
  }

  get peers(): readonly Peer[] {
    return [...this.#peers.values()];
  }

  peer(peerId: string): Peer | undefined {
    return this.#peers.get(peerId);
  }

  join(options: PeerOptions): Peer {
    this.#assertOpen();
    const peer = new Peer(options);
    this.#peers.set(peer.id, peer);
    peer.on("producerClosed", (producerId) => {
      this.#producerOwners.delete(producerId);
      this.emit("producerClosed", peer, producerId);
    });
    peer.on("consumerClosed", (consumerId) => this.emit("consumerClosed", peer, consumerId));
    this.emit("peerJoined", peer);
    return peer;
  }

  /** Removes the peer and its media; the room closes when it was the last one. */
  leave(peer: Peer, reason: PeerLeaveReason = "left"): void {
    if (!this.#peers.delete(peer.id)) return;
    for (const producer of peer.producers) {
      this.#producerOwners.delete(producer.id);
    }
    peer.close();
    this.emit("peerLeft", peer, reason);
    if (this.#peers.size === 0) this.#close("empty");
  }

  async createWebRtcTransport(peer: Peer, direction: TransportDirection): Promise<TransportParameters> {
    this.#assertMember(peer);
    // Producers live on the home router; a receiver goes where the machine (or a media node) has room.
    const appData: TransportAppData = { direction };
    const { slot, transport } = direction === "recv" ? await this.#receiverTransport(appData) : { slot: undefined, transport: await this.#homeTransport(appData) };
    closeIfPeerLeft(peer, transport, "creating a transport");
    peer.addTransport(transport);
    if (slot) {
      this.#slotOfTransport.set(transport.id, slot);
      slot.receivers.set(transport.id, peer);
      transport.observer.once("close", () => {
        this.#slotOfTransport.delete(transport.id);
        // A lost router closes its transports before it says so: keep them, #lostSlot needs their peers.
        if (!slot.router.closed) slot.receivers.delete(transport.id);
      });
    }
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
  }

  async connectTransport(peer: Peer, transportId: string, dtlsParameters: types.DtlsParameters): Promise<void> {
    this.#assertMember(peer);
    const transport = peer.transport(transportId);
    // A second connect is a client bug; mediasoup would report it as a generic worker error.
    if (transport.appData.connectRequested) throw new SfuError("MEDIA_REJECTED", `transport ${transportId} is already connected`);
    transport.appData.connectRequested = true;
    await transport.connect({ dtlsParameters }).catch((error: unknown) => {
      transport.appData.connectRequested = false;
      asMediaRejection(error);
    });
  }

  /** New ICE credentials for a transport whose path broke (the client restarts ICE with them). */
  async restartIce(peer: Peer, transportId: string): Promise<types.IceParameters> {
    this.#assertMember(peer);
    return peer.transport(transportId).restartIce();
  }

  async produce(
    peer: Peer,
    request: { transportId: string; kind: types.MediaKind; source: MediaSource; rtpParameters: types.RtpParameters; paused?: boolean },
  ): Promise<ProducerSnapshot> {
    this.#assertMember(peer);
    const transport = peer.sendTransport(request.transportId);
    const producer = await transport
      .produce<ProducerAppData>({
        kind: request.kind,
        rtpParameters: request.rtpParameters,
        paused: request.paused ?? false,
        appData: { source: request.source },
      })
      .catch(asMediaRejection);
    closeIfPeerLeft(peer, producer, "producing");
    peer.addProducer(producer);
    this.#producerOwners.set(producer.id, peer);
    if (producer.appData.source === "mic") {
      // Observers drop closed producers by themselves; a failure here only costs speaker detection.
      await this.#speakers.addProducer({ producerId: producer.id }).catch(() => undefined);
    }
    const snapshot = snapshotOf(producer);
    this.emit("newProducer", peer, snapshot);
    this.#record(peer, producer);
    return snapshot;
  }

  /** Creates a paused consumer; the client resumes it once its track is ready, so no keyframe is lost. */
  async consume(peer: Peer, request: { transportId: string; producerId: string; spatialLayer?: number }): Promise<ConsumerParameters> {
    this.#assertMember(peer);
    const transport = peer.transport(request.transportId);
    if (transport.appData.direction !== "recv") {
      throw new SfuError("CANNOT_CONSUME", "cannot consume on a send transport");
    }
    const owner = this.#producerOwners.get(request.producerId);
    if (!owner) throw new SfuError("PRODUCER_NOT_FOUND", `producer ${request.producerId} not found`);
    if (owner === peer) throw new SfuError("CANNOT_CONSUME", "a peer does not consume its own producer");
    const producer = owner.producer(request.producerId);
    if (!this.#router.canConsume({ producerId: producer.id, rtpCapabilities: peer.rtpCapabilities })) {
      throw new SfuError("CANNOT_CONSUME", "the client cannot decode this producer's codec");
    }
    const slot = this.#slotOfTransport.get(transport.id);
    if (slot) await this.#pipe(slot, producer.id);
    const consumer = await transport
      .consume({
        producerId: producer.id,
        rtpCapabilities: peer.rtpCapabilities,
        paused: true,
        ...(request.spatialLayer === undefined ? {} : { preferredLayers: { spatialLayer: request.spatialLayer } }),
      })
      .catch((error: unknown) => {
        if (slot) this.#unpipe(slot, producer.id);
        return asMediaRejection(error);
      });
    if (slot) consumer.observer.once("close", () => this.#unpipe(slot, producer.id));
    closeIfPeerLeft(peer, consumer, "consuming");
    peer.addConsumer(consumer);
    if (consumer.type === "simulcast" || consumer.type === "svc") this.#layerWishes.watch(consumer);
    return {
      consumerId: consumer.id,
      producerId: producer.id,
      peerId: owner.id,
      kind: consumer.kind,
      source: producer.appData.source,
      rtpParameters: consumer.rtpParameters,
      producerPaused: consumer.producerPaused,
    };
  }

  async resumeConsumer(peer: Peer, consumerId: string): Promise<void> {
    this.#assertMember(peer);
    const consumer = peer.consumer(consumerId);
    await consumer.resume().catch(closedMeansGone(consumer));
    if (consumer.kind === "video") await consumer.requestKeyFrame().catch(closedMeansGone(consumer));
  }

  /** The receiver stops this stream for now (tile off the page, audio-only mode); resume brings it back. */
  async pauseConsumer(peer: Peer, consumerId: string): Promise<void> {
    this.#assertMember(peer);
    const consumer = peer.consumer(consumerId);
    await consumer.pause().catch(closedMeansGone(consumer));
  }

  /**
   * The receiver's wish for a simulcast stream (its tile size). mediasoup still goes lower on its own
   * when the receiver's estimated bandwidth cannot carry it, and back up when it can. A consumer still waiting
   * for its first key frame takes the wish after that frame (see LayerWishes).
   */
  async setConsumerPreferredLayers(peer: Peer, consumerId: string, spatialLayer: number): Promise<void> {
    this.#assertMember(peer);
    const consumer = peer.consumer(consumerId);
    if (consumer.type !== "simulcast" && consumer.type !== "svc") return;
    await this.#layerWishes.want(consumer, spatialLayer).catch(closedMeansGone(consumer));
  }

  /** The simulcast layer a receiver asked for this consumer (applied, or held until its first frame). */
  wantedLayer(peer: Peer, consumerId: string): number | undefined {
    this.#assertMember(peer);
    return this.#layerWishes.wanted(peer.consumer(consumerId));
  }

  /** Producers of one source now in the room, with their owners (e.g. who is sharing a screen). */
  producersOf(source: MediaSource): { peer: Peer; producerId: string }[] {
    return this.peers.flatMap((peer) => peer.producers.filter((producer) => producer.appData.source === source).map((producer) => ({ peer, producerId: producer.id })));
  }

  async pauseProducer(peer: Peer, producerId: string): Promise<void> {
    this.#assertMember(peer);
    const producer = peer.producer(producerId);
    if (producer.paused) return;
    await producer.pause();
    this.emit("producerPaused", peer, producerId);
  }

  async resumeProducer(peer: Peer, producerId: string): Promise<void> {
    this.#assertMember(peer);
    const producer = peer.producer(producerId);
    if (!producer.paused) return;
    await producer.resume();
    this.emit("producerResumed", peer, producerId);
  }

  closeProducer(peer: Peer, producerId: string): void {
    this.#assertMember(peer);
    peer.closeProducer(producerId);
    this.#producerOwners.delete(producerId);
    this.emit("producerClosed", peer, producerId);
  }

  get recording(): boolean {
    return this.#recording !== null;
  }

  /**
   * Starts recording every producer now in the room and every one that appears until `stopRecording`.
   * `preferVideoOf` lists peers (chairs) whose video is recorded first when the video cap is reached.
   */
  async startRecording(options: RoomRecordingOptions, preferVideoOf: readonly string[] = []): Promise<void> {
    this.#assertOpen();
    if (this.#recording) throw new SfuError("MEDIA_REJECTED", `room ${this.id} is already recording`);
    const recorder = await Recorder.create({
      router: this.#router,
      outputDirectory: options.directory,
      webRtcPortRange: this.#portRange,
      portRange: options.portRange,
      ...(options.ffmpegPath ? { ffmpegPath: options.ffmpegPath } : {}),
    });
    this.#recording = { recorder, maxVideoTracks: options.maxVideoTracks ?? 9, videoTracks: 0 };
    const preferred = new Set(preferVideoOf);
    const peers = [...this.peers].sort((a, b) => Number(preferred.has(b.id)) - Number(preferred.has(a.id)));
    // Screens first: a presentation matters more to the record than one more camera.
    const rank = (source: MediaSource) => (source === "screen" ? 0 : source === "webcam" ? 1 : 2);
    const producers = peers.flatMap((peer) => peer.producers.map((producer) => ({ peer, producer })));
    producers.sort((a, b) => rank(a.producer.appData.source) - rank(b.producer.appData.source));
    for (const { peer, producer } of producers) this.#record(peer, producer);
  }

  /** Stops recording; the tracks (files, start times, failures) are what a composition is made from. */
  async stopRecording(): Promise<RecordedTrack[]> {
    const recording = this.#recording;
    if (!recording) throw new SfuError("MEDIA_REJECTED", `room ${this.id} is not recording`);
    this.#recording = null;
    return recording.recorder.stop();
  }

  /**
   * Stops recording one peer's media at once (a citizen withdrew their consent); the rest of the room goes
   * on being recorded. Resolves with the peer's finished tracks; [] when the room is not recording.
   */
  async stopRecordingPeer(peerId: string): Promise<RecordedTrack[]> {
    return this.#recording ? this.#recording.recorder.stopPeer(peerId) : [];
  }

  /** The recorder, for its events (a track whose ffmpeg died); null when not recording. */
  get recorder(): Recorder | null {
    return this.#recording?.recorder ?? null;
  }

  #record(peer: Peer, producer: types.Producer<ProducerAppData>): void {
    const recording = this.#recording;
    if (!recording || !recording.recorder.records(peer.id)) return;
    if (producer.kind === "video") {
      if (recording.videoTracks >= recording.maxVideoTracks) return;
      recording.videoTracks++;
    }
    // A track that cannot start is reported by the recorder (trackStartFailed); the meeting goes on.
    recording.recorder.addProducer(producer, { peerId: peer.id, displayName: peer.displayName, source: producer.appData.source }).catch(() => undefined);
  }

  /** Plain data for the wire or a dashboard; never the mediasoup objects. */
  snapshot(): { id: string; workerIndex: number; peers: PeerSnapshot[] } {
    return { id: this.id, workerIndex: this.workerIndex, peers: this.peers.map((peer) => Room.peerSnapshot(peer)) };
  }

  /** A peer's link as last announced; null before the first sample that found media flowing. */
  linkOf(peer: Peer): LinkLevel | null {
    return this.#links.get(peer) ?? null;
  }

  static peerSnapshot(peer: Peer): PeerSnapshot {
    return { id: peer.id, displayName: peer.displayName, producers: peer.producers.map(snapshotOf) };
  }

  close(): void {
    this.#close("closed");
  }

  /** The meeting is over for everyone (the chair ended it). */
  end(): void {
    this.#close("ended");
  }

  #close(reason: RoomCloseReason): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#qualityTimer);
    const peers = this.peers;
    for (const peer of peers) peer.close();
    this.#peers.clear();
    this.#producerOwners.clear();
    this.#router.close();
    for (const slot of this.#others.values()) void slot.then((opened) => opened.router.close(), () => undefined);
    this.#slotOfTransport.clear();
    this.#others.clear();
    this.emit("closed", reason, [...peers]);
  }

  /** Worker indexes of this process this room has receivers on, home first. */
  get workerIndexes(): number[] {
    const others = [...this.#slotOfTransport.values()].flatMap((slot) => (slot.router.workerIndex === undefined ? [] : [slot.router.workerIndex]));
    return [...new Set([this.workerIndex, ...others])];
  }

  /** Media nodes (other hosts) this room has receivers on. */
  get mediaNodeIds(): string[] {
    return [...new Set([...this.#slotOfTransport.values()].flatMap((slot) => (slot.router.nodeId === undefined ? [] : [slot.router.nodeId])))];
  }

  #homeTransport(appData: TransportAppData): Promise<PeerTransport> {
    return this.#router
      .createWebRtcTransport<TransportAppData>({ listenInfos: listenInfos(this.#network, this.#portRange), initialAvailableOutgoingBitrate: this.#network.initialAvailableOutgoingBitrate, appData })
      .catch(asMediaRejection);
  }

  /**
   * A receiving transport where #placeReceiver says. When the media node chosen fails to open the room's
   * router or the transport (an error, or no answer in time), the receiver goes to this host's workers
   * instead: the node is in back-off by then (RemoteNodes › pick skips it), so a broken node costs one
   * site one slower join, never a failed one, and is not chosen again and again for having no consumers.
   */
  async #receiverTransport(appData: TransportAppData): Promise<{ slot: RouterSlot | undefined; transport: PeerTransport }> {
    const slot = await this.#placeReceiver(true);
    if (slot?.router.nodeId !== undefined) {
      try {
        return { slot, transport: await slot.router.createWebRtcTransport(appData) };
      } catch {
        this.#assertOpen();
      }
      const local = await this.#placeReceiver(false);
      return { slot: local, transport: local ? await local.router.createWebRtcTransport(appData) : await this.#homeTransport(appData) };
    }
    return { slot, transport: slot ? await slot.router.createWebRtcTransport(appData) : await this.#homeTransport(appData) };
  }

  /**
   * The router a new receiving transport goes on (undefined: home). Home while its worker is not busy, else
   * the local worker with the fewest consumers; when that one is busy too (or `remote.first`), a media node
   * (`useNodes`), unless opening the room's router there fails.
   */
  async #placeReceiver(useNodes: boolean): Promise<RouterSlot | undefined> {
    const spread = this.#spread;
    if (!spread) return undefined;
    const { pool, afterConsumers, remote } = spread;
    const homeLoad = pool.consumersOn(this.#homeWorker.worker);
    const target = pool.leastLoaded();
    const local = target && target.worker !== this.#homeWorker.worker && pool.consumersOn(target.worker) < homeLoad ? target : undefined;
    const chosenLoad = local ? pool.consumersOn(local.worker) : homeLoad;
    if (useNodes && remote && (remote.first || chosenLoad >= afterConsumers)) {
      const node = remote.pick();
      if (node) {
        const network = this.#network;
        const homeRouter = this.#router;
        const homeWorker = this.#homeWorker;
        try {
          return await this.#slot(remoteRouterKey(node), () => openRemoteReceiverRouter(homeRouter, homeWorker, node, { network, pipeListenIp: remote.pipeListenIp }));
        } catch {
          // The node failed or did not answer (it is in back-off now): this host's workers take the receiver.
          this.#assertOpen();
        }
      }
    }
    if (homeLoad < afterConsumers || !local) return undefined;
    return this.#slot(localRouterKey(local.worker), () => openLocalReceiverRouter(this.#router, local, this.#network));
  }

  /** The room's router under `key`, opened once (concurrent placements share the opening). */
  async #slot(key: string, open: () => Promise<ReceiverRouter>): Promise<RouterSlot> {
    let slot = this.#others.get(key);
    if (!slot) {
      slot = this.#openSlot(open);
      this.#others.set(key, slot);
      const opening = slot;
      opening.catch(() => {
        if (this.#others.get(key) === opening) this.#others.delete(key);
      });
    }
    const opened = await slot;
    this.#assertOpen();
    return opened;
  }

  async #openSlot(open: () => Promise<ReceiverRouter>): Promise<RouterSlot> {
    const router = await open();
    if (this.#closed) {
      router.close();
      throw new SfuError("ROOM_CLOSED", `room ${this.id} closed while opening a router`);
    }
    const slot: RouterSlot = { router, piped: new Map(), receivers: new Map() };
    router.onLost(() => this.#lostSlot(slot));
    return slot;
  }

  /**
   * The other worker died or the media node was lost: its router, transports and consumers are gone. The
   * peers that received there leave (they rejoin and are placed on a live router); producers stay home.
   */
  #lostSlot(slot: RouterSlot): void {
    this.#others.delete(slot.router.key);
    slot.piped.clear();
    const lost = [...new Set(slot.receivers.values())].filter((peer) => this.#peers.get(peer.id) === peer);
    slot.receivers.clear();
    if (this.#closed || lost.length === 0) return;
    for (const peer of lost) this.leave(peer, "workerDied");
    this.emit("peersLostMedia", lost);
  }

  /** The producer is on this slot's router (piped once; later consumers there share the pipe). */
  async #pipe(slot: RouterSlot, producerId: string): Promise<void> {
    let entry = slot.piped.get(producerId);
    if (!entry) {
      entry = { pipe: slot.router.pipe(producerId), consumers: 0 };
      slot.piped.set(producerId, entry);
      const created = entry;
      created.pipe.catch(() => {
        if (slot.piped.get(producerId) === created) slot.piped.delete(producerId);
      });
    }
    entry.consumers++;
    try {
      await entry.pipe;
    } catch (error) {
      entry.consumers--;
      asMediaRejection(error);
    }
  }

  /** A consumer on this slot stopped using the producer; the last one takes the pipe down. */
  #unpipe(slot: RouterSlot, producerId: string): void {
    const entry = slot.piped.get(producerId);
    if (!entry || --entry.consumers > 0) return;
    slot.piped.delete(producerId);
    void entry.pipe.then((piped) => piped.close(), () => undefined);
  }

  #assertOpen(): void {
    if (this.#closed) throw new SfuError("ROOM_CLOSED", `room ${this.id} is closed`);
  }

  #assertMember(peer: Peer): void {
    this.#assertOpen();
    if (this.#peers.get(peer.id) !== peer) throw new SfuError("ROOM_CLOSED", `peer ${peer.id} is not in room ${this.id}`);
  }
}
