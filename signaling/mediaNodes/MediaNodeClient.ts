import type { types } from "mediasoup";
import { type Socket, io } from "socket.io-client";
import { SfuError, type SfuErrorCode } from "../../sfu";
import type {
  ConsumeOptions,
  ConsumerStatSummary,
  PeerConsumer,
  PeerTransport,
  PipeEnd,
  RemoteMediaNode,
  RemotePipeProducer,
  RemoteRouter,
  TransportAppData,
} from "../../sfu/mediaObjects";
import { TypedEmitter } from "../../sfu/TypedEmitter";
import type { Logger } from "../logger";
import { fromRtpCapabilities, fromRtpParameters, toRtpParameters } from "../realtime/mediasoupTypes";
import { type NodeEntry, type NodeEventName, type NodeMethod, type NodeParams, type NodeResult, nodeEvents, nodeMethods, replySchema } from "./protocol";
import { type NodeKey, nodeAuth } from "./secret";
import { pinnedTlsOptions } from "./tls";

/**
 * A call the node does not answer within this fails (and puts the node in back-off, registry.ts): a room
 * waiting on it would hold a site's join. mediasoup's own channel requests on the node time out later
 * (15 s and more), so a stuck worker there is caught here first.
 */
/**
 * Under half of a forwarded request's 8 s (signaling/realtime/forwarding.ts): a site's transport request
 * that meets a silent node must still fall back to this host's workers and answer in time, or the site's
 * request fails while the owner keeps what the fallback made.
 */
export const DEFAULT_CALL_TIMEOUT_MS = 3_500;
const CONNECT_TIMEOUT_MS = 5_000;

export interface MediaNodeClientOptions {
  /** Accept a node whose control channel is in clear (a lab's MEDIA_NODE_ALLOW_PLAIN). */
  allowPlain: boolean;
  callTimeoutMs?: number;
  /** Told after each call whether the node did its part (an answer of ours, even NOT_FOUND) or failed. */
  onOutcome?: (ok: boolean, method: NodeMethod) => void;
}

/** Why a node's control channel is not opened: stable codes for the log. */
export class MediaNodeRefused extends Error {
  constructor(
    readonly code: "PLAIN_REFUSED" | "NO_CERTIFICATE",
    message: string,
  ) {
    super(message);
  }
}

/** The node answered NOT_FOUND: the object closed there; the caller says which kind of object it was. */
class NodeNotFound extends Error {}

/** A NOT_FOUND from the node as the SFU error for the kind of object asked about (the object closed there). */
function notFoundAs(code: SfuErrorCode) {
  return (error: unknown): never => {
    if (error instanceof NodeNotFound) throw new SfuError(code, error.message, { cause: error });
    throw error;
  };
}

class CloseObserver extends TypedEmitter<{ close: [] }> {
  fire(): void {
    this.emit("close");
  }
}

type ConsumerEvents = { layerschange: [layers?: types.ConsumerLayers]; transportclose: []; producerclose: [] };

/** A consumer on a media node, as the Room and Peer see one (mediaObjects.ts › PeerConsumer). */
class RemoteConsumer extends TypedEmitter<ConsumerEvents> implements PeerConsumer {
  readonly observer = new CloseObserver();
  readonly nodeId: string;
  readonly id: string;
  readonly kind: types.MediaKind;
  readonly type: types.ConsumerType;
  readonly rtpParameters: types.RtpParameters;
  paused: boolean;
  producerPaused: boolean;
  score: types.ConsumerScore;
  preferredLayers: types.ConsumerLayers | undefined;
  currentLayers: types.ConsumerLayers | undefined = undefined;
  #closed = false;

  constructor(
    readonly client: MediaNodeClient,
    readonly transport: RemoteTransport,
    created: NodeResult<"consume">,
  ) {
    super();
    this.nodeId = client.id;
    this.id = created.id;
    this.kind = created.kind;
    this.type = created.type;
    this.rtpParameters = toRtpParameters(created.rtpParameters);
    this.paused = created.paused;
    this.producerPaused = created.producerPaused;
    this.score = created.score;
    this.preferredLayers = created.preferredLayers;
  }

  get closed(): boolean {
    return this.#closed;
  }

  async #act(action: NodeParams<"consumerAction">["action"]): Promise<void> {
    await this.client.call("consumerAction", { consumerId: this.id, action }).catch(this.#notFound);
  }

  readonly #notFound = notFoundAs("CONSUMER_NOT_FOUND");

  async resume(): Promise<void> {
    await this.#act("resume");
    this.paused = false;
  }

  async pause(): Promise<void> {
    await this.#act("pause");
    this.paused = true;
  }

  requestKeyFrame(): Promise<void> {
    return this.#act("requestKeyFrame");
  }

  async setPreferredLayers(layers: types.ConsumerLayers): Promise<void> {
    const { preferredLayers } = await this.client.call("setPreferredLayers", { consumerId: this.id, layers }).catch(this.#notFound);
    this.preferredLayers = preferredLayers;
  }

  async getStats(): Promise<ConsumerStatSummary[]> {
    return (await this.client.call("consumerStats", { consumerId: this.id }).catch(this.#notFound)).stats;
  }

  close(): void {
    if (!this.#ended()) return;
    this.client.tell("consumerAction", { consumerId: this.id, action: "close" });
  }

  /** Closed on the node (its producer or transport went): told like mediasoup tells. */
  closedThere(why: "producerclose" | "transportclose"): void {
    if (!this.#ended()) return;
    this.emit(why);
  }

  layersChanged(layers: types.ConsumerLayers | undefined): void {
    this.currentLayers = layers;
    this.emit("layerschange", layers);
  }

  /** Marks it closed once; false when it already was. */
  #ended(): boolean {
    if (this.#closed) return false;
    this.#closed = true;
    this.client.forgetConsumer(this.id);
    this.transport.consumers.delete(this);
    this.observer.fire();
    return true;
  }
}

/** A receiving WebRTC transport on a media node (mediaObjects.ts › PeerTransport). */
class RemoteTransport extends TypedEmitter<{ dtlsstatechange: [state: types.DtlsState] }> implements PeerTransport {
  readonly observer = new CloseObserver();
  readonly nodeId: string;
  readonly id: string;
  readonly iceParameters: types.IceParameters;
  readonly iceCandidates: types.IceCandidate[];
  readonly dtlsParameters: types.DtlsParameters;
  readonly consumers = new Set<RemoteConsumer>();
  #closed = false;

  constructor(
    readonly client: MediaNodeClient,
    readonly appData: TransportAppData,
    created: NodeResult<"createWebRtcTransport">,
  ) {
    super();
    this.nodeId = client.id;
    this.id = created.id;
    this.iceParameters = created.iceParameters;
    this.iceCandidates = created.iceCandidates as types.IceCandidate[];
    this.dtlsParameters = created.dtlsParameters as types.DtlsParameters;
  }

  get closed(): boolean {
    return this.#closed;
  }

  readonly #notFound = notFoundAs("TRANSPORT_NOT_FOUND");

  async connect({ dtlsParameters }: { dtlsParameters: types.DtlsParameters }): Promise<void> {
    await this.client.call("connectWebRtcTransport", { transportId: this.id, dtlsParameters }).catch(this.#notFound);
  }

  async restartIce(): Promise<types.IceParameters> {
    return (await this.client.call("restartIce", { transportId: this.id }).catch(this.#notFound)).iceParameters;
  }

  async consume(options: ConsumeOptions): Promise<PeerConsumer> {
    const created = await this.client
      .call("consume", {
        transportId: this.id,
        producerId: options.producerId,
        rtpCapabilities: fromRtpCapabilities(options.rtpCapabilities),
        paused: options.paused,
        ...(options.preferredLayers ? { preferredLayers: options.preferredLayers } : {}),
      })
      .catch(notFoundAs("PRODUCER_NOT_FOUND"));
    const consumer = new RemoteConsumer(this.client, this, created);
    if (this.#closed) {
      consumer.close();
      throw new SfuError("TRANSPORT_NOT_FOUND", `transport ${this.id} closed while consuming`);
    }
    this.consumers.add(consumer);
    this.client.adoptConsumer(consumer);
    return consumer;
  }

  close(): void {
    if (this.closedThere()) this.client.tell("closeTransport", { transportId: this.id });
  }

  /** Closed on the node or here: its consumers go with it, as in mediasoup. False when it already was. */
  closedThere(): boolean {
    if (this.#closed) return false;
    this.#closed = true;
    this.client.forgetTransport(this.id);
    for (const consumer of [...this.consumers]) consumer.closedThere("transportclose");
    this.observer.fire();
    return true;
  }
}

class RemoteNodeRouter implements RemoteRouter {
  readonly nodeId: string;
  readonly transports = new Set<RemoteTransport>();
  readonly #lostListeners: (() => void)[] = [];
  #closed = false;

  constructor(
    readonly client: MediaNodeClient,
    readonly id: string,
  ) {
    this.nodeId = client.id;
  }

  get closed(): boolean {
    return this.#closed;
  }

  async createWebRtcTransport(options: { initialAvailableOutgoingBitrate: number; enableTcp: boolean; appData: TransportAppData }): Promise<PeerTransport> {
    const created = await this.client.call("createWebRtcTransport", { routerId: this.id, ...options, appData: { direction: options.appData.direction } }).catch(notFoundAs("ROOM_CLOSED"));
    const transport = new RemoteTransport(this.client, options.appData, created);
    if (this.#closed) {
      transport.close();
      throw new SfuError("ROOM_CLOSED", `router ${this.id} on node ${this.nodeId} closed while creating a transport`);
    }
    this.transports.add(transport);
    transport.observer.once("close", () => this.transports.delete(transport));
    this.client.adoptTransport(transport);
    return transport;
  }

  async createPipeTransport(): Promise<{ id: string; local: PipeEnd; connect(remote: PipeEnd): Promise<void> }> {
    const created = await this.client.call("createPipeTransport", { routerId: this.id }).catch(notFoundAs("ROOM_CLOSED"));
    return {
      id: created.id,
      local: { ...created.local, srtpParameters: created.local.srtpParameters as types.SrtpParameters },
      connect: async (remote) => {
        await this.client.call("connectPipeTransport", { transportId: created.id, remote });
      },
    };
  }

  async pipeProduce(pipeTransportId: string, producer: { id: string; kind: types.MediaKind; rtpParameters: types.RtpParameters; paused: boolean }): Promise<RemotePipeProducer> {
    await this.client
      .call("pipeProduce", { transportId: pipeTransportId, producerId: producer.id, kind: producer.kind, rtpParameters: fromRtpParameters(producer.rtpParameters), paused: producer.paused })
      .catch(notFoundAs("ROOM_CLOSED"));
    const act = async (action: "pause" | "resume") => {
      await this.client.call("pipeProducerAction", { producerId: producer.id, action });
    };
    return { pause: () => act("pause"), resume: () => act("resume"), close: () => this.client.tell("pipeProducerAction", { producerId: producer.id, action: "close" }) };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.client.forgetRouter(this.id);
    for (const transport of [...this.transports]) transport.closedThere();
    this.client.tell("closeRouter", { routerId: this.id });
  }

  /** Gone on the node (worker died) or the node lost: closed first, then its transports, then the room is told. */
  lost(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.client.forgetRouter(this.id);
    for (const transport of [...this.transports]) transport.closedThere();
    for (const listener of this.#lostListeners.splice(0)) listener();
  }

  onLost(listener: () => void): void {
    if (this.#closed) listener();
    else this.#lostListeners.push(listener);
  }
}


/**
 * The signaling process's side of one media node's control channel: calls checked against the protocol,
 * the node's events applied to the proxies. No reconnection: the node closes what this process created
 * when the connection drops, so a dropped channel is a lost node (its receivers rejoin elsewhere); the
 * registry connects anew if the node is still listed.
 */
export class MediaNodeClient implements RemoteMediaNode {
  readonly id: string;
  readonly url: string;
  readonly #socket: Socket;
  readonly #routers = new Map<string, RemoteNodeRouter>();
  readonly #transports = new Map<string, RemoteTransport>();
  readonly #consumers = new Map<string, RemoteConsumer>();
  readonly #lostListeners: ((reason: string) => void)[] = [];
  readonly #logger: Logger;
  readonly #callTimeoutMs: number;
  readonly #onOutcome: (ok: boolean, method: NodeMethod) => void;
  #closed = false;

  /**
   * Opens the control channel: TLS trusting only the certificate the node's signed entry names (tls.ts),
   * checked in the handshake, before the connection proof is sent; in clear only when both sides opted out.
   */
  static async connect(entry: Pick<NodeEntry, "id" | "url" | "certificate">, key: NodeKey, logger: Logger, options: MediaNodeClientOptions): Promise<MediaNodeClient> {
    const secure = new URL(entry.url).protocol === "https:";
    if (!secure && !options.allowPlain) throw new MediaNodeRefused("PLAIN_REFUSED", `media node ${entry.id} at ${entry.url}: control channel in clear refused (MEDIA_NODE_ALLOW_PLAIN is for a lab)`);
    if (secure && entry.certificate === undefined) throw new MediaNodeRefused("NO_CERTIFICATE", `media node ${entry.id} at ${entry.url}: its entry names no certificate`);
    const socket = io(entry.url, {
      transports: ["websocket"],
      reconnection: false,
      timeout: CONNECT_TIMEOUT_MS,
      ...(secure && entry.certificate !== undefined ? pinnedTlsOptions(entry.certificate) : {}),
      auth: (send) => send(nodeAuth(key, entry.id)),
    });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", (error) => {
        socket.close();
        reject(new Error(`media node ${entry.id} at ${entry.url}: ${error.message}`));
      });
    });
    return new MediaNodeClient(entry, socket, logger, options);
  }

  private constructor(entry: Pick<NodeEntry, "id" | "url">, socket: Socket, logger: Logger, options: MediaNodeClientOptions) {
    this.id = entry.id;
    this.url = entry.url;
    this.#socket = socket;
    this.#callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.#onOutcome = options.onOutcome ?? (() => undefined);
    this.#logger = logger.child({ component: "media-node-client", node: entry.id });
    socket.on("disconnect", (reason) => this.lose(`control channel closed (${reason})`));
    this.#on("consumerClosed", ({ consumerId, why }) => this.#consumers.get(consumerId)?.closedThere(why));
    this.#on("consumerLayers", ({ consumerId, layers }) => this.#consumers.get(consumerId)?.layersChanged(layers ?? undefined));
    this.#on("consumerScore", ({ consumerId, score }) => {
      const consumer = this.#consumers.get(consumerId);
      if (consumer) consumer.score = score;
    });
    this.#on("consumerProducerPaused", ({ consumerId, paused }) => {
      const consumer = this.#consumers.get(consumerId);
      if (consumer) consumer.producerPaused = paused;
    });
    this.#on("transportClosed", ({ transportId }) => this.#transports.get(transportId)?.closedThere());
    this.#on("routerClosed", ({ routerId }) => this.#routers.get(routerId)?.lost());
  }

  get closed(): boolean {
    return this.#closed;
  }

  #on<E extends NodeEventName>(event: E, handle: (payload: ReturnType<(typeof nodeEvents)[E]["parse"]>) => void): void {
    this.#socket.on(event as string, (raw: unknown) => {
      const parsed = nodeEvents[event].safeParse(raw);
      if (parsed.success) handle(parsed.data as ReturnType<(typeof nodeEvents)[E]["parse"]>);
      else this.#logger.warn({ event }, "ignored a malformed event from the media node");
    });
  }

  async createRouter(): Promise<RemoteRouter> {
    const { routerId } = await this.call("createRouter", {});
    const router = new RemoteNodeRouter(this, routerId);
    if (this.#closed) router.lost();
    else this.#routers.set(routerId, router);
    return router;
  }

  /**
   * One request; rejects with SfuError MEDIA_REJECTED, NodeNotFound, or an Error for the rest. No answer in
   * time, a malformed one or a failure of the node counts against it (onOutcome); a rejection of our
   * parameters or an object already gone there does not.
   */
  async call<M extends NodeMethod>(method: M, params: NodeParams<M>, judge = true): Promise<NodeResult<M>> {
    if (this.#closed) throw new SfuError("ROOM_CLOSED", `media node ${this.id} is gone`);
    const failed = (message: string, cause?: unknown): Error => {
      // A call cut short by this side closing the channel says nothing of the node.
      if (judge && !this.#closed) this.#onOutcome(false, method);
      return new Error(`media node ${this.id}: ${message}`, { cause });
    };
    let raw: unknown;
    try {
      raw = await this.#socket.timeout(this.#callTimeoutMs).emitWithAck("call", { method, params });
    } catch (error) {
      throw failed(`${method} got no answer within ${this.#callTimeoutMs} ms`, error);
    }
    const reply = replySchema.safeParse(raw);
    if (!reply.success) throw failed(`malformed reply to ${method}`);
    if (!reply.data.ok) {
      const { code, message } = reply.data.error;
      if (code === "BAD_REQUEST" || code === "FAILED") throw failed(`${method} failed: ${message}`);
      if (judge) this.#onOutcome(true, method);
      if (code === "MEDIA_REJECTED") throw new SfuError("MEDIA_REJECTED", message);
      throw new NodeNotFound(message);
    }
    const result = nodeMethods[method].result.safeParse(reply.data.result);
    if (!result.success) throw failed(`malformed result of ${method}`);
    if (judge) this.#onOutcome(true, method);
    return result.data as NodeResult<M>;
  }

  /**
   * A request whose answer nobody waits for (closing): a failure means the object is gone already, so it
   * does not count against the node either.
   */
  tell<M extends NodeMethod>(method: M, params: NodeParams<M>): void {
    if (this.#closed) return;
    this.call(method, params, false).catch(() => undefined);
  }

  adoptTransport(transport: RemoteTransport): void {
    this.#transports.set(transport.id, transport);
  }

  adoptConsumer(consumer: RemoteConsumer): void {
    this.#consumers.set(consumer.id, consumer);
  }

  forgetRouter(routerId: string): void {
    this.#routers.delete(routerId);
  }

  forgetTransport(transportId: string): void {
    this.#transports.delete(transportId);
  }

  forgetConsumer(consumerId: string): void {
    this.#consumers.delete(consumerId);
  }

  onLost(listener: (reason: string) => void): void {
    if (this.#closed) listener("closed");
    else this.#lostListeners.push(listener);
  }

  /** The node stopped beating or its channel dropped: everything on it is gone for this process. */
  lose(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#logger.warn({ reason, routers: this.#routers.size }, "media node lost; its receivers rejoin elsewhere");
    this.#socket.close();
    for (const router of [...this.#routers.values()]) router.lost();
    for (const listener of this.#lostListeners.splice(0)) listener(reason);
  }

  /** This process is stopping (the node closes what it created when the channel drops). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#socket.close();
  }
}
