import { type Actor, hasRole, inActorScope, isWithin, type UnitRef } from "./actor";
import { receptionPolicy, type SessionRecordRef } from "./reception";

/** A briefing as far as the record rule needs it. */
export interface BriefingRecordRef {
  chairUserId: string | null;
  hostUnit: UnitRef | null;
  invitedUnits: readonly UnitRef[];
  /** An ad-hoc room has no host or invitations: the units whose accounts attended stand for them. */
  attendingUnits: readonly UnitRef[];
}

/** A meeting's record is either a briefing's or a citizen reception's, whose rules are the reception policy's. */
export type MeetingRecordRef = { kind: "briefing"; briefing: BriefingRecordRef } | { kind: "reception"; session: SessionRecordRef };

/** Sites and viewers attend; reading the record afterwards is staff work. */
const recordReaders = (actor: Actor) => hasRole(actor, "leader", "officer", "inspector", "admin");

function unitsOf(briefing: BriefingRecordRef): readonly UnitRef[] {
  const scheduled = [...(briefing.hostUnit ? [briefing.hostUnit] : []), ...briefing.invitedUnits];
  return scheduled.length > 0 ? scheduled : briefing.attendingUnits;
}

/**
 * Staff of the meeting's units (host and invited, each with the units below it), the leaders and admins
 * over one of those units, and the chair. An officer of a unit above the host is not in it: a province
 * office does not read every commune's briefings.
 */
function readsBriefing(actor: Actor, briefing: BriefingRecordRef): boolean {
  if (!recordReaders(actor)) return false;
  if (briefing.chairUserId === actor.id) return true;
  const own: UnitRef = { id: actor.unitId, path: actor.unitPath };
  return unitsOf(briefing).some((unit) => isWithin(own, unit) || (hasRole(actor, "leader", "admin") && inActorScope(actor, unit)));
}

/**
 * The meetings list as a query must ask it (a database cannot call `readRecord` row by row): the same rule
 * as `readRecord`, stated as which units and which of the actor's own links count. "ancestors" are the
 * actor's unit and those above it, "subtree" their unit and those below it.
 */
export interface MeetingListScope {
  /** The briefings chaired by this account. */
  chairUserId: string;
  /** A briefing's host or invited units (or, for an ad-hoc room, its attending units) counted in: */
  briefingUnits: { ancestors: boolean; subtree: boolean };
  /** Reception sessions: of a unit in the actor's subtree (reception staff, leaders' rooms)… */
  receptionUnitInSubtree: boolean;
  /** …hosted by the actor, or with an invited unit among the actor's ancestors (they were in the room). */
  receptionHostOrInvited: boolean;
}

/**
 * Meeting records (list, attendance and its exports, chat, recordings) and live room state. A reception
 * room's record holds the citizen: who reads it, and who sees the citizen's name in it, is the reception
 * policy's answer; everyone else gets the record with the citizen masked.
 */
export const meetingPolicy = {
  /** May open the list at all; each item is then checked with `readRecord`. */
  list: (actor: Actor) => recordReaders(actor),
  /** `readRecord` as the list's query asks it (test/integration/meeting-scope.test.ts holds the two together). */
  listScope: (actor: Actor): MeetingListScope => ({
    chairUserId: actor.id,
    briefingUnits: { ancestors: recordReaders(actor), subtree: hasRole(actor, "leader", "admin") },
    receptionUnitInSubtree: hasRole(actor, "officer", "leader"),
    receptionHostOrInvited: hasRole(actor, "leader", "officer", "inspector"),
  }),
  readRecord: (actor: Actor, meeting: MeetingRecordRef): boolean =>
    meeting.kind === "briefing" ? readsBriefing(actor, meeting.briefing) : receptionPolicy.readSessionRecord(actor, meeting.session),
  /** Citizens are only ever in reception rooms; there, the reception policy decides (and each such read is audited). */
  readCitizenNames: (actor: Actor, meeting: MeetingRecordRef): boolean =>
    meeting.kind === "briefing" || receptionPolicy.readSessionIdentity(actor, meeting.session),
  /**
   * The recording shows every site's people: the record's readers, each download audited. A reception's
   * film shows the citizen and cannot be masked, so it is for those who may see the citizen's identity.
   */
  downloadRecording: (actor: Actor, meeting: MeetingRecordRef): boolean =>
    meetingPolicy.readRecord(actor, meeting) && meetingPolicy.readCitizenNames(actor, meeting),
  /** Leaders schedule and chair; admins schedule on their behalf. */
  schedule: (actor: Actor) => hasRole(actor, "leader", "admin"),
  /**
   * Reschedule or cancel a briefing not yet started: its chair, or a leader or admin of its host unit or a
   * unit above it (they could have scheduled it themselves).
   */
  changeScheduled: (actor: Actor, meeting: { chairUserId: string | null; hostUnit: UnitRef | null }) =>
    hasRole(actor, "leader", "admin") && (meeting.chairUserId === actor.id || (meeting.hostUnit !== null && inActorScope(actor, meeting.hostUnit))),
  /** A leader who schedules a briefing chairs it; an admin scheduling on a leader's behalf does not. */
  chairsWhatTheySchedule: (actor: Actor) => hasRole(actor, "leader"),
  /** Everyone signed in sees the meetings they may join. */
  listUpcoming: (actor: Actor) => actor.roles.length > 0,
} as const;
