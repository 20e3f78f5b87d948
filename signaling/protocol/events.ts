import { z } from "zod";
import type { AckCallback } from "./ack";
import { caseKindSchema } from "./cases";
import { minutesRequests, minutesServerEvents } from "./directives";
import {
  dtlsParametersSchema,
  iceCandidateSchema,
  iceParametersSchema,
  iceServerSchema,
  iceTransportPolicySchema,
  idSchema,
  mediaKindSchema,
  mediaSourceSchema,
  rtpCapabilitiesSchema,
  rtpParametersSchema,
} from "./media";

/** A room name as typed in the join form and shown in links: lowercase letters, digits and dashes. */
export const roomIdSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "room id: 1–63 lowercase letters, digits or dashes");

/** A person's or a site's name as shown on tiles. Control characters would break layouts and logs. */
export const displayNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]+$/, "display name must not contain control characters");

export const producerInfoSchema = z.object({
  id: idSchema,
  kind: mediaKindSchema,
  source: mediaSourceSchema,
  paused: z.boolean(),
  /** Simulcast layers the producer sends (1 = a single encoding). */
  layers: z.number().int().min(1).max(8),
});
export type ProducerInfo = z.infer<typeof producerInfoSchema>;

/**
 * A site's link as the server measures it on what the site sends (mediasoup's stream scores): `good`, `weak`
 * (visible artefacts, short freezes) or `bad` (broken audio, frozen video). Absent while it sends nothing.
 */
export const linkQualitySchema = z.enum(["good", "weak", "bad"]);
export type LinkQuality = z.infer<typeof linkQualitySchema>;

export const peerInfoSchema = z.object({
  id: idSchema,
  displayName: z.string(),
  producers: z.array(producerInfoSchema),
  link: linkQualitySchema.optional(),
});
export type PeerInfo = z.infer<typeof peerInfoSchema>;

const empty = z.object({}).strict();

/** What the chair has imposed, sent on join/resume and whenever it changes. */
export const moderationSchema = z.object({
  muteAll: z.boolean(),
  /** Peers the chair muted; they cannot unmute themselves until the chair allows it. */
  mutedPeerIds: z.array(idSchema),
  /** Closed to new sites (the chair still gets in). */
  locked: z.boolean(),
  /** Raised hands in the order they were raised: the chair's queue. */
  hands: z.array(idSchema),
  /** The site given the floor: it may speak even under mute-all. */
  floorPeerId: idSchema.nullable(),
  /** The tile everyone sees large. */
  spotlightPeerId: idSchema.nullable(),
  /** Peers that chair the meeting: their video is shown large, mute-all spares them. */
  chairPeerIds: z.array(idSchema),
  /** The chair is recording the meeting: every site is told (and shows a notice). */
  recording: z.boolean(),
  /**
   * What the chair's rules mean for the peer this copy is addressed to, decided by the server so no
   * client re-derives them; absent in copies sent to the whole room (the last addressed copy holds).
   */
  self: z
    .object({
      isChair: z.boolean(),
      /** Muted by the chair (individually or by mute-all): the microphone may not be turned on. */
      mutedByChair: z.boolean(),
      canUnmute: z.boolean(),
      canShareScreen: z.boolean(),
    })
    .optional(),
});
export type Moderation = z.infer<typeof moderationSchema>;

export const chatMessageSchema = z.object({
  id: idSchema,
  peerId: idSchema,
  displayName: z.string(),
  text: z.string(),
  at: z.string(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/** The answer to join and resume: who I am, the room, everyone else and their producers now. */
const joinedSchema = z.object({
  peerId: idSchema,
  roomId: roomIdSchema,
  displayName: z.string(),
  /** Present this with `resume` to come back as the same peer after a dropped connection. */
  resumeToken: z.string(),
  peers: z.array(peerInfoSchema),
  moderation: moderationSchema,
  /**
   * When the room's current session began (the earliest join among the peers in it now), for the meeting
   * timer every site shows; a site that joins late sees the time the meeting has run, not its own.
   */
  startedAt: z.string().optional(),
});
const byProducer = z.object({ producerId: idSchema }).strict();

/**
 * Every client→server event. Each is sent with an ack and answered with `Ack<response>`.
 * Order of a normal session: getRouterRtpCapabilities → join → createWebRtcTransport (send, recv) →
 * connectWebRtcTransport (on first use) → produce / consume → resumeConsumer → … → leave.
 */
export const clientRequests = {
  getRouterRtpCapabilities: {
    request: empty,
    response: z.object({ rtpCapabilities: rtpCapabilitiesSchema }),
  },
  join: {
    // No display name: the server names the peer from the signed-in account (a site account by its unit).
    request: z.object({ roomId: roomIdSchema, rtpCapabilities: rtpCapabilitiesSchema }).strict(),
    response: joinedSchema,
  },
  /** After a dropped socket: take back the same peer (its media never stopped) within the grace period. */
  resume: {
    request: z.object({ peerId: idSchema, resumeToken: z.string().min(16).max(128) }).strict(),
    response: joinedSchema,
  },
  createWebRtcTransport: {
    request: z.object({ direction: z.enum(["send", "recv"]) }).strict(),
    response: z.object({
      id: idSchema,
      iceParameters: iceParametersSchema,
      iceCandidates: z.array(iceCandidateSchema),
      dtlsParameters: dtlsParametersSchema,
      // Absent when the server has no STUN/TURN settings (the browser then reaches mediasoup directly).
      iceServers: z.array(iceServerSchema).max(16).optional(),
      iceTransportPolicy: iceTransportPolicySchema.optional(),
    }),
  },
  connectWebRtcTransport: {
    request: z.object({ transportId: idSchema, dtlsParameters: dtlsParametersSchema }).strict(),
    response: empty,
  },
  /** The media path failed (network change, NAT timeout): fresh ICE credentials for an ICE restart. */
  restartIce: {
    request: z.object({ transportId: idSchema }).strict(),
    response: z.object({ iceParameters: iceParametersSchema }),
  },
  produce: {
    request: z
      .object({
        transportId: idSchema,
        kind: mediaKindSchema,
        source: mediaSourceSchema,
        rtpParameters: rtpParametersSchema,
        paused: z.boolean().optional(),
      })
      .strict(),
    /** `paused` is true when the chair's mute holds: the microphone starts muted. */
    response: z.object({ producerId: idSchema, paused: z.boolean() }),
  },
  consume: {
    request: z
      .object({
        transportId: idSchema,
        producerId: idSchema,
        /** Simulcast layer to start with (0 = smallest); the tile size sets it later. Default: the largest. */
        spatialLayer: z.number().int().min(0).max(2).optional(),
      })
      .strict(),
    response: z.object({
      consumerId: idSchema,
      producerId: idSchema,
      peerId: idSchema,
      kind: mediaKindSchema,
      source: mediaSourceSchema,
      rtpParameters: rtpParametersSchema,
      producerPaused: z.boolean(),
    }),
  },
  resumeConsumer: { request: z.object({ consumerId: idSchema }).strict(), response: empty },
  /** Stop receiving a stream for now (its tile is off the page, or the site chose audio only). */
  pauseConsumer: { request: z.object({ consumerId: idSchema }).strict(), response: empty },
  /** The simulcast layer that fits the tile: 0 small, 1 medium, 2 large. */
  setConsumerPreferredLayers: {
    request: z.object({ consumerId: idSchema, spatialLayer: z.number().int().min(0).max(2) }).strict(),
    response: empty,
  },
  pauseProducer: { request: byProducer, response: empty },
  resumeProducer: { request: byProducer, response: empty },
  closeProducer: { request: byProducer, response: empty },
  leave: { request: empty, response: empty },
  sendChat: {
    request: z.object({ text: z.string().trim().min(1).max(1000) }).strict(),
    response: chatMessageSchema,
  },
  getChat: { request: empty, response: z.object({ messages: z.array(chatMessageSchema) }) },
  /** Chair: mute a site's microphone (it cannot unmute itself), or allow it to unmute again. */
  muteSite: { request: z.object({ peerId: idSchema, muted: z.boolean() }).strict(), response: empty },
  /** Chair: mute every site, including those that join later, until lifted. */
  setMuteAll: { request: z.object({ on: z.boolean() }).strict(), response: empty },
  /** Chair: stop a site's camera (the site may turn it on again). */
  stopCamera: { request: z.object({ peerId: idSchema }).strict(), response: empty },
  /** Chair: remove a site from the room; while the room is locked it cannot come back. */
  removeSite: { request: z.object({ peerId: idSchema }).strict(), response: empty },
  lockRoom: { request: z.object({ locked: z.boolean() }).strict(), response: empty },
  spotlight: { request: z.object({ peerId: idSchema.nullable() }).strict(), response: empty },
  /** Chair: give the floor to a site (unmuted, spotlighted), or take it back with null. */
  grantFloor: { request: z.object({ peerId: idSchema.nullable() }).strict(), response: empty },
  /** Any site: ask for (or withdraw a request for) the floor. */
  raiseHand: { request: z.object({ raised: z.boolean() }).strict(), response: empty },
  /** Chair: end the meeting for everyone. */
  endMeeting: { request: empty, response: empty },
  /** Chair: start recording the meeting on the server (everyone is told). */
  startRecording: { request: empty, response: z.object({ recordingId: idSchema }) },
  /** Chair: stop recording; the single file is composed afterwards. */
  stopRecording: { request: empty, response: z.object({ recordingId: idSchema }) },
  /**
   * A citizen (booking link) enters the waiting room of its reception session; `notOpen` until the
   * officer opens it (the page asks again).
   */
  enterLobby: { request: empty, response: z.object({ status: z.enum(["waiting", "admitted", "notOpen"]) }) },
  /** Receiving staff: let the booked citizen in from the waiting room. */
  admitGuest: { request: z.object({ bookingId: idSchema }).strict(), response: empty },
  /** The citizen answers the recording notice; only then may it join the room (and send media). */
  answerConsent: { request: z.object({ accepted: z.boolean() }).strict(), response: z.object({ roomId: roomIdSchema }) },
  /** Receiving staff, office-shaped session: the citizen at the office was told of the recording and answered. */
  recordOfficeConsent: {
    // What the visit is about, declared with the consent: an office session is recorded only once it is known.
    request: z.object({ accepted: z.boolean(), petitionKind: caseKindSchema.optional() }).strict(),
    response: empty,
  },
  /** Receiving staff: ask the citizen to confirm a reception book entry on screen (instead of signing). */
  requestConfirmation: { request: z.object({ entryId: idSchema }).strict(), response: empty },
  /** The citizen confirms the entry it was shown. */
  confirmEntry: { request: z.object({ entryId: idSchema }).strict(), response: empty },
  /** Receiving staff: file a case from the session; the citizen is shown its code and lookup code. */
  issueCase: {
    request: z.object({ summary: z.string().trim().min(5).max(300) }).strict(),
    response: z.object({ caseId: idSchema, code: z.string() }),
  },
  ...minutesRequests,
} as const;

export type ClientRequestName = keyof typeof clientRequests;
export const clientRequestNames = Object.keys(clientRequests) as ClientRequestName[];
/** What the client sends (before defaults and trimming). */
export type RequestInput<E extends ClientRequestName> = z.input<(typeof clientRequests)[E]["request"]>;
/** What a handler receives after validation. */
export type Request<E extends ClientRequestName> = z.output<(typeof clientRequests)[E]["request"]>;
export type Response<E extends ClientRequestName> = z.output<(typeof clientRequests)[E]["response"]>;

export const lobbyGuestSchema = z.object({ bookingId: idSchema, displayName: z.string(), since: z.string() });

/** A reception room's waiting room and consent, for the receiving staff only (never sent to citizens). */
export const lobbySchema = z.object({
  sessionId: idSchema,
  /** The receiving unit (its reception book). */
  unitId: idSchema,
  shape: z.enum(["office", "direct"]),
  waiting: z.array(lobbyGuestSchema),
  admittedBookingId: idSchema.nullable(),
  /** The citizen's answer to the recording notice; null until answered. */
  consent: z.boolean().nullable(),
});
export type Lobby = z.infer<typeof lobbySchema>;

/** Every server→client event (no ack). */
export const serverEvents = {
  peerJoined: z.object({ peer: peerInfoSchema }),
  peerLeft: z.object({ peerId: idSchema }),
  newProducer: z.object({ peerId: idSchema, producer: producerInfoSchema }),
  producerClosed: z.object({ peerId: idSchema, producerId: idSchema }),
  producerPaused: z.object({ peerId: idSchema, producerId: idSchema }),
  producerResumed: z.object({ peerId: idSchema, producerId: idSchema }),
  consumerClosed: z.object({ consumerId: idSchema }),
  /** The room ended under the client; `mediaServerRestarted` means rejoining will work. */
  roomClosed: z.object({ reason: z.enum(["mediaServerRestarted", "serverShutdown", "ended"]) }),
  /** This peer was removed by the chair. */
  removed: z.object({ locked: z.boolean() }),
  moderation: moderationSchema,
  chatMessage: chatMessageSchema,
  /** The loudest speaker right now (mediasoup's active speaker detection), for last-N ordering. */
  activeSpeaker: z.object({ peerId: idSchema }),
  /** A recording's composition moved on: `fraction` 0..1 while composing, then ready or failed. */
  recordingProgress: z.object({
    recordingId: idSchema,
    status: z.enum(["recording", "composing", "ready", "failed"]),
    fraction: z.number().min(0).max(1),
  }),
  lobby: lobbySchema,
  /** To the room: a site's link changed level (or became unknown, `null`: it sends nothing now). */
  linkQuality: z.object({ peerId: idSchema, link: linkQualitySchema.nullable() }),
  /**
   * To the chairs of a scheduled briefing only: every invited unit, present (an account of it or of a unit
   * below it is in the room) or absent, by name. Sent on entering and whenever a site comes or goes.
   */
  roster: z.object({ units: z.array(z.object({ id: idSchema, name: z.string(), present: z.boolean() })) }),
  /** To the room: a citizen withdrew their consent; these peers' media is no longer recorded from now on. */
  recordingConsentWithdrawn: z.object({ recordingId: idSchema, peerIds: z.array(idSchema) }),
  /** To the citizen: let in; the recording notice follows (whether this session may be recorded). */
  admitted: z.object({ recordingPlanned: z.boolean() }),
  /** To the citizen: the officer asks to confirm what was written in the reception book. */
  confirmationRequested: z.object({
    entryId: idSchema,
    receivedAt: z.string(),
    content: z.string(),
    handling: z.string(),
    officer: z.string(),
  }),
  /** To the citizen: the case filed from the session, to follow at /tra-cuu. */
  caseIssued: z.object({ code: z.string(), lookupSecret: z.string() }),
  ...minutesServerEvents,
} as const;

export type ServerEventName = keyof typeof serverEvents;
export type ServerEvent<E extends ServerEventName> = z.output<(typeof serverEvents)[E]>;

/** socket.io typing for the client side (payloads typed as sent). */
export type ClientToServerEvents = {
  [E in ClientRequestName]: (payload: RequestInput<E>, ack: AckCallback<Response<E>>) => void;
};
export type ServerToClientEvents = {
  [E in ServerEventName]: (payload: ServerEvent<E>) => void;
};

/** Handshake `auth` payload: the access token (checked on every connect and reconnect) and the UI language. */
export const handshakeAuthSchema = z.object({ token: z.string().min(1).max(4096), lang: z.enum(["vi", "en"]).optional() }).loose();
