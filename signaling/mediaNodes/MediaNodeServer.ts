import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { types } from "mediasoup";
import { Server, type Socket } from "socket.io";
import { roomMediaCodecs, type WorkerPool } from "../../sfu";
import { listenInfos, type TransportNetworkOptions } from "../../sfu/receiverRouters";
import type { Logger } from "../logger";
import { fromRtpParameters, toDtlsParameters, toRtpCapabilities, toRtpParameters } from "../realtime/mediasoupTypes";
import { type NodeEventName, type NodeEvent, type NodeMethod, type NodeParams, type NodeReply, type NodeResult, callSchema, nodeMethods } from "./protocol";
import { type NodeKey, ProofLedger } from "./secret";
import type { NodeTls } from "./tls";

export interface MediaNodeServerOptions {
  pool: WorkerPool;
  network: Omit<TransportNetworkOptions, "initialAvailableOutgoingBitrate">;
  /** Address the node's pipe transports listen on (reachable from the signaling hosts). */
  pipeListenIp: string;
  host: string;
  port: number;
  /** This node's own key (MEDIA_NODE_KEY), derived for its id from the signaling hosts' master. */
  key: NodeKey;
  /** This node's id (MEDIA_NODE_ID): connection proofs are made for it. */
  id: string;
  /** The control channel's certificate; undefined only for a lab's MEDIA_NODE_ALLOW_PLAIN. */
  tls: NodeTls | undefined;
  logger: Logger;
}

class NodeCallError extends Error {
  constructor(
    readonly code: "NOT_FOUND" | "MEDIA_REJECTED",
    message: string,
  ) {
    super(message);
  }
}

/**
 * What one signaling process created on this node. It lives as long as that process's connection: when the
 * connection drops, its routers (and with them its transports and consumers) are closed, since the process
 * that drove them has taken those receivers elsewhere.
 */
class Session {
  readonly routers = new Map<string, types.Router>();
  readonly transports = new Map<string, types.WebRtcTransport | types.PipeTransport>();
  readonly producers = new Map<string, types.Producer>();
  readonly consumers = new Map<string, types.Consumer>();

  constructor(
    readonly socket: Socket,
    readonly options: MediaNodeServerOptions,
  ) {}

  send<E extends NodeEventName>(event: E, payload: NodeEvent<E>): void {
    this.socket.emit(event, payload);
  }

  router(routerId: string): types.Router {
    const router = this.routers.get(routerId);
    if (!router) throw new NodeCallError("NOT_FOUND", `router ${routerId} not found`);
    return router;
  }

  transport(transportId: string): types.WebRtcTransport | types.PipeTransport {
    const transport = this.transports.get(transportId);
    if (!transport) throw new NodeCallError("NOT_FOUND", `transport ${transportId} not found`);
    return transport;
  }

  webRtcTransport(transportId: string): types.WebRtcTransport {
    const transport = this.transport(transportId);
    if (transport.type !== "webrtc") throw new NodeCallError("NOT_FOUND", `transport ${transportId} is not a WebRTC transport`);
    return transport as types.WebRtcTransport;
  }

  pipeTransport(transportId: string): types.PipeTransport {
    const transport = this.transport(transportId);
    if (transport.type !== "pipe") throw new NodeCallError("NOT_FOUND", `transport ${transportId} is not a pipe transport`);
    return transport as types.PipeTransport;
  }

  producer(producerId: string): types.Producer {
    const producer = this.producers.get(producerId);
    if (!producer) throw new NodeCallError("NOT_FOUND", `producer ${producerId} not found`);
    return producer;
  }

  consumer(consumerId: string): types.Consumer {
    const consumer = this.consumers.get(consumerId);
    if (!consumer) throw new NodeCallError("NOT_FOUND", `consumer ${consumerId} not found`);
    return consumer;
  }

  #track(transport: types.WebRtcTransport | types.PipeTransport): void {
    this.transports.set(transport.id, transport);
    const observer: { once(event: "close", listener: () => void): unknown } = transport.observer;
    observer.once("close", () => {
      this.transports.delete(transport.id);
      this.send("transportClosed", { transportId: transport.id });
    });
  }

  readonly handlers: { [M in NodeMethod]: (params: NodeParams<M>) => Promise<NodeResult<M>> } = {
    createRouter: async () => {
      const worker = this.options.pool.leastLoaded();
      if (!worker) throw new Error("no mediasoup worker is running on this node");
      const router = await worker.worker.createRouter({ mediaCodecs: roomMediaCodecs, appData: { portRange: worker.portRange } });
      this.routers.set(router.id, router);
      router.observer.once("close", () => this.routers.delete(router.id));
      router.on("workerclose", () => this.send("routerClosed", { routerId: router.id }));
      return { routerId: router.id };
    },
    closeRouter: async ({ routerId }) => {
      this.routers.get(routerId)?.close();
      return {};
    },
    createWebRtcTransport: async ({ routerId, initialAvailableOutgoingBitrate, enableTcp, appData }) => {
      const router = this.router(routerId);
      const portRange = router.appData.portRange as { min: number; max: number };
      const transport = await router.createWebRtcTransport({
        listenInfos: listenInfos({ ...this.options.network, enableTcp, initialAvailableOutgoingBitrate }, portRange),
        initialAvailableOutgoingBitrate,
        appData,
      });
      this.#track(transport);
      // As on the signaling host (Peer#addTransport): a failed DTLS means the browser is gone or hostile.
      transport.on("dtlsstatechange", (state) => {
        if (state === "failed" || state === "closed") transport.close();
      });
      return { id: transport.id, iceParameters: transport.iceParameters, iceCandidates: transport.iceCandidates, dtlsParameters: transport.dtlsParameters };
    },
    connectWebRtcTransport: async ({ transportId, dtlsParameters }) => {
      await this.webRtcTransport(transportId).connect({ dtlsParameters: toDtlsParameters(dtlsParameters) });
      return {};
    },
    restartIce: async ({ transportId }) => ({ iceParameters: await this.webRtcTransport(transportId).restartIce() }),
    closeTransport: async ({ transportId }) => {
      this.transports.get(transportId)?.close();
      return {};
    },
    createPipeTransport: async ({ routerId }) => {
      const router = this.router(routerId);
      const portRange = router.appData.portRange as { min: number; max: number };
      const transport = await router.createPipeTransport({ listenInfo: { protocol: "udp", ip: this.options.pipeListenIp, portRange }, enableSrtp: true, enableRtx: true });
      this.#track(transport);
      return { id: transport.id, local: { ip: transport.tuple.localAddress ?? transport.tuple.localIp, port: transport.tuple.localPort, srtpParameters: transport.srtpParameters! } };
    },
    connectPipeTransport: async ({ transportId, remote }) => {
      await this.pipeTransport(transportId).connect({ ip: remote.ip, port: remote.port, srtpParameters: remote.srtpParameters as types.SrtpParameters });
      return {};
    },
    pipeProduce: async ({ transportId, producerId, kind, rtpParameters, paused }) => {
      const producer = await this.pipeTransport(transportId).produce({ id: producerId, kind, rtpParameters: toRtpParameters(rtpParameters), paused });
      this.producers.set(producer.id, producer);
      producer.observer.once("close", () => this.producers.delete(producer.id));
      return {};
    },
    pipeProducerStats: async ({ producerId }) => {
      const stats = await this.producer(producerId).getStats();
      return { byteCount: stats.reduce((sum, stat) => sum + stat.byteCount, 0), packetCount: stats.reduce((sum, stat) => sum + stat.packetCount, 0) };
    },
    pipeProducerAction: async ({ producerId, action }) => {
      const producer = this.producer(producerId);
      if (action === "close") producer.close();
      else await producer[action]();
      return {};
    },
    consume: async ({ transportId, producerId, rtpCapabilities, paused, preferredLayers }) => {
      const transport = this.webRtcTransport(transportId);
      const consumer = await transport.consume({ producerId, rtpCapabilities: toRtpCapabilities(rtpCapabilities), paused, ...(preferredLayers ? { preferredLayers } : {}) });
      this.consumers.set(consumer.id, consumer);
      const consumerId = consumer.id;
      consumer.observer.once("close", () => this.consumers.delete(consumerId));
      consumer.on("producerclose", () => this.send("consumerClosed", { consumerId, why: "producerclose" }));
      consumer.on("transportclose", () => this.send("consumerClosed", { consumerId, why: "transportclose" }));
      consumer.on("layerschange", (layers) => this.send("consumerLayers", { consumerId, layers: layers ?? null }));
      consumer.on("score", (score) => this.send("consumerScore", { consumerId, score }));
      consumer.on("producerpause", () => this.send("consumerProducerPaused", { consumerId, paused: true }));
      consumer.on("producerresume", () => this.send("consumerProducerPaused", { consumerId, paused: false }));
      return {
        id: consumerId,
        kind: consumer.kind,
        type: consumer.type,
        rtpParameters: fromRtpParameters(consumer.rtpParameters),
        paused: consumer.paused,
        producerPaused: consumer.producerPaused,
        score: consumer.score,
        ...(consumer.preferredLayers ? { preferredLayers: consumer.preferredLayers } : {}),
      };
    },
    consumerAction: async ({ consumerId, action }) => {
      const consumer = this.consumer(consumerId);
      if (action === "close") consumer.close();
      else await consumer[action]();
      return {};
    },
    setPreferredLayers: async ({ consumerId, layers }) => {
      const consumer = this.consumer(consumerId);
      await consumer.setPreferredLayers(layers);
      return consumer.preferredLayers ? { preferredLayers: consumer.preferredLayers } : {};
    },
    consumerStats: async ({ consumerId }) => ({
      stats: (await this.consumer(consumerId).getStats()).map((stat) => ({ type: stat.type, kind: stat.kind, packetCount: stat.packetCount, byteCount: stat.byteCount })),
    }),
  };

  async call(raw: unknown): Promise<NodeReply> {
    const call = callSchema.safeParse(raw);
    if (!call.success) return { ok: false, error: { code: "BAD_REQUEST", message: call.error.message } };
    const { method } = call.data;
    const params = nodeMethods[method].params.safeParse(call.data.params);
    if (!params.success) return { ok: false, error: { code: "BAD_REQUEST", message: params.error.message } };
    try {
      const handler = this.handlers[method] as (params: unknown) => Promise<unknown>;
      return { ok: true, result: await handler(params.data) };
    } catch (error) {
      if (error instanceof NodeCallError) return { ok: false, error: { code: error.code, message: error.message } };
      const message = error instanceof Error ? error.message : String(error);
      // mediasoup's TypeError/UnsupportedError are the caller's parameters (see sfu/errors.ts).
      const rejected = error instanceof TypeError || (error instanceof Error && error.name === "UnsupportedError");
      // "not found" from the worker: the object closed while the request was on its way.
      const gone = /not found/i.test(message);
      return { ok: false, error: { code: rejected ? "MEDIA_REJECTED" : gone ? "NOT_FOUND" : "FAILED", message: message.slice(0, 2_000) } };
    }
  }

  close(): void {
    for (const router of this.routers.values()) router.close();
    this.routers.clear();
  }
}

export interface MediaNodeServer {
  /** The control channel's address (the bound port when 0 was asked). */
  readonly port: number;
  /** Consumers on this node's workers now (its load, reported to Redis). */
  consumers(): number;
  /** Serves `tls` to connections from now on (a renewed certificate); open ones keep theirs. */
  useCertificate(tls: NodeTls): void;
  close(): Promise<void>;
}

/** The control channel of a media node: socket.io, authenticated connections only, one Session each. */
export async function startMediaNodeServer(options: MediaNodeServerOptions): Promise<MediaNodeServer> {
  const log = options.logger.child({ component: "media-node" });
  const notFound: http.RequestListener = (_request, response) => {
    response.writeHead(404).end();
  };
  // TLS 1.3 only: the peers are our own signaling processes, nothing older needs serving.
  const httpServer = options.tls ? https.createServer({ cert: options.tls.certPem, key: options.tls.keyPem, minVersion: "TLSv1.3" }, notFound) : http.createServer(notFound);
  // Only the signaling processes talk here: no CORS, websocket only, small messages.
  const io = new Server(httpServer, { transports: ["websocket"], serveClient: false, maxHttpBufferSize: 256 * 1024 });
  const proofs = new ProofLedger(options.key, options.id);
  io.use((socket, next) => {
    if (proofs.accept(socket.handshake.auth)) next();
    else {
      log.warn({ address: socket.handshake.address }, "refused a control connection without a valid proof of this node's key");
      next(new Error("unauthorized"));
    }
  });
  const sessions = new Set<Session>();
  io.on("connection", (socket) => {
    const session = new Session(socket, options);
    sessions.add(session);
    log.info({ address: socket.handshake.address }, "signaling process connected");
    socket.on("call", (raw: unknown, ack: unknown) => {
      if (typeof ack !== "function") return;
      void session.call(raw).then((reply) => (ack as (reply: NodeReply) => void)(reply));
    });
    socket.on("disconnect", (reason) => {
      sessions.delete(session);
      session.close();
      log.info({ reason }, "signaling process disconnected; its routers are closed");
    });
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (httpServer.address() as AddressInfo).port,
    consumers: () => options.pool.workers.reduce((sum, worker) => sum + options.pool.consumersOn(worker.worker), 0),
    useCertificate: (tls) => {
      if (httpServer instanceof https.Server) httpServer.setSecureContext({ cert: tls.certPem, key: tls.keyPem, minVersion: "TLSv1.3" });
    },
    close: async () => {
      for (const session of sessions) session.close();
      await io.close();
    },
  };
}
