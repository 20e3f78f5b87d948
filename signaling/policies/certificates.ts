import { type Actor, hasRole, inActorScope, type UnitRef } from "./actor";

/**
 * A unit's signing certificate stands for the unit's seal on the documents it issues: only an admin
 * over the unit (their own unit or one below it) sees its details, uploads, replaces or removes it.
 * Signing with it happens for whoever may issue the document; that is the document's own policy.
 */
export const certificatePolicy = {
  read: (actor: Actor, unit: UnitRef) => hasRole(actor, "admin") && inActorScope(actor, unit),
  manage: (actor: Actor, unit: UnitRef) => hasRole(actor, "admin") && inActorScope(actor, unit),
} as const;
