import { type Actor, hasRole } from "./actor";

/**
 * Meeting records (attendance, chat). Until meetings carry their host unit and invitations, the
 * province's leaders, officers and admins read every meeting's record; sites and viewers do not.
 */
export const meetingPolicy = {
  list: (actor: Actor) => hasRole(actor, "leader", "officer", "inspector", "admin"),
  readRecord: (actor: Actor) => hasRole(actor, "leader", "officer", "inspector", "admin"),
  /** The recording shows every site's people: the meeting record's readers, and each download is audited. */
  downloadRecording: (actor: Actor) => hasRole(actor, "leader", "officer", "inspector", "admin"),
  /** Leaders schedule and chair; admins schedule on their behalf. */
  schedule: (actor: Actor) => hasRole(actor, "leader", "admin"),
  /** Everyone signed in sees the meetings they may join. */
  listUpcoming: (actor: Actor) => actor.roles.length > 0,
} as const;
