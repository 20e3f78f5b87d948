import { access, rename, rm } from "node:fs/promises";
import { RecordingError } from "./errors";
import { FfmpegProcess, ffmpegEncoders, ffprobeBeside } from "./ffmpeg";
import { sha256OfFile } from "./hash";
import { gridLayout, type Size } from "./layout";
import { probeMedia } from "./probe";
import type { RecordedTrack } from "./types";

export interface ComposeOptions {
  /** Called with 0…1 as ffmpeg advances through the composition, never decreasing. */
  onProgress?(fraction: number): void;
  ffmpegPath?: string;
  /** Default: the ffprobe beside `ffmpegPath`. */
  ffprobePath?: string;
  /** Output picture; default 1280×720, which the office PCs' players decode in hardware or comfortably in software. */
  canvas?: Size;
  /** Output frame rate; default 25. */
  frameRate?: number;
  /**
   * The span the room announced as recorded (wall clock, ms since epoch): the file covers exactly it,
   * media before its start or after its end cut off, black and silence where a track has nothing.
   * Without it the file runs from the earliest track's first packet to the last track's end.
   */
  span?: RecordingSpan;
}

export interface RecordingSpan {
  startedAt: number;
  stoppedAt: number;
}

export interface SkippedTrack {
  track: RecordedTrack;
  reason: string;
}

export interface Composition {
  /** The file written: `outputFile`, or the same name ending in .webm when ffmpeg lacks libx264. */
  file: string;
  format: "mp4" | "webm";
  durationSeconds: number;
  sha256: string;
  /** Tracks in the composition, in the grid's order (earliest first). */
  included: RecordedTrack[];
  /** Tracks left out because their file is missing or holds nothing ffmpeg can decode. */
  skipped: SkippedTrack[];
}

/** A track placed on the composition's timeline. */
export interface TimelineTrack {
  track: RecordedTrack;
  /**
   * Seconds from the timeline's origin (the announced start, or else the earliest file's start) to this
   * file's start; negative when the file began before the announced start and is cut at it.
   */
  offsetSeconds: number;
  durationSeconds: number;
}

export interface CompositionPlan {
  video: TimelineTrack[];
  audio: TimelineTrack[];
  totalSeconds: number;
  canvas: Size;
  frameRate: number;
}

const seconds = (value: number) => value.toFixed(3);

/**
 * The filter graph: a black canvas as long as the session with each video overlaid in its grid cell
 * from its own start, and every microphone delayed to its start and summed.
 *
 * Overlays on a canvas rather than xstack: xstack needs every input from time zero and freezes a
 * participant's last frame when they leave, while an overlay simply is not there before its first
 * frame and after its last (black cell). With `eval=frame` the overlay also re-centres a camera that
 * changes resolution mid-meeting, which the Matroska tracks allow.
 */
export function compositionFilterGraph(plan: CompositionPlan): string {
  const { canvas, frameRate, totalSeconds } = plan;
  const chains: string[] = [];
  const cells = gridLayout(plan.video.length, canvas);
  chains.push(`color=c=black:s=${canvas.width}x${canvas.height}:r=${frameRate}:d=${seconds(totalSeconds)},format=yuv420p[canvas0]`);
  plan.video.forEach((entry, index) => {
    const cell = cells[index]!;
    // A file that began before the origin loses its head; one that began later is shifted to its start.
    const place =
      entry.offsetSeconds < 0
        ? `setpts=PTS-STARTPTS,trim=start=${seconds(-entry.offsetSeconds)},setpts=PTS-STARTPTS`
        : `setpts=PTS-STARTPTS+${seconds(entry.offsetSeconds)}/TB`;
    chains.push(
      `[${index}:v:0]${place},` +
        `scale=w=${cell.width}:h=${cell.height}:force_original_aspect_ratio=decrease[camera${index}]`,
    );
    const output = index === plan.video.length - 1 ? "vout" : `canvas${index + 1}`;
    chains.push(
      `[canvas${index}][camera${index}]overlay=eval=frame:eof_action=pass:format=yuv420:` +
        `x=${cell.x}+(${cell.width}-overlay_w)/2:y=${cell.y}+(${cell.height}-overlay_h)/2[${output}]`,
    );
  });
  if (plan.video.length === 0) chains.push("[canvas0]null[vout]");

  const whole = `apad=whole_dur=${seconds(totalSeconds)}`;
  if (plan.audio.length === 0) {
    // Silence, so every composition has the same streams and players show the same controls.
    chains.push(`anullsrc=r=48000:cl=stereo,atrim=duration=${seconds(totalSeconds)}[aout]`);
  } else {
    plan.audio.forEach((entry, index) => {
      const input = plan.video.length + index;
      const delayMs = Math.max(0, Math.round(entry.offsetSeconds * 1000));
      const head = entry.offsetSeconds < 0 ? `atrim=start=${seconds(-entry.offsetSeconds)},asetpts=PTS-STARTPTS,` : "";
      // async fills the gaps a muted (paused) microphone leaves with silence, keeping later speech in place.
      chains.push(
        `[${input}:a:0]asetpts=PTS-STARTPTS,aresample=48000:async=1:first_pts=0,${head}` +
          `aformat=sample_rates=48000:channel_layouts=stereo,adelay=delays=${delayMs}:all=1[mic${index}]`,
      );
    });
    const inputs = plan.audio.map((_, index) => `[mic${index}]`).join("");
    // normalize=0: amix would otherwise lower every voice by the number of microphones in the room.
    chains.push(`${inputs}amix=inputs=${plan.audio.length}:duration=longest:dropout_transition=0:normalize=0,${whole}[aout]`);
  }
  return chains.join(";");
}

type OutputFormat = Composition["format"];

/** H.264 Main + AAC in MP4 plays on every office PC; VP8 + Opus in WebM only where libx264 is missing. */
async function outputFormat(ffmpegPath: string): Promise<OutputFormat> {
  const encoders = await ffmpegEncoders(ffmpegPath);
  if (encoders.has("libx264") && encoders.has("aac")) return "mp4";
  if (encoders.has("libvpx") && encoders.has("libopus")) return "webm";
  throw new RecordingError("FFMPEG_FAILED", `${ffmpegPath} has neither libx264 + aac nor libvpx + libopus`);
}

function encoderArguments(format: OutputFormat, frameRate: number): string[] {
  const keyFrames = String(frameRate * 2);
  if (format === "mp4") {
    return [
      ...["-c:v", "libx264", "-preset", "veryfast", "-profile:v", "main", "-pix_fmt", "yuv420p", "-crf", "23", "-g", keyFrames],
      ...["-c:a", "aac", "-b:a", "96k", "-ar", "48000", "-ac", "2"],
      // The index at the front: a browser or a player on a network share starts playing at once.
      ...["-movflags", "+faststart", "-f", "mp4"],
    ];
  }
  return [
    ...["-c:v", "libvpx", "-deadline", "good", "-cpu-used", "5", "-b:v", "1500k", "-pix_fmt", "yuv420p", "-g", keyFrames],
    ...["-c:a", "libopus", "-b:a", "64k", "-ar", "48000", "-ac", "2"],
    ...["-f", "webm"],
  ];
}

async function placeOnTimeline(
  tracks: readonly RecordedTrack[],
  ffprobePath: string,
): Promise<{ timeline: Omit<TimelineTrack, "offsetSeconds">[]; skipped: SkippedTrack[] }> {
  const timeline: Omit<TimelineTrack, "offsetSeconds">[] = [];
  const skipped: SkippedTrack[] = [];
  for (const track of tracks) {
    const exists = await access(track.file).then(
      () => true,
      () => false,
    );
    if (!exists) {
      skipped.push({ track, reason: "the file does not exist (ffmpeg received no media)" });
      continue;
    }
    try {
      const probe = await probeMedia(track.file, { ffprobePath });
      const stream = probe.streams.find((candidate) => candidate.codecType === track.kind);
      if (!stream) {
        skipped.push({ track, reason: `the file has no ${track.kind} stream` });
        continue;
      }
      // A file whose ffmpeg was killed has no duration in its header; the wall clock is the next best.
      const durationSeconds = probe.durationSeconds ?? stream.durationSeconds ?? Math.max(0, (track.endedAt - fileStartOf(track)) / 1000);
      timeline.push({ track, durationSeconds });
    } catch (error) {
      skipped.push({ track, reason: `ffprobe cannot read the file: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  return { timeline, skipped };
}

/** When a track's file begins, by the wall clock: its first packet, or else when it was resumed. */
function fileStartOf(track: RecordedTrack): number {
  return track.mediaStartedAt ?? track.startedAt;
}

/**
 * Where the tracks sit on one timeline starting with the earliest included track, and how long it
 * lasts: to the later of the last file's end and the last track's `endedAt`.
 */
export function planComposition(
  timeline: readonly Omit<TimelineTrack, "offsetSeconds">[],
  options: { canvas: Size; frameRate: number; span?: RecordingSpan },
): CompositionPlan {
  const span = options.span;
  const origin = span ? span.startedAt : Math.min(...timeline.map((entry) => fileStartOf(entry.track)));
  let placed = timeline
    .map((entry) => ({ ...entry, offsetSeconds: (fileStartOf(entry.track) - origin) / 1000 }))
    .sort((a, b) => a.offsetSeconds - b.offsetSeconds || a.track.label.displayName.localeCompare(b.track.label.displayName, "vi"));
  // As long as the session: until the last track ended by the wall clock, not only until the last
  // media in the files. A microphone muted or a camera stopped before the recording stops (a paused
  // producer sends nothing more) leaves a file shorter than its track; black and silence fill the rest.
  // With an announced span, exactly that span: it is what the room was told was recorded.
  const totalSeconds = span
    ? (span.stoppedAt - span.startedAt) / 1000
    : Math.max(...placed.map((entry) => Math.max(entry.offsetSeconds + entry.durationSeconds, (entry.track.endedAt - origin) / 1000)));
  // A file wholly outside the span adds nothing to it (and an empty overlay input would stall the graph).
  if (span) placed = placed.filter((entry) => entry.offsetSeconds < totalSeconds && entry.offsetSeconds + entry.durationSeconds > 0);
  return {
    video: placed.filter((entry) => entry.track.kind === "video"),
    audio: placed.filter((entry) => entry.track.kind === "audio"),
    totalSeconds,
    canvas: options.canvas,
    frameRate: options.frameRate,
  };
}

function reporter(onProgress: ((fraction: number) => void) | undefined): (fraction: number) => void {
  let last = -1;
  return (fraction) => {
    const clamped = Math.min(1, Math.max(0, fraction));
    if (!onProgress || clamped <= last) return;
    last = clamped;
    try {
      onProgress(clamped);
    } catch (error) {
      // A broken progress bar must not abort an hour-long encode.
      console.error("recording: onProgress threw", error);
    }
  };
}

/**
 * Joins a session's tracks into ONE playable file: videos in a grid, each appearing at the moment it
 * started (black before and after), microphones mixed at their own start times. The session without
 * any camera still gets a (black) video stream, so every composition plays the same way everywhere.
 * Tracks that cannot be read are left out and reported, never fatal unless nothing is left.
 */
export async function composeRecording(
  tracks: readonly RecordedTrack[],
  outputFile: string,
  options: ComposeOptions = {},
): Promise<Composition> {
  const ffmpegPath = options.ffmpegPath ?? "ffmpeg";
  const ffprobePath = options.ffprobePath ?? ffprobeBeside(ffmpegPath);
  const canvas = options.canvas ?? { width: 1280, height: 720 };
  const frameRate = options.frameRate ?? 25;
  if (canvas.width % 2 !== 0 || canvas.height % 2 !== 0 || canvas.width < 16 || canvas.height < 16) {
    throw new RangeError(`canvas ${canvas.width}x${canvas.height} must have even sides of at least 16 pixels`);
  }

  const { timeline, skipped } = await placeOnTimeline(tracks, ffprobePath);
  if (timeline.length === 0) throw new RecordingError("NOTHING_TO_COMPOSE", "no track holds decodable media");
  const plan = planComposition(timeline, { canvas, frameRate, ...(options.span ? { span: options.span } : {}) });
  if (!(plan.totalSeconds > 0)) throw new RecordingError("NOTHING_TO_COMPOSE", "the tracks hold no media time");

  const format = await outputFormat(ffmpegPath);
  const file = format === "mp4" ? outputFile : outputFile.replace(/(\.[^./\\]*)?$/, ".webm");
  // ffmpeg writes beside the target and the file is renamed when complete: a crash or a failed
  // encode never leaves something that looks like a finished recording.
  const partial = `${file}.partial`;
  const args = [
    ...["-hide_banner", "-nostdin", "-loglevel", "error", "-y"],
    // A camera changing resolution must not rebuild the graph: that would restart every start offset.
    ...plan.video.flatMap((entry) => ["-reinit_filter", "0", "-i", entry.track.file]),
    ...plan.audio.flatMap((entry) => ["-i", entry.track.file]),
    ...["-filter_complex", compositionFilterGraph(plan), "-map", "[vout]", "-map", "[aout]"],
    ...["-t", seconds(plan.totalSeconds)],
    ...encoderArguments(format, frameRate),
    ...["-progress", "pipe:1", "-nostats"],
    partial,
  ];

  const progress = reporter(options.onProgress);
  const encoder = FfmpegProcess.spawn(ffmpegPath, args, {
    onStdoutLine: (line) => {
      // -progress prints key=value blocks; out_time_us is the position written so far.
      const match = /^out_time_us=(\d+)$/.exec(line);
      if (match) progress(Number(match[1]) / 1e6 / plan.totalSeconds);
    },
  });
  const exit = await encoder.exited;
  if (exit.code !== 0) {
    await rm(partial, { force: true });
    throw new RecordingError("FFMPEG_FAILED", `composition failed: ${encoder.describeExit(exit)}`, { cause: exit.error });
  }
  await rename(partial, file);

  const probe = await probeMedia(file, { ffprobePath });
  const sha256 = await sha256OfFile(file);
  progress(1);
  return {
    file,
    format,
    durationSeconds: probe.durationSeconds ?? plan.totalSeconds,
    sha256,
    included: [...plan.video, ...plan.audio].map((entry) => entry.track),
    skipped,
  };
}
