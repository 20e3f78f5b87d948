import { type Actor, hasRole, inActorScope, isWithin, type RoleHolder, type UnitRef } from "./actor";

/** A unit's task as far as the rules need it: whose it is, and who issued the directive. */
export interface DirectiveTaskRef {
  unit: UnitRef;
  issuerUnit: UnitRef;
  chairUserId: string | null;
}

/** The issuing side of a briefing's notice: its chair, its secretary, and the issuing unit itself. */
export interface MinutesRef {
  chairUserId: string | null;
  secretaryUserId: string | null;
  issuerUnit: UnitRef;
}

const ownUnit = (actor: Actor): UnitRef => ({ id: actor.unitId, path: actor.unitPath });

/**
 * Minutes, conclusions and directives (issue 19). In the room the chair keeps the minutes or names an
 * officer or leader to; afterwards the directives are tasks of the units they were addressed to.
 */
export const directivePolicy = {
  /** Whom the chair may name secretary: someone who writes official records (not a site account or a viewer). */
  maySecretary: (account: RoleHolder) => hasRole(account, "leader", "officer"),
  /** Keeps the minutes in the room: the chair of that room, or the account the chair named. */
  keepsMinutes: (actor: Actor, chairsHere: boolean, secretaryUserId: string | null) =>
    hasRole(actor, "leader", "officer") && (chairsHere || (secretaryUserId !== null && secretaryUserId === actor.id)),
  /** The notice's fields after the meeting: the chair, the secretary, or the issuing unit's own leaders and officers. */
  editNotice: (actor: Actor, minutes: MinutesRef) =>
    hasRole(actor, "leader", "officer") && (minutes.chairUserId === actor.id || minutes.secretaryUserId === actor.id || actor.unitId === minutes.issuerUnit.id),
  /**
   * The seal on the conclusion notice is the issuing unit's act: its leaders (the chair among them) sign;
   * other readers — the secretary, the unit's officers, invited units — get the unsigned text.
   */
  signNotice: (actor: Actor, minutes: MinutesRef) => hasRole(actor, "leader") && (minutes.chairUserId === actor.id || actor.unitId === minutes.issuerUnit.id),
  /** Who in a unit is mailed its tasks and their reminders: the staff who report on them. */
  toldOfUnitTasks: (account: RoleHolder) => hasRole(account, "officer", "leader"),
  /** The task lists and the matrix: staff who follow work up. Each row is then checked with `readTask`. */
  listTasks: (actor: Actor) => hasRole(actor, "leader", "officer", "inspector", "admin"),
  /**
   * A task is read by the staff of its unit and of the units above it (the province follows its communes
   * up), by the chair who gave it, and by leaders and admins over the issuing unit.
   */
  readTask: (actor: Actor, task: DirectiveTaskRef) =>
    directivePolicy.listTasks(actor) &&
    (inActorScope(actor, task.unit) || task.chairUserId === actor.id || (hasRole(actor, "leader", "admin") && inActorScope(actor, task.issuerUnit))),
  /** Progress and completion are reported by the unit's own officers and leaders (or those of a unit below it acting for it). */
  reportTask: (actor: Actor, task: DirectiveTaskRef) => hasRole(actor, "leader", "officer") && isWithin(ownUnit(actor), task.unit),
  /** A directive addressed to a unit is shown in the room to the accounts of that unit and of the units below it. */
  addressedTo: (account: { unitPath: string }, unit: UnitRef) => account.unitPath.startsWith(unit.path),
} as const;
