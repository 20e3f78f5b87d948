import type { Role } from "../../signaling/protocol";
import type { Actor, UnitRef } from "../../signaling/policies/actor";
import { casePolicy } from "../../signaling/policies/cases";
import { certificatePolicy } from "../../signaling/policies/certificates";
import { directivePolicy } from "../../signaling/policies/directives";
import { mailPolicy } from "../../signaling/policies/mail";
import { meetingPolicy } from "../../signaling/policies/meetings";
import { receptionPolicy } from "../../signaling/policies/reception";
import { reportPolicy } from "../../signaling/policies/reports";
import { unitPolicy } from "../../signaling/policies/units";
import type { Page } from "./routing";

/**
 * The one place the client decides which pages an account may open (the navigation, the pages rendered,
 * and the "not allowed" page all ask here). It asks the server's own policies, for the account's own unit:
 * a page is offered when the server would answer its first request; every item on it is still checked
 * by the server. The unit's path is unknown here and not needed: a unit is within its own scope.
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
/** Checking the history's chain is the leaders' and admins' (casePolicy.verifyHistory). */
const integrity: Rule = (actor, own) => casePolicy.verifyHistory(actor, { kind: null, wasDenunciation: false, unit: own, assigneeId: null });
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
