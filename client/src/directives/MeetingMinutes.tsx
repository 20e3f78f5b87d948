import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { CarriedOver, MeetingMinutes as MinutesDto } from "../../../signaling/protocol";
import { downloadFile } from "../api/download";
import { ApiError } from "../api/http";
import { useApi } from "../api/useApi";
import { ErrorMessage } from "../components/ErrorMessage";
import { formatViDate } from "../dates";
import { meetingHref } from "../routing";
import { useSession } from "../session";
import { DirectiveList } from "./DirectiveList";

/**
 * A briefing's minutes on its page: the open directives of the previous briefing it opened with, its
 * conclusions and directives with each unit's standing, the notice's fields and the notice as PDF.
 */
export function MeetingMinutes({ meetingId, roomId }: { meetingId: string; roomId: string }) {
  const { t } = useTranslation();
  const [, session] = useSession();
  const { data: minutes, errorCode: loadError, setData } = useApi<MinutesDto>(`/meetings/${meetingId}/minutes`);
  const { data: carried } = useApi<CarriedOver>(`/meetings/${meetingId}/carried-over`);
  const [errorCode, setErrorCode] = useState<string | null>(null);

  const notice = async () => setErrorCode(await downloadFile(`/api/meetings/${meetingId}/conclusion-notice`, session.accessToken, `thong-bao-ket-luan-${roomId}.pdf`));

  return (
    <div className="meeting-minutes" data-testid="meeting-minutes">
      {carried?.previous && carried.directives.length > 0 && (
        <div data-testid="carried-over">
          <h3>{t("directives.carriedOver")}</h3>
          <p className="muted">
            <a href={meetingHref(carried.previous.id)}>{carried.previous.title}</a>
            {carried.previous.date && ` · ${formatViDate(carried.previous.date)}`}
          </p>
          <DirectiveList directives={carried.directives} testId="carried-directive" />
        </div>
      )}
      <div className="page-head">
        <h3>{t("directives.minutesSection")}</h3>
        <button type="button" data-testid="notice-pdf" onClick={() => void notice()}>
          {t("directives.notice")}
        </button>
      </div>
      <ErrorMessage code={loadError ?? errorCode} />
      {minutes && (
        <>
          {minutes.notes && <p className="minutes-notes">{minutes.notes}</p>}
          <h4>{t("directives.conclusions")}</h4>
          {minutes.conclusions.length === 0 ? (
            <p className="hint">{t("directives.noConclusions")}</p>
          ) : (
            <ol>
              {minutes.conclusions.map((conclusion) => (
                <li key={conclusion.id}>{conclusion.text}</li>
              ))}
            </ol>
          )}
          <h4>{t("directives.directives")}</h4>
          <DirectiveList directives={minutes.directives} testId="record-directive" />
          {minutes.mayEdit && <NoticeFields minutes={minutes} onSaved={setData} onError={setErrorCode} />}
        </>
      )}
    </div>
  );
}

function NoticeFields({ minutes, onSaved, onError }: { minutes: MinutesDto; onSaved: (value: MinutesDto) => void; onError: (code: string | null) => void }) {
  const { t } = useTranslation();
  const [, session] = useSession();
  const [fields, setFields] = useState({
    noticeNumber: minutes.noticeNumber ?? "",
    place: minutes.place ?? "",
    signerName: minutes.signerName ?? "",
    signerTitle: minutes.signerTitle ?? "",
  });
  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      onSaved(await session.request<MinutesDto>("PATCH", `/meetings/${minutes.meetingId}/minutes`, fields));
      onError(null);
    } catch (error) {
      onError(error instanceof ApiError ? error.code : "INTERNAL");
    }
  };
  return (
    <form className="notice-fields" data-testid="notice-fields" onSubmit={(event) => void save(event)}>
      <h4>{t("directives.noticeFields")}</h4>
      {(["noticeNumber", "place", "signerName", "signerTitle"] as const).map((key) => (
        <label key={key} className="field">
          {t(`directives.${key}`)}
          <input data-testid={`notice-${key}`} maxLength={120} value={fields[key]} onChange={(event) => setFields({ ...fields, [key]: event.target.value })} />
        </label>
      ))}
      <button type="submit">{t("directives.save")}</button>
    </form>
  );
}
