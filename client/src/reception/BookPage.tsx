import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { EntryDto } from "../../../signaling/protocol";
import { downloadWithToken } from "../api/download";
import { useApi } from "../api/useApi";
import { ErrorMessage } from "../components/ErrorMessage";
import { Pager } from "../components/Pager";
import { hrefOf, receptionEntryHref } from "../routing";
import { useSession } from "../session";
import { dateTime, todayLocal } from "./format";
import { ReceptionTabs } from "./ReceptionTabs";
import { UnitSelect } from "./UnitSelect";
import { useScopeUnits } from "./useScopeUnits";
import { DateField } from "../components/DateField";

const PAGE_SIZE = 50;

/** The reception book (sổ tiếp công dân) of a unit for a period, with its PDF and XLSX exports. */
export function BookPage() {
  const { t } = useTranslation();
  const [, session] = useSession();
  const { ownId, units } = useScopeUnits();
  const [unitId, setUnitId] = useState("");
  const [period, setPeriod] = useState({ from: `${todayLocal().slice(0, 8)}01`, to: todayLocal() });
  const [applied, setApplied] = useState(period);
  const [page, setPage] = useState(1);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const shownUnit = unitId || ownId;
  const query = new URLSearchParams({ unitId: shownUnit, from: applied.from, to: applied.to, page: String(page), pageSize: String(PAGE_SIZE) });
  const { data, errorCode } = useApi<{ items: EntryDto[]; total: number }>(`/reception/book?${query}`);

  const filter = (event: FormEvent) => {
    event.preventDefault();
    setPage(1);
    setApplied(period);
  };
  const download = async (format: "pdf" | "xlsx") => {
    const exportQuery = new URLSearchParams({ unitId: shownUnit, from: applied.from, to: applied.to, format });
    const ok = await downloadWithToken(`/api/reception/book-export?${exportQuery}`, session.accessToken, `so-tiep-cong-dan-${applied.from}-${applied.to}.${format}`);
    setDownloadError(ok ? null : "INTERNAL");
  };

  return (
    <section className="card admin-page" data-testid="reception-book">
      <div className="page-head">
        <h1>{t("reception.bookTitle")}</h1>
        <UnitSelect units={units} value={shownUnit} onChange={setUnitId} />
      </div>
      <ReceptionTabs />
      <form className="filters" onSubmit={filter}>
        <DateField ariaLabel={t("reception.from")} value={period.from} onChange={(from) => setPeriod({ ...period, from })} />
        <DateField ariaLabel={t("reception.to")} value={period.to} onChange={(to) => setPeriod({ ...period, to })} />
        <button type="submit">{t("reception.filter")}</button>
        <button type="button" onClick={() => void download("pdf")} data-testid="book-pdf">
          {t("reception.exportPdf")}
        </button>
        <button type="button" onClick={() => void download("xlsx")} data-testid="book-xlsx">
          {t("reception.exportXlsx")}
        </button>
        <a className="button-link primary" href={hrefOf("receptionEntryNew")} data-testid="entry-new">
          {t("reception.newEntry")}
        </a>
      </form>
      <ErrorMessage code={errorCode ?? downloadError} />
      {data?.items.length === 0 && <p className="hint">{t("reception.noEntries")}</p>}
      {data && data.items.length > 0 && (
        <div className="table-wrap">
          <table className="users-table">
            <thead>
              <tr>
                <th>{t("reception.fields.receivedAt")}</th>
                <th>{t("reception.fields.citizens")}</th>
                <th>{t("reception.fields.peopleCount")}</th>
                <th>{t("reception.fields.content")}</th>
                <th>{t("reception.fields.officer")}</th>
                <th>{t("reception.fields.handling")}</th>
                <th>{t("reception.fields.confirmed")}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((entry) => (
                <tr key={entry.id} data-testid="entry-row">
                  <td data-label={t("reception.fields.receivedAt")}>
                    <a href={receptionEntryHref(entry.id)}>{dateTime(entry.receivedAt)}</a>
                  </td>
                  <td data-label={t("reception.fields.citizens")}>{entry.citizens.map((citizen) => citizen.fullName).join(", ")}</td>
                  <td data-label={t("reception.fields.peopleCount")}>{entry.peopleCount}</td>
                  <td data-label={t("reception.fields.content")}>{entry.content.length > 140 ? `${entry.content.slice(0, 140)}…` : entry.content}</td>
                  <td data-label={t("reception.fields.officer")}>{entry.receivingOfficerName}</td>
                  <td data-label={t("reception.fields.handling")}>{t(`reception.handlings.${entry.handling}`)}</td>
                  <td data-label={t("reception.fields.confirmed")}>{entry.citizenConfirmedAt ? dateTime(entry.citizenConfirmedAt) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pageSize={PAGE_SIZE} total={data?.total ?? 0} onChange={setPage} />
    </section>
  );
}
