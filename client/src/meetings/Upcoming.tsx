import { type FormEvent, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { subtreeIds } from "../admin/unitTree";
import { useUnits } from "../admin/useUnits";
import { ApiError } from "../api/http";
import { useApi } from "../api/useApi";
import { ErrorMessage } from "../components/ErrorMessage";
import { useConfirm } from "../components/ConfirmDialog";
import { roomHref } from "../routing";
import { may } from "../access";
import { useSession } from "../session";
import { DateField, TimeField } from "../components/DateField";
import { formatViDayMonthTime, todayInVietnam } from "../dates";

interface UpcomingMeeting {
  id: string;
  roomId: string;
  title: string;
  agenda: string | null;
  status: string;
  start: string | null;
  end: string | null;
  invitedUnits: number;
  isChair: boolean;
}

/** Today's date in Vietnam (UTC+7), for the date field's default. */

const when = (iso: string | null) =>
  iso ? formatViDayMonthTime(iso) : "—";

/**
 * A room id nobody has to invent: the meeting is entered from its schedule entry, so the id only has to
 * be unique and valid ("hop-20261207-k3x9q"). It stays editable for a room people already know.
 */
const generatedRoomId = () => `hop-${todayInVietnam().replaceAll("-", "")}-${Math.random().toString(36).slice(2, 7)}`;

/** The meetings this account may join today and later, each one click from its pre-join screen. */
export function Upcoming({ onEnter = (roomId) => (window.location.hash = roomHref(roomId)) }: { onEnter?: (roomId: string) => void }) {
  const { t } = useTranslation();
  const [auth, session] = useSession();
  const { data, errorCode, reload } = useApi<{ items: UpcomingMeeting[] }>("/meetings/upcoming");
  const { confirm, dialog } = useConfirm();
  const [actionError, setActionError] = useState<string | null>(null);
  const canSchedule = may.scheduleBriefings(auth.user);
  const items = data?.items ?? [];
  // The chair cancels a briefing not yet started; the invited accounts get the calendar cancellation by mail.
  const cancel = async (meeting: UpcomingMeeting) => {
    if (!(await confirm({ title: t("schedule.cancelTitle"), text: t("schedule.cancelText", { title: meeting.title }), confirmLabel: t("schedule.cancel") }))) return;
    setActionError(null);
    try {
      await session.request("POST", `/meetings/${meeting.id}/cancel`);
      await reload();
    } catch (error) {
      setActionError(error instanceof ApiError ? error.code : "INTERNAL");
    }
  };
  return (
    <section className="card upcoming" data-testid="upcoming" aria-busy={!data && !errorCode}>
      <h2>{t("schedule.upcoming")}</h2>
      <ErrorMessage code={errorCode ?? actionError} />
      {data && items.length === 0 && (
        <p className="hint" data-testid="no-meetings">
          {t("daily.noMeetings")}
        </p>
      )}
      {items.length > 0 && (
        <ul>
          {items.map((meeting) => (
            <li key={meeting.id} data-testid="upcoming-meeting" data-room={meeting.roomId}>
              <span>
                <strong>{meeting.title}</strong> · {when(meeting.start)}–{when(meeting.end)} · {t("schedule.invitedCount", { count: meeting.invitedUnits })}
                {meeting.isChair && <span className="tag-ok"> {t("schedule.chair")}</span>}
              </span>
              <button type="button" className="primary" data-testid="enter-meeting" aria-label={`${t("schedule.enter")}: ${meeting.title}`} onClick={() => onEnter(meeting.roomId)}>
                {t("schedule.enter")}
              </button>
              {meeting.isChair && meeting.status === "scheduled" && meeting.start !== null && (
                <button type="button" className="danger-outline" data-testid="cancel-meeting" aria-label={`${t("schedule.cancel")}: ${meeting.title}`} onClick={() => void cancel(meeting)}>
                  {t("schedule.cancel")}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canSchedule && <ScheduleForm onScheduled={() => void reload()} />}
      {dialog}
    </section>
  );
}

function ScheduleForm({ onScheduled }: { onScheduled: () => void }) {
  const { t } = useTranslation();
  const [auth, session] = useSession();
  const { units } = useUnits(false);
  const invitable = useMemo(() => {
    const ids = subtreeIds(units, auth.user?.unit.id ?? "");
    return units.filter((unit) => ids.has(unit.id) && unit.id !== auth.user?.unit.id);
  }, [units, auth.user]);
  const [form, setForm] = useState(() => ({ title: "", roomId: generatedRoomId(), date: todayInVietnam(), start: "08:00", end: "10:00", agenda: "" }));
  const [invited, setInvited] = useState<Set<string>>(new Set());
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  const toggle = (id: string) => setInvited((current) => new Set(current.has(id) ? [...current].filter((x) => x !== id) : [...current, id]));
  const allCommunes = () => setInvited(new Set(invitable.filter((unit) => ["commune", "ward", "special_zone"].includes(unit.kind)).map((unit) => unit.id)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrorCode(null);
    setDone(false);
    try {
      await session.request("POST", "/meetings", {
        title: form.title,
        roomId: form.roomId,
        start: `${form.date}T${form.start}:00+07:00`,
        end: `${form.date}T${form.end}:00+07:00`,
        ...(form.agenda.trim() ? { agenda: form.agenda } : {}),
        unitIds: [...invited],
      });
      setDone(true);
      onScheduled();
    } catch (error) {
      setErrorCode(error instanceof ApiError ? error.code : "INTERNAL");
    }
  };

  return (
    <details className="create-box">
      <summary data-testid="schedule-open">{t("schedule.schedule")}</summary>
      <form className="case-form" onSubmit={(event) => void submit(event)} data-testid="schedule-form">
        <div className="form-grid">
          <label>
            {t("schedule.title")}
            <input data-testid="schedule-title" value={form.title} maxLength={200} onChange={(e) => setForm({ ...form, title: e.target.value })} required />
          </label>
          <label>
            {t("schedule.roomId")}
            <input data-testid="schedule-room" value={form.roomId} maxLength={63} onChange={(e) => setForm({ ...form, roomId: e.target.value })} required />
          </label>
          <label>
            {t("schedule.date")}
            <DateField testId="schedule-date" value={form.date} onChange={(date) => setForm({ ...form, date })} required />
          </label>
          <label>
            {t("schedule.start")}
            <TimeField testId="schedule-start" value={form.start} onChange={(start) => setForm({ ...form, start })} required />
          </label>
          <label>
            {t("schedule.end")}
            <TimeField testId="schedule-end" value={form.end} onChange={(end) => setForm({ ...form, end })} required />
          </label>
        </div>
        <label>
          {t("schedule.agenda")}
          <textarea rows={2} value={form.agenda} maxLength={4000} onChange={(e) => setForm({ ...form, agenda: e.target.value })} />
        </label>
        <fieldset className="invite-list">
          <legend>
            {t("schedule.invited")} ({invited.size}){" "}
            <button type="button" data-testid="invite-all-communes" onClick={allCommunes}>
              {t("schedule.allCommunes")}
            </button>
          </legend>
          {invitable.map((unit) => (
            <label key={unit.id} className="inline-check">
              <input type="checkbox" checked={invited.has(unit.id)} onChange={() => toggle(unit.id)} />
              {unit.name}
            </label>
          ))}
        </fieldset>
        <ErrorMessage code={errorCode} />
        {done && (
          <p className="success" role="status">
            {t("schedule.scheduled")}
          </p>
        )}
        <button type="submit" className="primary" data-testid="schedule-submit" disabled={invited.size === 0}>
          {t("schedule.submit")}
        </button>
      </form>
    </details>
  );
}
