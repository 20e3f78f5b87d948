import { type ChildProcess, execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { types } from "mediasoup";

const run = promisify(execFile);

export const VIDEO_PT = 101;
export const AUDIO_PT = 100;
export const VIDEO_SSRC = 22_222_222;
export const AUDIO_SSRC = 11_111_111;

export interface Clip {
  file: string;
  seconds: number;
  /** Measured by ffprobe. */
  videoKbps: number;
  audioKbps: number;
  gopFrames: number;
  fps: number;
  encodeMs: number;
}

let tempRoot: string | undefined;

/** One scratch directory per bench process, removed by `cleanupTemp()`. */
export function benchTempDir(): string {
  tempRoot ??= fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-bench-"));
  return tempRoot;
}

export function cleanupTemp(): void {
  if (tempRoot) fs.rmSync(tempRoot, { recursive: true, force: true });
  tempRoot = undefined;
}

/**
 * Encodes the test clip ONCE: VP8 ~500 kbps with a fixed GOP (a copy-mode sender cannot answer PLIs,
 * so keyframes must come on their own) plus Opus 20 ms, in WebM. Senders then loop it with `-c copy`.
 */
export async function encodeClip(options: { seconds: number; videoKbps?: number; gopFrames?: number; fps?: number } = { seconds: 10 }): Promise<Clip> {
  const fps = options.fps ?? 30;
  const gop = options.gopFrames ?? 2 * fps;
  const kbps = options.videoKbps ?? 500;
  const file = path.join(benchTempDir(), `clip-${options.seconds}s-${kbps}k-g${gop}.webm`);
  const started = performance.now();
  await run("ffmpeg", [
    "-hide_banner", "-loglevel", "error", "-y",
    "-f", "lavfi", "-i", `testsrc2=size=640x360:rate=${fps}`,
    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
    "-t", String(options.seconds),
    "-map", "0:v", "-c:v", "libvpx", "-b:v", `${kbps}k`, "-minrate", `${kbps}k`, "-maxrate", `${kbps}k`, "-bufsize", `${kbps}k`,
    "-g", String(gop), "-keyint_min", String(gop), "-deadline", "realtime", "-cpu-used", "8", "-auto-alt-ref", "0", "-lag-in-frames", "0",
    "-map", "1:a", "-c:a", "libopus", "-b:a", "48k", "-ac", "2", "-frame_duration", "20", "-application", "voip",
    file,
  ]);
  const encodeMs = performance.now() - started;
  const probe = await probeStreams(file);
  const video = probe.streams.find((stream) => stream.type === "video");
  const audio = probe.streams.find((stream) => stream.type === "audio");
  return { file, seconds: probe.seconds, videoKbps: video?.kbps ?? 0, audioKbps: audio?.kbps ?? 0, gopFrames: gop, fps, encodeMs };
}

/** Each stream's type and measured bitrate (from its packets), and the duration, by ffprobe. */
async function probeStreams(file: string): Promise<{ seconds: number; streams: { type: string; kbps: number }[] }> {
  const probe = await run("ffprobe", ["-v", "error", "-show_entries", "stream=codec_type:format=duration", "-show_entries", "packet=stream_index,size", "-of", "json", file], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const info = JSON.parse(probe.stdout) as { format: { duration: string }; packets?: { stream_index: number; size: string }[]; streams: { codec_type: string }[] };
  const seconds = Number(info.format.duration);
  const bytes = info.streams.map(() => 0);
  for (const packet of info.packets ?? []) bytes[packet.stream_index] = (bytes[packet.stream_index] ?? 0) + Number(packet.size);
  return { seconds, streams: info.streams.map((stream, index) => ({ type: stream.codec_type, kbps: ((bytes[index] ?? 0) * 8) / seconds / 1000 })) };
}

/** A camera as the web client sends it (client/src/media/layers.ts): three simulcast layers, low first. */
export const SIMULCAST_LAYERS = [
  { width: 240, height: 136, fps: 15, kbps: 120 },
  { width: 480, height: 270, fps: 20, kbps: 350 },
  { width: 960, height: 540, fps: 20, kbps: 900 },
] as const;

export interface SimulcastClip {
  file: string;
  seconds: number;
  /** Measured per layer, low first (stream i of the file is layer i; the audio is the last stream). */
  layerKbps: number[];
  audioKbps: number;
  /** Key frame every 2 s on every layer (a copy-mode sender cannot answer PLIs). */
  gopSeconds: number;
}

/** Encodes the simulcast test clip ONCE: the three VP8 layers and Opus 20 ms, in Matroska. */
export async function encodeSimulcastClip(seconds: number): Promise<SimulcastClip> {
  const file = path.join(benchTempDir(), `simulcast-${seconds}s.mkv`);
  const gopSeconds = 2;
  const top = SIMULCAST_LAYERS[2];
  const split = SIMULCAST_LAYERS.map((_, index) => `[s${index}]`).join("");
  const scaled = SIMULCAST_LAYERS.map((layer, index) => `[s${index}]scale=${layer.width}:${layer.height},fps=${layer.fps}[l${index}]`).join(";");
  const args = [
    "-hide_banner", "-loglevel", "error", "-y",
    "-f", "lavfi", "-i", `testsrc2=size=${top.width}x${top.height}:rate=${top.fps}`,
    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
    "-t", String(seconds),
    "-filter_complex", `[0:v]split=${SIMULCAST_LAYERS.length}${split};${scaled}`,
  ];
  SIMULCAST_LAYERS.forEach((layer, index) => {
    const gop = String(gopSeconds * layer.fps);
    args.push(
      "-map", `[l${index}]`, `-c:v:${index}`, "libvpx", `-b:v:${index}`, `${layer.kbps}k`, `-minrate:v:${index}`, `${layer.kbps}k`, `-maxrate:v:${index}`, `${layer.kbps}k`,
      `-bufsize:v:${index}`, `${layer.kbps}k`, `-g:v:${index}`, gop, `-keyint_min:v:${index}`, gop,
    );
  });
  args.push("-deadline", "realtime", "-cpu-used", "8", "-auto-alt-ref", "0", "-lag-in-frames", "0");
  args.push("-map", "1:a", "-c:a", "libopus", "-b:a", "48k", "-ac", "2", "-frame_duration", "20", "-application", "voip", file);
  await run("ffmpeg", args);
  const probe = await probeStreams(file);
  return {
    file,
    seconds: probe.seconds,
    layerKbps: probe.streams.filter((stream) => stream.type === "video").map((stream) => stream.kbps),
    audioKbps: probe.streams.find((stream) => stream.type === "audio")?.kbps ?? 0,
    gopSeconds,
  };
}

/** A simulcast camera's RTP parameters as the relay sends them: one SSRC per layer, low first. */
export function simulcastVideoParameters(ssrcs: readonly number[]): types.RtpParameters {
  return { ...ffmpegVideoParameters(), encodings: ssrcs.map((ssrc) => ({ ssrc })) };
}

/** RTP parameters of what ffmpeg sends: VP8 and Opus, no RTX, no feedback (ffmpeg answers none). */
export function ffmpegVideoParameters(ssrc = VIDEO_SSRC): types.RtpParameters {
  return {
    codecs: [{ mimeType: "video/VP8", payloadType: VIDEO_PT, clockRate: 90000 }],
    encodings: [{ ssrc }],
    rtcp: { cname: "bench-video" },
  };
}

export function ffmpegAudioParameters(ssrc = AUDIO_SSRC): types.RtpParameters {
  return {
    codecs: [{ mimeType: "audio/opus", payloadType: AUDIO_PT, clockRate: 48000, channels: 2, parameters: { "sprop-stereo": 1 } }],
    encodings: [{ ssrc }],
    rtcp: { cname: "bench-audio" },
  };
}

export interface RtpTarget {
  port: number;
  rtcpPort?: number;
}

/** `ffmpeg -re -stream_loop -1 -i clip -c copy` to RTP: video and audio to their own ports. */
export function startSender(clip: Clip, video: RtpTarget, audio: RtpTarget | null, ip = "127.0.0.1"): ChildProcess {
  const outputs: RtpOutput[] = [{ stream: "0:v:0", payloadType: VIDEO_PT, ssrc: VIDEO_SSRC, target: video }];
  if (audio) outputs.push({ stream: "0:a:0", payloadType: AUDIO_PT, ssrc: AUDIO_SSRC, target: audio });
  return startRtpSender(clip.file, outputs, ip);
}

export interface RtpOutput {
  /** ffmpeg stream specifier in the clip, e.g. "0:v:2". */
  stream: string;
  payloadType: number;
  ssrc: number;
  target: RtpTarget;
}

/** Loops a clip in real time (`-re -stream_loop -1 … -c copy`), each stream to its own RTP port. */
export function startRtpSender(file: string, outputs: readonly RtpOutput[], ip = "127.0.0.1"): ChildProcess {
  const url = (target: RtpTarget) => `rtp://${ip}:${target.port}?${target.rtcpPort ? `rtcpport=${target.rtcpPort}&` : ""}pkt_size=1200`;
  const args = ["-hide_banner", "-loglevel", "error", "-nostdin", "-re", "-stream_loop", "-1", "-i", file];
  for (const output of outputs) {
    args.push("-map", output.stream, "-c", "copy", "-payload_type", String(output.payloadType), "-ssrc", String(output.ssrc), "-f", "rtp", url(output.target));
  }
  const child = spawn("ffmpeg", args, { stdio: ["ignore", "ignore", "pipe"] });
  child.stderr?.on("data", (chunk: Buffer) => {
    const text = chunk.toString().trim();
    if (text && !/Non-monotonous|non monotonically/i.test(text)) console.warn(`[ffmpeg] ${text}`);
  });
  return child;
}

export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}
