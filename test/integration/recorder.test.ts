import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import dgram from "node:dgram";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import * as mediasoup from "mediasoup";
import type { types } from "mediasoup";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { roomMediaCodecs } from "../../sfu/codecs";
import { composeRecording, probeMedia, Recorder, RecordingError, type RecordedTrack } from "../../sfu/recording";

const run = promisify(execFile);

/** Real media through a real worker and real ffmpegs; tiny pictures, the machine has two cores. */
const MEDIA_TEST_TIMEOUT = 60_000;
/** Small and cheap to encode; the composition checks below read its cells. */
const CANVAS = { width: 640, height: 360 };

let worker: types.Worker;
let router: types.Router;
let directory: string;
const senders: ChildProcess[] = [];
const recorders: Recorder[] = [];

/**
 * The senders' media, encoded once per file: live encoding (libvpx, libopus) next to the other test
 * files on two cores falls behind the wall clock, and the recordings then hold less media than the
 * session lasted. Sending a copy of a file (`-re -c copy`) costs next to no CPU and keeps pace.
 */
const SENDER_CLIP_SECONDS = 4;
type Picture = "testsrc" | "smptebars";
const clips = {} as Record<Picture | "tone", string>;

/** VP8 at 320×240, 15 fps, a keyframe every second (ffmpeg cannot answer PLIs), so every loop starts on one. */
async function encodeVideoClip(pattern: Picture): Promise<string> {
  const file = path.join(directory, `sender-${pattern}.ivf`);
  await run("ffmpeg", [
    ...["-hide_banner", "-nostdin", "-loglevel", "error", "-y"],
    ...["-f", "lavfi", "-i", `${pattern}=size=320x240:rate=15`, "-t", String(SENDER_CLIP_SECONDS)],
    ...["-map", "0:v", "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-lag-in-frames", "0"],
    ...["-b:v", "300k", "-g", "15", "-keyint_min", "15", "-pix_fmt", "yuv420p", "-f", "ivf", file],
  ]);
  return file;
}

/**
 * Opus, a 440 Hz tone. In WebM rather than Ogg: looping an Ogg file repeats its last timestamp (the
 * trimmed last packet), where WebM's timestamps stay monotonic.
 */
async function encodeToneClip(): Promise<string> {
  const file = path.join(directory, "sender-tone.webm");
  await run("ffmpeg", [
    ...["-hide_banner", "-nostdin", "-loglevel", "error", "-y"],
    ...["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", String(SENDER_CLIP_SECONDS)],
    ...["-map", "0:a", "-c:a", "libopus", "-b:a", "32k", "-ac", "2", "-ar", "48000", "-application", "lowdelay", "-f", "webm", file],
  ]);
  return file;
}

beforeAll(async () => {
  worker = await mediasoup.createWorker({ logLevel: "warn" });
  directory = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-recorder-"));
  [clips.testsrc, clips.smptebars, clips.tone] = await Promise.all([encodeVideoClip("testsrc"), encodeVideoClip("smptebars"), encodeToneClip()]);
});

afterEach(async () => {
  for (const sender of senders.splice(0)) sender.kill("SIGKILL");
  await Promise.all(recorders.splice(0).map((recorder) => recorder.stop()));
  router?.close();
});

afterAll(() => {
  worker?.close();
  fs.rmSync(directory, { recursive: true, force: true });
});

async function newRouter(): Promise<types.Router> {
  router = await worker.createRouter({ mediaCodecs: roomMediaCodecs });
  return router;
}

async function newRecorder(name: string, portRange = { min: 50000, max: 50999 }): Promise<Recorder> {
  const recorder = await Recorder.create({
    router,
    outputDirectory: path.join(directory, name),
    portRange,
    webRtcPortRange: { min: 40000, max: 49999 },
  });
  recorders.push(recorder);
  return recorder;
}

/** A PlainTransport as a broadcaster uses it: mediasoup learns the sender's address from its packets. */
async function senderTransport(): Promise<{ transport: types.PlainTransport; url: string }> {
  const transport = await router.createPlainTransport({
    listenInfo: { protocol: "udp", ip: "127.0.0.1", portRange: { min: 40000, max: 49999 } },
    rtcpMux: false,
    comedia: true,
  });
  // ffmpeg sends RTCP from a second socket: without rtcp-mux mediasoup latches each port separately.
  const url = `rtp://127.0.0.1:${transport.tuple.localPort}?rtcpport=${transport.rtcpTuple!.localPort}&pkt_size=1200`;
  return { transport, url };
}

interface Sent {
  producer: types.Producer;
}

/** A VP8 camera sending a picture (testsrc by default) in real time, looped for as long as the test needs. */
async function sendVideo(ssrc: number, pattern: Picture = "testsrc"): Promise<Sent> {
  const { transport, url } = await senderTransport();
  const payloadType = 101;
  const producer = await transport.produce({
    kind: "video",
    rtpParameters: {
      codecs: [{ mimeType: "video/VP8", payloadType, clockRate: 90000, rtcpFeedback: [{ type: "nack" }, { type: "nack", parameter: "pli" }] }],
      encodings: [{ ssrc }],
    },
  });
  startSender(clips[pattern], "0:v", ["-ssrc", String(ssrc), "-payload_type", String(payloadType), "-f", "rtp", url]);
  return { producer };
}

/** An Opus microphone playing a 440 Hz tone in real time, looped. */
async function sendAudio(ssrc: number): Promise<Sent> {
  const { transport, url } = await senderTransport();
  const payloadType = 100;
  const producer = await transport.produce({
    kind: "audio",
    rtpParameters: {
      codecs: [{ mimeType: "audio/opus", payloadType, clockRate: 48000, channels: 2 }],
      encodings: [{ ssrc }],
    },
  });
  startSender(clips.tone, "0:a", ["-ssrc", String(ssrc), "-payload_type", String(payloadType), "-f", "rtp", url]);
  return { producer };
}

/** Sends a pre-encoded clip at its own pace (-re), looped, without re-encoding it. */
function startSender(clip: string, stream: string, output: string[]): void {
  const sender = spawn(
    "ffmpeg",
    [
      ...["-hide_banner", "-nostdin", "-loglevel", "error"],
      ...["-re", "-stream_loop", "-1", "-i", clip, "-map", stream, "-c", "copy"],
      // -t: a sender orphaned by a crashed test run stops by itself.
      ...["-t", "60", ...output],
    ],
    { stdio: "ignore" },
  );
  senders.push(sender);
}

function sha256Of(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** Average luma (0–255) of a region of the frame at `atSeconds`: ~16 is black, testsrc is far brighter. */
async function meanLuma(file: string, atSeconds: number, region: { x: number; y: number; width: number; height: number }): Promise<number> {
  const { stdout } = await run(
    "ffmpeg",
    [
      ...["-hide_banner", "-loglevel", "error", "-ss", atSeconds.toFixed(2), "-i", file, "-frames:v", "1"],
      ...["-vf", `crop=${region.width}:${region.height}:${region.x}:${region.y},scale=1:1:flags=area,format=gray`],
      ...["-f", "rawvideo", "-"],
    ],
    { encoding: "buffer" },
  );
  expect(stdout.length).toBe(1);
  return stdout[0]!;
}

/** Mean volume in dB of the file's audio, or of the seconds `from`…`to` of it (-91 dB is digital silence). */
async function meanVolume(file: string, window?: { from: number; to: number }): Promise<number> {
  const range = window ? ["-ss", window.from.toFixed(2), "-t", (window.to - window.from).toFixed(2)] : [];
  const { stderr } = await run("ffmpeg", ["-hide_banner", "-nostats", ...range, "-i", file, "-map", "0:a", "-af", "volumedetect", "-f", "null", "-"]);
  const match = /mean_volume: (-?[\d.]+) dB/.exec(stderr);
  expect(match, stderr).not.toBeNull();
  return Number(match![1]);
}

/** Seconds from the first recorded packet to the last track's end, by the wall clock. */
function sessionSeconds(tracks: RecordedTrack[]): number {
  const start = Math.min(...tracks.map((track) => track.mediaStartedAt ?? track.startedAt));
  return (Math.max(...tracks.map((track) => track.endedAt)) - start) / 1000;
}

/**
 * Each file holds its track's media from its first packet to its end, by the wall clock: the composition
 * pads a short file to the session's length, so only this shows that nothing was lost on the way.
 */
async function expectFilesSpanTheirTracks(tracks: RecordedTrack[]): Promise<void> {
  for (const track of tracks) {
    const { durationSeconds } = await probeMedia(track.file);
    expect(durationSeconds).toBeDefined();
    expect(Math.abs(durationSeconds! - (track.endedAt - track.mediaStartedAt!) / 1000)).toBeLessThanOrEqual(1);
  }
}

/** Media reached ffmpeg soon after each consumer resumed (the senders make a keyframe every second). */
function expectPromptMedia(tracks: RecordedTrack[]): void {
  for (const track of tracks) {
    expect(track.mediaStartedAt).toBeDefined();
    expect(track.mediaStartedAt! - track.startedAt).toBeGreaterThanOrEqual(0);
    expect(track.mediaStartedAt! - track.startedAt).toBeLessThan(2000);
  }
}

function label(peerId: string, source: string) {
  return { peerId, displayName: `UBND ${peerId}`, source };
}

const WHOLE_FRAME = { x: 0, y: 0, ...CANVAS };
const LEFT_CELL = { x: 0, y: 0, width: 320, height: 360 };
const RIGHT_CELL = { x: 320, y: 0, width: 320, height: 360 };

describe("Recorder + composeRecording", () => {
  it(
    "records a camera and a microphone and composes one MP4 with both, as long as the session",
    async () => {
      await newRouter();
      const camera = await sendVideo(22_222_222);
      const microphone = await sendAudio(11_111_111);
      const recorder = await newRecorder("one-site");
      await recorder.addProducer(camera.producer, label("kinh-bac", "webcam"));
      await recorder.addProducer(microphone.producer, label("kinh-bac", "mic"));
      expect(recorder.tracks.map((track) => track.state)).toEqual(["recording", "recording"]);

      await sleep(5000);
      const tracks = await recorder.stop();

      expect(tracks.map((track) => [track.kind, track.failed])).toEqual([
        ["video", false],
        ["audio", false],
      ]);
      const [video, audio] = tracks as [RecordedTrack, RecordedTrack];
      expect(video.mimeType).toBe("video/VP8");
      expect(video.label).toEqual(label("kinh-bac", "webcam"));
      expect((await probeMedia(video.file)).streams.map((stream) => stream.codecName)).toEqual(["vp8"]);
      expect((await probeMedia(audio.file)).streams.map((stream) => stream.codecName)).toEqual(["opus"]);
      expectPromptMedia(tracks);
      await expectFilesSpanTheirTracks(tracks);
      const recordedSeconds = sessionSeconds(tracks);
      expect(recordedSeconds).toBeGreaterThan(4);

      const progress: number[] = [];
      const output = path.join(directory, "one-site.mp4");
      const composition = await composeRecording(tracks, output, { canvas: CANVAS, frameRate: 15, onProgress: (fraction) => progress.push(fraction) });

      expect(composition.file).toBe(output);
      expect(composition.format).toBe("mp4");
      expect(composition.skipped).toEqual([]);
      const probe = await probeMedia(output);
      expect(probe.formatName).toContain("mp4");
      expect(probe.streams.map((stream) => [stream.codecType, stream.codecName])).toEqual([
        ["video", "h264"],
        ["audio", "aac"],
      ]);
      expect(probe.streams[0]).toMatchObject({ width: CANVAS.width, height: CANVAS.height });
      expect(probe.durationSeconds).toBeDefined();
      expect(Math.abs(probe.durationSeconds! - recordedSeconds)).toBeLessThanOrEqual(1);
      expect(Math.abs(composition.durationSeconds - probe.durationSeconds!)).toBeLessThan(0.01);
      expect(composition.sha256).toBe(sha256Of(output));

      // The camera fills the frame, and the tone is heard.
      expect(await meanLuma(output, 2, WHOLE_FRAME)).toBeGreaterThan(50);
      expect(await meanVolume(output)).toBeGreaterThan(-40);

      expect(progress.length).toBeGreaterThan(0);
      expect(progress.at(-1)).toBe(1);
      expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    },
    MEDIA_TEST_TIMEOUT,
  );

  it(
    "puts a late joiner's camera beside the first one from the moment it joined",
    async () => {
      await newRouter();
      const first = await sendVideo(33_333_333, "testsrc");
      const second = await sendVideo(44_444_444, "smptebars");
      const recorder = await newRecorder("late-joiner");
      const started: string[] = [];
      recorder.on("trackStarted", (track) => started.push(track.producerId));

      await recorder.addProducer(first.producer, label("tinh", "webcam"));
      await sleep(2000);
      await recorder.addProducer(second.producer, label("yen-phong", "webcam"));
      await sleep(4000);
      const tracks = await recorder.stop();

      expect(started).toEqual([first.producer.id, second.producer.id]);
      expect(tracks.map((track) => track.failed)).toEqual([false, false]);
      expectPromptMedia(tracks);
      await expectFilesSpanTheirTracks(tracks);
      // Where the composition puts the late joiner: its first frame, relative to the first camera's.
      const offset = (tracks[1]!.mediaStartedAt! - tracks[0]!.mediaStartedAt!) / 1000;
      expect(offset).toBeGreaterThan(1);
      const recordedSeconds = sessionSeconds(tracks);

      const output = path.join(directory, "late-joiner.mp4");
      const composition = await composeRecording(tracks, output, { canvas: CANVAS, frameRate: 15 });
      const probe = await probeMedia(output);
      expect(probe.streams.filter((stream) => stream.codecType === "video")).toHaveLength(1);
      expect(probe.streams.filter((stream) => stream.codecType === "audio")).toHaveLength(1);
      expect(Math.abs(probe.durationSeconds! - recordedSeconds)).toBeLessThanOrEqual(1);
      expect(composition.sha256).toBe(sha256Of(output));

      // Side by side: before the late joiner, only the left cell has a picture; after, both.
      expect(await meanLuma(output, 1, LEFT_CELL)).toBeGreaterThan(40);
      expect(await meanLuma(output, Math.max(0.3, offset - 1), RIGHT_CELL)).toBeLessThan(25);
      expect(await meanLuma(output, offset + 1.5, RIGHT_CELL)).toBeGreaterThan(40);
      expect(await meanLuma(output, offset + 1.5, LEFT_CELL)).toBeGreaterThan(40);
      // No microphone was recorded: the composition carries silence, not nothing.
      expect(await meanVolume(output)).toBeLessThan(-80);
    },
    MEDIA_TEST_TIMEOUT,
  );

  it(
    "flags a track whose ffmpeg was killed, keeps its partial file, and still composes it",
    async () => {
      await newRouter();
      const camera = await sendVideo(55_555_555);
      const microphone = await sendAudio(66_666_666);
      const recorder = await newRecorder("crash");
      const failures: { track: RecordedTrack; error: Error }[] = [];
      recorder.on("trackFailed", (track, error) => failures.push({ track, error }));
      await recorder.addProducer(camera.producer, label("kinh-bac", "webcam"));
      await recorder.addProducer(microphone.producer, label("kinh-bac", "mic"));

      await sleep(3000);
      const videoTrack = recorder.tracks.find((track) => track.kind === "video")!;
      expect(videoTrack.pid).toBeTypeOf("number");
      process.kill(videoTrack.pid!, "SIGKILL");
      await expect.poll(() => failures.length, { timeout: 5000 }).toBe(1);
      expect(failures[0]!.track.producerId).toBe(camera.producer.id);
      expect(failures[0]!.error).toBeInstanceOf(RecordingError);
      expect(failures[0]!.error.message).toContain("SIGKILL");
      expect(recorder.tracks.find((track) => track.kind === "video")).toMatchObject({ state: "ended", failed: true });

      await sleep(1000);
      const tracks = await recorder.stop();
      const video = tracks.find((track) => track.kind === "video")!;
      const audio = tracks.find((track) => track.kind === "audio")!;
      expect(video.failed).toBe(true);
      expect(video.failure).toContain("SIGKILL");
      expect(audio.failed).toBe(false);
      expect(fs.existsSync(video.file)).toBe(true);
      expect(fs.statSync(video.file).size).toBeGreaterThan(1000);
      // Short flushed clusters: the file is readable up to about the moment of the kill.
      expect((await probeMedia(video.file)).streams.map((stream) => stream.codecName)).toEqual(["vp8"]);

      const output = path.join(directory, "crash.mp4");
      const composition = await composeRecording(tracks, output, { canvas: CANVAS, frameRate: 15 });
      expect(composition.skipped).toEqual([]);
      expect(composition.included.map((track) => track.kind)).toEqual(["video", "audio"]);
      const probe = await probeMedia(output);
      expect(probe.streams.map((stream) => stream.codecType)).toEqual(["video", "audio"]);
      expect(Math.abs(probe.durationSeconds! - sessionSeconds(tracks))).toBeLessThanOrEqual(1);
      // The picture until the crash, black after it.
      expect(await meanLuma(output, 1, WHOLE_FRAME)).toBeGreaterThan(50);
      expect(await meanLuma(output, probe.durationSeconds! - 0.3, WHOLE_FRAME)).toBeLessThan(25);
    },
    MEDIA_TEST_TIMEOUT,
  );

  it(
    "ends a track when its producer closes, and composes a microphone alone over a black picture",
    async () => {
      await newRouter();
      const microphone = await sendAudio(77_777_777);
      const recorder = await newRecorder("producer-closes");
      const ended: RecordedTrack[] = [];
      recorder.on("trackEnded", (track) => ended.push(track));
      await recorder.addProducer(microphone.producer, label("yen-phong", "mic"));
      await expect(recorder.addProducer(microphone.producer, label("yen-phong", "mic"))).rejects.toMatchObject({ code: "PRODUCER_UNAVAILABLE" });

      await sleep(2500);
      microphone.producer.close();
      await expect.poll(() => ended.length, { timeout: 10_000 }).toBe(1);
      expect(ended[0]).toMatchObject({ producerId: microphone.producer.id, failed: false });
      const finalised = await probeMedia(ended[0]!.file);
      // A finalised Matroska file states its duration; a killed one does not.
      expect(finalised.durationSeconds).toBeGreaterThan(1.5);

      const tracks = await recorder.stop();
      expect(tracks).toEqual(ended);
      await expect(recorder.addProducer(microphone.producer, label("yen-phong", "mic"))).rejects.toMatchObject({ code: "RECORDER_STOPPED" });

      const output = path.join(directory, "audio-only.mp4");
      const composition = await composeRecording(tracks, output, { canvas: CANVAS, frameRate: 15 });
      const probe = await probeMedia(output);
      expect(probe.streams.map((stream) => [stream.codecType, stream.codecName])).toEqual([
        ["video", "h264"],
        ["audio", "aac"],
      ]);
      expect(Math.abs(composition.durationSeconds - sessionSeconds(tracks))).toBeLessThanOrEqual(1);
      expect(await meanLuma(output, 1, WHOLE_FRAME)).toBeLessThan(25);
      expect(await meanVolume(output)).toBeGreaterThan(-40);
    },
    MEDIA_TEST_TIMEOUT,
  );

  it(
    "lasts until the recording stopped even when the media stopped earlier (a microphone muted at the end)",
    async () => {
      await newRouter();
      const microphone = await sendAudio(99_999_999);
      const recorder = await newRecorder("muted-at-end");
      await recorder.addProducer(microphone.producer, label("tinh", "mic"));
      await sleep(2000);
      // The chair mutes the site: mediasoup forwards nothing more and the file's media ends here.
      await microphone.producer.pause();
      const mutedAt = Date.now();
      await sleep(3000);
      const tracks = await recorder.stop();

      expect(tracks.map((track) => track.failed)).toEqual([false]);
      const [audio] = tracks as [RecordedTrack];
      const recordedSeconds = sessionSeconds(tracks);
      const mutedSeconds = (mutedAt - audio.mediaStartedAt!) / 1000;
      // The file holds the media, not the silence after it.
      expect(recordedSeconds - (await probeMedia(audio.file)).durationSeconds!).toBeGreaterThan(2);

      const output = path.join(directory, "muted-at-end.mp4");
      const composition = await composeRecording(tracks, output, { canvas: CANVAS, frameRate: 15 });
      const probe = await probeMedia(output);
      expect(Math.abs(probe.durationSeconds! - recordedSeconds)).toBeLessThanOrEqual(1);
      expect(Math.abs(composition.durationSeconds - probe.durationSeconds!)).toBeLessThan(0.01);
      // The tone until the mute, silence from it to the end.
      expect(await meanVolume(output, { from: 0.3, to: mutedSeconds - 0.3 })).toBeGreaterThan(-40);
      expect(await meanVolume(output, { from: mutedSeconds + 0.5, to: probe.durationSeconds! })).toBeLessThan(-80);
    },
    MEDIA_TEST_TIMEOUT,
  );

  it(
    "skips ports another process holds, and reports a track that cannot start",
    async () => {
      await newRouter();
      const microphone = await sendAudio(88_888_888);
      // A range of exactly one track's three ports, one of them taken by someone else.
      const range = { min: 50990, max: 50992 };
      const squatter = dgram.createSocket("udp4");
      await new Promise<void>((resolve) => squatter.bind(range.min + 1, "127.0.0.1", resolve));
      const recorder = await newRecorder("ports", range);
      const startFailures: string[] = [];
      recorder.on("trackStartFailed", (producerId, _label, error) => {
        startFailures.push(`${producerId}: ${error instanceof RecordingError ? error.code : error.message}`);
      });

      try {
        await expect(recorder.addProducer(microphone.producer, label("tinh", "mic"))).rejects.toMatchObject({ code: "NO_FREE_PORT" });
        expect(startFailures).toEqual([`${microphone.producer.id}: NO_FREE_PORT`]);
        expect(recorder.tracks).toEqual([]);
      } finally {
        await new Promise<void>((resolve) => squatter.close(resolve));
      }

      // Nothing was left holding the ports: once they are free the same producer records.
      await recorder.addProducer(microphone.producer, label("tinh", "mic"));
      await sleep(1000);
      const tracks = await recorder.stop();
      expect(tracks.map((track) => track.failed)).toEqual([false]);
      expect((await probeMedia(tracks[0]!.file)).streams.map((stream) => stream.codecName)).toEqual(["opus"]);
    },
    MEDIA_TEST_TIMEOUT,
  );
});
