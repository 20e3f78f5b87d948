import { runToCompletion } from "./ffmpeg";

export interface ProbedStream {
  index: number;
  /** "video", "audio", "data", … as ffprobe names it. */
  codecType: string;
  codecName: string;
  width?: number;
  height?: number;
  durationSeconds?: number;
}

export interface MediaProbe {
  /** ffprobe's container name, e.g. "matroska,webm" or "mov,mp4,m4a,3gp,3g2,mj2". */
  formatName: string;
  /** Undefined when the container does not say, as in a Matroska file whose writer was killed. */
  durationSeconds?: number;
  streams: ProbedStream[];
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** ffprobe prints numbers as strings ("5.021000") and "N/A" when it does not know. */
function asNumber(value: unknown): number | undefined {
  const number = typeof value === "number" ? value : typeof value === "string" ? Number.parseFloat(value) : Number.NaN;
  return Number.isFinite(number) ? number : undefined;
}

/** Reads a media file's container and streams with ffprobe; rejects when ffprobe cannot read it. */
export async function probeMedia(file: string, options: { ffprobePath?: string } = {}): Promise<MediaProbe> {
  const json = await runToCompletion(options.ffprobePath ?? "ffprobe", [
    "-v",
    "error",
    "-print_format",
    "json",
    "-show_format",
    "-show_streams",
    file,
  ]);
  const parsed = asRecord(JSON.parse(json) as unknown);
  const format = asRecord(parsed.format);
  const streams = Array.isArray(parsed.streams) ? parsed.streams.map(asRecord) : [];
  return {
    formatName: typeof format.format_name === "string" ? format.format_name : "",
    durationSeconds: asNumber(format.duration),
    streams: streams.map((stream) => ({
      index: asNumber(stream.index) ?? 0,
      codecType: typeof stream.codec_type === "string" ? stream.codec_type : "unknown",
      codecName: typeof stream.codec_name === "string" ? stream.codec_name : "unknown",
      width: asNumber(stream.width),
      height: asNumber(stream.height),
      durationSeconds: asNumber(stream.duration),
    })),
  };
}
