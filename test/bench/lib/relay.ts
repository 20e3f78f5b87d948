import { Worker } from "node:worker_threads";
import { closeWorker } from "./util";

/**
 * Many publishers from ONE ffmpeg: a worker thread receives the clip's RTP (video and audio) and
 * re-sends every packet to each publisher's PlainTransport with that publisher's SSRC written in.
 * 40 ffmpeg processes would cost more CPU than the SFU they are meant to load on a 2-core machine.
 * Plain JavaScript evaluated in the worker (no TypeScript loader needed there).
 */
const RELAY_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const dgram = require("node:dgram");
const targets = workerData.targets;
const out = dgram.createSocket({ type: "udp4", sendBufferSize: 4 * 1024 * 1024 });
const sockets = { video: dgram.createSocket("udp4"), audio: dgram.createSocket("udp4"), videoRtcp: dgram.createSocket("udp4"), audioRtcp: dgram.createSocket("udp4") };
let sent = 0;
const forward = (kind) => (packet) => {
  for (const target of targets) {
    const ssrc = kind === "video" ? target.videoSsrc : target.audioSsrc;
    if (!ssrc) continue;
    const copy = Buffer.allocUnsafe(packet.length);
    packet.copy(copy);
    copy.writeUInt32BE(ssrc, 8);
    out.send(copy, target.port, "127.0.0.1");
    sent++;
  }
};
sockets.video.on("message", forward("video"));
sockets.audio.on("message", forward("audio"));
let pending = 5;
const ports = {};
const ready = () => { if (--pending === 0) parentPort.postMessage({ type: "ready", ports }); };
out.bind(0, "127.0.0.1", ready);
for (const [name, socket] of Object.entries(sockets)) socket.bind(0, "127.0.0.1", () => { ports[name] = socket.address().port; ready(); });
parentPort.on("message", (message) => {
  if (message.type === "stats") parentPort.postMessage({ type: "stats", sent });
  if (message.type === "close") {
    for (const socket of [out, ...Object.values(sockets)]) socket.close();
    parentPort.postMessage({ type: "closed" });
  }
});
`;

export interface RelayTarget {
  /** The publisher's PlainTransport port (rtcp-mux, comedia). */
  port: number;
  videoSsrc: number;
  /** 0 = this publisher sends no audio. */
  audioSsrc: number;
}

export class RtpRelay {
  readonly ports: { video: number; audio: number; videoRtcp: number; audioRtcp: number };
  readonly #worker: Worker;

  private constructor(worker: Worker, ports: RtpRelay["ports"]) {
    this.#worker = worker;
    this.ports = ports;
  }

  static async create(targets: RelayTarget[]): Promise<RtpRelay> {
    const worker = new Worker(RELAY_SOURCE, { eval: true, workerData: { targets } });
    const ports = await new Promise<RtpRelay["ports"]>((resolve, reject) => {
      worker.once("error", reject);
      worker.on("message", (message: { type: string; ports?: RtpRelay["ports"] }) => {
        if (message.type === "ready" && message.ports) resolve(message.ports);
      });
    });
    return new RtpRelay(worker, ports);
  }

  close(): Promise<void> {
    return closeWorker(this.#worker);
  }
}
