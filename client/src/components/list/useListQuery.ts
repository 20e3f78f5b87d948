import { useCallback, useMemo, useSyncExternalStore } from "react";
import { type ListSort, type ListState, nextSort, readListState, writeListState } from "./listQuery";

function subscribe(listener: () => void): () => void {
  window.addEventListener("hashchange", listener);
  return () => window.removeEventListener("hashchange", listener);
}
const currentHash = () => window.location.hash;

export interface ListQuery<K extends string> extends ListState<K> {
  /** New filters (and search text): back to page 1, kept in the URL as a new history entry. */
  applyFilters: (filters: Record<K, string>) => void;
  setPage: (page: number) => void;
  /** Sorts by a column, or flips the direction when it is already the sort. */
  sortBy: (field: string) => void;
}

/**
 * A list page's filters, sort and page, read from and written to the hash route's query ("#/cases?state=…").
 * Writing assigns the hash, so the Back button returns to the previous filters.
 */
export function useListQuery<K extends string>(keys: readonly K[], defaults: Partial<Record<K, string>> = {}): ListQuery<K> {
  const hash = useSyncExternalStore(subscribe, currentHash);
  const [path = "", search = ""] = hash.replace(/^#/, "").split("?");
  // The keys and defaults are constants of the page; their text stands in for them as a dependency.
  const keyText = keys.join(",");
  const defaultText = JSON.stringify(defaults);
  const state = useMemo(
    () => readListState(new URLSearchParams(search), keyText.split(",") as K[], JSON.parse(defaultText) as Partial<Record<K, string>>),
    [search, keyText, defaultText],
  );

  const go = useCallback(
    (next: ListState<K>) => {
      const query = writeListState(next).toString();
      window.location.hash = `${path}${query ? `?${query}` : ""}`;
    },
    [path],
  );

  return {
    ...state,
    applyFilters: (filters) => go({ ...state, filters, page: 1 }),
    setPage: (page) => go({ ...state, page }),
    sortBy: (field) => go({ ...state, sort: nextSort(state.sort, field), page: 1 }),
  };
}

export type { ListSort };
