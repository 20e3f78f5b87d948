import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ComplianceDto, ScheduleDto } from "../../../signaling/protocol";
import { ApiError } from "../api/http";
import { useApi } from "../api/useApi";
import { ErrorMessage } from "../components/ErrorMessage";
import { useConfirm } from "../components/ConfirmDialog";
import { useSession } from "../session";
import { plusDays, todayInVietnam } from "../dates";
import { fieldsOf } from "../api/errorCode";
import { ReceptionTabs } from "./ReceptionTabs";
import { ruleText } from "./ruleText";
import { PageUnitSelect } from "./PageUnitSelect";
import { useScopeUnits } from "../admin/useScopeUnits";
import { DateField, TimeField } from "../components/DateField";

interface ScheduleList {
  unit: { id: string; name: string; kind: string };
  items: ScheduleDto[];
  compliance: ComplianceDto;
  leaders: { id: string; name: string }[];
}

const WEEKDAYS = ["1", "2", "3", "4", "5"] as const;

/** Reception schedules of a unit, with the legal-minimum warning for the leader's periodic days. */
export function SchedulesPage() {
  const { t } = useTranslation();
  const { ownId, units } = useScopeUnits();
  const [unitId, setUnitId] = useState("");
  const shownUnit = unitId || ownId;
  const { data, errorCode, reload } = useApi<ScheduleList>(`/reception/schedules?unitId=${encodeURIComponent(shownUnit)}`);

  return (
    <section className="card admin-page" data-testid="reception-schedules">
      <div className="page-head">
        <h1>{t("reception.schedulesTitle")}</h1>
        <PageUnitSelect units={units} value={shownUnit} onChange={setUnitId} />
      </div>
      <ReceptionTabs />
      <ErrorMessage code={errorCode} />
      {data && <ComplianceNotice compliance={data.compliance} />}
      {data && <ScheduleTable items={data.items} onChange={reload} />}
      {data && <NewSchedule unitId={data.unit.id} leaders={data.leaders} onCreated={reload} />}
    </section>
  );
}

function ComplianceNotice({ compliance }: { compliance: ComplianceDto }) {
  const { t } = useTranslation();
  if (!compliance.requirement) return null;
  const requirement = { holder: compliance.requirement.holder, days: compliance.requirement.days, per: t(`reception.per.${compliance.requirement.per}`) };
  if (compliance.status === "meets") {
    return (
      <p className="success" data-testid="compliance" data-status="meets">
        {t("reception.compliance.meets", requirement)}
      </p>
    );
  }
  return (
    <p className="notice" role="status" data-testid="compliance" data-status="below">
      {t("reception.compliance.below", requirement)} <span className="muted">({compliance.requirement.basis})</span>
    </p>
  );
}

function ScheduleTable({ items, onChange }: { items: ScheduleDto[]; onChange: () => Promise<void> }) {
  const { t } = useTranslation();
  const { confirm, dialog } = useConfirm();
  const [, session] = useSession();
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [generating, setGenerating] = useState<{ id: string; from: string; to: string; mode: string } | null>(null);

  const toggle = async (item: ScheduleDto) => {
    if (item.active && !(await confirm({ title: t("daily.stopScheduleTitle"), text: t("daily.stopScheduleText", { name: item.title }), confirmLabel: t("reception.deactivate") }))) return;
    setErrorCode(null);
    try {
      await session.request("PATCH", `/reception/schedules/${item.id}`, { active: !item.active });
      await onChange();
    } catch (error) {
      setErrorCode(error instanceof ApiError ? error.code : "INTERNAL");
    }
  };
  const generate = async (event: FormEvent) => {
    event.preventDefault();
    if (!generating) return;
    setErrorCode(null);
    try {
      const result = await session.request<{ created: number; existing: number }>("POST", `/reception/schedules/${generating.id}/slots`, { from: generating.from, to: generating.to, mode: generating.mode });
      setMessage(t("reception.generated", result));
      setGenerating(null);
    } catch (error) {
      setErrorCode(error instanceof ApiError ? error.code : "INTERNAL");
    }
  };

  if (items.length === 0) return <p className="hint">{t("reception.noSchedules")}</p>;
  return (
    <>
      {dialog}
      <ErrorMessage code={errorCode} />
      {message && <p className="success">{message}</p>}
      <div className="table-wrap">
        <table className="users-table">
          <thead>
            <tr>
              <th>{t("reception.fields.title")}</th>
              <th>{t("reception.fields.kind")}</th>
              <th>{t("reception.fields.rule")}</th>
              <th>{t("reception.fields.time")}</th>
              <th>{t("reception.fields.leader")}</th>
              <th>{t("reception.fields.capacity")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id} data-testid="schedule-row" data-active={item.active}>
                <td data-label={t("reception.fields.title")}>
                  {item.title}
                  {!item.active && <span className="tag">{t("reception.inactive")}</span>}
                </td>
                <td data-label={t("reception.fields.kind")}>{t(`reception.kinds.${item.kind}`)}</td>
                <td data-label={t("reception.fields.rule")}>{ruleText(item.rule, t)}</td>
                <td data-label={t("reception.fields.time")}>
                  {item.startTime}–{item.endTime} ({t("reception.minutes", { count: item.slotMinutes })})
                </td>
                <td data-label={t("reception.fields.leader")}>{item.leaderName ?? "—"}</td>
                <td data-label={t("reception.fields.capacity")}>{item.capacityPerSlot}</td>
                <td className="row-actions">
                  {item.active && (
                    <button type="button" data-testid="schedule-generate" onClick={() => setGenerating({ id: item.id, from: todayInVietnam(), to: plusDays(todayInVietnam(), 27), mode: "online" })}>
                      {t("reception.generate")}
                    </button>
                  )}
                  <button type="button" onClick={() => void toggle(item)}>
                    {item.active ? t("reception.deactivate") : t("reception.activate")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {generating && (
        <form className="inline-form" onSubmit={(event) => void generate(event)} data-testid="generate-form">
          <p className="form-hint">{t("reception.generateHint")}</p>
          <label>
            {t("reception.from")}
            <DateField testId="generate-from" value={generating.from} onChange={(from) => setGenerating({ ...generating, from })} required />
          </label>
          <label>
            {t("reception.to")}
            <DateField testId="generate-to" value={generating.to} onChange={(to) => setGenerating({ ...generating, to })} required />
          </label>
          <label>
            {t("reception.fields.mode")}
            <select value={generating.mode} onChange={(e) => setGenerating({ ...generating, mode: e.target.value })}>
              <option value="online">{t("booking.modes.online")}</option>
              <option value="office">{t("booking.modes.office")}</option>
            </select>
          </label>
          <div className="form-actions">
            <button type="submit" className="primary">
              {t("reception.generate")}
            </button>
            <button type="button" onClick={() => setGenerating(null)}>
              {t("reception.cancel")}
            </button>
          </div>
        </form>
      )}
    </>
  );
}

function NewSchedule({ unitId, leaders, onCreated }: { unitId: string; leaders: { id: string; name: string }[]; onCreated: () => Promise<void> }) {
  const { t } = useTranslation();
  const [, session] = useSession();
  const blank = { title: "", kind: "periodic", leaderUserId: "", frequency: "weekly", weekday: "1", monthDay: "15", startTime: "08:00", endTime: "11:00", slotMinutes: "30", capacityPerSlot: "2" };
  const [form, setForm] = useState(blank);
  const [invalid, setInvalid] = useState<string[]>([]);
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const rule = form.kind === "adhoc" ? null : form.frequency === "daily" ? "daily" : form.frequency === "weekly" ? `weekly:${form.weekday}` : `monthly:${form.monthDay}`;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrorCode(null);
    setInvalid([]);
    try {
      await session.request("POST", "/reception/schedules", {
        unitId,
        title: form.title,
        kind: form.kind,
        rule,
        ...(form.leaderUserId ? { leaderUserId: form.leaderUserId } : {}),
        startTime: form.startTime,
        endTime: form.endTime,
        slotMinutes: Number(form.slotMinutes),
        capacityPerSlot: Number(form.capacityPerSlot),
      });
      setForm(blank);
      await onCreated();
    } catch (error) {
      setErrorCode(error instanceof ApiError ? error.code : "INTERNAL");
      if (error instanceof ApiError) setInvalid(fieldsOf(error.details));
    }
  };
  const flag = (field: string) => (invalid.includes(field) ? { "aria-invalid": true } : {});

  return (
    <details className="create-box">
      <summary data-testid="schedule-new">{t("reception.newSchedule")}</summary>
      <form className="inline-form" onSubmit={(event) => void submit(event)}>
        <label>
          {t("reception.fields.title")}
          <input value={form.title} maxLength={200} onChange={(e) => setForm({ ...form, title: e.target.value })} required {...flag("title")} />
        </label>
        <label>
          {t("reception.fields.kind")}
          <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
            {(["periodic", "adhoc", "regular"] as const).map((kind) => (
              <option key={kind} value={kind}>
                {t(`reception.kinds.${kind}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("reception.fields.leader")}
          <select value={form.leaderUserId} onChange={(e) => setForm({ ...form, leaderUserId: e.target.value })} {...flag("leaderUserId")}>
            <option value="">—</option>
            {leaders.map((leader) => (
              <option key={leader.id} value={leader.id}>
                {leader.name}
              </option>
            ))}
          </select>
        </label>
        {form.kind !== "adhoc" && (
          <label>
            {t("reception.fields.rule")}
            <select value={form.frequency} onChange={(e) => setForm({ ...form, frequency: e.target.value })} {...flag("rule")}>
              <option value="weekly">{t("reception.frequency.weekly")}</option>
              <option value="monthly">{t("reception.frequency.monthly")}</option>
              <option value="daily">{t("reception.frequency.daily")}</option>
            </select>
          </label>
        )}
        {form.kind !== "adhoc" && form.frequency === "weekly" && (
          <label>
            {t("reception.fields.weekday")}
            <select value={form.weekday} onChange={(e) => setForm({ ...form, weekday: e.target.value })}>
              {WEEKDAYS.map((day) => (
                <option key={day} value={day}>
                  {t(`reception.weekdays.${day}`)}
                </option>
              ))}
            </select>
          </label>
        )}
        {form.kind !== "adhoc" && form.frequency === "monthly" && (
          <label>
            {t("reception.fields.monthDay")}
            <input type="number" min={1} max={28} value={form.monthDay} onChange={(e) => setForm({ ...form, monthDay: e.target.value })} />
          </label>
        )}
        <label>
          {t("reception.fields.start")}
          <TimeField testId="reception-schedule-start" value={form.startTime} onChange={(startTime) => setForm({ ...form, startTime })} required />
        </label>
        <label>
          {t("reception.fields.end")}
          <TimeField testId="reception-schedule-end" value={form.endTime} onChange={(endTime) => setForm({ ...form, endTime })} required rejected={invalid.includes("endTime")} />
        </label>
        <label>
          {t("reception.fields.slotMinutes")}
          <input type="number" min={5} max={480} value={form.slotMinutes} onChange={(e) => setForm({ ...form, slotMinutes: e.target.value })} {...flag("slotMinutes")} />
        </label>
        <label>
          {t("reception.fields.capacity")}
          <input type="number" min={1} max={200} value={form.capacityPerSlot} onChange={(e) => setForm({ ...form, capacityPerSlot: e.target.value })} />
        </label>
        <p className="form-hint">{t("reception.newScheduleHint")}</p>
        <ErrorMessage code={errorCode} />
        <button type="submit" className="primary">
          {t("reception.create")}
        </button>
      </form>
    </details>
  );
}
