import { type Actor, hasRole, inActorScope, isWithin, type RoleHolder, type UnitRef } from "./actor";

/** A book entry or booking as far as the denouncer rule needs it. */
export interface ReceptionEntryRef {
  unit: UnitRef;
  petitionKind: string | null;
  /** Set once the entry, its booking or its session concerned a denunciation (a reclassification keeps it). */
  wasDenunciation: boolean;
  receivingOfficerUserId: string;
}

export interface BookingRef {
  unit: UnitRef;
  petitionKind: string;
  /** The officer or leader hosting the booking's session, once one is open: the one who handles it. */
  handlerUserId: string | null;
}

/** A reception session's recording as far as the download rule needs it. */
export interface ReceptionRecordingRef {
  unit: UnitRef;
  hostUserId: string;
  identityProtected: boolean;
}

/** Whose citizen is a denouncer in the book: one that is, or ever was, or came through a denunciation booking or session. */
export const entryIdentityProtected = (entry: Pick<ReceptionEntryRef, "petitionKind" | "wasDenunciation">): boolean =>
  entry.petitionKind === "denunciation" || entry.wasDenunciation;

/** The leaders over the unit: the only readers of a denouncer in lists and exports. */
const leaderOver = (actor: Actor, unit: UnitRef) => hasRole(actor, "leader") && inActorScope(actor, unit);

/** A live reception session as far as the room rule needs it. */
export interface LiveSessionRef {
  unit: UnitRef;
  hostUserId: string;
  /** The local reception office, the agencies concerned and the observers invited to this session. */
  invited: readonly { unit: UnitRef; role: string }[];
}

/** A reception session's meeting record (attendance, chat, recording) as far as the record rules need it. */
export interface SessionRecordRef extends LiveSessionRef {
  /** What the booking and the session's book entries say the petition is; none known yet is possible. */
  petitionKinds: readonly string[];
}

/**
 * A session's citizen is protected when any record of it says denunciation, or when nothing says what
 * it is yet (an office session recorded before its book entry is written may be a denouncer's).
 */
export const sessionIdentityProtected = (session: Pick<SessionRecordRef, "petitionKinds">): boolean =>
  session.petitionKinds.length === 0 || session.petitionKinds.includes("denunciation");

/** How someone is in a live reception room: receiving it, taking part as an invited site, or watching. */
export type LiveRoomPlace = "chair" | "participant" | "observer";

/** Reception is the work of officers (the desk) and leaders (their periodic and ad-hoc days). */
const receptionStaff = (holder: RoleHolder) => hasRole(holder, "officer", "leader");

/**
 * Citizen reception. Officers and leaders work on the reception of their unit and the units below it;
 * admins may keep a unit's schedules but see no citizen's data; viewers and sites have no part in it.
 * A denouncer's name and address (Luật Tố cáo Art. 9, 47) are for the leaders over the unit and the
 * officer who received them; every other reader, and every export they make, gets the protected label.
 */
export const receptionPolicy = {
  manageSchedules: (actor: Actor, unit: UnitRef) => (receptionStaff(actor) || hasRole(actor, "admin")) && inActorScope(actor, unit),
  readBookings: (actor: Actor, unit: UnitRef) => receptionStaff(actor) && inActorScope(actor, unit),
  manageSessions: (actor: Actor, unit: UnitRef) => receptionStaff(actor) && inActorScope(actor, unit),
  /** The leader receives in person on periodic and ad-hoc days (deputies may not stand in, 2025 amendment). */
  hostSession: (actor: Actor, kind: string) => (kind === "regular" ? receptionStaff(actor) : hasRole(actor, "leader")),
  readBook: (actor: Actor, unit: UnitRef) => receptionStaff(actor) && inActorScope(actor, unit),
  writeBook: (actor: Actor, unit: UnitRef) => receptionStaff(actor) && inActorScope(actor, unit),
  /** The account named as receiving officer of a book entry: an officer or a leader. */
  mayReceiveCitizens: (account: RoleHolder) => receptionStaff(account),
  /** The account named as the leader of a periodic or ad-hoc day (and who becomes it by default when writing one). */
  leadsReceptionDays: (account: RoleHolder) => hasRole(account, "leader"),
  /** Officers of a session's local reception office write that session's book entry for the receiving unit. */
  writesForSessionOffice: (actor: Actor) => hasRole(actor, "officer"),
  /** The conclusion notice is the leader's document. */
  conclude: (actor: Actor, unit: UnitRef) => hasRole(actor, "leader") && inActorScope(actor, unit),
  /**
   * Who may be in a live reception room and see the lobby and the citizen: the hosting officer and the
   * leaders over the unit receive; accounts of the units invited to this session take part (observers
   * only watch). Nobody else of the unit's subtree, whatever their role: the citizen may be a denouncer.
   */
  liveRoomPlace: (actor: Actor, session: LiveSessionRef): LiveRoomPlace | null => {
    if (actor.id === session.hostUserId || (hasRole(actor, "leader") && inActorScope(actor, session.unit))) return "chair";
    const place = session.invited.find((item) => isWithin({ id: actor.unitId, path: actor.unitPath }, item.unit));
    if (!place) return null;
    return place.role === "observer" ? "observer" : "participant";
  },
  /**
   * A session's meeting record (attendance, chat, exports, live state): the unit's reception staff, and
   * staff of the sites that were in the room (host, leaders over, invited units). Admins see no citizen's data.
   */
  readSessionRecord: (actor: Actor, session: SessionRecordRef): boolean =>
    receptionPolicy.readBook(actor, session.unit) || (hasRole(actor, "leader", "officer", "inspector") && receptionPolicy.liveRoomPlace(actor, session) !== null),
  /**
   * The citizen's name in that record: the hosting officer and the leaders over the unit always; the
   * unit's reception staff when the citizen is not (or may not be) a denouncer. Invited agencies saw the
   * citizen live but do not keep them in their records.
   */
  readSessionIdentity: (actor: Actor, session: SessionRecordRef): boolean =>
    actor.id === session.hostUserId ||
    (hasRole(actor, "leader") && inActorScope(actor, session.unit)) ||
    (!sessionIdentityProtected(session) && receptionStaff(actor) && inActorScope(actor, session.unit)),
  /** Figures only, no personal data: the same readers as the periodic reports. */
  readStatistics: (actor: Actor) => hasRole(actor, "leader", "officer", "inspector"),
  /** One entry opened on its own, and its conclusion notice: the leaders over the unit and the officer who received the citizen. */
  readEntryIdentity: (actor: Actor, entry: ReceptionEntryRef) => !entryIdentityProtected(entry) || leaderOver(actor, entry.unit) || entry.receivingOfficerUserId === actor.id,
  /**
   * The book's lists and period exports (PDF/XLSX) travel further than one screen: a denouncer in them is
   * for the leaders over the unit only, even in the receiving officer's copy.
   */
  listEntryIdentity: (actor: Actor, entry: ReceptionEntryRef) => !entryIdentityProtected(entry) || leaderOver(actor, entry.unit),
  /** Whoever may open the entry alone: the book's readers, the officer who received the citizen and the one who wrote it. */
  readEntry: (actor: Actor, entry: ReceptionEntryRef & { createdById: string }) =>
    (receptionStaff(actor) && inActorScope(actor, entry.unit)) || entry.receivingOfficerUserId === actor.id || entry.createdById === actor.id,
  /** A denunciation booking: the leaders over the unit, and the desk officer who handles it (hosts its session). */
  readBookingIdentity: (actor: Actor, booking: BookingRef) => booking.petitionKind !== "denunciation" || leaderOver(actor, booking.unit) || (booking.handlerUserId !== null && booking.handlerUserId === actor.id),
  /**
   * A reception's recording shows the citizen. Once the session is known to concern a denunciation it is
   * for the leaders over the unit and the officer who received (hosted) it, like the book entry.
   */
  downloadRecording: (actor: Actor, recording: ReceptionRecordingRef) => !recording.identityProtected || leaderOver(actor, recording.unit) || recording.hostUserId === actor.id,
} as const;
