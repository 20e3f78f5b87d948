import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseScalabilityMode, type types } from "mediasoup";
import { TypedEmitter } from "../TypedEmitter";
import { RecordingError } from "./errors";
import { FfmpegProcess } from "./ffmpeg";
import { sendRtcpBye } from "./rtcp";
import { leaseUdpPorts, waitForUdpListener, type PortLease, type UdpPortRange } from "./ports";
import { buildRecordingSdp, mediaCodecOf } from "./sdp";
import type { RecordedTrack, TrackLabel, TrackSnapshot } from "./types";

const LOOPBACK = "127.0.0.1";

export interface TrackRecorderOptions {
  router: types.Router;
  producer: types.Producer;
  label: TrackLabel;
  directory: string;
  portRange: UdpPortRange;
  ffmpegPath: string;
  keyFrameIntervalMs: number;
  /** How long ffmpeg may take to start listening before the track is given up. */
  startTimeoutMs: number;
  /** How long ffmpeg may take to finalise its file after SIGINT before it is killed. */
  stopTimeoutMs: number;
}

export type TrackRecorderEvents = {
  /** The track ended as planned (producer closed, router closed, or finish()); `failed` if ffmpeg did not finish the file. */
  ended: [track: RecordedTrack];
  /** ffmpeg died while recording; the partial file is kept. */
  failed: [track: RecordedTrack, error: Error];
};

/**
 * RTP in, the same packets out in Matroska, no transcoding. Matroska for every track: it takes any
 * codec mediasoup forwards and copes with a camera changing resolution mid-stream (simulcast layers, a
 * rotated phone), which WebM players handle badly. Short clusters, flushed as they are written, mean a
 * killed ffmpeg loses about a second.
 */
export function ffmpegArguments(sdpFile: string, outputFile: string): string[] {
  return [
    "-hide_banner",
    "-nostdin",
    "-loglevel",
    "warning",
    "-protocol_whitelist",
    "file,udp,rtp",
    // The SDP demuxer binds its RTP and RTCP sockets to the wildcard address whatever the SDP's c= line
    // says: without this, anyone on the network could send packets into a recording.
    "-localaddr",
    LOOPBACK,
    "-i",
    sdpFile,
    "-map",
    "0",
    "-c",
    "copy",
    "-f",
    "matroska",
    "-cluster_time_limit",
    "1000",
    "-flush_packets",
    "1",
    "-y",
    outputFile,
  ];
}

/** The highest spatial layer a simulcast or SVC consumer can receive. */
function highestSpatialLayer(consumer: types.Consumer): number {
  const encodings = consumer.rtpParameters.encodings ?? [];
  return Math.max(0, parseScalabilityMode(encodings[0]?.scalabilityMode).spatialLayers - 1);
}

/** The wall clock of the consumer's first packet out, and a promise of it; watching stops once it is known. */
interface FirstPacketClock {
  at?: number;
  readonly reached: Promise<number>;
}

function firstPacketClock(consumer: types.Consumer): FirstPacketClock {
  let reach: (at: number) => void = () => undefined;
  const clock: { at?: number; reached: Promise<number> } = { reached: new Promise<number>((resolve) => (reach = resolve)) };
  const onTrace = (trace: types.ConsumerTraceEventData) => {
    if (trace.direction !== "out") return;
    clock.at = Date.now();
    reach(clock.at);
    consumer.off("trace", onTrace);
    // One event per packet otherwise; a consumer closed meanwhile has nothing to turn off.
    if (!consumer.closed) consumer.enableTraceEvent([]).catch(() => undefined);
  };
  consumer.on("trace", onTrace);
  return clock;
}

/**
 * Keyframe requests until the first video packet is out: mediasoup sends a video consumer nothing
 * before a keyframe, and the room is told "recording" only once every track is written, so each
 * lost request would lengthen that wait by the slow interval (seconds) instead of this one.
 */
const FIRST_KEYFRAME_RETRY_MS = 250;

/**
 * Records one producer into one file: a PlainTransport and a consumer on the router, sending plain RTP
 * to an ffmpeg on loopback that copies it into Matroska. Owns the transport, the consumer, the ffmpeg
 * and its ports, and releases all of them when the track ends, however it ends.
 */
export class TrackRecorder extends TypedEmitter<TrackRecorderEvents> {
  readonly producerId: string;
  readonly kind: types.MediaKind;
  readonly mimeType: string;
  readonly file: string;
  readonly label: TrackLabel;
  readonly startedAt: number;
  readonly #transport: types.PlainTransport;
  readonly #consumer: types.Consumer;
  readonly #ffmpeg: FfmpegProcess;
  readonly #ports: PortLease;
  readonly #sdpFile: string;
  readonly #rtpPort: number;
  readonly #ssrc: number;
  readonly #stopTimeoutMs: number;
  #keyFrameTimer: NodeJS.Timeout | undefined;
  readonly #firstPacket: FirstPacketClock;
  readonly #expectsMedia: boolean;
  #state: TrackSnapshot["state"] = "recording";
  #result: RecordedTrack | undefined;
  #finishing: Promise<RecordedTrack> | undefined;

  static async start(options: TrackRecorderOptions): Promise<TrackRecorder> {
    const { router, producer } = options;
    const base = path.join(options.directory, `${producer.kind}-${producer.id}`);
    const file = `${base}.${producer.kind === "audio" ? "mka" : "mkv"}`;
    const sdpFile = `${base}.sdp`;
    // Three ports: ffmpeg's RTP and the RTCP port it opens beside it, then mediasoup's end. ffmpeg
    // binds them on loopback (-localaddr); checked on the wildcard address, which also finds a port some
    // other program holds on any address (either bind would then fail).
    const ports = await leaseUdpPorts(options.portRange, 3, "0.0.0.0");
    const [rtpPort, , transportPort] = ports.ports as [number, number, number];
    let transport: types.PlainTransport | undefined;
    let ffmpeg: FfmpegProcess | undefined;
    try {
      transport = await router.createPlainTransport({
        listenInfo: { protocol: "udp", ip: LOOPBACK, port: transportPort },
        rtcpMux: true,
        comedia: false,
        appData: { recording: true, producerId: producer.id },
      });
      await transport.connect({ ip: LOOPBACK, port: rtpPort });
      const consumer = await transport.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities, paused: true });
      if (consumer.type === "simulcast" || consumer.type === "svc") {
        // A recording is watched later and full screen: the best layer, not what bandwidth allowed.
        await consumer.setPreferredLayers({ spatialLayer: highestSpatialLayer(consumer) });
      }
      await writeFile(sdpFile, buildRecordingSdp({ kind: consumer.kind, rtpParameters: consumer.rtpParameters, port: rtpPort, ip: LOOPBACK }));

      const spawned = FfmpegProcess.spawn(options.ffmpegPath, ffmpegArguments(sdpFile, file));
      ffmpeg = spawned;
      const listening = await waitForUdpListener(rtpPort, { timeoutMs: options.startTimeoutMs, abandoned: () => !spawned.running });
      if (!spawned.running) throw new RecordingError("FFMPEG_FAILED", spawned.describeExit(await spawned.exited));
      if (!listening) throw new RecordingError("FFMPEG_FAILED", `ffmpeg did not listen on port ${rtpPort} within ${options.startTimeoutMs} ms`);
      if (consumer.closed) throw new RecordingError("PRODUCER_UNAVAILABLE", `producer ${producer.id} closed before its recording started`);

      await consumer.enableTraceEvent(["rtp"]);
      const firstPacket = firstPacketClock(consumer);
      // Only now: packets sent before ffmpeg listens are lost, and with them the first keyframe.
      await consumer.resume();
      const startedAt = Date.now();
      // A "producerclose" during resume() would find no listener yet.
      if (consumer.closed) throw new RecordingError("PRODUCER_UNAVAILABLE", `producer ${producer.id} closed while its recording started`);
      return new TrackRecorder(options, { transport, consumer, ffmpeg: spawned, ports, sdpFile, file, startedAt, firstPacket });
    } catch (error) {
      ffmpeg?.kill();
      await ffmpeg?.exited;
      transport?.close();
      ports.release();
      await rm(sdpFile, { force: true });
      throw error;
    }
  }

  private constructor(
    options: TrackRecorderOptions,
    parts: {
      transport: types.PlainTransport;
      consumer: types.Consumer;
      ffmpeg: FfmpegProcess;
      ports: PortLease;
      sdpFile: string;
      file: string;
      startedAt: number;
      firstPacket: FirstPacketClock;
    },
  ) {
    super();
    this.producerId = options.producer.id;
    this.kind = parts.consumer.kind;
    this.mimeType = mediaCodecOf(parts.consumer.rtpParameters).mimeType;
    this.file = parts.file;
    this.label = { ...options.label };
    this.startedAt = parts.startedAt;
    this.#transport = parts.transport;
    this.#consumer = parts.consumer;
    this.#ffmpeg = parts.ffmpeg;
    this.#ports = parts.ports;
    this.#sdpFile = parts.sdpFile;
    this.#rtpPort = parts.ports.ports[0]!;
    this.#ssrc = parts.consumer.rtpParameters.encodings?.[0]?.ssrc ?? 0;
    this.#stopTimeoutMs = options.stopTimeoutMs;
    this.#firstPacket = parts.firstPacket;

    // A paused producer (a muted microphone, a stopped camera) sends nothing until it resumes.
    this.#expectsMedia = !parts.consumer.producerPaused;
    if (this.kind === "video") {
      this.#requestKeyFrame();
      // ffmpeg cannot ask for a keyframe itself; without a regular one a lost packet corrupts the
      // picture until the sender happens to send the next.
      const steady = () => setInterval(() => this.#requestKeyFrame(), options.keyFrameIntervalMs);
      if (this.#firstPacket.at !== undefined) this.#keyFrameTimer = steady();
      else {
        this.#keyFrameTimer = setInterval(() => this.#requestKeyFrame(), Math.min(FIRST_KEYFRAME_RETRY_MS, options.keyFrameIntervalMs));
        void this.#firstPacket.reached.then(() => {
          if (this.#state !== "recording") return;
          clearInterval(this.#keyFrameTimer);
          this.#keyFrameTimer = steady();
        });
      }
    }
    const finishWithProducer = () => {
      if (this.#state === "recording") void this.finish();
    };
    this.#consumer.on("producerclose", finishWithProducer);
    this.#consumer.on("transportclose", finishWithProducer);
    this.#ffmpeg.exited
      .then((exit) => this.#onFfmpegExit(this.#ffmpeg.describeExit(exit)))
      // Only a listener can throw here; a rejection left unhandled would end the whole server.
      .catch((error: unknown) => console.error("recording: a track failure listener threw", error));
  }

  get state(): TrackSnapshot["state"] {
    return this.#state;
  }

  /**
   * Resolves once the track's first packet is out to ffmpeg (video: a keyframe), or at once when none is
   * expected now (its producer is paused) or the track has ended; never rejects.
   */
  whenWriting(): Promise<void> {
    if (!this.#expectsMedia || this.#firstPacket.at !== undefined || this.#state !== "recording") return Promise.resolve();
    const ended = new Promise<void>((resolve) => {
      this.once("ended", () => resolve());
      this.once("failed", () => resolve());
    });
    return Promise.race([this.#firstPacket.reached.then(() => undefined), ended]);
  }

  /** Its producer was paused when the track started: no packet was to be waited for. */
  get pausedAtStart(): boolean {
    return !this.#expectsMedia;
  }

  /** Wall clock of the first packet out, once there was one. */
  get mediaStartedAt(): number | undefined {
    return this.#firstPacket.at;
  }

  snapshot(): TrackSnapshot {
    return {
      ...this.#common(),
      state: this.#state,
      ...(this.#result ? { endedAt: this.#result.endedAt, failed: this.#result.failed, failure: this.#result.failure } : { failed: false }),
      ...(this.#ffmpeg.pid === undefined ? {} : { pid: this.#ffmpeg.pid }),
    };
  }

  /**
   * Ends the track: ffmpeg is interrupted so it finalises the file, and the transport is closed.
   * Idempotent; resolves with the recorded track and never rejects.
   */
  finish(): Promise<RecordedTrack> {
    if (this.#result) return Promise.resolve(this.#result);
    if (!this.#finishing) {
      this.#state = "ending";
      const endedAt = Date.now();
      this.#finishing = this.#finish(endedAt);
    }
    return this.#finishing;
  }

  async #finish(endedAt: number): Promise<RecordedTrack> {
    // Packets keep flowing until ffmpeg is gone: it notices SIGINT only between two packets. When none
    // come (a muted microphone, a closed producer) the BYE wakes it: its input ends, the file is finished.
    const interrupted = this.#ffmpeg.interrupt(this.#stopTimeoutMs);
    await sendRtcpBye(this.#rtpPort, LOOPBACK, this.#ssrc).catch(() => undefined);
    const { exit, forced } = await interrupted;
    // ffmpeg may have died on its own just before; #onFfmpegExit has then recorded the failure.
    if (this.#result) return this.#result;
    // 0 after the BYE, 255 after SIGINT ("exiting normally"); anything else did not finish the file.
    const failure = forced
      ? `ffmpeg ignored SIGINT for ${this.#stopTimeoutMs} ms and was killed`
      : exit.signal !== null || (exit.code !== 0 && exit.code !== 255)
        ? this.#ffmpeg.describeExit(exit)
        : undefined;
    const track: RecordedTrack = failure ? { ...this.#common(), endedAt, failed: true, failure } : { ...this.#common(), endedAt, failed: false };
    this.#end(track);
    this.#release();
    this.emit("ended", track);
    return track;
  }

  #onFfmpegExit(reason: string): void {
    // An exit once finish() began is the SIGINT it sent; only an exit while recording is a failure.
    if (this.#state !== "recording") return;
    const track: RecordedTrack = { ...this.#common(), endedAt: Date.now(), failed: true, failure: reason };
    this.#end(track);
    this.#release();
    this.emit("failed", track, new RecordingError("FFMPEG_FAILED", reason));
  }

  #common(): Omit<RecordedTrack, "endedAt" | "failed" | "failure"> {
    return {
      producerId: this.producerId,
      kind: this.kind,
      mimeType: this.mimeType,
      file: this.file,
      label: { ...this.label },
      startedAt: this.startedAt,
      ...(this.#firstPacket.at === undefined ? {} : { mediaStartedAt: this.#firstPacket.at }),
    };
  }

  /** Before #release(): closing the transport re-enters through "transportclose", which must find the track ended. */
  #end(track: RecordedTrack): void {
    this.#result = track;
    this.#state = "ended";
  }

  #release(): void {
    clearInterval(this.#keyFrameTimer);
    this.#transport.close();
    this.#ports.release();
    // The SDP only told ffmpeg where to listen; the recording is the Matroska file.
    void rm(this.#sdpFile, { force: true }).catch(() => undefined);
  }

  #requestKeyFrame(): void {
    if (this.#consumer.closed) return;
    // The consumer may close between the check and the request (producer left): nothing to do then.
    this.#consumer.requestKeyFrame().catch(() => undefined);
  }
}
