import { type Actor, hasRole, inActorScope, type UnitRef } from "./actor";

/** A book entry or booking as far as the denouncer rule needs it. */
export interface ReceptionEntryRef {
  unit: UnitRef;
  petitionKind: string | null;
  receivingOfficerUserId: string;
}

export interface BookingRef {
  unit: UnitRef;
  petitionKind: string;
}

/** Reception is the work of officers (the desk) and leaders (their periodic and ad-hoc days). */
const receptionStaff = (actor: Actor) => hasRole(actor, "officer", "leader");

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
  /** The conclusion notice is the leader's document. */
  conclude: (actor: Actor, unit: UnitRef) => hasRole(actor, "leader") && inActorScope(actor, unit),
  /** Figures only, no personal data: the same readers as the periodic reports. */
  readStatistics: (actor: Actor) => hasRole(actor, "leader", "officer", "inspector"),
  readEntryIdentity: (actor: Actor, entry: ReceptionEntryRef) =>
    entry.petitionKind !== "denunciation" || (hasRole(actor, "leader") && inActorScope(actor, entry.unit)) || entry.receivingOfficerUserId === actor.id,
  /** Before the visit there is no receiving officer yet: the unit's own desk officers stand for them. */
  readBookingIdentity: (actor: Actor, booking: BookingRef) =>
    booking.petitionKind !== "denunciation" || (hasRole(actor, "leader") && inActorScope(actor, booking.unit)) || (hasRole(actor, "officer") && actor.unitId === booking.unit.id),
} as const;
