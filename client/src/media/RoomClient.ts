import { Device, type types } from "mediasoup-client";
import type { ChatMessage, LinkQuality, Locale, MediaSource, Moderation, PeerInfo, ServerEvent } from "../../../signaling/protocol";
import { CAMERA_ENCODINGS, layerForWidth } from "./layers";
import { acquireLocalMedia, acquireScreen, type LocalMedia, stopLocalMedia } from "./localMedia";
import { openSocket, ProtocolError, request, type SignalingSocket, whenConnected } from "./signaling";
import { errorCodeOf } from "../api/errorCode";
import { Store } from "./Store";
import { consumerWanted, decideLastN, emptyLastN, LAST_N_DEFAULT, type LastNState } from "./lastN";
import { noteSpeaker } from "./tileOrder";
import { fromWire, toWire } from "./wire";

export type ConnectionStatus = "idle" | "connecting" | "joined" | "reconnecting";

/** What the room needs of a sign-in: the token for the handshake, and a way to renew it (staff or citizen). */
export interface RoomCredentials {
  readonly accessToken: string | null;
  /** Resolves false when the token cannot be renewed (a citizen's link token). */
  refresh(): Promise<boolean>;
}
export type NoticeKey = "noDevices" | "audioOnly" | "rejoined" | "removed" | "ended" | "screenStopped";

export interface RemotePeerView {
  id: string;
  displayName: string;
  videoTrack: MediaStreamTrack | null;
  audioTrack: MediaStreamTrack | null;
  videoPaused: boolean;
  audioPaused: boolean;
  /** The site's camera is off or absent (its own choice or the chair's), whatever this page receives. */
  cameraOff: boolean;
  /** The camera is on but this page does not receive it (outside last-N, or audio-only): a placeholder, not a frozen frame. */
  videoSaved: boolean;
  /** Simulcast layer this page asked for (null: a single-layer stream, or none). */
  videoLayer: number | null;
  /** The site's link as the server measures what it sends; null until measured or while it sends nothing. */
  link: LinkQuality | null;
}

export interface ScreenShareView {
  peerId: string;
  displayName: string;
  /** Null while this page shares (it does not receive its own screen). */
  track: MediaStreamTrack | null;
}

export interface RoomView {
  status: ConnectionStatus;
  roomId: string | null;
  displayName: string | null;
  selfPeerId: string | null;
  localVideoTrack: MediaStreamTrack | null;
  hasMic: boolean;
  hasCamera: boolean;
  micOn: boolean;
  cameraOn: boolean;
  peers: RemotePeerView[];
  /** What the chair imposes on microphones. */
  moderation: Moderation;
  /** The chair muted this site: its microphone stays off until the chair allows it. */
  mutedByChair: boolean;
  chat: ChatMessage[];
  /** Dominant speakers, most recent first (last-N ordering of the grid). */
  recentSpeakers: string[];
  activeSpeakerId: string | null;
  /** The presentation everyone sees, if someone shares a screen. */
  screenShare: ScreenShareView | null;
  sharingScreen: boolean;
  /** Weak-link mode: no video received or sent, audio only. */
  audioOnly: boolean;
  /** This site's own link as the server measures it (linkQuality events), for its own row in the list. */
  selfLink: LinkQuality | null;
  /** When the meeting began, as the server stored it (ISO), for the room timer; null outside a room. */
  startedAt: string | null;
  /** The last recording's state as the server reports it (composition progress after stop). */
  recordingJob: ServerEvent<"recordingProgress"> | null;
  notice: NoticeKey | null;
  /** A stable error code (protocol codes, CONNECTION_FAILED, BROWSER_UNSUPPORTED), shown translated. */
  errorCode: string | null;
}

const initialView: RoomView = {
  status: "idle",
  roomId: null,
  displayName: null,
  selfPeerId: null,
  localVideoTrack: null,
  hasMic: false,
  hasCamera: false,
  micOn: false,
  cameraOn: false,
  peers: [],
  moderation: { muteAll: false, mutedPeerIds: [], locked: false, hands: [], floorPeerId: null, spotlightPeerId: null, chairPeerIds: [], recording: false },
  mutedByChair: false,
  chat: [],
  recentSpeakers: [],
  activeSpeakerId: null,
  screenShare: null,
  sharingScreen: false,
  audioOnly: false,
  selfLink: null,
  startedAt: null,
  recordingJob: null,
  notice: null,
  errorCode: null,
};

interface RemoteConsumer {
  consumer: types.Consumer;
  peerId: string;
  source: MediaSource;
  producerPaused: boolean;
  /** Simulcast: the layer last asked of the server. */
  layer: number | null;
  /** Paused on the server at this page's request (off the page, or audio-only). */
  pausedHere: boolean;
}

/** How long a media connection may stay "disconnected" before its ICE is restarted. */
const ICE_STALL_RESTART_MS = 3_000;

/**
 * A rejoin refused for one of these cannot succeed by asking again (the room is locked, the site not invited,
 * the session over); anything else — no answer in time, a busy or restarting server — may, so it is retried.
 */
const REJOIN_REFUSALS: ReadonlySet<string> = new Set(["NOT_INVITED", "ROOM_LOCKED", "FORBIDDEN", "UNAUTHENTICATED", "VALIDATION_FAILED", "SESSION_ENDED", "NOT_ADMITTED", "RECEPTION_NOT_OPEN"]);
/** Rejoin attempts before the page gives up and shows the error: pauses of 1, 2, 4, 8 and then 10 s, about two minutes. */
const REJOIN_ATTEMPTS = 15;

/**
 * The earlier of two instants: a rejoin after a server restart finds a fresh room, but the meeting the
 * timer measures began with the first join (the view forgets it when the user leaves).
 */
function earliest(known: string | null, reported: string | null): string | null {
  if (!known || !reported) return known ?? reported;
  return Date.parse(reported) < Date.parse(known) ? reported : known;
}

/** Resolves when the receive transport exists, so producers announced early wait for it. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/**
 * One browser's participation in a room: signaling socket, mediasoup Device, a send and a receive
 * transport, local producers and remote consumers. React reads `store`; nothing else is shared.
 */
export class RoomClient {
  readonly store = new Store<RoomView>(initialView);
  readonly #locale: () => Locale;
  readonly #auth: RoomCredentials;
  #socket: SignalingSocket | null = null;
  #device: Device | null = null;
  #media: LocalMedia | null = null;
  #sendTransport: types.Transport | null = null;
  #recvTransport: types.Transport | null = null;
  #recvReady = deferred();
  #micProducer: types.Producer | null = null;
  #cameraProducer: types.Producer | null = null;
  #screenProducer: types.Producer | null = null;
  #screenTrack: MediaStreamTrack | null = null;
  /** Peers whose tiles are on the current page, in the page's order (null: everyone, until the grid says otherwise). */
  #visiblePeers: readonly string[] | null = null;
  /** Camera videos this page receives at most (last-N); the room view sets it from the screen and the user's choice. */
  #videoBudget = LAST_N_DEFAULT;
  /** Who holds a last-N slot and since when (lastN.ts decides; this class only keeps the state). */
  #lastN: LastNState = emptyLastN;
  /** Peers whose camera this page receives now (null until the first decision: everyone). */
  #lastNVideo: ReadonlySet<string> | null = null;
  /** Asks the policy again when a held slot frees up for a speaker who waits. */
  #lastNRecheck: ReturnType<typeof setTimeout> | undefined;
  /** Last known tile width per peer, in device pixels. */
  readonly #tileWidths = new Map<string, number>();
  readonly #peers = new Map<string, { id: string; displayName: string; link: LinkQuality | null }>();
  /** producerId → its consumer here. */
  readonly #consumers = new Map<string, RemoteConsumer>();
  /**
   * producerId → paused, from pause/resume events that came while its consumer was still being set
   * up (after the server answered "consume" but before the browser finished): applied on arrival.
   */
  readonly #pauseWhileConsuming = new Map<string, boolean>();
  /** The room to be in when (re)joining; null once the user left. */
  #target: { roomId: string } | null = null;
  /** Bumped on every join and leave, so results of an abandoned attempt are ignored. */
  #attempt = 0;
  /** Devices the user chose to join muted (pre-join screen). */
  #startMuted = { mic: false, camera: false };
  /** Who this client is in the room, to come back as the same peer after a dropped socket. */
  #resume: { peerId: string; resumeToken: string } | null = null;
  /** Clients of a kind of room that listen on each new socket (attachToSocket). */
  readonly #socketListeners = new Set<(socket: SignalingSocket) => void>();
  /** The same clients, told each time the room is entered (joined or rejoined), to fetch their state. */
  readonly #enterListeners = new Set<(socket: SignalingSocket) => void>();

  constructor(locale: () => Locale, auth: RoomCredentials) {
    this.#locale = locale;
    this.#auth = auth;
  }

  /**
   * Lets the client of a particular kind of room (a reception's waiting room and staff calls) listen on and
   * send over this room's socket, which this class alone opens and closes: `attach` is called with every
   * socket opened from now on (and the current one). The media session itself knows nothing of them.
   */
  attachToSocket(attach: (socket: SignalingSocket) => void): () => void {
    this.#socketListeners.add(attach);
    if (this.#socket) attach(this.#socket);
    return () => this.#socketListeners.delete(attach);
  }

  /** Calls `entered` after every join and rejoin of a room (not a resume: nothing was lost then). */
  onEntered(entered: (socket: SignalingSocket) => void): () => void {
    this.#enterListeners.add(entered);
    return () => this.#enterListeners.delete(entered);
  }

  /** The socket of the current room, for requests of such a client; null outside a room. */
  get socket(): SignalingSocket | null {
    return this.#socket;
  }

  /** Shows a refusal from such a client's request on the room's error line, like the room's own. */
  showError(error: unknown): void {
    this.store.update((view) => ({ ...view, errorCode: errorCodeOf(error) }));
  }

  async muteSite(peerId: string, muted: boolean): Promise<void> {
    await this.#chairRequest(() => request(this.#socket!, "muteSite", { peerId, muted }));
  }

  async setMuteAll(on: boolean): Promise<void> {
    await this.#chairRequest(() => request(this.#socket!, "setMuteAll", { on }));
  }

  async stopCamera(peerId: string): Promise<void> {
    await this.#chairRequest(() => request(this.#socket!, "stopCamera", { peerId }));
  }

  async removeSite(peerId: string): Promise<void> {
    await this.#chairRequest(() => request(this.#socket!, "removeSite", { peerId }));
  }

  async lockRoom(locked: boolean): Promise<void> {
    await this.#chairRequest(() => request(this.#socket!, "lockRoom", { locked }));
  }

  async grantFloor(peerId: string | null): Promise<void> {
    await this.#chairRequest(() => request(this.#socket!, "grantFloor", { peerId }));
  }

  async endMeeting(): Promise<void> {
    await this.#chairRequest(() => request(this.#socket!, "endMeeting", {}));
  }

  async startRecording(): Promise<void> {
    await this.#chairRequest(() => request(this.#socket!, "startRecording", {}));
  }

  async stopRecording(): Promise<void> {
    await this.#chairRequest(() => request(this.#socket!, "stopRecording", {}));
  }

  async raiseHand(raised: boolean): Promise<void> {
    await this.#chairRequest(() => request(this.#socket!, "raiseHand", { raised }));
  }

  async sendChat(text: string): Promise<void> {
    if (!this.#socket) return;
    await request(this.#socket, "sendChat", { text }).catch((error: unknown) => this.store.update((view) => ({ ...view, errorCode: errorCodeOf(error) })));
  }

  async #chairRequest(send: () => Promise<unknown>): Promise<void> {
    if (!this.#socket) return;
    await send().catch((error: unknown) => this.store.update((view) => ({ ...view, errorCode: errorCodeOf(error) })));
  }

  /** What the server last said the chair's rules mean for this page (room-wide copies carry none). */
  #selfFlags: Moderation["self"];

  /** Applies the chair's rules: if this site is now muted, its microphone stops sending at once. */
  #applyModeration(moderation: Moderation): void {
    // The server decides (mute-all spares chairs and the floor); the page does not re-derive it.
    this.#selfFlags = moderation.self ?? this.#selfFlags;
    const mutedByChair = this.#selfFlags?.mutedByChair ?? false;
    if (mutedByChair && this.#micProducer && !this.#micProducer.paused) this.#micProducer.pause();
    this.store.update((view) => ({ ...view, moderation, mutedByChair, micOn: mutedByChair ? false : view.micOn }));
  }

  /**
   * Joins with media prepared on the pre-join screen (which it then owns), or acquires it itself;
   * `micOn`/`cameraOn` false join with that device muted.
   */
  async join(roomId: string, prepared?: { media: LocalMedia; micOn: boolean; cameraOn: boolean }): Promise<void> {
    this.#target = { roomId };
    this.#startMuted = { mic: prepared ? !prepared.micOn : false, camera: prepared ? !prepared.cameraOn : false };
    if (prepared) {
      stopLocalMedia(this.#media === prepared.media ? null : this.#media);
      this.#media = prepared.media;
    }
    const attempt = ++this.#attempt;
    this.store.update((view) => ({ ...view, status: "connecting", roomId, errorCode: null, notice: null }));
    try {
      this.#media ??= await acquireLocalMedia();
      if (attempt !== this.#attempt) return;
      this.store.update((view) => ({
        ...view,
        localVideoTrack: this.#media?.videoTrack ?? null,
        hasMic: Boolean(this.#media?.audioTrack),
        hasCamera: Boolean(this.#media?.videoTrack),
        notice: this.#media?.notice ?? null,
      }));
      const socket = (this.#socket ??= this.#openSocket());
      await this.#connect(socket);
      await this.#enterRoom(attempt);
    } catch (error) {
      if (attempt !== this.#attempt) return;
      await this.leave();
      this.store.update((view) => ({ ...view, errorCode: errorCodeOf(error) }));
    }
  }

  async leave(): Promise<void> {
    this.#attempt++;
    this.#target = null;
    const socket = this.#socket;
    this.#socket = null;
    if (socket?.connected) await request(socket, "leave", {}).catch(() => undefined);
    socket?.disconnect();
    this.#closeMedia();
    this.#stopScreenTrack();
    this.#resume = null;
    clearTimeout(this.#lastNRecheck);
    this.#lastN = emptyLastN;
    this.#lastNVideo = null;
    stopLocalMedia(this.#media);
    this.#media = null;
    this.store.update(() => initialView);
  }

  async setMicEnabled(enabled: boolean): Promise<void> {
    await this.#setProducerEnabled(this.#micProducer, enabled);
    this.store.update((view) => ({ ...view, micOn: enabled }));
  }

  async setCameraEnabled(enabled: boolean): Promise<void> {
    await this.#setProducerEnabled(this.#cameraProducer, enabled);
    this.store.update((view) => ({ ...view, cameraOn: enabled }));
  }

  /** Local pause first (stops sending at once), then the server, which tells the other sites. */
  async #setProducerEnabled(producer: types.Producer | null, enabled: boolean): Promise<void> {
    const socket = this.#socket;
    if (!producer || !socket || producer.closed) return;
    try {
      if (enabled) {
        producer.resume();
        await request(socket, "resumeProducer", { producerId: producer.id });
      } else {
        producer.pause();
        await request(socket, "pauseProducer", { producerId: producer.id });
      }
    } catch (error) {
      if (enabled) producer.pause();
      else producer.resume();
      this.store.update((view) => ({ ...view, errorCode: errorCodeOf(error) }));
      throw error;
    }
  }

  /** Presents this page's screen to the room (the chair, or the site holding the floor). */
  async startScreenShare(): Promise<void> {
    const transport = this.#sendTransport;
    if (!transport || this.#screenProducer) return;
    try {
      const track = await acquireScreen();
      if (!track) return;
      this.#screenTrack = track;
      // The browser's own "stop sharing" button ends the track: stop presenting with it.
      track.addEventListener("ended", () => void this.stopScreenShare());
      this.#screenProducer = await transport.produce({ track, stopTracks: false, appData: { source: "screen" satisfies MediaSource } });
      this.#render();
    } catch (error) {
      this.#stopScreenTrack();
      this.store.update((view) => ({ ...view, errorCode: errorCodeOf(error) }));
    }
  }

  async stopScreenShare(): Promise<void> {
    const producer = this.#screenProducer;
    const socket = this.#socket;
    this.#stopScreenTrack();
    if (producer && socket?.connected) await request(socket, "closeProducer", { producerId: producer.id }).catch(() => undefined);
  }

  #stopScreenTrack(): void {
    this.#screenProducer?.close();
    this.#screenProducer = null;
    this.#screenTrack?.stop();
    this.#screenTrack = null;
    this.#render();
  }

  /**
   * Weak-link mode: stop receiving every video stream and stop sending the camera, keeping audio.
   * Paused on the server, so the link really carries only audio.
   */
  async setAudioOnly(on: boolean): Promise<void> {
    this.store.update((view) => ({ ...view, audioOnly: on }));
    if (on && this.store.getSnapshot().cameraOn) await this.setCameraEnabled(false).catch(() => undefined);
    await this.#syncConsumers();
  }

  /** The grid tells which tiles are on screen, in its order; video of the others is paused on the server. */
  setVisiblePeers(peerIds: readonly string[]): void {
    this.#visiblePeers = [...peerIds];
    void this.#syncConsumers();
  }

  /** How many camera videos this page receives at most (last-N); the rest are paused on the server. */
  setVideoBudget(n: number): void {
    if (n === this.#videoBudget) return;
    this.#videoBudget = n;
    void this.#syncConsumers();
  }

  /** A tile's size changed: ask for the simulcast layer that fits it. */
  setTileWidth(peerId: string, devicePixels: number): void {
    this.#tileWidths.set(peerId, devicePixels);
    const socket = this.#socket;
    for (const remote of this.#consumers.values()) {
      if (remote.peerId !== peerId || remote.source !== "webcam" || remote.layer === null) continue;
      const layer = layerForWidth(devicePixels);
      if (layer === remote.layer || !socket) continue;
      remote.layer = layer;
      void request(socket, "setConsumerPreferredLayers", { consumerId: remote.consumer.id, spatialLayer: layer }).catch(() => undefined);
      this.#render();
    }
  }

  #wanted(remote: RemoteConsumer): boolean {
    const facts = { kind: remote.consumer.kind, source: remote.source, peerId: remote.peerId };
    return consumerWanted(facts, { audioOnly: this.store.getSnapshot().audioOnly, video: this.#lastNVideo });
  }

  /** Asks the last-N policy which cameras this page receives now, from what is on screen and who spoke. */
  #decideLastN(): void {
    clearTimeout(this.#lastNRecheck);
    const view = this.store.getSnapshot();
    const onScreen = this.#visiblePeers ?? [...this.#peers.keys()];
    const cameras = new Set([...this.#consumers.values()].filter((remote) => remote.source === "webcam" && !remote.producerPaused).map((remote) => remote.peerId));
    const decision = decideLastN(
      {
        onScreen,
        withoutCamera: onScreen.filter((peerId) => !cameras.has(peerId)),
        spotlightPeerId: view.moderation.spotlightPeerId,
        floorPeerId: view.moderation.floorPeerId,
        chairPeerIds: view.moderation.chairPeerIds,
        recentSpeakers: view.recentSpeakers,
        n: this.#videoBudget,
        now: Date.now(),
      },
      this.#lastN,
    );
    this.#lastN = decision.state;
    this.#lastNVideo = new Set(decision.video);
    if (decision.recheckAt !== null) {
      this.#lastNRecheck = setTimeout(() => void this.#syncConsumers(), Math.max(0, decision.recheckAt - Date.now()));
    }
  }

  /** Brings each consumer's server-side pause in line with what this page shows (and last-N lets it receive). */
  async #syncConsumers(): Promise<void> {
    const socket = this.#socket;
    if (!socket) return;
    this.#decideLastN();
    const changes: Promise<unknown>[] = [];
    for (const remote of this.#consumers.values()) {
      const wanted = this.#wanted(remote);
      if (wanted === !remote.pausedHere) continue;
      remote.pausedHere = !wanted;
      const consumerId = remote.consumer.id;
      changes.push(request(socket, wanted ? "resumeConsumer" : "pauseConsumer", { consumerId }).catch(() => undefined));
    }
    if (changes.length === 0) return;
    this.#render();
    await Promise.all(changes);
  }

  /** Connects; a refused (expired) token is refreshed once and the connection tried again. */
  async #connect(socket: SignalingSocket): Promise<void> {
    try {
      await whenConnected(socket);
    } catch (error) {
      if (!(error instanceof ProtocolError && error.code === "UNAUTHENTICATED") || !(await this.#auth.refresh())) throw error;
      socket.connect();
      await whenConnected(socket);
    }
  }

  async #enterRoom(attempt: number): Promise<void> {
    const socket = this.#socket;
    const target = this.#target;
    if (!socket || !target) return;
    this.#recvReady = deferred();

    const { rtpCapabilities } = await request(socket, "getRouterRtpCapabilities", {});
    if (!this.#device) {
      const device = new Device();
      await device.load({ routerRtpCapabilities: fromWire.rtpCapabilities(rtpCapabilities) });
      this.#device = device;
    }
    const device = this.#device;
    const joined = await request(socket, "join", { ...target, rtpCapabilities: toWire.rtpCapabilities(device.rtpCapabilities) });
    if (attempt !== this.#attempt) return;
    this.#resume = { peerId: joined.peerId, resumeToken: joined.resumeToken };
    void request(socket, "getChat", {}).then(({ messages }) => this.store.update((view) => ({ ...view, chat: messages })), () => undefined);
    for (const peer of joined.peers) this.#peers.set(peer.id, { id: peer.id, displayName: peer.displayName, link: peer.link ?? null });
    this.store.update((view) => ({
      ...view,
      status: "joined",
      roomId: joined.roomId,
      displayName: joined.displayName,
      selfPeerId: joined.peerId,
      startedAt: earliest(view.startedAt, joined.startedAt ?? new Date().toISOString()),
    }));
    this.#applyModeration(joined.moderation);
    this.#render();
    for (const entered of this.#enterListeners) entered(socket);

    this.#recvTransport = await this.#createTransport(socket, device, "recv");
    this.#recvReady.resolve();
    void Promise.all(joined.peers.flatMap((peer: PeerInfo) => peer.producers.map((producer) => this.#consume(peer.id, producer.id, attempt))));

    const { audioTrack, videoTrack } = this.#media ?? { audioTrack: null, videoTrack: null };
    if (!audioTrack && !videoTrack) return;
    this.#sendTransport = await this.#createTransport(socket, device, "send");
    if (audioTrack && device.canProduce("audio")) {
      this.#micProducer = await this.#sendTransport.produce({
        track: audioTrack,
        stopTracks: false,
        codecOptions: { opusDtx: true, opusFec: true },
        appData: { source: "mic" satisfies MediaSource },
      });
    }
    if (videoTrack && device.canProduce("video")) {
      this.#cameraProducer = await this.#sendTransport.produce({
        track: videoTrack,
        stopTracks: false,
        encodings: CAMERA_ENCODINGS,
        codecOptions: { videoGoogleStartBitrate: 600 },
        appData: { source: "webcam" satisfies MediaSource },
      });
    }
    if (attempt !== this.#attempt) return;
    // The server may have opened the microphone muted (the chair's mute holds): mirror it here.
    if (this.#micProducer && this.store.getSnapshot().mutedByChair) this.#micProducer.pause();
    this.store.update((view) => ({
      ...view,
      micOn: Boolean(this.#micProducer) && !view.mutedByChair,
      cameraOn: Boolean(this.#cameraProducer),
    }));
    // Joined muted by choice: the same server-side pause as the buttons, so others see it at once.
    if (this.#startMuted.mic && this.store.getSnapshot().micOn) await this.setMicEnabled(false).catch(() => undefined);
    if (this.#startMuted.camera && this.#cameraProducer) await this.setCameraEnabled(false).catch(() => undefined);
    this.#startMuted = { mic: false, camera: false };
  }

  async #createTransport(socket: SignalingSocket, device: Device, direction: "send" | "recv"): Promise<types.Transport> {
    const params = await request(socket, "createWebRtcTransport", { direction });
    const options = {
      id: params.id,
      iceParameters: fromWire.iceParameters(params.iceParameters),
      iceCandidates: fromWire.iceCandidates(params.iceCandidates),
      dtlsParameters: fromWire.dtlsParameters(params.dtlsParameters),
      // The server's STUN/TURN servers (time-limited TURN credentials), and `relay` where only TURN gets through.
      ...(params.iceServers ? { iceServers: params.iceServers } : {}),
      ...(params.iceTransportPolicy ? { iceTransportPolicy: params.iceTransportPolicy } : {}),
    };
    const transport = direction === "send" ? device.createSendTransport(options) : device.createRecvTransport(options);
    transport.on("connect", ({ dtlsParameters }, callback, errback) => {
      request(socket, "connectWebRtcTransport", { transportId: transport.id, dtlsParameters: toWire.dtlsParameters(dtlsParameters) }).then(() => callback(), errback);
    });
    // A broken media path (network change, NAT timeout) gets new ICE credentials instead of a rejoin:
    // at once when the browser gives up, and after a short grace when it only lost contact (a
    // momentary loss recovers by itself; a changed address never does, and "failed" takes 30 s).
    let stalled: ReturnType<typeof setTimeout> | undefined;
    transport.on("connectionstatechange", (state) => {
      clearTimeout(stalled);
      if (state === "failed") void this.#restartIce(transport);
      else if (state === "disconnected") {
        stalled = setTimeout(() => {
          if (!transport.closed && transport.connectionState === "disconnected") void this.#restartIce(transport);
        }, ICE_STALL_RESTART_MS);
      }
    });
    if (direction === "send") {
      transport.on("produce", ({ kind, rtpParameters, appData }, callback, errback) => {
        const source = (appData as { source?: MediaSource }).source ?? (kind === "audio" ? "mic" : "webcam");
        request(socket, "produce", { transportId: transport.id, kind, source, rtpParameters: toWire.rtpParameters(rtpParameters) }).then(
          ({ producerId }) => callback({ id: producerId }),
          errback,
        );
      });
    }
    return transport;
  }

  async #restartIce(transport: types.Transport): Promise<void> {
    const socket = this.#socket;
    if (!socket?.connected || transport.closed) return;
    try {
      const { iceParameters } = await request(socket, "restartIce", { transportId: transport.id });
      await transport.restartIce({ iceParameters: fromWire.iceParameters(iceParameters) });
    } catch {
      // The next failure tries again; a dropped socket goes through resume or rejoin instead.
    }
  }

  async #consume(peerId: string, producerId: string, attempt: number): Promise<void> {
    await this.#recvReady.promise;
    const socket = this.#socket;
    const transport = this.#recvTransport;
    if (!socket || !transport || attempt !== this.#attempt || this.#consumers.has(producerId)) return;
    try {
      const width = this.#tileWidths.get(peerId);
      const data = await request(socket, "consume", { transportId: transport.id, producerId, spatialLayer: width === undefined ? 1 : layerForWidth(width) });
      const consumer = await transport.consume({
        id: data.consumerId,
        producerId: data.producerId,
        kind: data.kind,
        rtpParameters: fromWire.rtpParameters(data.rtpParameters),
      });
      // The peer may have left, or this client may have rejoined, while the consumer was being set up.
      if (attempt !== this.#attempt || !this.#peers.has(peerId)) {
        consumer.close();
        return;
      }
      const remote: RemoteConsumer = {
        consumer,
        peerId,
        source: data.source,
        producerPaused: this.#pauseWhileConsuming.get(producerId) ?? data.producerPaused,
        layer: consumer.rtpParameters.encodings && consumer.kind === "video" ? (width === undefined ? 1 : layerForWidth(width)) : null,
        // Created paused on the server; it starts only if this page wants it (on the page, in last-N, not audio-only).
        pausedHere: true,
      };
      this.#consumers.set(producerId, remote);
      this.#pauseWhileConsuming.delete(producerId);
      this.#render();
      // A new camera may take a free last-N slot: the policy decides for every consumer at once.
      await this.#syncConsumers();
    } catch (error) {
      // A producer that closed meanwhile is not worth an error on screen.
      if (error instanceof ProtocolError && error.code === "PRODUCER_NOT_FOUND") return;
      this.store.update((view) => ({ ...view, errorCode: errorCodeOf(error) }));
    }
  }

  #openSocket(): SignalingSocket {
    const socket = openSocket(this.#locale, () => this.#auth.accessToken);
    socket.on("peerJoined", ({ peer }) => {
      this.#peers.set(peer.id, { id: peer.id, displayName: peer.displayName, link: peer.link ?? null });
      this.#render();
    });
    socket.on("peerLeft", ({ peerId }) => {
      this.#peers.delete(peerId);
      for (const [producerId, remote] of this.#consumers) {
        if (remote.peerId === peerId) this.#dropConsumer(producerId);
      }
      this.#render();
    });
    socket.on("newProducer", ({ peerId, producer }) => void this.#consume(peerId, producer.id, this.#attempt));
    socket.on("moderation", (moderation) => {
      this.#applyModeration(moderation);
      // The floor, the spotlight or the chairs changed: they always get a camera slot.
      void this.#syncConsumers();
    });
    socket.on("chatMessage", (message) => this.store.update((view) => ({ ...view, chat: [...view.chat, message].slice(-200) })));
    socket.on("producerPaused", (event) => this.#markPaused(event, true));
    socket.on("producerResumed", (event) => this.#markPaused(event, false));
    socket.on("producerClosed", ({ producerId }) => {
      // Our own screen share, closed by the server (the site lost the floor).
      if (this.#screenProducer?.id === producerId) {
        this.#stopScreenTrack();
        this.store.update((view) => ({ ...view, notice: "screenStopped" }));
      }
      this.#dropConsumer(producerId);
      this.#render();
    });
    socket.on("linkQuality", ({ peerId, link }) => {
      const peer = this.#peers.get(peerId);
      if (peer) peer.link = link;
      // This site's own link is shown from its own tile and list row.
      if (peerId === this.store.getSnapshot().selfPeerId) this.store.update((view) => ({ ...view, selfLink: link }));
      else this.#render();
    });
    socket.on("recordingProgress", (job) => this.store.update((view) => ({ ...view, recordingJob: job })));
    socket.on("activeSpeaker", ({ peerId }) => {
      this.store.update((view) => ({ ...view, activeSpeakerId: peerId, recentSpeakers: noteSpeaker(view.recentSpeakers, peerId) }));
      void this.#syncConsumers();
    });
    socket.on("consumerClosed", ({ consumerId }) => {
      for (const [producerId, remote] of this.#consumers) {
        if (remote.consumer.id === consumerId) this.#dropConsumer(producerId);
      }
      this.#render();
    });
    socket.on("roomClosed", ({ reason }) => {
      this.#closeMedia();
      this.#resume = null;
      if (reason === "mediaServerRestarted" && this.#target) {
        this.store.update((view) => ({ ...view, status: "reconnecting", notice: "rejoined" }));
        void this.#rejoin();
      } else if (reason === "ended") {
        void this.leave().then(() => this.store.update((view) => ({ ...view, notice: "ended" })));
      } else {
        void this.leave().then(() => this.store.update((view) => ({ ...view, errorCode: "ROOM_CLOSED" })));
      }
    });
    socket.on("removed", () => {
      void this.leave().then(() => this.store.update((view) => ({ ...view, notice: "removed" })));
    });
    // Media does not depend on the socket: keep it flowing while socket.io reconnects, then take the
    // same peer back. Only if that fails (grace period over) is the room joined afresh.
    socket.on("disconnect", () => {
      if (!this.#target) return;
      this.store.update((view) => ({ ...view, status: "reconnecting" }));
    });
    socket.on("connect", () => {
      if (this.#target && this.store.getSnapshot().status === "reconnecting") void this.#resumeOrRejoin();
    });
    for (const attach of this.#socketListeners) attach(socket);
    return socket;
  }

  async #resumeOrRejoin(): Promise<void> {
    const socket = this.#socket;
    const resume = this.#resume;
    if (socket && resume) {
      try {
        const resumed = await request(socket, "resume", resume);
        this.#resume = { peerId: resumed.peerId, resumeToken: resumed.resumeToken };
        this.#reconcile(resumed.peers);
        this.#applyModeration(resumed.moderation);
        this.store.update((view) => ({ ...view, status: "joined", startedAt: earliest(view.startedAt, resumed.startedAt ?? null) }));
        // The socket dropped, so the network may have changed under the media too (a router that
        // dialled again has a new address): fresh ICE credentials now, not after the browser's 30 s.
        // Always, even if media looks connected: a stale path can still look connected for seconds,
        // and a restart on a good path costs one round trip without interrupting media.
        for (const transport of [this.#sendTransport, this.#recvTransport]) {
          if (transport) void this.#restartIce(transport);
        }
        return;
      } catch {
        // Too late or unknown: fall back to a fresh join below.
      }
    }
    this.#closeMedia();
    this.#resume = null;
    await this.#rejoin();
  }

  /** Catches up with what happened while the socket was down, from the room's current snapshot. */
  #reconcile(peers: readonly PeerInfo[]): void {
    const live = new Map(peers.flatMap((peer) => peer.producers.map((producer) => [producer.id, { peer, producer }] as const)));
    // Events were missed while the socket was down: the snapshot is the truth now.
    this.#pauseWhileConsuming.clear();
    this.#peers.clear();
    for (const peer of peers) this.#peers.set(peer.id, { id: peer.id, displayName: peer.displayName, link: peer.link ?? null });
    for (const [producerId, remote] of this.#consumers) {
      const current = live.get(producerId);
      if (!current) this.#dropConsumer(producerId);
      else remote.producerPaused = current.producer.paused;
    }
    for (const [producerId, { peer }] of live) {
      if (!this.#consumers.has(producerId)) void this.#consume(peer.id, producerId, this.#attempt);
    }
    this.#render();
  }

  /** Joins the room afresh; after a media server restart it tries again for a while (1, 2, 4… s). */
  /**
   * Joins the room again with new transports, trying again after a failure that may pass (a lost answer, a
   * server busy or restarting) with growing pauses; a site on a flapping link must not be left outside with
   * "reconnecting" on screen. A refusal, or the last failed try, ends on the pre-join screen with the error.
   */
  async #rejoin(tried = 0): Promise<void> {
    const attempt = ++this.#attempt;
    try {
      await this.#enterRoom(attempt);
    } catch (error) {
      if (attempt !== this.#attempt || !this.#target) return;
      if (tried + 1 < REJOIN_ATTEMPTS && !REJOIN_REFUSALS.has(errorCodeOf(error))) {
        this.#closeMedia();
        await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 1000 * 2 ** tried)));
        if (attempt === this.#attempt && this.#target) await this.#rejoin(tried + 1);
        return;
      }
      await this.leave();
      this.store.update((view) => ({ ...view, errorCode: errorCodeOf(error) }));
    }
  }

  #markPaused({ producerId }: ServerEvent<"producerPaused">, paused: boolean): void {
    // The chair stopped this page's own camera (or microphone): stop sending here too and show it off; the
    // site turns it back on with its own button.
    if (paused && producerId === this.#cameraProducer?.id) {
      if (!this.#cameraProducer.paused) this.#cameraProducer.pause();
      this.store.update((view) => ({ ...view, cameraOn: false }));
      return;
    }
    if (paused && producerId === this.#micProducer?.id) {
      if (!this.#micProducer.paused) this.#micProducer.pause();
      this.store.update((view) => ({ ...view, micOn: false }));
      return;
    }
    const remote = this.#consumers.get(producerId);
    if (!remote) {
      this.#pauseWhileConsuming.set(producerId, paused);
      return;
    }
    remote.producerPaused = paused;
    this.#render();
    // A camera turned on or off takes or frees a last-N slot.
    if (remote.source === "webcam") void this.#syncConsumers();
  }

  #dropConsumer(producerId: string): void {
    this.#pauseWhileConsuming.delete(producerId);
    this.#consumers.get(producerId)?.consumer.close();
    this.#consumers.delete(producerId);
  }

  /** Closes transports (and with them producers and consumers); local tracks stay for a rejoin. */
  #closeMedia(): void {
    this.#sendTransport?.close();
    this.#recvTransport?.close();
    this.#sendTransport = null;
    this.#recvTransport = null;
    this.#micProducer = null;
    this.#cameraProducer = null;
    this.#screenProducer = null;
    this.#consumers.clear();
    this.#pauseWhileConsuming.clear();
    this.#peers.clear();
    this.#render();
  }

  #render(): void {
    const remotes = [...this.#consumers.values()];
    const peers = [...this.#peers.values()].map((peer): RemotePeerView => {
      const video = remotes.find((remote) => remote.peerId === peer.id && remote.source === "webcam");
      const audio = remotes.find((remote) => remote.peerId === peer.id && remote.source === "mic");
      return {
        id: peer.id,
        displayName: peer.displayName,
        videoTrack: video?.consumer.track ?? null,
        audioTrack: audio?.consumer.track ?? null,
        videoPaused: !video || video.producerPaused || video.pausedHere,
        audioPaused: !audio || audio.producerPaused,
        cameraOff: !video || video.producerPaused,
        videoSaved: Boolean(video && !video.producerPaused && video.pausedHere),
        videoLayer: video?.layer ?? null,
        link: peer.link,
      };
    });
    const screen = remotes.find((remote) => remote.source === "screen");
    const selfId = this.store.getSnapshot().selfPeerId;
    const sharer = screen ? this.#peers.get(screen.peerId) : undefined;
    const screenShare: ScreenShareView | null =
      screen && sharer && !screen.producerPaused
        ? { peerId: sharer.id, displayName: sharer.displayName, track: screen.pausedHere ? null : screen.consumer.track }
        : this.#screenProducer && selfId
          ? { peerId: selfId, displayName: this.store.getSnapshot().displayName ?? "", track: null }
          : null;
    this.store.update((view) => ({ ...view, peers, screenShare, sharingScreen: Boolean(this.#screenProducer) }));
  }
}
