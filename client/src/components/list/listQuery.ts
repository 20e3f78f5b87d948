/**
 * The state of a list page (its filters, search text, sort and page) as it is kept in the URL: after the
 * "?" of the hash route, so a filtered list can be bookmarked, shared, reloaded and reached again with
 * the browser's Back button. Pure functions; `useListQuery` binds them to the address bar.
 */

export type SortDirection = "asc" | "desc";
export interface ListSort {
  field: string;
  direction: SortDirection;
}

export interface ListState<K extends string> {
  /** Every filter key, "" when unset (as form fields hold them). */
  filters: Record<K, string>;
  page: number;
  sort: ListSort | null;
}

const MAX_PAGE = 100_000;

/** Reads the keys the page declares; anything else in the URL is ignored, never sent on. */
export function readListState<K extends string>(params: URLSearchParams, keys: readonly K[], defaults: Partial<Record<K, string>> = {}): ListState<K> {
  const filters = Object.fromEntries(keys.map((key) => [key, params.get(key) ?? defaults[key] ?? ""])) as Record<K, string>;
  const page = Number(params.get("page"));
  const field = params.get("sort");
  const direction = params.get("dir") === "desc" ? "desc" : "asc";
  return {
    filters,
    page: Number.isInteger(page) && page >= 1 && page <= MAX_PAGE ? page : 1,
    sort: field && /^[A-Za-z.]{1,40}$/.test(field) ? { field, direction } : null,
  };
}

/** The URL form of a state: empty filters, page 1 and no sort are left out, so a plain list has a plain URL. */
export function writeListState<K extends string>(state: ListState<K>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries<string>(state.filters)) if (value) params.set(key, value);
  if (state.sort) {
    params.set("sort", state.sort.field);
    params.set("dir", state.sort.direction);
  }
  if (state.page > 1) params.set("page", String(state.page));
  return params;
}

/** The query for the list endpoint: the URL's state plus the page size (and anything fixed the page adds). */
export function apiQuery<K extends string>(state: ListState<K>, pageSize: number, fixed: Record<string, string> = {}): URLSearchParams {
  const params = writeListState(state);
  params.set("page", String(state.page));
  params.set("pageSize", String(pageSize));
  for (const [key, value] of Object.entries(fixed)) params.set(key, value);
  return params;
}

/** Clicking a header: a new column sorts ascending, the same column flips its direction. */
export function nextSort(current: ListSort | null, field: string): ListSort {
  return current?.field === field ? { field, direction: current.direction === "asc" ? "desc" : "asc" } : { field, direction: "asc" };
}
