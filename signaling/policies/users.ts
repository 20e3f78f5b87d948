import type { Role } from "../protocol";
import { type Actor, hasRole, inActorScope, type UnitRef } from "./actor";

export interface UserRef {
  id: string;
  unit: UnitRef;
}

/** Accounts: admins manage them in their subtree; leaders may look them up there; everyone sees themself. */
export const userPolicy = {
  list: (actor: Actor) => hasRole(actor, "admin", "leader"),
  read: (actor: Actor, user: UserRef) => user.id === actor.id || (hasRole(actor, "admin", "leader") && inActorScope(actor, user.unit)),
  create: (actor: Actor, unit: UnitRef) => hasRole(actor, "admin") && inActorScope(actor, unit),
  update: (actor: Actor, user: UserRef) => hasRole(actor, "admin") && inActorScope(actor, user.unit),
  /** An admin cannot lock themself out or strip their own admin role. */
  deactivate: (actor: Actor, user: UserRef) => hasRole(actor, "admin") && inActorScope(actor, user.unit) && user.id !== actor.id,
  assignRoles: (actor: Actor, user: UserRef, roles: readonly Role[]) =>
    hasRole(actor, "admin") && inActorScope(actor, user.unit) && (user.id !== actor.id || roles.includes("admin")),
  resetPassword: (actor: Actor, user: UserRef) => hasRole(actor, "admin") && inActorScope(actor, user.unit) && user.id !== actor.id,
} as const;
