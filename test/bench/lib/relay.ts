import { Worker } from "node:worker_threads";
import { closeWorker } from "./util";

/**
 * Many publishers from ONE ffmpeg: a worker thread receives the clip's RTP streams (e.g. video + audio,
 * or three simulcast layers + audio) and re-sends every packet to each publisher's PlainTransport
 * (rtcp-mux, comedia) with that publisher's SSRC for the stream written in. The senders' RTCP sender
 * reports are relayed the same way (SSRC rewritten), so mediasoup can sync simulcast layers as it does
 * for a browser. 40 ffmpeg processes would cost more CPU than the SFU they are meant to load on a
 * 2-core machine. Plain JavaScript evaluated in the worker (no TypeScript loader needed there).
 */
const RELAY_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const dgram = require("node:dgram");
const { targets, streams } = workerData;
const out = dgram.createSocket({ type: "udp4", sendBufferSize: 4 * 1024 * 1024 });
let sent = 0;
const forward = (stream, packet, ssrcOffset, isRtp) => {
  for (const target of targets) {
    const ssrc = target.ssrcs[stream];
    if (!ssrc) continue;
    const copy = Buffer.allocUnsafe(packet.length);
    packet.copy(copy);
    copy.writeUInt32BE(ssrc, ssrcOffset);
    out.send(copy, target.port, "127.0.0.1");
    if (isRtp) sent++;
  }
};
const rtp = [];
const rtcp = [];
for (let stream = 0; stream < streams; stream++) {
  const media = dgram.createSocket("udp4");
  media.on("message", (packet) => forward(stream, packet, 8, true));
  const control = dgram.createSocket("udp4");
  control.on("message", (packet) => {
    // Only the sender report (PT 200) of ffmpeg's compound packet: its SDES names the sender's own SSRC.
    if (packet.length < 28 || packet[1] !== 200) return;
    forward(stream, packet.subarray(0, Math.min(packet.length, (packet.readUInt16BE(2) + 1) * 4)), 4, false);
  });
  rtp.push(media);
  rtcp.push(control);
}
const all = [out, ...rtp, ...rtcp];
let pending = all.length;
const ready = () => {
  if (--pending === 0) parentPort.postMessage({ type: "ready", rtp: rtp.map((s) => s.address().port), rtcp: rtcp.map((s) => s.address().port) });
};
for (const socket of all) socket.bind(0, "127.0.0.1", ready);
parentPort.on("message", (message) => {
  if (message.type === "stats") parentPort.postMessage({ type: "stats", sent });
  if (message.type === "close") {
    for (const socket of all) socket.close();
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

/** A publisher fed with several streams: one SSRC per relay input stream, 0 = not sent (a muted source). */
export interface StreamTarget {
  port: number;
  ssrcs: readonly number[];
}

export class RtpRelay {
  /** The first two input streams by name, for the video + audio relay of `create()`. */
  readonly ports: { video: number; audio: number; videoRtcp: number; audioRtcp: number };
  /** Where the sender sends input stream i: RTP to rtp[i], RTCP to rtcp[i]. */
  readonly streamPorts: { rtp: readonly number[]; rtcp: readonly number[] };
  readonly #worker: Worker;

  private constructor(worker: Worker, streamPorts: RtpRelay["streamPorts"]) {
    this.#worker = worker;
    this.streamPorts = streamPorts;
    const { rtp, rtcp } = streamPorts;
    this.ports = { video: rtp[0] ?? 0, audio: rtp[1] ?? 0, videoRtcp: rtcp[0] ?? 0, audioRtcp: rtcp[1] ?? 0 };
  }

  /** Video (stream 0) and audio (stream 1) to each target. */
  static create(targets: RelayTarget[]): Promise<RtpRelay> {
    return RtpRelay.forStreams(2, targets.map((target) => ({ port: target.port, ssrcs: [target.videoSsrc, target.audioSsrc] })));
  }

  static async forStreams(streams: number, targets: StreamTarget[]): Promise<RtpRelay> {
    const worker = new Worker(RELAY_SOURCE, { eval: true, workerData: { targets, streams } });
    const ports = await new Promise<RtpRelay["streamPorts"]>((resolve, reject) => {
      worker.once("error", reject);
      worker.on("message", (message: { type: string; rtp?: number[]; rtcp?: number[] }) => {
        if (message.type === "ready" && message.rtp && message.rtcp) resolve({ rtp: message.rtp, rtcp: message.rtcp });
      });
    });
    return new RtpRelay(worker, ports);
  }

  /** RTP packets sent to the publishers so far (sender reports not counted). */
  sentRtp(): Promise<number> {
    return new Promise((resolve) => {
      const onMessage = (message: { type: string; sent?: number }) => {
        if (message.type !== "stats") return;
        this.#worker.off("message", onMessage);
        resolve(message.sent ?? 0);
      };
      this.#worker.on("message", onMessage);
      this.#worker.postMessage({ type: "stats" });
    });
  }

  close(): Promise<void> {
    return closeWorker(this.#worker);
  }
}
