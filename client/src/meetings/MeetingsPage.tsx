import { useState } from "react";
import { useTranslation } from "react-i18next";
import { downloadWithToken } from "../api/download";
import { useApi } from "../api/useApi";
import { ErrorMessage } from "../components/ErrorMessage";
import { Pager } from "../components/Pager";
import { hrefOf, meetingHref } from "../routing";
import { useSession } from "../session";
import { type RecordingInfo, Recordings } from "./Recordings";

interface MeetingSummary {
  id: string;
  roomId: string;
  title: string;
  status: string;
  startedAt: string | null;
  endedAt: string | null;
  sites: number;
}

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
const when = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString("vi-VN", { timeZone: "Asia/Ho_Chi_Minh", hour: "2-digit", minute: "2-digit", day: "2-digit", month: "2-digit", year: "numeric" }) : "—";

export function MeetingsPage() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const { data, errorCode } = useApi<{ items: MeetingSummary[]; total: number }>(`/meetings?page=${page}&pageSize=${PAGE_SIZE}`);
  const list = data ?? { items: [], total: 0 };

  return (
    <section className="card admin-page">
      <h1>{t("meetings.title")}</h1>
      <ErrorMessage code={errorCode} />
      {list.items.length === 0 ? (
        <p className="hint">{t("meetings.empty")}</p>
      ) : (
        <table className="users-table">
          <thead>
            <tr>
              <th>{t("meetings.meeting")}</th>
              <th>{t("meetings.room")}</th>
              <th>{t("meetings.started")}</th>
              <th>{t("meetings.ended")}</th>
              <th>{t("meetings.sites")}</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((meeting) => (
              <tr key={meeting.id} data-testid="meeting-row" data-room={meeting.roomId}>
                <td data-label={t("meetings.meeting")}>
                  <a href={meetingHref(meeting.id)}>{meeting.title}</a>
                </td>
                <td data-label={t("meetings.room")}>{meeting.roomId}</td>
                <td data-label={t("meetings.started")}>{when(meeting.startedAt)}</td>
                <td data-label={t("meetings.ended")}>{when(meeting.endedAt)}</td>
                <td data-label={t("meetings.sites")}>{meeting.sites}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager page={page} pageSize={PAGE_SIZE} total={list.total} onChange={setPage} />
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
