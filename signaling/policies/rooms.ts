import type { ClientRequestName } from "../protocol";
import { type Actor, hasRole } from "./actor";

const signedIn = (actor: Actor) => actor.roles.length > 0;
/** Leaders chair briefings: they control the other sites' microphones. */
const chairs = (actor: Actor) => hasRole(actor, "leader");
/** Viewers watch and listen; every other role may send media. */
const maySend = (actor: Actor) => hasRole(actor, "admin", "leader", "officer", "inspector", "site");

/**
 * Briefing rooms, one rule per socket event. The dispatcher checks the rule before the handler runs,
 * and the type makes a new event without a rule a compile error. Any unit may join any room until
 * meetings with invited units exist.
 */
export const roomEventPolicy: { [E in ClientRequestName]: (actor: Actor) => boolean } = {
  getRouterRtpCapabilities: signedIn,
  join: signedIn,
  resume: signedIn,
  createWebRtcTransport: signedIn,
  connectWebRtcTransport: signedIn,
  restartIce: signedIn,
  produce: maySend,
  consume: signedIn,
  resumeConsumer: signedIn,
  pauseConsumer: signedIn,
  setConsumerPreferredLayers: signedIn,
  pauseProducer: maySend,
  resumeProducer: maySend,
  closeProducer: maySend,
  leave: signedIn,
  sendChat: signedIn,
  getChat: signedIn,
  muteSite: chairs,
  setMuteAll: chairs,
  stopCamera: chairs,
  removeSite: chairs,
  lockRoom: chairs,
  spotlight: chairs,
  grantFloor: chairs,
  raiseHand: maySend,
  endMeeting: chairs,
  startRecording: chairs,
  stopRecording: chairs,
};

/** A chair is never muted by the chair's own mute-all. */
export const isChair = chairs;
