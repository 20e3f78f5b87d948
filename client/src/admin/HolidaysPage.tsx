import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/http";
import { useApi } from "../api/useApi";
import { formatDate } from "../cases/DeadlineBadge";
import { ErrorMessage } from "../components/ErrorMessage";
import { useConfirm } from "../components/ConfirmDialog";
import { useSession } from "../session";
import { DateField } from "../components/DateField";
import { type Column, DataTable } from "../components/list/DataTable";

type DayKind = "holiday" | "dayOff" | "workingDay";
const dayKinds: DayKind[] = ["holiday", "dayOff", "workingDay"];

interface Holiday {
  id: string;
  date: string;
  name: string;
  kind: DayKind;
}

export function HolidaysPage() {
  const { t } = useTranslation();
  const { confirm, dialog } = useConfirm();
  const [, session] = useSession();
  const [year, setYear] = useState(new Date().getFullYear());
  const holidays = useApi<{ items: Holiday[] }>(`/holidays?year=${year}`);
  const [form, setForm] = useState<{ date: string; name: string; kind: DayKind }>({ date: "", name: "", kind: "holiday" });
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const reload = holidays.reload;

  const run = async (action: () => Promise<unknown>) => {
    setErrorCode(null);
    try {
      await action();
      await reload();
    } catch (error) {
      setErrorCode(error instanceof ApiError ? error.code : "INTERNAL");
    }
  };

  const columns: Column<Holiday>[] = [
    { id: "date", header: t("holidays.date"), cell: (item) => formatDate(item.date) },
    { id: "name", header: t("holidays.name"), cell: (item) => item.name },
    { id: "kind", header: t("holidays.kind"), cell: (item) => t(`holidays.kinds.${item.kind}`) },
    {
      id: "actions",
      header: t("list.actions"),
      actions: true,
      cell: (item) => (
        <button
          type="button"
          className="danger-outline"
          data-testid="holiday-remove"
          onClick={() =>
            void confirm({ title: t("daily.deleteTitle"), text: t("daily.deleteText", { name: `${formatDate(item.date)} ${item.name}` }), confirmLabel: t("holidays.remove") }).then(
              (confirmed) => (confirmed ? run(() => session.request("DELETE", `/holidays/${item.id}`)) : undefined),
            )
          }
        >
          {t("holidays.remove")}
        </button>
      ),
    },
  ];

  const add = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await session.request("POST", "/holidays", form);
      setForm({ date: "", name: "", kind: "holiday" });
    });
  };

  return (
    <section className="card admin-page">
      <div className="page-head">
        <h1>{t("holidays.title")}</h1>
        <label className="inline-check">
          {t("holidays.year")}
          <input type="number" min={2000} max={2100} value={year} onChange={(e) => setYear(Number(e.target.value))} style={{ width: "6rem" }} />
        </label>
      </div>
      <p className="form-hint">{t("holidays.hint")}</p>
      <ErrorMessage code={errorCode} />
      <DataTable
        columns={columns}
        rows={holidays.data ? holidays.data.items : null}
        rowKey={(item) => item.id}
        rowAttributes={() => ({ "data-testid": "holiday-row" })}
        empty={t("holidays.empty")}
        errorCode={holidays.errorCode}
      />
      <form className="inline-form" onSubmit={add}>
        <label>
          {t("holidays.date")}
          <DateField testId="holiday-date" value={form.date} onChange={(date) => setForm({ ...form, date })} required />
        </label>
        <label>
          {t("holidays.name")}
          <input value={form.name} maxLength={120} onChange={(e) => setForm({ ...form, name: e.target.value })} required />
        </label>
        <label>
          {t("holidays.kind")}
          <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as DayKind })}>
            {dayKinds.map((kind) => (
              <option key={kind} value={kind}>
                {t(`holidays.kinds.${kind}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary">
          {t("holidays.add")}
        </button>
      </form>
      {dialog}
    </section>
  );
}
