import { type Actor, hasRole, inActorScope, isWithin, type UnitRef } from "./actor";

/**
 * Units. The tree itself is not secret — everyone signed in needs it to pick sites and recipients —
 * but only an admin changes it, and only below their own unit.
 */
export const unitPolicy = {
  list: (actor: Actor) => actor.roles.length > 0,
  read: (actor: Actor, _unit: UnitRef) => actor.roles.length > 0,
  createUnder: (actor: Actor, parent: UnitRef) => hasRole(actor, "admin") && inActorScope(actor, parent),
  /** Rename or edit details; an admin's own unit is editable, its ancestors are not. */
  update: (actor: Actor, unit: UnitRef) => hasRole(actor, "admin") && inActorScope(actor, unit),
  /** Deactivating or moving one's own unit would lock the admin out of their scope. */
  deactivate: (actor: Actor, unit: UnitRef) => hasRole(actor, "admin") && inActorScope(actor, unit) && unit.id !== actor.unitId,
  move: (actor: Actor, unit: UnitRef, newParent: UnitRef) =>
    hasRole(actor, "admin") && unit.id !== actor.unitId && inActorScope(actor, unit) && inActorScope(actor, newParent) && !isWithin(newParent, unit),
} as const;
