import type { types } from "mediasoup";
import { roomMediaCodecs } from "./codecs";
import { asMediaRejection } from "./errors";
import type { PeerTransport, RemoteMediaNode, RemotePipeProducer, RemoteRouter, TransportAppData } from "./mediaObjects";
import type { PooledWorker } from "./WorkerPool";

/** Where WebRTC transports listen and what address they tell browsers to reach. */
export interface TransportNetworkOptions {
  listenIp: string;
  /** Public or LAN address given to browsers when the server listens on 0.0.0.0 or behind NAT. */
  announcedAddress?: string;
  enableTcp: boolean;
  initialAvailableOutgoingBitrate: number;
}

/** A producer of the home router made available on another router; closing it takes the copy down. */
export interface PipedProducer {
  close(): void;
}

/**
 * A router of the room other than the home one, that receivers are placed on: on another worker of this
 * process, or on a media node of another host. The room treats both alike: it creates receiving transports
 * there, pipes the producers they need, and moves the receivers when the router is lost.
 */
export interface ReceiverRouter {
  /** One per worker or node, so a room opens one router there. */
  readonly key: string;
  readonly workerIndex: number | undefined;
  readonly nodeId: string | undefined;
  /** True once lost or closed; set before its transports report their close. */
  readonly closed: boolean;
  createWebRtcTransport(appData: TransportAppData): Promise<PeerTransport>;
  /** The home router's producer, made available here (called once per producer; see Room#pipe). */
  pipe(producerId: string): Promise<PipedProducer>;
  close(): void;
  /** Its worker died or its node was lost. */
  onLost(listener: () => void): void;
}

export function listenInfos(network: TransportNetworkOptions, portRange: { min: number; max: number }): types.TransportListenInfo[] {
  const listen = (protocol: "udp" | "tcp"): types.TransportListenInfo => ({
    protocol,
    ip: network.listenIp,
    ...(network.announcedAddress ? { announcedAddress: network.announcedAddress } : {}),
    portRange,
  });
  return network.enableTcp ? [listen("udp"), listen("tcp")] : [listen("udp")];
}

export const localRouterKey = (worker: types.Worker): string => `worker:${worker.pid}`;
export const remoteRouterKey = (node: RemoteMediaNode): string => `node:${node.id}`;

/** A router on another worker of this process, fed by `pipeToRouter` (loopback pipe transports). */
export async function openLocalReceiverRouter(home: types.Router, worker: PooledWorker, network: TransportNetworkOptions): Promise<ReceiverRouter> {
  const router = await worker.worker.createRouter({ mediaCodecs: roomMediaCodecs }).catch(asMediaRejection);
  return {
    key: localRouterKey(worker.worker),
    workerIndex: worker.index,
    nodeId: undefined,
    get closed() {
      return router.closed;
    },
    createWebRtcTransport: async (appData) =>
      router
        .createWebRtcTransport<TransportAppData>({ listenInfos: listenInfos(network, worker.portRange), initialAvailableOutgoingBitrate: network.initialAvailableOutgoingBitrate, appData })
        .catch(asMediaRejection),
    pipe: async (producerId) => {
      const { pipeConsumer, pipeProducer } = await home.pipeToRouter({ producerId, router });
      return {
        close: () => {
          pipeProducer?.close();
          pipeConsumer?.close();
        },
      };
    },
    close: () => router.close(),
    onLost: (listener) => router.on("workerclose", listener),
  };
}

/**
 * A router on a media node. Producers reach it as `pipeToRouter` does inside one host, but across the
 * network: one pipe transport on each side (SRTP, RTX), each connected to the other's address, then for
 * each producer a pipe consumer here and a producer of the same id there. Pause, resume and close of the
 * home producer follow the pipe consumer's events to the node.
 */
export async function openRemoteReceiverRouter(
  home: types.Router,
  homeWorker: PooledWorker,
  node: RemoteMediaNode,
  options: { network: TransportNetworkOptions; pipeListenIp: string },
): Promise<ReceiverRouter> {
  const remote = await node.createRouter();
  let pipe: Promise<{ local: types.PipeTransport; remoteId: string }> | undefined;
  const lostListeners: (() => void)[] = [];
  let lost = false;
  const loseOnce = () => {
    if (lost) return;
    lost = true;
    void pipe?.then(({ local }) => local.close(), () => undefined);
    for (const listener of lostListeners) listener();
  };
  remote.onLost(loseOnce);
  // The home worker dying closes the whole room (Room#close), which closes this router too.

  const openPipe = async () => {
    const local = await home.createPipeTransport({
      listenInfo: { protocol: "udp", ip: options.pipeListenIp, portRange: homeWorker.portRange },
      enableSrtp: true,
      enableRtx: true,
    });
    try {
      const far = await remote.createPipeTransport();
      await local.connect({ ip: far.local.ip, port: far.local.port, srtpParameters: far.local.srtpParameters });
      await far.connect({ ip: local.tuple.localAddress ?? local.tuple.localIp, port: local.tuple.localPort, srtpParameters: local.srtpParameters! });
      return { local, remoteId: far.id };
    } catch (error) {
      local.close();
      throw error;
    }
  };

  return {
    key: remoteRouterKey(node),
    workerIndex: undefined,
    nodeId: node.id,
    get closed() {
      return lost || remote.closed;
    },
    createWebRtcTransport: (appData) =>
      remote.createWebRtcTransport({ initialAvailableOutgoingBitrate: options.network.initialAvailableOutgoingBitrate, enableTcp: options.network.enableTcp, appData }),
    pipe: async (producerId) => {
      if (!pipe) {
        pipe = openPipe();
        pipe.catch(() => (pipe = undefined));
      }
      const { local, remoteId } = await pipe;
      const pipeConsumer = await local.consume({ producerId });
      let far: RemotePipeProducer;
      try {
        far = await remote.pipeProduce(remoteId, { id: producerId, kind: pipeConsumer.kind, rtpParameters: pipeConsumer.rtpParameters, paused: pipeConsumer.producerPaused });
      } catch (error) {
        pipeConsumer.close();
        throw error;
      }
      // A failed mirror only leaves a paused or stale copy until the consumer closes; the node reports its own errors.
      pipeConsumer.on("producerpause", () => void far.pause().catch(() => undefined));
      pipeConsumer.on("producerresume", () => void far.resume().catch(() => undefined));
      pipeConsumer.observer.once("close", () => far.close());
      return { close: () => pipeConsumer.close() };
    },
    close: () => {
      void pipe?.then(({ local }) => local.close(), () => undefined);
      remote.close();
    },
    onLost: (listener) => {
      if (lost) listener();
      else lostListeners.push(listener);
    },
  };
}

export type { RemoteRouter };
