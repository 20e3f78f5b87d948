import { type Actor, hasRole } from "./actor";

/** Statistics and periodic reports cover the actor's own unit and those below it. */
export const reportPolicy = {
  read: (actor: Actor) => hasRole(actor, "leader", "inspector", "officer"),
} as const;
