import { type Actor, hasRole, inActorScope, type RoleHolder, type UnitRef } from "./actor";

export interface CaseRef {
  kind: string | null;
  /** Set once the case is classified as a denunciation; never cleared by a later reclassification. */
  wasDenunciation: boolean;
  unit: UnitRef;
  assigneeId: string | null;
}

/** A case is in reach of its units' staff, and of whoever it was assigned to (e.g. the inspectorate). */
const inReach = (actor: Actor, item: CaseRef) => inActorScope(actor, item.unit) || item.assigneeId === actor.id;

/**
 * Whose petitioner is protected: a denunciation, one that ever was (reclassifying must not unmask the
 * denouncer), and one not yet classified — until someone has read it, nobody knows it is not one.
 */
export const identityProtected = (item: Pick<CaseRef, "kind" | "wasDenunciation">): boolean =>
  item.kind === null || item.kind === "denunciation" || item.wasDenunciation;

/**
 * Petitions. Officers, inspectors and leaders work on cases of their unit and the units below it, and
 * on cases assigned to them.
 * A denouncer's identity (Luật Tố cáo Art. 9, 47) is for the assigned inspector and the leaders in
 * charge only; everyone else sees the case without it.
 */
export const casePolicy = {
  list: (actor: Actor) => hasRole(actor, "officer", "inspector", "leader"),
  read: (actor: Actor, item: CaseRef) => hasRole(actor, "officer", "inspector", "leader") && inReach(actor, item),
  create: (actor: Actor, unit: UnitRef) => hasRole(actor, "officer", "inspector", "leader") && inActorScope(actor, unit),
  /** Workflow roles are checked by the workflow table; this is the scope part. */
  act: (actor: Actor, item: CaseRef) => hasRole(actor, "officer", "inspector", "leader") && inReach(actor, item),
  assign: (actor: Actor, item: CaseRef) => hasRole(actor, "leader") && inActorScope(actor, item.unit),
  /** Who a case may be assigned to: the officers and inspectors who handle petitions. */
  assignable: (account: RoleHolder) => hasRole(account, "officer", "inspector"),
  readProtectedIdentity: (actor: Actor, item: CaseRef) =>
    !identityProtected(item) ||
    (hasRole(actor, "inspector") && item.assigneeId === actor.id) ||
    (hasRole(actor, "leader") && inActorScope(actor, item.unit)),
  verifyHistory: (actor: Actor, item: CaseRef) => hasRole(actor, "leader", "admin") && inActorScope(actor, item.unit),
} as const;
