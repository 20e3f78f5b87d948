import type { Role } from "../../signaling/protocol";
import type { Actor, UnitRef } from "../../signaling/policies/actor";
import { casePolicy } from "../../signaling/policies/cases";
import { certificatePolicy } from "../../signaling/policies/certificates";
import { directivePolicy } from "../../signaling/policies/directives";
import { mailPolicy } from "../../signaling/policies/mail";
import { meetingPolicy } from "../../signaling/policies/meetings";
import { receptionPolicy } from "../../signaling/policies/reception";
import { reportPolicy } from "../../signaling/policies/reports";
import { roomEventPolicy } from "../../signaling/policies/rooms";
import { unitPolicy } from "../../signaling/policies/units";
import type { Page } from "./routing";

/**
 * The one place the client decides what an account may see and do: which pages it may open (the
 * navigation, the pages rendered and the "not allowed" page ask `canOpen`/`navFor`) and which controls a
 * page offers (`may`). Nothing else in the client looks at roles. It asks the server's own policies, for
 * the account's own unit: a page or a control is offered when the server would accept its request; every
 * request is still judged by the server. The unit's path is unknown here and not needed: a unit is within
 * its own scope.
 */

/** As much of the signed-in user as the rules read. */
export interface AccessUser {
  id: string;
  roles: readonly Role[];
  unit: { id: string };
}

function actorOf(user: AccessUser): { actor: Actor; own: UnitRef } {
  const path = `/${user.unit.id}/`;
  return { actor: { id: user.id, roles: user.roles, unitId: user.unit.id, unitPath: path }, own: { id: user.unit.id, path } };
}

type Rule = (actor: Actor, own: UnitRef) => boolean;

const everyone: Rule = (actor) => actor.roles.length > 0;
const caseWork: Rule = (actor) => casePolicy.list(actor);
const meetingRecords: Rule = (actor) => meetingPolicy.list(actor);
/** Keeping the reception days is also an admin's; the book and the live sessions hold citizens' data and are not. */
const receptionDays: Rule = (actor, own) => receptionPolicy.manageSchedules(actor, own);
const receptionBook: Rule = (actor, own) => receptionPolicy.readBook(actor, own);
/** A case of the account's own unit, for the case rules that judge scope (the server judges the real case). */
const caseOf = (own: UnitRef) => ({ kind: null, wasDenunciation: false, unit: own, assigneeId: null });
/** Checking the history's chain is the leaders' and admins' (casePolicy.verifyHistory). */
const integrity: Rule = (actor, own) => casePolicy.verifyHistory(actor, caseOf(own));
/** The administration pages change units and accounts: admins (unitPolicy.update on their own unit). */
const administration: Rule = (actor, own) => unitPolicy.update(actor, own);

const rules: Record<Page, Rule> = {
  home: everyone,
  meeting: everyone,
  password: everyone,
  unknown: () => false,
  cases: caseWork,
  caseNew: (actor, own) => casePolicy.create(actor, own),
  case: caseWork,
  stats: (actor) => reportPolicy.read(actor),
  integrity,
  meetings: meetingRecords,
  "meeting-record": meetingRecords,
  // Nhiệm vụ được giao and the follow-up matrix: staff who follow directives up (each row is the server's to filter).
  tasks: (actor) => directivePolicy.listTasks(actor),
  directiveMatrix: (actor) => directivePolicy.listTasks(actor),
  reception: receptionDays,
  receptionSlots: receptionDays,
  receptionBook,
  receptionSessions: (actor, own) => receptionPolicy.manageSessions(actor, own),
  receptionEntryNew: (actor, own) => receptionPolicy.writeBook(actor, own),
  receptionEntry: receptionBook,
  units: administration,
  users: administration,
  holidays: administration,
  /** The unit's signing certificate: admins over it (certificatePolicy.manage on their own unit). */
  certificates: (actor, own) => certificatePolicy.manage(actor, own),
  /** The province's mail server: admins (the server further limits it to the top unit's, like the holidays). */
  mail: (actor) => mailPolicy.manage(actor),
};

export function canOpen(user: AccessUser, page: Page): boolean {
  const { actor, own } = actorOf(user);
  return rules[page](actor, own);
}

/** A rule asked for a signed-in account; nobody signed in may do nothing. */
const asked =
  (rule: Rule) =>
  (user: AccessUser | null | undefined): boolean => {
    if (!user) return false;
    const { actor, own } = actorOf(user);
    return rule(actor, own);
  };

/** The controls a page offers an account, each the server rule that judges the request it sends. */
export const may = {
  /** The deadline bell in the header: whoever works on cases. */
  followCaseDeadlines: asked(caseWork),
  /** Hand a case to an officer or inspector (the assign panel; others see who has the case). */
  assignCases: asked((actor, own) => casePolicy.assign(actor, caseOf(own))),
  /** Schedule a briefing (the form above the upcoming meetings). */
  scheduleBriefings: asked((actor) => meetingPolicy.schedule(actor)),
  /** A chair's controls over the other sites (mute, floor, remove, lock): asked once the server names the account chair. */
  moderateBriefings: asked((actor) => roomEventPolicy.muteSite(actor)),
  /** See who booked a reception slot. */
  readSlotBookings: asked((actor, own) => receptionPolicy.readBookings(actor, own)),
  /** Write a periodic or ad-hoc reception day in the book (the leader receives in person on those). */
  leadReceptionDays: asked((actor) => receptionPolicy.leadsReceptionDays(actor)),
  /** Write a reception entry's conclusion notice. */
  concludeReceptionEntries: asked((actor, own) => receptionPolicy.conclude(actor, own)),
};

/** Who may be handed a case (the assign panel's choices): the server's rule, not a list of roles. */
export const mayBeAssignedCases = (account: { roles: readonly Role[] }): boolean => casePolicy.assignable(account);

/** The navigation's entries, in order; each one is a page the account may open. */
export const NAV_PAGES = ["home", "meeting", "meetings", "tasks", "cases", "reception", "stats", "integrity", "units", "users", "holidays", "certificates", "mail"] as const;
export type NavPage = (typeof NAV_PAGES)[number];

export function navFor(user: AccessUser): NavPage[] {
  return NAV_PAGES.filter((page) => canOpen(user, page));
}

/** The role whose home an account lands on, when it holds several: the most encompassing work first. */
export type HomeKind = "leader" | "officer" | "admin" | "site";
export function homeKind(user: Pick<AccessUser, "roles">): HomeKind {
  if (user.roles.includes("leader")) return "leader";
  if (user.roles.some((role) => role === "officer" || role === "inspector")) return "officer";
  if (user.roles.includes("admin")) return "admin";
  return "site";
}
