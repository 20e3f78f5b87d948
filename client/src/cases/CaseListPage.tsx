import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { type CaseSummary, caseKindSchema, caseStateSchema } from "../../../signaling/protocol";
import { useApi } from "../api/useApi";
import { ErrorMessage } from "../components/ErrorMessage";
import { Pager } from "../components/Pager";
import { caseHref, hrefOf } from "../routing";
import { DeadlineBadge, formatDate } from "./DeadlineBadge";
import { DateField } from "../components/DateField";

interface CasePage {
  items: CaseSummary[];
  total: number;
}

const PAGE_SIZE = 50;

export function CaseListPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState({ state: "", kind: "", deadline: "", q: "", mine: "", receivedFrom: "", receivedTo: "" });
  const [applied, setApplied] = useState(filters);
  const [page, setPage] = useState(1);
  const query = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
  for (const [key, value] of Object.entries(applied)) if (value) query.set(key, value);
  const { data, errorCode } = useApi<CasePage>(`/cases?${query}`);
  const list = data ?? { items: [], total: 0 };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setPage(1);
    setApplied(filters);
  };

  return (
    <section className="card admin-page">
      <div className="page-head">
        <h1>{t("cases.title")}</h1>
        <a className="button-link primary" href={hrefOf("caseNew")} data-testid="case-new">
          {t("cases.newCase")}
        </a>
      </div>
      <form className="filters" onSubmit={submit}>
        <select value={filters.kind} onChange={(e) => setFilters({ ...filters, kind: e.target.value })} aria-label={t("cases.kind")}>
          <option value="">{t("cases.allKinds")}</option>
          {caseKindSchema.options.map((kind) => (
            <option key={kind} value={kind}>
              {t(`caseKinds.${kind}`)}
            </option>
          ))}
        </select>
        <select value={filters.state} onChange={(e) => setFilters({ ...filters, state: e.target.value })} aria-label={t("cases.state")}>
          <option value="">{t("cases.allStates")}</option>
          {caseStateSchema.options.map((state) => (
            <option key={state} value={state}>
              {t(`caseStates.${state}`)}
            </option>
          ))}
        </select>
        <select value={filters.deadline} onChange={(e) => setFilters({ ...filters, deadline: e.target.value })} aria-label={t("cases.due")}>
          <option value="">{t("cases.anyDeadline")}</option>
          <option value="dueSoon">{t("deadlineStatus.dueSoon")}</option>
          <option value="overdue">{t("deadlineStatus.overdue")}</option>
        </select>
        <label className="inline-check">
          <input type="checkbox" data-testid="filter-mine" checked={filters.mine === "true"} onChange={(e) => setFilters({ ...filters, mine: e.target.checked ? "true" : "" })} />
          {t("cases.mine")}
        </label>
        <DateField ariaLabel={t("cases.from")} testId="filter-received-from" value={filters.receivedFrom} onChange={(receivedFrom) => setFilters({ ...filters, receivedFrom })} />
        <DateField ariaLabel={t("cases.to")} testId="filter-received-to" value={filters.receivedTo} onChange={(receivedTo) => setFilters({ ...filters, receivedTo })} />
        <input value={filters.q} maxLength={100} placeholder={t("cases.search")} onChange={(e) => setFilters({ ...filters, q: e.target.value })} />
        <button type="submit">{t("cases.filter")}</button>
      </form>
      <ErrorMessage code={errorCode} />
      {list.items.length === 0 ? (
        <p className="hint">{t("cases.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="users-table cases-table">
            <thead>
              <tr>
                <th>{t("cases.code")}</th>
                <th>{t("cases.summary")}</th>
                <th>{t("cases.kind")}</th>
                <th>{t("cases.state")}</th>
                <th>{t("cases.unit")}</th>
                <th>{t("cases.received")}</th>
                <th>{t("cases.due")}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((item) => (
                <tr key={item.id} data-testid="case-row" data-code={item.code}>
                  <td data-label={t("cases.code")}>
                    <a href={caseHref(item.id)}>{item.code}</a>
                  </td>
                  <td data-label={t("cases.summary")}>{item.summary}</td>
                  <td data-label={t("cases.kind")}>{item.kind ? t(`caseKinds.${item.kind}`) : "—"}</td>
                  <td data-label={t("cases.state")}>{t(`caseStates.${item.state}`)}</td>
                  <td data-label={t("cases.unit")}>{item.unit.name}</td>
                  <td data-label={t("cases.received")}>{formatDate(item.receivedDate)}</td>
                  <td data-label={t("cases.due")}>
                    <DeadlineBadge deadline={item.deadline} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pageSize={PAGE_SIZE} total={list.total} onChange={setPage} />
    </section>
  );
}
