import type { Role } from "../protocol";
import { type Actor, hasRole, inActorScope, type UnitRef } from "./actor";

export interface UserRef {
  id: string;
  unit: UnitRef;
}

/**
 * Roles whose holder reads protected identities (a denouncer's): leaders over the unit, and inspectors
 * on the cases a leader assigned them. Admins hold them only when another admin granted them.
 */
export const IDENTITY_ROLES: readonly Role[] = ["leader", "inspector"];
/** Accounts a password reset could take over to read identities or to act as another administrator. */
const PROTECTED_ROLES: readonly Role[] = [...IDENTITY_ROLES, "admin"];

const sameRoles = (a: readonly Role[], b: readonly Role[]) => a.length === b.length && a.every((role) => b.includes(role));

/** Accounts: admins manage them in their subtree; leaders may look them up there; everyone sees themself. */
export const userPolicy = {
  list: (actor: Actor) => hasRole(actor, "admin", "leader"),
  read: (actor: Actor, user: UserRef) => user.id === actor.id || (hasRole(actor, "admin", "leader") && inActorScope(actor, user.unit)),
  create: (actor: Actor, unit: UnitRef) => hasRole(actor, "admin") && inActorScope(actor, unit),
  update: (actor: Actor, user: UserRef) => hasRole(actor, "admin") && inActorScope(actor, user.unit),
  /** An admin cannot lock themself out or strip their own admin role. */
  deactivate: (actor: Actor, user: UserRef) => hasRole(actor, "admin") && inActorScope(actor, user.unit) && user.id !== actor.id,
  /**
   * An admin never changes their own roles (sending the same set back is no change): granting oneself
   * `leader` would open every denouncer's identity in the subtree. Answered with ROLE_GRANT_REFUSED.
   */
  assignRoles: (actor: Actor, user: UserRef & { roles: readonly Role[] }, roles: readonly Role[]): boolean | "ROLE_GRANT_REFUSED" =>
    !(hasRole(actor, "admin") && inActorScope(actor, user.unit)) ? false : user.id !== actor.id || sameRoles(user.roles, roles) || "ROLE_GRANT_REFUSED",
  /**
   * Resetting a password is taking the account over until its owner notices. For an account holding a
   * leader's, inspector's or admin's role that needs an admin of a unit strictly ABOVE the account's unit
   * (a district admin cannot become the district's leader; the province's admin can help them). Accounts
   * of the top unit holding such a role recover their password on the server (`npm run admin:create`).
   */
  resetPassword: (actor: Actor, user: UserRef & { roles: readonly Role[] }): boolean | "PASSWORD_RESET_REFUSED" => {
    if (!(hasRole(actor, "admin") && inActorScope(actor, user.unit) && user.id !== actor.id)) return false;
    if (!user.roles.some((role) => PROTECTED_ROLES.includes(role))) return true;
    return (user.unit.path !== actor.unitPath && user.unit.path.startsWith(actor.unitPath)) || "PASSWORD_RESET_REFUSED";
  },
} as const;
