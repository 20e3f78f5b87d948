import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { EntryDto } from "../../../signaling/protocol";
import { downloadWithToken } from "../api/download";
import { useApi } from "../api/useApi";
import { ErrorMessage } from "../components/ErrorMessage";
import { type Column, DataTable } from "../components/list/DataTable";
import { apiQuery } from "../components/list/listQuery";
import { ListFilters } from "../components/list/ListFilters";
import { useListQuery } from "../components/list/useListQuery";
import { hrefOf, receptionEntryHref } from "../routing";
import { useSession } from "../session";
import { formatViDateTime, todayInVietnam } from "../dates";
import { ReceptionTabs } from "./ReceptionTabs";
import { PageUnitSelect } from "./PageUnitSelect";
import { useScopeUnits } from "../admin/useScopeUnits";
import { DateField } from "../components/DateField";

const PAGE_SIZE = 50;
const FILTERS = ["unitId", "from", "to"] as const;

/** The reception book (sổ tiếp công dân) of a unit for a period, with its PDF and XLSX exports. */
export function BookPage() {
  const { t } = useTranslation();
  const [, session] = useSession();
  const { ownId, units } = useScopeUnits();
  // This month so far, unless the URL names another period.
  const list = useListQuery(FILTERS, { from: `${todayInVietnam().slice(0, 8)}01`, to: todayInVietnam() });
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const shownUnit = list.filters.unitId || ownId;
  const { from, to } = list.filters;
  const query = apiQuery({ ...list, filters: { ...list.filters, unitId: shownUnit } }, PAGE_SIZE);
  const { data, errorCode } = useApi<{ items: EntryDto[]; total: number }>(`/reception/book?${query.toString()}`);

  const download = async (format: "pdf" | "xlsx") => {
    const exportQuery = new URLSearchParams({ unitId: shownUnit, from, to, format });
    const ok = await downloadWithToken(`/api/reception/book-export?${exportQuery}`, session.accessToken, `so-tiep-cong-dan-${from}-${to}.${format}`);
    setDownloadError(ok ? null : "INTERNAL");
  };

  const columns: Column<EntryDto>[] = [
    { id: "receivedAt", header: t("reception.fields.receivedAt"), cell: (entry) => <a href={receptionEntryHref(entry.id)}>{formatViDateTime(entry.receivedAt)}</a> },
    { id: "citizens", header: t("reception.fields.citizens"), cell: (entry) => entry.citizens.map((citizen) => citizen.fullName).join(", ") },
    { id: "peopleCount", header: t("reception.fields.peopleCount"), cell: (entry) => entry.peopleCount },
    { id: "content", header: t("reception.fields.content"), cell: (entry) => (entry.content.length > 140 ? `${entry.content.slice(0, 140)}…` : entry.content) },
    { id: "officer", header: t("reception.fields.officer"), cell: (entry) => entry.receivingOfficerName },
    { id: "handling", header: t("reception.fields.handling"), cell: (entry) => t(`reception.handlings.${entry.handling}`) },
    { id: "confirmed", header: t("reception.fields.confirmed"), cell: (entry) => (entry.citizenConfirmedAt ? formatViDateTime(entry.citizenConfirmedAt) : "—") },
  ];

  return (
    <section className="card admin-page" data-testid="reception-book">
      <div className="page-head">
        <h1>{t("reception.bookTitle")}</h1>
        <PageUnitSelect units={units} value={shownUnit} onChange={(unitId) => list.applyFilters({ ...list.filters, unitId })} />
      </div>
      <ReceptionTabs />
      <ListFilters
        query={list}
        actions={
          <>
            <button type="button" onClick={() => void download("pdf")} data-testid="book-pdf">
              {t("reception.exportPdf")}
            </button>
            <button type="button" onClick={() => void download("xlsx")} data-testid="book-xlsx">
              {t("reception.exportXlsx")}
            </button>
            <a className="button-link primary" href={hrefOf("receptionEntryNew")} data-testid="entry-new">
              {t("reception.newEntry")}
            </a>
          </>
        }
      >
        {(draft, set) => (
          <>
            <label className="filter-date">
              {t("reception.from")}
              <DateField value={draft.from} onChange={(value) => set("from", value)} />
            </label>
            <label className="filter-date">
              {t("reception.to")}
              <DateField value={draft.to} onChange={(value) => set("to", value)} />
            </label>
          </>
        )}
      </ListFilters>
      <ErrorMessage code={downloadError} />
      <DataTable
        columns={columns}
        rows={data?.items ?? null}
        rowKey={(entry) => entry.id}
        rowAttributes={() => ({ "data-testid": "entry-row" })}
        empty={t("reception.noEntries")}
        errorCode={errorCode}
        pager={{ page: list.page, pageSize: PAGE_SIZE, total: data?.total ?? 0, onChange: list.setPage }}
      />
    </section>
  );
}
