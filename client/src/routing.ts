import { useSyncExternalStore } from "react";

export type Page = "meeting" | "units" | "users" | "password";

const pages: Record<string, Page> = { "#/": "meeting", "#/admin/units": "units", "#/admin/users": "users", "#/password": "password" };

function subscribe(listener: () => void): () => void {
  window.addEventListener("hashchange", listener);
  return () => window.removeEventListener("hashchange", listener);
}

/** Hash routes keep deep links working behind any static file server or proxy without rewrites. */
export function usePage(): Page {
  return useSyncExternalStore(subscribe, () => pages[window.location.hash] ?? "meeting");
}

export const hrefOf = (page: Page): string => Object.entries(pages).find(([, value]) => value === page)?.[0] ?? "#/";
