import { useTranslation } from "react-i18next";
import { type CaseSummary, caseStateSchema } from "../../../signaling/protocol";
import { useApi } from "../api/useApi";
import { DateField } from "../components/DateField";
import { CaseKindSelect } from "../components/fields/CaseKindSelect";
import { type Column, DataTable } from "../components/list/DataTable";
import { ExportButton } from "../components/list/ExportButton";
import { apiQuery } from "../components/list/listQuery";
import { ListFilters } from "../components/list/ListFilters";
import { useListQuery } from "../components/list/useListQuery";
import { formatViDate } from "../dates";
import { caseHref, hrefOf } from "../routing";
import { DeadlineBadge } from "./DeadlineBadge";

/** A list row; `assignee` is shown once the list endpoint sends it (docs/list-endpoints.md; older servers do not). */
type CaseRow = CaseSummary & { assignee?: { id: string; displayName: string } | null };

interface CasePage {
  items: CaseRow[];
  total: number;
  /** A search with more hits than the server ranks: `total` is what can be paged through. */
  totalIsLowerBound?: boolean;
}

const PAGE_SIZE = 50;
const FILTERS = ["q", "state", "kind", "deadline", "mine", "receivedFrom", "receivedTo"] as const;

export function CaseListPage() {
  const { t } = useTranslation();
  const list = useListQuery(FILTERS);
  const query = apiQuery(list, PAGE_SIZE);
  const { data, errorCode } = useApi<CasePage>(`/cases?${query.toString()}`);

  const columns: Column<CaseRow>[] = [
    { id: "code", header: t("cases.code"), sortField: "code", cell: (item) => <a href={caseHref(item.id)}>{item.code}</a> },
    { id: "summary", header: t("cases.summary"), cell: (item) => item.summary },
    { id: "kind", header: t("cases.kind"), cell: (item) => (item.kind ? t(`caseKinds.${item.kind}`) : "—") },
    { id: "state", header: t("cases.state"), sortField: "state", cell: (item) => t(`caseStates.${item.state}`) },
    { id: "unit", header: t("cases.unit"), cell: (item) => item.unit.name },
    { id: "assignee", header: t("cases.assignee"), cell: (item) => item.assignee?.displayName ?? "—" },
    { id: "received", header: t("cases.received"), sortField: "received", cell: (item) => formatViDate(item.receivedDate) },
    { id: "due", header: t("cases.due"), sortField: "due", cell: (item) => <DeadlineBadge deadline={item.deadline} /> },
  ];

  return (
    <section className="card admin-page">
      <div className="page-head">
        <h1>{t("cases.title")}</h1>
        <a className="button-link primary" href={hrefOf("caseNew")} data-testid="case-new">
          {t("cases.newCase")}
        </a>
      </div>
      <ListFilters
        query={list}
        searchKey="q"
        searchLabel={t("cases.search")}
        actions={<ExportButton path="/cases/export.xlsx" query={query} fileName="ho-so.xlsx" />}
      >
        {(draft, set) => (
          <>
            <CaseKindSelect value={draft.kind} onChange={(kind) => set("kind", kind)} emptyLabel={t("cases.allKinds")} aria-label={t("cases.kind")} data-testid="filter-kind" />
            <select value={draft.state} onChange={(e) => set("state", e.target.value)} aria-label={t("cases.state")} data-testid="filter-state">
              <option value="">{t("cases.allStates")}</option>
              {caseStateSchema.options.map((state) => (
                <option key={state} value={state}>
                  {t(`caseStates.${state}`)}
                </option>
              ))}
            </select>
            <select value={draft.deadline} onChange={(e) => set("deadline", e.target.value)} aria-label={t("cases.due")} data-testid="filter-deadline">
              <option value="">{t("cases.anyDeadline")}</option>
              <option value="dueSoon">{t("deadlineStatus.dueSoon")}</option>
              <option value="overdue">{t("deadlineStatus.overdue")}</option>
            </select>
            <label className="inline-check">
              <input type="checkbox" data-testid="filter-mine" checked={draft.mine === "true"} onChange={(e) => set("mine", e.target.checked ? "true" : "")} />
              <span>{t("cases.mine")}</span>
            </label>
            <label className="filter-date">
              {t("cases.from")}
              <DateField testId="filter-received-from" value={draft.receivedFrom} onChange={(value) => set("receivedFrom", value)} />
            </label>
            <label className="filter-date">
              {t("cases.to")}
              <DateField testId="filter-received-to" value={draft.receivedTo} onChange={(value) => set("receivedTo", value)} />
            </label>
          </>
        )}
      </ListFilters>
      {data?.totalIsLowerBound && (
        <p className="hint" data-testid="more-hits">
          {t("cases.moreHits", { count: data.total })}
        </p>
      )}
      <DataTable
        className="cases-table"
        columns={columns}
        rows={data?.items ?? null}
        rowKey={(item) => item.id}
        rowAttributes={(item) => ({ "data-testid": "case-row", "data-code": item.code })}
        empty={Object.values<string>(list.filters).some(Boolean) ? t("cases.emptyFiltered") : t("cases.empty")}
        errorCode={errorCode}
        sort={list.sort}
        onSort={list.sortBy}
        pager={{ page: list.page, pageSize: PAGE_SIZE, total: data?.total ?? 0, onChange: list.setPage }}
      />
    </section>
  );
}
