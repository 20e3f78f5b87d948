import type { ClientRequestName } from "../protocol";
import { type Actor, hasRole } from "./actor";

/** Who is on a socket: an account, or a citizen let in by a booking's link (no roles, no unit scope). */
export type RoomActor = Actor & { guest?: { bookingId: string } };

const staff = (actor: RoomActor) => actor.roles.length > 0;
const guest = (actor: RoomActor) => actor.guest !== undefined;
/**
 * Media and the room's basics: staff, and citizens — whose handlers further require that the officer
 * admitted them and that they answered the recording notice.
 */
const participant = (actor: RoomActor) => staff(actor) || guest(actor);
/** Leaders chair briefings: they control the other sites' microphones. */
const chairs = (actor: RoomActor) => hasRole(actor, "leader");
/** Leaders and officers receive citizens; the handlers check they are this session's receiving staff. */
const receivers = (actor: RoomActor) => hasRole(actor, "leader", "officer");
/** Viewers watch and listen; every other role, and an admitted citizen, may send media. */
const maySend = (actor: RoomActor) => hasRole(actor, "admin", "leader", "officer", "inspector", "site") || guest(actor);

/**
 * Briefing rooms, one rule per socket event. The dispatcher checks the rule before the handler runs,
 * and the type makes a new event without a rule a compile error. Any unit may join any room until
 * meetings with invited units exist.
 */
export const roomEventPolicy: { [E in ClientRequestName]: (actor: RoomActor) => boolean } = {
  getRouterRtpCapabilities: participant,
  join: participant,
  resume: participant,
  createWebRtcTransport: participant,
  connectWebRtcTransport: participant,
  restartIce: participant,
  produce: maySend,
  consume: participant,
  resumeConsumer: participant,
  pauseConsumer: participant,
  setConsumerPreferredLayers: participant,
  pauseProducer: maySend,
  resumeProducer: maySend,
  closeProducer: maySend,
  leave: participant,
  sendChat: participant,
  getChat: participant,
  muteSite: chairs,
  setMuteAll: chairs,
  stopCamera: chairs,
  removeSite: chairs,
  lockRoom: chairs,
  spotlight: chairs,
  grantFloor: chairs,
  raiseHand: (actor) => maySend(actor) && !guest(actor),
  endMeeting: receivers,
  // A reception is recorded by whoever receives (an officer at the regular desk); the handler checks
  // the caller chairs this room.
  startRecording: receivers,
  stopRecording: receivers,
  enterLobby: guest,
  answerConsent: guest,
  confirmEntry: guest,
  admitGuest: receivers,
  recordOfficeConsent: receivers,
  requestConfirmation: receivers,
  issueCase: receivers,
};

/** A chair is never muted by the chair's own mute-all. */
export const isChair = chairs;
