import { useSyncExternalStore } from "react";

export type Route =
  | { page: "home" }
  | { page: "meeting" }
  | { page: "unknown" }
  | { page: "units" }
  | { page: "users" }
  | { page: "password" }
  | { page: "holidays" }
  | { page: "certificates" }
  | { page: "mail" }
  | { page: "stats" }
  | { page: "integrity" }
  | { page: "meetings" }
  | { page: "tasks" }
  | { page: "directiveMatrix" }
  | { page: "meeting-record"; id: string }
  | { page: "cases" }
  | { page: "caseNew" }
  | { page: "case"; id: string }
  | { page: "reception" }
  | { page: "receptionSlots" }
  | { page: "receptionBook" }
  | { page: "receptionSessions" }
  | { page: "receptionEntryNew" }
  | { page: "receptionEntry"; id: string };
export type Page = Route["page"];

function parse(hash: string): Route {
  // A link without a hash route that names a room ("/?room=…", from a reception session or an invitation)
  // opens that room's pre-join screen; "#/" is the account's home.
  if (!hash.replace(/^#/, "") && new URLSearchParams(window.location.search).has("room")) return { page: "meeting" };
  const path = hash.replace(/^#/, "").split("?")[0] || "/";
  if (path === "/") return { page: "home" };
  if (path === "/room") return { page: "meeting" };
  if (path === "/admin/units") return { page: "units" };
  if (path === "/admin/users") return { page: "users" };
  if (path === "/password") return { page: "password" };
  if (path === "/admin/holidays") return { page: "holidays" };
  if (path === "/admin/certificates") return { page: "certificates" };
  if (path === "/admin/mail") return { page: "mail" };
  if (path === "/stats") return { page: "stats" };
  if (path === "/integrity") return { page: "integrity" };
  if (path === "/meetings") return { page: "meetings" };
  if (path === "/tasks") return { page: "tasks" };
  if (path === "/directives/matrix") return { page: "directiveMatrix" };
  const record = /^\/meetings\/([\w-]{1,64})$/.exec(path);
  if (record?.[1]) return { page: "meeting-record", id: record[1] };
  if (path === "/cases") return { page: "cases" };
  if (path === "/cases/new") return { page: "caseNew" };
  const detail = /^\/cases\/([\w-]{1,64})$/.exec(path);
  if (detail?.[1]) return { page: "case", id: detail[1] };
  if (path === "/reception") return { page: "reception" };
  if (path === "/reception/slots") return { page: "receptionSlots" };
  if (path === "/reception/book") return { page: "receptionBook" };
  if (path === "/reception/sessions") return { page: "receptionSessions" };
  if (path === "/reception/book/new") return { page: "receptionEntryNew" };
  const entry = /^\/reception\/book\/([\w-]{1,64})$/.exec(path);
  if (entry?.[1]) return { page: "receptionEntry", id: entry[1] };
  return { page: "unknown" };
}

function subscribe(listener: () => void): () => void {
  window.addEventListener("hashchange", listener);
  return () => window.removeEventListener("hashchange", listener);
}

/** Hash routes keep deep links working behind any static file server or proxy without rewrites. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parse(hash);
}

export function usePage(): Page {
  return useRoute().page;
}

const simple: Record<Exclude<Page, "case" | "meeting-record" | "receptionEntry" | "unknown">, string> = {
  home: "#/",
  meeting: "#/room",
  units: "#/admin/units",
  users: "#/admin/users",
  password: "#/password",
  holidays: "#/admin/holidays",
  certificates: "#/admin/certificates",
  mail: "#/admin/mail",
  stats: "#/stats",
  integrity: "#/integrity",
  meetings: "#/meetings",
  tasks: "#/tasks",
  directiveMatrix: "#/directives/matrix",
  cases: "#/cases",
  caseNew: "#/cases/new",
  reception: "#/reception",
  receptionSlots: "#/reception/slots",
  receptionBook: "#/reception/book",
  receptionSessions: "#/reception/sessions",
  receptionEntryNew: "#/reception/book/new",
};

export function hrefOf(page: Exclude<Page, "case" | "meeting-record" | "receptionEntry" | "unknown">): string {
  return simple[page];
}

export const caseHref = (id: string): string => `#/cases/${id}`;
export const meetingHref = (id: string): string => `#/meetings/${id}`;
/** The pre-join screen of one room (from a schedule entry: the user never types the room id). */
export const roomHref = (roomId: string): string => `#/room?${new URLSearchParams({ room: roomId }).toString()}`;
export const receptionEntryHref = (id: string): string => `#/reception/book/${id}`;

/** Parameters after "?" in the hash route (e.g. the session a new book entry belongs to). */
export function hashParams(): URLSearchParams {
  return new URLSearchParams(window.location.hash.split("?")[1] ?? "");
}

/** A new book entry for a live reception (its unit, session and booking filled in). */
export const sessionEntryHref = (link: { unitId: string; sessionId: string; bookingId?: string | null }): string =>
  `#/reception/book/new?${new URLSearchParams({ unit: link.unitId, session: link.sessionId, ...(link.bookingId ? { booking: link.bookingId } : {}) }).toString()}`;
