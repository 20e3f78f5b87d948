import type { types } from "mediasoup";

/**
 * Codecs every room's router offers. Opus + VP8 first so server-side recording can copy the streams
 * into WebM without transcoding; H264 (baseline, packetization-mode 1) for old PCs and phones that
 * only decode it in hardware.
 */
export const roomMediaCodecs: types.RouterRtpCodecCapability[] = [
  { kind: "audio", mimeType: "audio/opus", clockRate: 48000, channels: 2 },
  { kind: "video", mimeType: "video/VP8", clockRate: 90000, parameters: { "x-google-start-bitrate": 600 } },
  {
    kind: "video",
    mimeType: "video/H264",
    clockRate: 90000,
    parameters: { "packetization-mode": 1, "profile-level-id": "42e01f", "level-asymmetry-allowed": 1 },
  },
];
