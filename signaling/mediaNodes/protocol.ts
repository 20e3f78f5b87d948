import { z } from "zod";
import { dtlsParametersSchema, iceCandidateSchema, iceParametersSchema, mediaKindSchema, rtpCapabilitiesSchema, rtpParametersSchema } from "../protocol/media";

/**
 * The control channel between a signaling process and a media node (README › Scaling out › Several media
 * hosts): socket.io, one `call` event per request with an acknowledgement, and a few events from the node.
 * Every message is checked with these schemas on arrival, on both sides.
 */

const id = z.string().min(1).max(64);
const srtpParametersSchema = z.looseObject({ cryptoSuite: z.string().max(64), keyBase64: z.string().max(256) });
const pipeEndSchema = z.object({ ip: z.string().min(1).max(64), port: z.number().int().min(1).max(65535), srtpParameters: srtpParametersSchema });
const layersSchema = z.object({ spatialLayer: z.number().int().min(0).max(15), temporalLayer: z.number().int().min(0).max(15).optional() });
const scoreSchema = z.object({ score: z.number(), producerScore: z.number(), producerScores: z.array(z.number()).max(16) });
const transportAppDataSchema = z.object({ direction: z.enum(["send", "recv"]) });

/** Each method: what it takes and what it answers. */
export const nodeMethods = {
  createRouter: { params: z.object({}).strict(), result: z.object({ routerId: id }) },
  closeRouter: { params: z.object({ routerId: id }).strict(), result: z.object({}) },
  createWebRtcTransport: {
    params: z.object({ routerId: id, initialAvailableOutgoingBitrate: z.number().int().min(1).max(1_000_000_000), enableTcp: z.boolean(), appData: transportAppDataSchema }).strict(),
    result: z.object({ id, iceParameters: iceParametersSchema, iceCandidates: z.array(iceCandidateSchema).max(16), dtlsParameters: dtlsParametersSchema }),
  },
  connectWebRtcTransport: { params: z.object({ transportId: id, dtlsParameters: dtlsParametersSchema }).strict(), result: z.object({}) },
  restartIce: { params: z.object({ transportId: id }).strict(), result: z.object({ iceParameters: iceParametersSchema }) },
  closeTransport: { params: z.object({ transportId: id }).strict(), result: z.object({}) },
  createPipeTransport: { params: z.object({ routerId: id }).strict(), result: z.object({ id, local: pipeEndSchema }) },
  connectPipeTransport: { params: z.object({ transportId: id, remote: pipeEndSchema }).strict(), result: z.object({}) },
  pipeProduce: {
    params: z.object({ transportId: id, producerId: id, kind: mediaKindSchema, rtpParameters: rtpParametersSchema, paused: z.boolean() }).strict(),
    result: z.object({}),
  },
  /** Bytes a piped producer received from the home host (diagnosis; the tests' proof that RTP crosses). */
  pipeProducerStats: { params: z.object({ producerId: id }).strict(), result: z.object({ byteCount: z.number().min(0), packetCount: z.number().min(0) }) },
  pipeProducerAction: { params: z.object({ producerId: id, action: z.enum(["pause", "resume", "close"]) }).strict(), result: z.object({}) },
  consume: {
    params: z.object({ transportId: id, producerId: id, rtpCapabilities: rtpCapabilitiesSchema, paused: z.boolean(), preferredLayers: layersSchema.optional() }).strict(),
    result: z.object({
      id,
      kind: mediaKindSchema,
      type: z.enum(["simple", "simulcast", "svc", "pipe"]),
      rtpParameters: rtpParametersSchema,
      paused: z.boolean(),
      producerPaused: z.boolean(),
      score: scoreSchema,
      preferredLayers: layersSchema.optional(),
    }),
  },
  consumerAction: { params: z.object({ consumerId: id, action: z.enum(["pause", "resume", "requestKeyFrame", "close"]) }).strict(), result: z.object({}) },
  setPreferredLayers: { params: z.object({ consumerId: id, layers: layersSchema }).strict(), result: z.object({ preferredLayers: layersSchema.optional() }) },
  consumerStats: {
    params: z.object({ consumerId: id }).strict(),
    result: z.object({ stats: z.array(z.object({ type: z.string().max(64), kind: z.string().max(16), packetCount: z.number(), byteCount: z.number() })).max(16) }),
  },
} as const;

export type NodeMethod = keyof typeof nodeMethods;
export type NodeParams<M extends NodeMethod> = z.infer<(typeof nodeMethods)[M]["params"]>;
export type NodeResult<M extends NodeMethod> = z.infer<(typeof nodeMethods)[M]["result"]>;

export const callSchema = z.object({ method: z.enum(Object.keys(nodeMethods) as [NodeMethod, ...NodeMethod[]]), params: z.unknown() }).strict();

/** The acknowledgement of a call: its result, or a stable code and what went wrong. */
export const replySchema = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.enum(["BAD_REQUEST", "NOT_FOUND", "MEDIA_REJECTED", "FAILED"]), message: z.string().max(2_000) }) }),
]);
export type NodeReply = z.infer<typeof replySchema>;

/** What the node tells the signaling process by itself. */
export const nodeEvents = {
  /** The consumer closed on the node (its pipe producer or its transport closed). */
  consumerClosed: z.object({ consumerId: id, why: z.enum(["producerclose", "transportclose"]) }),
  consumerLayers: z.object({ consumerId: id, layers: layersSchema.nullable() }),
  consumerScore: z.object({ consumerId: id, score: scoreSchema }),
  consumerProducerPaused: z.object({ consumerId: id, paused: z.boolean() }),
  transportClosed: z.object({ transportId: id }),
  /** The router is gone (its worker died): its transports and consumers with it. */
  routerClosed: z.object({ routerId: id }),
} as const;
export type NodeEventName = keyof typeof nodeEvents;
export type NodeEvent<E extends NodeEventName> = z.infer<(typeof nodeEvents)[E]>;

/** The most workers a node runs (its MEDIASOUP_WORKERS stops there too): an entry claiming more is refused. */
export const MAX_NODE_WORKERS = 64;
/**
 * The most consumers an entry may report: far above what 64 workers carry (about 500 to 1 000 each), low
 * enough that placement's arithmetic on it stays plain (third review, finding 4).
 */
export const MAX_NODE_CONSUMERS = 100_000;

/** A node's entry in Redis (`media-node:<id>`), refreshed with each heartbeat. */
export const nodeEntrySchema = z.object({
  id: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
  /**
   * Random for each start of the node: a signaling process keeps its channel when only the certificate
   * changed (renewed while running, tls.ts) and reconnects when this changed (a restart).
   */
  instance: z.string().regex(/^[0-9a-f]{32}$/),
  /** The control channel's URL, e.g. https://10.0.0.12:4500 (http only for a lab's MEDIA_NODE_ALLOW_PLAIN). */
  url: z.url({ protocol: /^https?$/ }),
  /** The node's self-signed TLS certificate (PEM), the only one signaling processes accept from it (tls.ts). */
  certificate: z.string().min(1).max(8_192).optional(),
  /** Consumers on the node's workers now, the load placement compares. */
  consumers: z.number().int().min(0).max(MAX_NODE_CONSUMERS),
  workers: z.number().int().min(1).max(MAX_NODE_WORKERS),
});
export type NodeEntry = z.infer<typeof nodeEntrySchema>;

/** The entry as stored: signed with the node's own key, derived from MEDIA_NODE_SECRET (see secret.ts). */
export const signedNodeEntrySchema = nodeEntrySchema.extend({ signedAt: z.number().int().positive(), sig: z.string().regex(/^[0-9a-f]{64}$/) }).strict();
export type SignedNodeEntry = z.infer<typeof signedNodeEntrySchema>;

/**
 * The longest entry signaling processes fetch (bytes): a signed entry with its certificate takes about 9 KB.
 * Anything longer is refused inside Redis, unread (registry.ts): a node may SET its key to any size up to
 * Redis's 512 MB, which every signaling process would otherwise fetch and parse each beat (third review, finding 3).
 */
export const MAX_ENTRY_BYTES = 16_384;

export const NODE_KEY_PREFIX = "media-node:";
