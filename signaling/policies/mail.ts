import { type Actor, hasRole } from "./actor";

/** The top unit (the province): its path holds one id. */
const isTopUnit = (actor: Actor) => actor.unitPath.split("/").filter(Boolean).length === 1;

/**
 * The province has one outgoing mail server and one queue, which carries every unit's mail (names,
 * subjects): its settings, its queue and the test message are for the top unit's admins only.
 */
export const mailPolicy = {
  manage: (actor: Actor) => hasRole(actor, "admin") && isTopUnit(actor),
} as const;
