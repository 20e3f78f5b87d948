import { type CaseAction, refusalOf, type StepFacts, type TransitionRefusal } from "../domain/cases/workflow";
import type { Role } from "../protocol";
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

const handlers: readonly Role[] = ["officer", "inspector", "leader"];
const resolvers: readonly Role[] = ["inspector", "leader"];
const deciders: readonly Role[] = ["leader"];
/** The clerk who holds the head's signed decision may record it (its number is required with it). */
const recorders: readonly Role[] = ["leader", "officer"];

/**
 * Who takes each legal step of a case (legal-rules notes, "Case life"); the steps themselves — from which
 * states, for which kinds — are the workflow table (domain/cases/workflow.ts).
 */
const stepRoles: Record<CaseAction, readonly Role[]> = {
  classify: handlers,
  accept: recorders,
  reject: recorders,
  guide: handlers,
  archive: handlers,
  forward: handlers,
  startVerification: resolvers,
  extend: deciders,
  suspend: deciders,
  resume: deciders,
  terminate: deciders,
  withdraw: handlers,
  conclude: deciders,
  publish: recorders,
  enforce: resolvers,
  close: recorders,
  secondRound: recorders,
  refile: recorders,
  dialogue: handlers,
  filingObstacle: handlers,
  notify: handlers,
};

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
  /** The scope part of acting on a case; each step's roles are `stepRefusal`. */
  act: (actor: Actor, item: CaseRef) => hasRole(actor, "officer", "inspector", "leader") && inReach(actor, item),
  /**
   * Why this account may not take the step on a case with these facts now, or null: a step the case's
   * state does not allow is INVALID_TRANSITION whoever asks; then the step's roles (FORBIDDEN); then the
   * workflow's other conditions (kind, round, dialogue).
   */
  stepRefusal: (account: RoleHolder, action: CaseAction, facts: StepFacts): TransitionRefusal | "FORBIDDEN" | null => {
    const refusal = refusalOf(action, facts);
    if (refusal === "INVALID_TRANSITION") return refusal;
    if (!hasRole(account, ...stepRoles[action])) return "FORBIDDEN";
    return refusal;
  },
  assign: (actor: Actor, item: CaseRef) => hasRole(actor, "leader") && inActorScope(actor, item.unit),
  /** Who a case may be assigned to: the officers and inspectors who handle petitions. */
  assignable: (account: RoleHolder) => hasRole(account, "officer", "inspector"),
  readProtectedIdentity: (actor: Actor, item: CaseRef) =>
    !identityProtected(item) ||
    (hasRole(actor, "inspector") && item.assigneeId === actor.id) ||
    (hasRole(actor, "leader") && inActorScope(actor, item.unit)),
  verifyHistory: (actor: Actor, item: CaseRef) => hasRole(actor, "leader", "admin") && inActorScope(actor, item.unit),
} as const;
