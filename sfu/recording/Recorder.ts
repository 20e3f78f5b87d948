import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { types } from "mediasoup";
import { TypedEmitter } from "../TypedEmitter";
import { RecordingError } from "./errors";
import { runToCompletion } from "./ffmpeg";
import type { UdpPortRange } from "./ports";
import { TrackRecorder } from "./TrackRecorder";
import type { RecordedTrack, TrackLabel, TrackSnapshot } from "./types";

/** Above the default WebRTC range (40000–49999): the recorder's ffmpegs never race mediasoup for a port. */
export const DEFAULT_RECORDER_PORT_RANGE: UdpPortRange = { min: 50000, max: 50999 };

export interface RecorderOptions {
  router: types.Router;
  /** This recording's folder (one per session); created when missing. */
  outputDirectory: string;
  /** Loopback UDP ports for the recorder's PlainTransports and ffmpegs; three per track. */
  portRange?: UdpPortRange;
  /** mediasoup's WebRTC range, when known: a `portRange` overlapping it is refused. */
  webRtcPortRange?: UdpPortRange;
  ffmpegPath?: string;
  /** Keyframe requests while recording video; BigBlueButton's 3 s. */
  keyFrameIntervalMs?: number;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
}

export type RecorderEvents = {
  /** A producer's track is being written. */
  trackStarted: [track: TrackSnapshot];
  /** A track ended before stop() because its producer (or the router) closed; its file is final. */
  trackEnded: [track: RecordedTrack];
  /** The ffmpeg writing a track died; the partial file is kept and the track is returned as failed. */
  trackFailed: [track: RecordedTrack, error: Error];
  /**
   * A producer's track could not start (no free port, ffmpeg would not run, the producer closed
   * meanwhile); nothing of it is left behind. addProducer() rejects with the same error.
   */
  trackStartFailed: [producerId: string, label: TrackLabel, error: Error];
};

function validRange(range: UdpPortRange): boolean {
  return Number.isInteger(range.min) && Number.isInteger(range.max) && range.min >= 1024 && range.max <= 65535 && range.max - range.min >= 2;
}

/**
 * Records a room's producers as separate files, one ffmpeg each, for composeRecording() to join into
 * one file afterwards. Producers can be added at any time until stop() (late joiners); a track ends
 * with its producer. No failure of an ffmpeg reaches the caller other than as a `trackFailed` event.
 */
export class Recorder extends TypedEmitter<RecorderEvents> {
  readonly outputDirectory: string;
  readonly #router: types.Router;
  readonly #options: Required<Omit<RecorderOptions, "router" | "outputDirectory" | "webRtcPortRange">>;
  /** In start order: the list stop() returns. */
  readonly #tracks: TrackRecorder[] = [];
  /** producerId → a start in progress; stop() waits for them so no ffmpeg is left behind. */
  readonly #starting = new Map<string, { peerId: string; registration: Promise<TrackSnapshot> }>();
  /** Peers no longer recorded (a citizen withdrew their consent): none of their producers is added again. */
  readonly #excludedPeers = new Set<string>();
  #stopping: Promise<RecordedTrack[]> | undefined;

  static async create(options: RecorderOptions): Promise<Recorder> {
    const portRange = options.portRange ?? DEFAULT_RECORDER_PORT_RANGE;
    if (!validRange(portRange)) throw new RangeError(`invalid recorder port range ${portRange.min}-${portRange.max}`);
    const webRtc = options.webRtcPortRange;
    if (webRtc && portRange.min <= webRtc.max && webRtc.min <= portRange.max) {
      throw new RangeError(`recorder ports ${portRange.min}-${portRange.max} overlap the WebRTC ports ${webRtc.min}-${webRtc.max}`);
    }
    const ffmpegPath = options.ffmpegPath ?? "ffmpeg";
    // Fail now, with a clear message, rather than on the first participant's track.
    await runToCompletion(ffmpegPath, ["-hide_banner", "-version"]);
    const outputDirectory = path.resolve(options.outputDirectory);
    await mkdir(outputDirectory, { recursive: true });
    return new Recorder(options, { outputDirectory, portRange, ffmpegPath });
  }

  private constructor(options: RecorderOptions, resolved: { outputDirectory: string; portRange: UdpPortRange; ffmpegPath: string }) {
    super();
    this.outputDirectory = resolved.outputDirectory;
    this.#router = options.router;
    this.#options = {
      portRange: resolved.portRange,
      ffmpegPath: resolved.ffmpegPath,
      keyFrameIntervalMs: options.keyFrameIntervalMs ?? 3000,
      startTimeoutMs: options.startTimeoutMs ?? 10_000,
      stopTimeoutMs: options.stopTimeoutMs ?? 5000,
    };
  }

  get stopped(): boolean {
    return this.#stopping !== undefined;
  }

  /** Every track so far, recording or ended, in start order. */
  get tracks(): TrackSnapshot[] {
    return this.#tracks.map((track) => track.snapshot());
  }

  /**
   * Starts recording a producer of the recorder's router. Resolves once its ffmpeg listens and the
   * consumer is resumed (`startedAt`); rejects with a RecordingError, having released everything, when
   * the track cannot start.
   */
  async addProducer(producer: types.Producer, label: TrackLabel): Promise<TrackSnapshot> {
    if (this.#stopping) throw new RecordingError("RECORDER_STOPPED", "the recording is stopped");
    if (producer.closed) throw new RecordingError("PRODUCER_UNAVAILABLE", `producer ${producer.id} is closed`);
    if (this.#excludedPeers.has(label.peerId)) throw new RecordingError("PRODUCER_UNAVAILABLE", `peer ${label.peerId} is no longer recorded`);
    if (this.#starting.has(producer.id) || this.#tracks.some((track) => track.producerId === producer.id)) {
      throw new RecordingError("PRODUCER_UNAVAILABLE", `producer ${producer.id} is already recorded`);
    }
    const registration = TrackRecorder.start({
      router: this.#router,
      producer,
      label,
      directory: this.outputDirectory,
      ...this.#options,
    }).then((track) => this.#register(track));
    this.#starting.set(producer.id, { peerId: label.peerId, registration });
    try {
      return await registration;
    } catch (error) {
      // Callers adding producers from room events rarely await them; the event reaches them anyway.
      this.#emitSafely("trackStartFailed", producer.id, { ...label }, error instanceof Error ? error : new Error(String(error)));
      throw error;
    } finally {
      this.#starting.delete(producer.id);
    }
  }

  /**
   * Waits until every track started or starting now is being written — its first packet (video: a
   * keyframe) is out to its ffmpeg — or `timeoutMs` passed. Tracks of paused producers are not waited
   * for. Resolves with how many tracks were still not written when it gave up (0: all of them were).
   */
  async whenWriting(timeoutMs: number): Promise<{ missing: number }> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    try {
      // A start still in progress joins #tracks (or fails, and is no track of the file).
      const started = await Promise.race([Promise.allSettled([...this.#starting.values()].map((start) => start.registration)), deadline]);
      if (started !== "timeout") await Promise.race([Promise.all(this.#tracks.map((track) => track.whenWriting())), deadline]);
    } finally {
      clearTimeout(timer);
    }
    const missing = this.#starting.size + this.#tracks.filter((track) => track.state === "recording" && track.mediaStartedAt === undefined && !track.pausedAtStart).length;
    return { missing };
  }

  /**
   * Stops recording one peer now, while the rest of the room goes on being recorded: its tracks (and any
   * still starting) are finished, and none of its producers is recorded again until stop(). Resolves with
   * the peer's finished tracks, which stay in the recording up to this moment. For a person who withdrew
   * their consent: nothing of them is written after this resolves.
   */
  async stopPeer(peerId: string): Promise<RecordedTrack[]> {
    this.#excludedPeers.add(peerId);
    const starting = [...this.#starting.values()].filter((start) => start.peerId === peerId).map((start) => start.registration);
    await Promise.allSettled(starting);
    return Promise.all(this.#tracks.filter((track) => track.label.peerId === peerId).map((track) => track.finish()));
  }

  /** Whether a peer's producers are still recorded (false after stopPeer). */
  records(peerId: string): boolean {
    return !this.#excludedPeers.has(peerId);
  }

  /**
   * Ends every track (SIGINT, then SIGKILL after the stop timeout) and returns all of them, the failed
   * ones flagged. Idempotent.
   */
  stop(): Promise<RecordedTrack[]> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<RecordedTrack[]> {
    // A start in progress either joins #tracks or cleans up after itself; wait for both outcomes.
    await Promise.allSettled([...this.#starting.values()].map((start) => start.registration));
    return Promise.all(this.#tracks.map((track) => track.finish()));
  }

  #register(track: TrackRecorder): TrackSnapshot {
    this.#tracks.push(track);
    track.on("ended", (ended) => {
      // Tracks finished by stop() are reported by stop(), not one by one.
      if (!this.#stopping) this.#emitSafely("trackEnded", ended);
    });
    track.on("failed", (failed, error) => this.#emitSafely("trackFailed", failed, error));
    const snapshot = track.snapshot();
    this.#emitSafely("trackStarted", snapshot);
    return snapshot;
  }

  /** A throwing listener is the listener's bug; it must not abort a recording or the server. */
  #emitSafely<E extends keyof RecorderEvents & string>(event: E, ...args: RecorderEvents[E]): void {
    try {
      this.emit(event, ...args);
    } catch (error) {
      console.error(`recording: a "${event}" listener threw`, error);
    }
  }
}
