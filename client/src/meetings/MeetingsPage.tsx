import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { MeetingSummary } from "../../../signaling/protocol";
import { downloadWithToken } from "../api/download";
import { useApi } from "../api/useApi";
import { DateField } from "../components/DateField";
import { ErrorMessage } from "../components/ErrorMessage";
import { type Column, DataTable } from "../components/list/DataTable";
import { ExportButton } from "../components/list/ExportButton";
import { apiQuery } from "../components/list/listQuery";
import { ListFilters } from "../components/list/ListFilters";
import { useListQuery } from "../components/list/useListQuery";
import { formatViDateTime } from "../dates";
import { hrefOf, meetingHref } from "../routing";
import { useSession } from "../session";
import { MeetingMinutes } from "../directives/MeetingMinutes";
import { type RecordingInfo, Recordings } from "./Recordings";


interface MeetingRecord extends MeetingSummary {
  attendance: {
    site: string;
    firstJoined: string;
    lastLeft: string | null;
    stays: number;
    minutesPresent: number;
    disconnections: number;
    quality: "good" | "fair" | "poor" | null;
    qualityScore: number | null;
  }[];
  chat: { id: string; displayName: string; text: string; at: string }[];
  recordings: RecordingInfo[];
}

const PAGE_SIZE = 50;
const FILTERS = ["q", "status", "from", "to"] as const;
const STATUSES = ["scheduled", "live", "ended", "cancelled"] as const;
const when = (iso: string | null) => (iso ? formatViDateTime(iso) : "—");

export function MeetingsPage() {
  const { t } = useTranslation();
  const list = useListQuery(FILTERS);
  const query = apiQuery(list, PAGE_SIZE);
  const { data, errorCode } = useApi<{ items: MeetingSummary[]; total: number }>(`/meetings?${query.toString()}`);

  const columns: Column<MeetingSummary>[] = [
    { id: "title", header: t("meetings.meeting"), sortField: "title", cell: (meeting) => <a href={meetingHref(meeting.id)}>{meeting.title}</a> },
    { id: "room", header: t("meetings.room"), sortField: "room", cell: (meeting) => meeting.roomId },
    { id: "started", header: t("meetings.started"), sortField: "start", cell: (meeting) => when(meeting.startedAt) },
    { id: "ended", header: t("meetings.ended"), cell: (meeting) => when(meeting.endedAt) },
    { id: "sites", header: t("meetings.sites"), cell: (meeting) => meeting.sites },
  ];

  return (
    <section className="card admin-page">
      <h1>{t("meetings.title")}</h1>
      <ListFilters
        query={list}
        searchKey="q"
        searchLabel={t("meetings.search")}
        actions={<ExportButton path="/meetings/export.xlsx" query={query} fileName="cuoc-hop.xlsx" />}
      >
        {(draft, set) => (
          <>
            <select value={draft.status} onChange={(event) => set("status", event.target.value)} aria-label={t("meetings.status")} data-testid="filter-status">
              <option value="">{t("meetings.anyStatus")}</option>
              {STATUSES.map((status) => (
                <option key={status} value={status}>
                  {t(`meetings.statuses.${status}`)}
                </option>
              ))}
            </select>
            <label className="filter-date">
              {t("meetings.from")}
              <DateField testId="filter-from" value={draft.from} onChange={(value) => set("from", value)} />
            </label>
            <label className="filter-date">
              {t("meetings.to")}
              <DateField testId="filter-to" value={draft.to} onChange={(value) => set("to", value)} />
            </label>
          </>
        )}
      </ListFilters>
      <DataTable
        columns={columns}
        rows={data?.items ?? null}
        rowKey={(meeting) => meeting.id}
        rowAttributes={(meeting) => ({ "data-testid": "meeting-row", "data-room": meeting.roomId })}
        empty={Object.values<string>(list.filters).some(Boolean) ? t("meetings.emptyFiltered") : t("meetings.empty")}
        errorCode={errorCode}
        sort={list.sort}
        onSort={list.sortBy}
        pager={{ page: list.page, pageSize: PAGE_SIZE, total: data?.total ?? 0, onChange: list.setPage }}
      />
    </section>
  );
}

export function MeetingRecordPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const [, session] = useSession();
  const { data: record, errorCode: loadError, reload } = useApi<MeetingRecord>(`/meetings/${id}`);
  const [errorCode, setErrorCode] = useState<string | null>(null);

  const download = async (format: "xlsx" | "pdf") => {
    if (!(await downloadWithToken(`/api/meetings/${id}/attendance?format=${format}`, session.accessToken, `diem-danh-${record?.roomId ?? id}.${format}`))) setErrorCode("INTERNAL");
  };

  return (
    <section className="card admin-page case-detail" data-testid="meeting-record">
      <a href={hrefOf("meetings")} className="back-link">
        {t("meetings.back")}
      </a>
      <ErrorMessage code={loadError ?? errorCode} />
      {record && (
        <>
          <div className="page-head">
            <h1>{record.title}</h1>
            <div className="filters">
              <button type="button" onClick={() => void download("xlsx")}>
                {t("meetings.xlsx")}
              </button>
              <button type="button" data-testid="attendance-pdf" onClick={() => void download("pdf")}>
                {t("meetings.pdf")}
              </button>
            </div>
          </div>
          <p className="case-meta">
            {record.roomId} · {when(record.startedAt)} – {when(record.endedAt)}
          </p>
          <MeetingMinutes meetingId={record.id} roomId={record.roomId} />
          <h3>{t("meetings.attendance")}</h3>
          <table className="users-table">
            <thead>
              <tr>
                <th>{t("meetings.site")}</th>
                <th>{t("meetings.joined")}</th>
                <th>{t("meetings.left")}</th>
                <th>{t("meetings.stays")}</th>
                <th>{t("meetings.minutes")}</th>
                <th>{t("meetings.disconnections")}</th>
                <th>{t("meetings.quality")}</th>
              </tr>
            </thead>
            <tbody>
              {record.attendance.map((row) => (
                <tr key={row.site} data-testid="attendance-row" data-quality={row.quality ?? "none"}>
                  <td data-label={t("meetings.site")}>{row.site}</td>
                  <td data-label={t("meetings.joined")}>{when(row.firstJoined)}</td>
                  <td data-label={t("meetings.left")}>{when(row.lastLeft)}</td>
                  <td data-label={t("meetings.stays")}>{row.stays}</td>
                  <td data-label={t("meetings.minutes")}>{row.minutesPresent}</td>
                  <td data-label={t("meetings.disconnections")}>{row.disconnections}</td>
                  <td data-label={t("meetings.quality")}>{row.quality ? `${t(`meetings.qualityLevel.${row.quality}`)} (${row.qualityScore}/10)` : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{t("recordings.title")}</h3>
          <Recordings meetingId={record.id} roomId={record.roomId} recordings={record.recordings} reload={reload} />
          <h3>{t("meetings.chat")}</h3>
          {record.chat.length === 0 ? (
            <p className="hint">{t("meetings.noChat")}</p>
          ) : (
            <ol className="timeline">
              {record.chat.map((message) => (
                <li key={message.id}>
                  <span className="muted">{when(message.at)}</span> — <strong>{message.displayName}</strong>: {message.text}
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </section>
  );
}
