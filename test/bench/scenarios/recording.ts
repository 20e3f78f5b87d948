import fs from "node:fs";
import path from "node:path";
import * as mediasoup from "mediasoup";
import { roomMediaCodecs } from "../../../sfu/codecs";
// Types only (erased at run time): the module itself is loaded on demand by loadRecording().
import type * as RecordingApi from "../../../sfu/recording";
import { repoRoot } from "../../../signaling/paths";
import { workerCpuMs } from "../lib/forwarding";
import { benchTempDir, type Clip, encodeClip, ffmpegAudioParameters, ffmpegVideoParameters, startSender, stopProcess } from "../lib/media";
import { RtpRelay } from "../lib/relay";
import { processCpuMs, round, sleep } from "../lib/util";

export interface RecordingOptions {
  /** Seconds recorded per session. */
  sessionSeconds: number;
  /** Publishers (camera + microphone each) in the recorded room. */
  participants: number;
  clip?: Clip;
}

export type RecordingResult =
  | { status: "not available yet"; reason: string }
  | { status: "failed"; reason: string }
  | {
      status: "measured";
      sessionSeconds: number;
      participants: number;
      tracks: number;
      /** CPU of the recorder's ffmpeg processes while recording (steady state), % of one core, per session. */
      ffmpegCpuPercentPerSession: number;
      ffmpegCpuPercentPerTrack: number;
      /** Extra mediasoup worker CPU for the recording consumers, % of one core (all publishers' forwarding included). */
      workerCpuPercent: number;
      /** composeRecording() wall time ÷ session length. */
      composeTimeRatio: number;
      composeSeconds: number;
      composedDurationSeconds: number;
      composedFormat: string;
      failedTracks: number;
      notes: string[];
    };

const RECORDING_MODULE = path.join(repoRoot, "sfu", "recording", "index.ts");

type RecordingModule = typeof RecordingApi;

/**
 * Loads sfu/recording if it is there and exports what this scenario drives. To re-target it after an
 * API change, adapt `recordSession` below; nothing else depends on the module.
 */
async function loadRecording(): Promise<RecordingModule | string> {
  if (!fs.existsSync(RECORDING_MODULE)) return "sfu/recording/index.ts does not exist";
  try {
    const module = (await import("../../../sfu/recording")) as Partial<RecordingModule>;
    if (typeof module.Recorder?.create !== "function" || typeof module.composeRecording !== "function") return "sfu/recording does not export Recorder and composeRecording";
    return module as RecordingModule;
  } catch (error) {
    return `sfu/recording does not load: ${(error as Error).message}`;
  }
}

/**
 * Recording cost: P publishers (fed by one ffmpeg through the RTP relay) on a router, recorded by the
 * product's Recorder (one ffmpeg per track, `-c copy` into Matroska); CPU of those ffmpeg processes
 * from /proc/<pid>/stat over the steady part of the session; then composeRecording() of the tracks
 * into one file, timed against the session length.
 */
export async function recordingScenario(options: RecordingOptions): Promise<RecordingResult> {
  const recording = await loadRecording();
  if (typeof recording === "string") return { status: "not available yet", reason: recording };
  try {
    return await recordSession(recording, options);
  } catch (error) {
    return { status: "failed", reason: (error as Error).stack ?? String(error) };
  }
}

async function recordSession(recording: RecordingModule, options: RecordingOptions): Promise<RecordingResult> {
  const clip = options.clip ?? (await encodeClip({ seconds: 10 }));
  const worker = await mediasoup.createWorker({ logLevel: "warn" });
  const directory = fs.mkdtempSync(path.join(benchTempDir(), "recording-"));
  let relay: RtpRelay | undefined;
  let sender: ReturnType<typeof startSender> | undefined;
  try {
    const router = await worker.createRouter({ mediaCodecs: roomMediaCodecs });
    const publishers = [];
    for (let index = 0; index < options.participants; index++) {
      const transport = await router.createPlainTransport({ listenInfo: { protocol: "udp", ip: "127.0.0.1" }, rtcpMux: true, comedia: true });
      const videoSsrc = 40_000_000 + index * 2;
      const audioSsrc = videoSsrc + 1;
      const video = await transport.produce({ kind: "video", rtpParameters: ffmpegVideoParameters(videoSsrc) });
      const audio = await transport.produce({ kind: "audio", rtpParameters: ffmpegAudioParameters(audioSsrc) });
      publishers.push({ video, audio, target: { port: transport.tuple.localPort, videoSsrc, audioSsrc } });
    }
    relay = await RtpRelay.create(publishers.map((publisher) => publisher.target));
    sender = startSender(clip, { port: relay.ports.video, rtcpPort: relay.ports.videoRtcp }, { port: relay.ports.audio, rtcpPort: relay.ports.audioRtcp });
    await sleep(500);

    const recorder = await recording.Recorder.create({ router, outputDirectory: directory, portRange: { min: 52000, max: 52999 } });
    const sessionStarted = performance.now();
    const workerBefore = workerCpuMs(await worker.getResourceUsage());
    for (const [index, publisher] of publishers.entries()) {
      const label = { peerId: `p${index}`, displayName: `Điểm cầu ${index + 1}`, source: "webcam" };
      await recorder.addProducer(publisher.video, label);
      await recorder.addProducer(publisher.audio, { ...label, source: "mic" });
    }
    // Steady state: skip the start (ffmpeg probing the first packets), measure the rest of the session.
    const settle = Math.min(2_000, (options.sessionSeconds * 1000) / 4);
    await sleep(settle);
    const pids = recorder.tracks.map((track) => track.pid).filter((pid): pid is number => typeof pid === "number");
    const cpu0 = pids.map((pid) => processCpuMs(pid));
    const t0 = performance.now();
    await sleep(Math.max(0, options.sessionSeconds * 1000 - (performance.now() - sessionStarted)));
    const cpu1 = pids.map((pid) => processCpuMs(pid));
    const t1 = performance.now();
    const workerAfter = workerCpuMs(await worker.getResourceUsage());
    const tracks = await recorder.stop();
    const sessionSeconds = (performance.now() - sessionStarted) / 1000;
    const ffmpegMs = cpu1.reduce((sum, value, index) => sum + (Number.isFinite(value) && Number.isFinite(cpu0[index]!) ? value - cpu0[index]! : 0), 0);
    const ffmpegCpuPercent = (ffmpegMs / (t1 - t0)) * 100;

    const composeStarted = performance.now();
    const composition = await recording.composeRecording(tracks, path.join(directory, "composed.mp4"));
    const composeSeconds = (performance.now() - composeStarted) / 1000;
    return {
      status: "measured",
      sessionSeconds: round(sessionSeconds),
      participants: options.participants,
      tracks: tracks.length,
      ffmpegCpuPercentPerSession: round(ffmpegCpuPercent),
      ffmpegCpuPercentPerTrack: round(ffmpegCpuPercent / Math.max(1, pids.length)),
      workerCpuPercent: round(((workerAfter - workerBefore) / (sessionSeconds * 1000)) * 100),
      composeTimeRatio: round(composeSeconds / sessionSeconds),
      composeSeconds: round(composeSeconds),
      composedDurationSeconds: round(composition.durationSeconds),
      composedFormat: composition.format,
      failedTracks: tracks.filter((track) => track.failed).length,
      notes: [
        "The product's sfu/recording Recorder (one PlainTransport + one ffmpeg `-c copy` → Matroska per producer) on a bare router fed by one ffmpeg through the RTP relay; a session = the participants' camera + microphone tracks.",
        "ffmpeg CPU from /proc/<pid>/stat (utime + stime) of the recorder's ffmpeg processes over the session after its first seconds; % of one core.",
        "compose = composeRecording() of the session's tracks (grid + audio mix, H.264/AAC MP4 where libx264 exists): wall time ÷ session length.",
      ],
    };
  } finally {
    if (sender) await stopProcess(sender);
    await relay?.close();
    worker.close();
    fs.rmSync(directory, { recursive: true, force: true });
  }
}
