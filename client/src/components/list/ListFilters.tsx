import { type FormEvent, type ReactNode, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ListQuery } from "./useListQuery";

export type SetFilter<K extends string> = (key: K, value: string) => void;

interface ListFiltersProps<K extends string> {
  query: ListQuery<K>;
  /** The filter key of the free-text search box (the server's `q`), when the list has one. */
  searchKey?: K;
  searchLabel?: string;
  /** The filter fields, bound to the draft the form holds until "Lọc" is pressed. */
  children?: (draft: Record<K, string>, set: SetFilter<K>) => ReactNode;
  /** Buttons beside the filters that are not filters (export, new item). */
  actions?: ReactNode;
}

/**
 * The filter bar of a list page: a search box, the page's own filter fields and "Lọc" / "Xóa bộ lọc".
 * What is typed stays a draft until applied; applying writes it to the URL (useListQuery), and a URL
 * changed from outside (Back, a link) replaces the draft.
 */
export function ListFilters<K extends string>({ query, searchKey, searchLabel, children, actions }: ListFiltersProps<K>) {
  const { t } = useTranslation();
  const searchId = useId();
  const [draft, setDraft] = useState(query.filters);
  const appliedText = JSON.stringify(query.filters);
  const [shownText, setShownText] = useState(appliedText);
  if (shownText !== appliedText) {
    setShownText(appliedText);
    setDraft(query.filters);
  }
  const set: SetFilter<K> = (key, value) => setDraft((current) => ({ ...current, [key]: value }));
  const filtered = Object.values<string>(query.filters).some(Boolean);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    query.applyFilters(draft);
  };
  const clear = () => query.applyFilters(Object.fromEntries(Object.keys(draft).map((key) => [key, ""])) as Record<K, string>);

  return (
    <form className="filters list-filters" role="search" onSubmit={submit} data-testid="list-filters">
      {searchKey && (
        <span className="search-box">
          <label htmlFor={searchId} className="visually-hidden">
            {searchLabel ?? t("list.search")}
          </label>
          <input
            id={searchId}
            type="search"
            data-testid="list-search"
            value={draft[searchKey]}
            maxLength={100}
            placeholder={searchLabel ?? t("list.search")}
            onChange={(event) => set(searchKey, event.target.value)}
          />
        </span>
      )}
      {children?.(draft, set)}
      <button type="submit" data-testid="list-apply">
        {t("list.apply")}
      </button>
      {filtered && (
        <button type="button" className="link-button" data-testid="list-clear" onClick={clear}>
          {t("list.clear")}
        </button>
      )}
      {actions && <div className="list-actions">{actions}</div>}
    </form>
  );
}
