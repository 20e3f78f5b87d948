import type { types } from "mediasoup";

export interface RecordingSdpOptions {
  kind: types.MediaKind;
  /** The consumer's RTP parameters: what mediasoup will send to the recorder. */
  rtpParameters: types.RtpParameters;
  /** Local UDP port ffmpeg listens on for RTP (RTCP arrives on the same port: rtcp-mux). */
  port: number;
  /** Address mediasoup sends to; the recorder keeps all of its traffic on loopback. */
  ip?: string;
  /**
   * The only address ffmpeg accepts packets from (default `ip`). ffmpeg binds the wildcard address
   * whatever the SDP says; without this filter anyone on the LAN could inject media into a recording.
   */
  sourceIp?: string;
  sessionName?: string;
}

/** Codecs that carry no media of their own and that ffmpeg must not be told about. */
const AUXILIARY_CODECS = new Set(["rtx", "red", "ulpfec", "flexfec-03"]);

function subtypeOf(mimeType: string): string {
  const slash = mimeType.indexOf("/");
  return slash === -1 ? mimeType : mimeType.slice(slash + 1);
}

/**
 * The codec the consumer actually sends. mediasoup lists the media codec first and its RTX after it, but
 * an encoding may name its codec explicitly, which wins.
 */
export function mediaCodecOf(rtpParameters: types.RtpParameters): types.RtpCodecParameters {
  const pinned = rtpParameters.encodings?.[0]?.codecPayloadType;
  const codec =
    (pinned === undefined ? undefined : rtpParameters.codecs.find((candidate) => candidate.payloadType === pinned)) ??
    rtpParameters.codecs.find((candidate) => !AUXILIARY_CODECS.has(subtypeOf(candidate.mimeType).toLowerCase()));
  if (!codec) throw new TypeError("the RTP parameters hold no media codec");
  return codec;
}

function fmtpOf(parameters: Record<string, unknown> | undefined): string | undefined {
  const pairs = Object.entries(parameters ?? {})
    .filter(([, value]) => value !== undefined && value !== null && value !== "")
    .map(([key, value]) => `${key}=${String(value)}`);
  return pairs.length > 0 ? pairs.join(";") : undefined;
}

/**
 * The SDP ffmpeg reads to receive one consumer over plain RTP. Only the media codec is declared: ffmpeg
 * cannot use RTX, and an unknown payload type is simply dropped.
 */
export function buildRecordingSdp(options: RecordingSdpOptions): string {
  const { kind, rtpParameters, port } = options;
  const ip = options.ip ?? "127.0.0.1";
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`invalid RTP port ${port}`);
  const codec = mediaCodecOf(rtpParameters);
  const expectedPrefix = `${kind}/`;
  if (!codec.mimeType.toLowerCase().startsWith(expectedPrefix)) {
    throw new TypeError(`codec ${codec.mimeType} does not carry ${kind}`);
  }

  const family = ip.includes(":") ? "IP6" : "IP4";
  // RFC 7587: Opus is always declared with two channels, whatever it carries.
  const channels = subtypeOf(codec.mimeType).toLowerCase() === "opus" ? 2 : codec.channels;
  const rtpmap = `${subtypeOf(codec.mimeType)}/${codec.clockRate}${kind === "audio" && channels && channels > 1 ? `/${channels}` : ""}`;
  const fmtp = fmtpOf(codec.parameters);

  const lines = [
    "v=0",
    `o=- 0 0 IN ${family} ${ip}`,
    `s=${options.sessionName ?? "Cau Noi recording"}`,
    `c=IN ${family} ${ip}`,
    "t=0 0",
    `m=${kind} ${port} RTP/AVP ${codec.payloadType}`,
    `a=rtpmap:${codec.payloadType} ${rtpmap}`,
    ...(fmtp ? [`a=fmtp:${codec.payloadType} ${fmtp}`] : []),
    // RFC 4570; ffmpeg drops datagrams from any other source.
    `a=source-filter: incl IN ${family} ${ip} ${options.sourceIp ?? ip}`,
    "a=rtcp-mux",
    "a=recvonly",
  ];
  // SDP lines end in CRLF (RFC 8866), the last one included.
  return `${lines.join("\r\n")}\r\n`;
}
