import { z } from "zod";

/**
 * Wire shapes of the mediasoup objects the client and server exchange. They check structure and size at
 * the edge; mediasoup itself validates the semantics (codec matching, payload types) and its rejections
 * become MEDIA_REJECTED. Objects are loose so fields added by newer mediasoup versions pass through.
 */

const id = z.string().min(1).max(64);
const shortText = z.string().max(256);
const codecParameters = z.record(z.string().max(64), z.union([z.string().max(512), z.number()]));

export const mediaKindSchema = z.enum(["audio", "video"]);
export type MediaKind = z.infer<typeof mediaKindSchema>;

/** What a producer carries, so receivers can lay out tiles without guessing from track labels. */
export const mediaSourceSchema = z.enum(["mic", "webcam", "screen"]);
export type MediaSource = z.infer<typeof mediaSourceSchema>;

const rtcpFeedbackSchema = z.looseObject({ type: shortText, parameter: shortText.optional() });

const rtpCodecCapabilitySchema = z.looseObject({
  kind: mediaKindSchema,
  mimeType: shortText,
  preferredPayloadType: z.number().int().min(0).max(127).optional(),
  clockRate: z.number().int().positive(),
  channels: z.number().int().positive().optional(),
  parameters: codecParameters.optional(),
  rtcpFeedback: z.array(rtcpFeedbackSchema).max(32).optional(),
});

const rtpHeaderExtensionCapabilitySchema = z.looseObject({
  kind: mediaKindSchema,
  uri: shortText,
  preferredId: z.number().int(),
  preferredEncrypt: z.boolean().optional(),
  direction: z.enum(["sendrecv", "sendonly", "recvonly", "inactive"]).optional(),
});

export const rtpCapabilitiesSchema = z.looseObject({
  codecs: z.array(rtpCodecCapabilitySchema).max(64).optional(),
  headerExtensions: z.array(rtpHeaderExtensionCapabilitySchema).max(64).optional(),
});
export type RtpCapabilities = z.infer<typeof rtpCapabilitiesSchema>;

const rtpCodecParametersSchema = z.looseObject({
  mimeType: shortText,
  payloadType: z.number().int().min(0).max(127),
  clockRate: z.number().int().positive(),
  channels: z.number().int().positive().optional(),
  parameters: codecParameters.optional(),
  rtcpFeedback: z.array(rtcpFeedbackSchema).max(32).optional(),
});

const rtpEncodingParametersSchema = z.looseObject({
  ssrc: z.number().int().nonnegative().optional(),
  rid: z.string().max(32).optional(),
  codecPayloadType: z.number().int().optional(),
  rtx: z.looseObject({ ssrc: z.number().int().nonnegative() }).optional(),
  dtx: z.boolean().optional(),
  scalabilityMode: z.string().max(32).optional(),
  scaleResolutionDownBy: z.number().positive().optional(),
  maxBitrate: z.number().positive().optional(),
});

export const rtpParametersSchema = z.looseObject({
  mid: z.string().max(32).optional(),
  codecs: z.array(rtpCodecParametersSchema).min(1).max(16),
  headerExtensions: z
    .array(z.looseObject({ uri: shortText, id: z.number().int(), encrypt: z.boolean().optional(), parameters: z.record(z.string(), z.unknown()).optional() }))
    .max(32)
    .optional(),
  encodings: z.array(rtpEncodingParametersSchema).max(8).optional(),
  rtcp: z.looseObject({ cname: z.string().max(256).optional(), reducedSize: z.boolean().optional(), mux: z.boolean().optional() }).optional(),
});
export type RtpParameters = z.infer<typeof rtpParametersSchema>;

export const dtlsParametersSchema = z.looseObject({
  role: z.enum(["auto", "client", "server"]).optional(),
  fingerprints: z
    .array(z.looseObject({ algorithm: z.string().max(32), value: z.string().max(256) }))
    .min(1)
    .max(8),
});
export type DtlsParameters = z.infer<typeof dtlsParametersSchema>;

export const iceParametersSchema = z.looseObject({
  usernameFragment: z.string(),
  password: z.string(),
  iceLite: z.boolean().optional(),
});
export type IceParameters = z.infer<typeof iceParametersSchema>;

export const iceCandidateSchema = z.looseObject({
  foundation: z.string(),
  priority: z.number(),
  address: z.string(),
  ip: z.string().optional(),
  protocol: z.enum(["udp", "tcp"]),
  port: z.number().int(),
  type: z.enum(["host", "srflx", "prflx", "relay"]),
  tcpType: z.enum(["passive", "active", "so"]).optional(),
});
export type IceCandidate = z.infer<typeof iceCandidateSchema>;

export const idSchema = id;

/**
 * STUN/TURN servers for the browser's RTCPeerConnection, handed out with each transport. A TURN entry
 * carries a time-limited credential (signaling/realtime/iceServers.ts); `relay` forces media through TURN.
 */
export const iceServerSchema = z
  .object({
    urls: z.array(z.string().min(1).max(512)).min(1).max(8),
    username: z.string().max(256).optional(),
    credential: z.string().max(256).optional(),
  })
  .strict();
export type IceServer = z.infer<typeof iceServerSchema>;
export const iceTransportPolicySchema = z.enum(["all", "relay"]);
