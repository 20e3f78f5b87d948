import type { types } from "mediasoup";
import type { TransportAppData } from "../../../sfu/Peer";
import type { Peer } from "../../../sfu/Peer";
import type { Room } from "../../../sfu/Room";
import type { WorkerPool } from "../../../sfu/WorkerPool";

/**
 * Drives `sfu/Room` — its own receiver placement over the pool's workers and its own `pipeToRouter` —
 * without browsers. Room only makes WebRTC transports, which need a real ICE/DTLS/SRTP peer; hundreds of
 * those would cost the 2-core machine more than the SFU under test. So on every router created on the
 * pool's workers while the harness is installed, `createWebRtcTransport` makes a PlainTransport instead,
 * on the same router and port range: a send transport is comedia (the RTP relay feeds it), a receive
 * transport sends to a UDP sink. Everything else (Room.createWebRtcTransport choosing the router,
 * Room.produce, Room.consume piping the producer, resume, pause, the speaker observer, the quality timer)
 * runs unchanged. Plain subscribers are a lower bound on a browser's cost (no DTLS/SRTP, no receiver RTCP).
 */
export interface PlacedTransport {
  workerIndex: number;
  transport: types.PlainTransport<TransportAppData>;
}

export class RoomMediaHarness {
  readonly #placed = new Map<string, PlacedTransport>();
  /** Producers Room's pipes created on the receiving routers (the far end of each pipe), by worker. */
  readonly pipeProducers: { workerIndex: number; producer: types.Producer }[] = [];
  /** Local UDP ports of Room's pipe transports (both ends), to read their kernel drops. */
  readonly pipePorts: number[] = [];
  /** Consumers sending into Room's pipes (the home end). */
  readonly pipeConsumers: types.Consumer[] = [];
  readonly #detach: (() => void)[] = [];
  readonly #sinkPort: () => number;

  readonly #posingAsWebRtc: boolean;

  /**
   * `sinkPort` is asked once per receiving transport, for the port its media is sent to. `posingAsWebRtc`
   * (a media node's process, lib/benchMediaNode.ts): the plain transport also shows the WebRTC fields and
   * type the node's control channel reads and sends back (ICE/DTLS values nobody uses: no browser).
   */
  constructor(pool: WorkerPool, sinkPort: () => number, options: { posingAsWebRtc?: boolean } = {}) {
    this.#sinkPort = sinkPort;
    this.#posingAsWebRtc = options.posingAsWebRtc ?? false;
    for (const pooled of pool.workers) {
      const onRouter = (router: types.Router) => this.#adopt(router, pooled.index);
      pooled.worker.observer.on("newrouter", onRouter);
      this.#detach.push(() => pooled.worker.observer.off("newrouter", onRouter));
    }
  }

  /** The PlainTransport Room got for this transport id, and the worker Room placed it on. */
  placed(transportId: string): PlacedTransport {
    const placed = this.#placed.get(transportId);
    if (!placed) throw new Error(`transport ${transportId} was not made by the harness`);
    return placed;
  }

  /** Stops adopting new routers (those already adopted keep their plain transports until they close). */
  uninstall(): void {
    for (const detach of this.#detach.splice(0)) detach();
  }

  #adopt(router: types.Router, workerIndex: number): void {
    router.observer.on("newtransport", (transport) => {
      if (transport.type !== "pipe") return;
      this.pipePorts.push((transport as types.PipeTransport).tuple.localPort);
      transport.observer.on("newproducer", (producer) => this.pipeProducers.push({ workerIndex, producer }));
      transport.observer.on("newconsumer", (consumer) => this.pipeConsumers.push(consumer));
    });
    const plainInstead = async (options: types.WebRtcTransportOptions<TransportAppData>) => {
      const listen = "listenInfos" in options ? options.listenInfos?.[0] : undefined;
      const direction = options.appData?.direction;
      if (!listen || !direction) throw new Error("the harness expects Room's listenInfos and a direction");
      const transport = await router.createPlainTransport<TransportAppData>({
        listenInfo: { protocol: "udp", ip: listen.ip, ...(listen.portRange ? { portRange: listen.portRange } : {}) },
        rtcpMux: true,
        comedia: direction === "send",
        appData: { direction },
      });
      if (direction === "recv") await transport.connect({ ip: "127.0.0.1", port: this.#sinkPort() });
      if (this.#posingAsWebRtc) posAsWebRtc(transport);
      this.#placed.set(transport.id, { workerIndex, transport });
      transport.observer.once("close", () => this.#placed.delete(transport.id));
      return transport;
    };
    router.createWebRtcTransport = plainInstead as unknown as types.Router["createWebRtcTransport"];
  }
}

/** The fields of a WebRTC transport MediaNodeServer answers with, on a plain one (see the constructor). */
function posAsWebRtc(transport: types.PlainTransport): void {
  const { localAddress, localIp, localPort } = transport.tuple;
  Object.defineProperties(transport, {
    type: { value: "webrtc" },
    iceParameters: { value: { usernameFragment: "benchbenchbench1", password: "benchbenchbenchbenchbench1", iceLite: true } },
    iceCandidates: { value: [{ foundation: "udpcandidate", priority: 1_076_302_079, address: localAddress ?? localIp, ip: localAddress ?? localIp, protocol: "udp", port: localPort, type: "host" }] },
    dtlsParameters: { value: { role: "auto", fingerprints: [{ algorithm: "sha-256", value: Array.from({ length: 32 }, () => "AB").join(":") }] } },
  });
}

/** A participant in the benched room: its Peer and its transport (with the worker Room placed it on). */
export interface BenchParticipant {
  peer: Peer;
  transport: PlacedTransport;
}

/**
 * What a UDP sink can receive: no transport-cc / REMB / abs-send-time. A sink sends no feedback, and with
 * those negotiated mediasoup's bandwidth estimate for the transport starves and holds simulcast consumers on
 * their lowest layer; without them each consumer forwards the layer its page asked for, as with a browser
 * whose link carries it.
 */
export function sinkCapabilities(capabilities: types.RtpCapabilities): types.RtpCapabilities {
  const estimation = (type: string) => type === "transport-cc" || type === "goog-remb";
  return {
    codecs: capabilities.codecs?.map((codec) => ({ ...codec, rtcpFeedback: (codec.rtcpFeedback ?? []).filter((feedback) => !estimation(feedback.type)) })),
    headerExtensions: capabilities.headerExtensions?.filter((extension) => !/transport-wide-cc|abs-send-time/.test(extension.uri)),
  };
}

/** Joins a participant and opens its transport through Room (which picks the router for a receiver). */
export async function joinWithTransport(room: Room, harness: RoomMediaHarness, id: string, displayName: string, direction: "send" | "recv"): Promise<BenchParticipant> {
  const peer = room.join({ id, displayName, rtpCapabilities: sinkCapabilities(room.rtpCapabilities) });
  const { id: transportId } = await room.createWebRtcTransport(peer, direction);
  return { peer, transport: harness.placed(transportId) };
}
