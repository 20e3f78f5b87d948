import type { Role } from "../protocol";

/** The signed-in user as policies see them: identity, roles and where they sit in the unit tree. */
export interface Actor {
  id: string;
  roles: readonly Role[];
  unitId: string;
  /** Materialised path of the actor's unit, "/<root>/…/<unit>/". */
  unitPath: string;
}

export interface UnitRef {
  id: string;
  path: string;
}

/** Anyone holding roles: the signed-in actor, or an account a rule is asked about (an assignee, a leader). */
export interface RoleHolder {
  roles: readonly Role[];
}

export const hasRole = (holder: RoleHolder, ...roles: Role[]): boolean => roles.some((role) => holder.roles.includes(role));

/** The unit itself or one below it in the tree. */
export const isWithin = (unit: UnitRef, scope: { path: string }): boolean => unit.path.startsWith(scope.path);

/** The actor's own unit or one of its descendants. */
export const inActorScope = (actor: Actor, unit: UnitRef): boolean => isWithin(unit, { path: actor.unitPath });
