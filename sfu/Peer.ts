import type { types } from "mediasoup";
import { SfuError } from "./errors";
import { type LinkLevel, linkLevel } from "./linkQuality";
import { QualityMeter, type QualitySummary } from "./QualityMeter";
import { TypedEmitter } from "./TypedEmitter";
import { type MediaSource, type PeerConsumer, type PeerTransport, type TransportAppData, isLocalConsumer, isLocalTransport } from "./mediaObjects";

export type { MediaSource, TransportAppData, TransportDirection } from "./mediaObjects";

export interface ProducerAppData extends types.AppData {
  source: MediaSource;
}

export type PeerEvents = {
  /** A producer of this peer closed by itself (its transport closed). */
  producerClosed: [producerId: string];
  /** A consumer of this peer closed by itself (its producer or transport closed). */
  consumerClosed: [consumerId: string];
};

export interface PeerOptions {
  id: string;
  displayName: string;
  rtpCapabilities: types.RtpCapabilities;
}

/**
 * One participant's media objects in a room. It owns them and closes them; it knows nothing about
 * other peers — the Room decides who consumes whom.
 */
export class Peer extends TypedEmitter<PeerEvents> {
  readonly id: string;
  readonly displayName: string;
  readonly rtpCapabilities: types.RtpCapabilities;
  readonly joinedAt = new Date();
  /** Local (this process's workers) or on a media node; see mediaObjects.ts. */
  readonly #transports = new Map<string, PeerTransport>();
  readonly #producers = new Map<string, types.Producer<ProducerAppData>>();
  readonly #consumers = new Map<string, PeerConsumer>();
  readonly #quality = new QualityMeter();
  #closed = false;

  constructor(options: PeerOptions) {
    super();
    this.id = options.id;
    this.displayName = options.displayName;
    this.rtpCapabilities = options.rtpCapabilities;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get producers(): readonly types.Producer<ProducerAppData>[] {
    return [...this.#producers.values()];
  }

  get consumers(): readonly PeerConsumer[] {
    return [...this.#consumers.values()];
  }

  get transports(): readonly PeerTransport[] {
    return [...this.#transports.values()];
  }

  transport(transportId: string): PeerTransport {
    const transport = this.#transports.get(transportId);
    if (!transport) throw new SfuError("TRANSPORT_NOT_FOUND", `transport ${transportId} not found`);
    return transport;
  }

  /** A sending transport: always in this process, on the room's home router (producers live there). */
  sendTransport(transportId: string): types.WebRtcTransport<TransportAppData> {
    const transport = this.transport(transportId);
    if (transport.appData.direction !== "send" || !isLocalTransport(transport)) {
      throw new SfuError("MEDIA_REJECTED", "cannot produce on a receive transport");
    }
    return transport;
  }

  producer(producerId: string): types.Producer<ProducerAppData> {
    const producer = this.#producers.get(producerId);
    if (!producer) throw new SfuError("PRODUCER_NOT_FOUND", `producer ${producerId} not found`);
    return producer;
  }

  consumer(consumerId: string): PeerConsumer {
    const consumer = this.#consumers.get(consumerId);
    if (!consumer) throw new SfuError("CONSUMER_NOT_FOUND", `consumer ${consumerId} not found`);
    return consumer;
  }

  /** mediasoup's own consumer object, for a consumer on this process's workers (tests, the bench). */
  localConsumer(consumerId: string): types.Consumer {
    const consumer = this.consumer(consumerId);
    if (!isLocalConsumer(consumer)) throw new SfuError("CONSUMER_NOT_FOUND", `consumer ${consumerId} is on media node ${consumer.nodeId}`);
    return consumer;
  }

  /** Link quality over the stay so far (attendance keeps it per site). */
  get quality(): QualitySummary {
    return this.#quality.summary();
  }

  /**
   * The link now (see linkQuality.ts): the worst of what it sends — each producer by its best simulcast
   * layer, since a browser drops its upper layers by itself on a thin uplink — or, sending nothing, the
   * worst of what it receives. Paused streams carry no packets and say nothing.
   */
  get link(): LinkLevel | null {
    const sending = [...this.#producers.values()].filter((producer) => !producer.paused && producer.score.length > 0);
    if (sending.length > 0) return linkLevel(sending.map((producer) => Math.max(...producer.score.map((stream) => stream.score))));
    const receiving = [...this.#consumers.values()].filter((consumer) => !consumer.paused && !consumer.producerPaused);
    return linkLevel(receiving.map((consumer) => consumer.score.score));
  }

  /**
   * Takes one quality sample from the live streams. Paused streams carry no packets and say nothing
   * about the link, so they are skipped.
   */
  sampleQuality(): void {
    for (const producer of this.#producers.values()) {
      if (producer.paused || producer.score.length === 0) continue;
      this.#quality.sampleUplink(Math.max(...producer.score.map((stream) => stream.score)));
    }
    for (const consumer of this.#consumers.values()) {
      if (consumer.paused || consumer.producerPaused) continue;
      this.#quality.sampleDownlink(consumer.score.score);
    }
  }

  addTransport(transport: PeerTransport): void {
    this.#transports.set(transport.id, transport);
    transport.observer.once("close", () => this.#transports.delete(transport.id));
    // A DTLS failure means the browser is gone or hostile; closing frees its ports now instead of
    // waiting for the ICE consent timeout.
    transport.on("dtlsstatechange", (state) => {
      if (state === "failed" || state === "closed") transport.close();
    });
  }

  addProducer(producer: types.Producer<ProducerAppData>): void {
    this.#producers.set(producer.id, producer);
    producer.on("transportclose", () => {
      if (this.#producers.delete(producer.id)) this.emit("producerClosed", producer.id);
    });
  }

  /** Closes a producer on request; returns false when it was already gone. */
  closeProducer(producerId: string): void {
    const producer = this.producer(producerId);
    this.#producers.delete(producerId);
    producer.close();
  }

  addConsumer(consumer: PeerConsumer): void {
    this.#consumers.set(consumer.id, consumer);
    const drop = () => {
      if (this.#consumers.delete(consumer.id)) this.emit("consumerClosed", consumer.id);
    };
    consumer.on("transportclose", drop);
    consumer.on("producerclose", drop);
  }

  /** Closes every transport, and with them every producer and consumer. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const transport of this.#transports.values()) transport.close();
    this.#transports.clear();
    this.#producers.clear();
    this.#consumers.clear();
  }
}
