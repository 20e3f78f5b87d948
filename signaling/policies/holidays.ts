import { type Actor, hasRole } from "./actor";

/** The days-off calendar is national: read by everyone signed in, edited by the top unit's admins only. */
const isTopUnit = (actor: Actor) => actor.unitPath.split("/").filter(Boolean).length === 1;

export const holidayPolicy = {
  list: (actor: Actor) => actor.roles.length > 0,
  edit: (actor: Actor) => hasRole(actor, "admin") && isTopUnit(actor),
} as const;
