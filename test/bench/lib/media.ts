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
  const probe = await run("ffprobe", ["-v", "error", "-show_entries", "stream=codec_type,bit_rate:format=duration,size", "-show_entries", "packet=stream_index,size", "-of", "json", file], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const info = JSON.parse(probe.stdout) as { format: { duration: string }; packets?: { stream_index: number; size: string }[]; streams: { codec_type: string }[] };
  const duration = Number(info.format.duration);
  const videoIndex = info.streams.findIndex((stream) => stream.codec_type === "video");
  let videoBytes = 0;
  let audioBytes = 0;
  for (const packet of info.packets ?? []) {
    if (packet.stream_index === videoIndex) videoBytes += Number(packet.size);
    else audioBytes += Number(packet.size);
  }
  return { file, seconds: duration, videoKbps: (videoBytes * 8) / duration / 1000, audioKbps: (audioBytes * 8) / duration / 1000, gopFrames: gop, fps, encodeMs };
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
  const url = (target: RtpTarget) => `rtp://${ip}:${target.port}?${target.rtcpPort ? `rtcpport=${target.rtcpPort}&` : ""}pkt_size=1200`;
  const args = [
    "-hide_banner", "-loglevel", "error", "-nostdin",
    "-re", "-stream_loop", "-1", "-i", clip.file,
    "-map", "0:v:0", "-c:v", "copy", "-payload_type", String(VIDEO_PT), "-ssrc", String(VIDEO_SSRC), "-f", "rtp", url(video),
  ];
  if (audio) args.push("-map", "0:a:0", "-c:a", "copy", "-payload_type", String(AUDIO_PT), "-ssrc", String(AUDIO_SSRC), "-f", "rtp", url(audio));
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
