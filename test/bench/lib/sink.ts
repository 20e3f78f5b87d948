import { Worker } from "node:worker_threads";
import { closeWorker, udpDropsByPort } from "./util";

/**
 * UDP sinks that count RTP packets per SSRC, in a worker thread so the counting never waits on (or
 * delays) the main event loop that talks to mediasoup. Several sockets share the load: each has its
 * own kernel receive buffer, and kernel drops are read per port from /proc/net/udp so loss at the
 * sink is told apart from loss in the SFU.
 *
 * Plain JavaScript evaluated in the worker: no TypeScript loader is needed there (tsx and vitest alike).
 */
const SINK_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const dgram = require("node:dgram");
const counts = new Map();
let total = 0;
let rtcp = 0;
const sockets = [];
let bound = 0;
const ports = [];
for (let i = 0; i < workerData.sockets; i++) {
  const socket = dgram.createSocket({ type: "udp4", recvBufferSize: workerData.recvBufferSize });
  socket.on("message", (packet) => {
    if (packet.length < 12 || (packet[0] & 0xc0) !== 0x80) return;
    const second = packet[1];
    // RFC 5761 demultiplexing: RTCP packet types 192-223 share the port when rtcp-mux is on.
    if (second >= 192 && second <= 223) { rtcp++; return; }
    const ssrc = packet.readUInt32BE(8);
    counts.set(ssrc, (counts.get(ssrc) || 0) + 1);
    total++;
  });
  socket.bind(0, "127.0.0.1", () => {
    ports[i] = socket.address().port;
    if (++bound === workerData.sockets) parentPort.postMessage({ type: "ready", ports });
  });
  sockets.push(socket);
}
parentPort.on("message", (message) => {
  if (message.type === "snapshot") {
    parentPort.postMessage({ type: "snapshot", id: message.id, total, rtcp, counts: [...counts.entries()] });
  } else if (message.type === "close") {
    let open = sockets.length;
    if (open === 0) process.exit(0);
    for (const socket of sockets) socket.close(() => { if (--open === 0) parentPort.postMessage({ type: "closed" }); });
  }
});
`;

export interface SinkSnapshot {
  total: number;
  rtcp: number;
  counts: Map<number, number>;
  at: number;
}

export class UdpSink {
  readonly ports: readonly number[];
  readonly #worker: Worker;
  readonly #baseDrops: Map<number, number>;
  #nextId = 0;

  private constructor(worker: Worker, ports: number[]) {
    this.#worker = worker;
    this.ports = ports;
    const drops = udpDropsByPort();
    this.#baseDrops = new Map(ports.map((port) => [port, drops.get(port) ?? 0]));
  }

  static async create(sockets = 1, recvBufferSize = 4 * 1024 * 1024): Promise<UdpSink> {
    const worker = new Worker(SINK_SOURCE, { eval: true, workerData: { sockets, recvBufferSize } });
    const ports = await new Promise<number[]>((resolve, reject) => {
      worker.once("error", reject);
      worker.on("message", (message: { type: string; ports?: number[] }) => {
        if (message.type === "ready") resolve(message.ports ?? []);
      });
    });
    return new UdpSink(worker, ports);
  }

  /** The port for the i-th stream, spreading streams over the sockets. */
  portFor(index: number): number {
    return this.ports[index % this.ports.length]!;
  }

  snapshot(): Promise<SinkSnapshot> {
    const id = ++this.#nextId;
    return new Promise((resolve) => {
      const onMessage = (message: { type: string; id?: number; total: number; rtcp: number; counts: [number, number][] }) => {
        if (message.type !== "snapshot" || message.id !== id) return;
        this.#worker.off("message", onMessage);
        resolve({ total: message.total, rtcp: message.rtcp, counts: new Map(message.counts), at: performance.now() });
      };
      this.#worker.on("message", onMessage);
      this.#worker.postMessage({ type: "snapshot", id });
    });
  }

  /** Packets the kernel dropped on the sink sockets (receive buffer full) since they opened. */
  kernelDrops(): number {
    const drops = udpDropsByPort();
    let sum = 0;
    for (const [port, base] of this.#baseDrops) sum += (drops.get(port) ?? base) - base;
    return sum;
  }

  close(): Promise<void> {
    return closeWorker(this.#worker);
  }
}
