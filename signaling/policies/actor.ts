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

export const hasRole = (actor: Actor, ...roles: Role[]): boolean => roles.some((role) => actor.roles.includes(role));

/** The unit itself or one below it in the tree. */
export const isWithin = (unit: UnitRef, scope: { path: string }): boolean => unit.path.startsWith(scope.path);

/** The actor's own unit or one of its descendants. */
export const inActorScope = (actor: Actor, unit: UnitRef): boolean => isWithin(unit, { path: actor.unitPath });
