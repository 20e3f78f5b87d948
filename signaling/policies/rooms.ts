import type { ClientRequestName } from "../protocol";
import { type Actor, hasRole, inActorScope, type RoleHolder, type UnitRef } from "./actor";

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

/** A meeting-site account stands for its unit: it appears in the room under the unit's name. */
export const appearsAsItsUnit = (account: RoleHolder) => hasRole(account, "site");

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
  // The minutes: everyone signed in reads what is for them; the chair names the secretary; the handler
  // checks that a keeper is this room's chair or the secretary the chair named.
  getMinutes: staff,
  setSecretary: chairs,
  saveMinutesNotes: receivers,
  addConclusion: receivers,
  addDirective: receivers,
};

/**
 * Events that act on the room as its chair: the role rule above lets a caller try, and the dispatcher
 * then requires that this peer chairs this very room (a leader invited to another leader's briefing, or
 * an agency's leader at a reception, does not). The type makes a new event without an answer a compile
 * error, so no chair event can skip the check.
 */
export const chairOfRoomRequired: { [E in ClientRequestName]: boolean } = {
  getRouterRtpCapabilities: false,
  join: false,
  resume: false,
  createWebRtcTransport: false,
  connectWebRtcTransport: false,
  restartIce: false,
  produce: false,
  consume: false,
  resumeConsumer: false,
  pauseConsumer: false,
  setConsumerPreferredLayers: false,
  pauseProducer: false,
  resumeProducer: false,
  closeProducer: false,
  leave: false,
  sendChat: false,
  getChat: false,
  muteSite: true,
  setMuteAll: true,
  stopCamera: true,
  removeSite: true,
  lockRoom: true,
  spotlight: true,
  grantFloor: true,
  raiseHand: false,
  endMeeting: true,
  startRecording: true,
  stopRecording: true,
  enterLobby: false,
  answerConsent: false,
  confirmEntry: false,
  admitGuest: true,
  recordOfficeConsent: true,
  requestConfirmation: true,
  issueCase: true,
  getMinutes: false,
  setSecretary: true,
  // Chair or secretary: the handler asks the minutes (the secretary does not chair).
  saveMinutesNotes: false,
  addConclusion: false,
  addDirective: false,
};

/** A scheduled briefing as far as the chair rule needs it (null: an ad-hoc room). */
export interface BriefingRef {
  chairUserId: string | null;
  hostUnit: UnitRef | null;
}

/**
 * Who chairs a briefing room, decided once when the peer joins: the meeting's named chair; a meeting
 * without one is chaired by the leaders over its host unit; an ad-hoc room by any leader in it.
 */
export function chairsBriefing(actor: RoomActor, meeting: BriefingRef | null): boolean {
  if (!chairs(actor)) return false;
  if (!meeting) return true;
  if (meeting.chairUserId) return meeting.chairUserId === actor.id;
  return meeting.hostUnit ? inActorScope(actor, meeting.hostUnit) : true;
}
