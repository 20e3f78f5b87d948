import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { SignatureOutcome } from "../../../signaling/protocol";
import { downloadIssued } from "../api/download";
import { useApi } from "../api/useApi";
import { ErrorMessage } from "../components/ErrorMessage";
import { SignatureNote } from "../components/SignatureNote";
import { useSession } from "../session";
import { BarChart } from "./BarChart";

interface Stats {
  period: { label: string };
  received: number;
  accepted: number;
  resolved: number;
  resolvedOnTime: number;
  overdueOpen: number;
  byKind: Record<string, number>;
  byState: Record<string, number>;
  byUnit: { unitId: string; name: string; received: number; overdueOpen: number; receptionVisits: number }[];
  receptions: { visits: number; people: number; groupVisits: number };
}

const PARTS = ["Q1", "Q2", "Q3", "Q4", "H1", "9M", "Y"] as const;

export function StatsPage() {
  const { t } = useTranslation();
  const [auth, session] = useSession();
  const [year, setYear] = useState(new Date().getFullYear());
  const [part, setPart] = useState<(typeof PARTS)[number]>("Y");
  const period = part === "Y" ? String(year) : `${year}-${part}`;
  const { data: stats, errorCode: loadError } = useApi<Stats>(`/stats/cases?period=${period}`);
  const [downloadError, setErrorCode] = useState<string | null>(null);

  const [signature, setSignature] = useState<SignatureOutcome | null>(null);
  const download = async (format: "xlsx" | "pdf") => {
    const result = await downloadIssued(`/api/reports/cases?period=${period}&format=${format}`, session.accessToken, `bao-cao-don-thu-${period}.${format}`);
    setErrorCode(result.error);
    setSignature(result.signature);
  };

  const kindChart = useMemo(() => {
    const entries = Object.entries(stats?.byKind ?? {});
    return { labels: entries.map(([kind]) => t(`caseKinds.${kind}`)), values: entries.map(([, count]) => count) };
  }, [stats, t]);
  const stateChart = useMemo(() => {
    const entries = Object.entries(stats?.byState ?? {}).filter(([, count]) => count > 0);
    return { labels: entries.map(([state]) => t(`caseStates.${state}`)), values: entries.map(([, count]) => count) };
  }, [stats, t]);
  const unitChart = useMemo(
    () => ({ labels: (stats?.byUnit ?? []).map((unit) => unit.name), values: (stats?.byUnit ?? []).map((unit) => unit.received) }),
    [stats],
  );

  const onTimeRate = stats && stats.resolved > 0 ? Math.round((stats.resolvedOnTime / stats.resolved) * 100) : null;
  return (
    <section className="card admin-page" data-testid="stats-page">
      <div className="page-head">
        <h1>
          {t("stats.title")} — {auth.user?.unit.name}
        </h1>
        <div className="filters">
          <input type="number" aria-label={t("stats.year")} min={2000} max={2100} value={year} onChange={(e) => setYear(Number(e.target.value))} style={{ width: "6rem", flex: "0 0 6rem" }} />
          <select aria-label={t("stats.period")} value={part} onChange={(e) => setPart(e.target.value as (typeof PARTS)[number])}>
            {PARTS.map((value) => (
              <option key={value} value={value}>
                {t(`stats.periods.${value}`)}
              </option>
            ))}
          </select>
          <button type="button" onClick={() => void download("xlsx")} data-testid="download-xlsx">
            {t("stats.downloadXlsx")}
          </button>
          <button type="button" onClick={() => void download("pdf")} data-testid="download-pdf">
            {t("stats.downloadPdf")}
          </button>
        </div>
      </div>
      <ErrorMessage code={loadError ?? downloadError} />
      <SignatureNote outcome={signature} />
      {stats && (
        <>
          <p className="case-meta">{stats.period.label}</p>
          <div className="kpis">
            <Kpi label={t("stats.received")} value={String(stats.received)} testId="kpi-received" />
            <Kpi label={t("stats.accepted")} value={String(stats.accepted)} />
            <Kpi label={t("stats.resolved")} value={String(stats.resolved)} />
            <Kpi label={t("stats.onTimeRate")} value={onTimeRate === null ? "—" : `${onTimeRate} %`} />
            <Kpi label={t("stats.overdue")} value={String(stats.overdueOpen)} alert={stats.overdueOpen > 0} />
          </div>
          <div className="kpis" data-testid="reception-kpis">
            <Kpi label={t("reception.stats.visits")} value={String(stats.receptions.visits)} testId="kpi-reception-visits" />
            <Kpi label={t("reception.stats.people")} value={String(stats.receptions.people)} />
            <Kpi label={t("reception.stats.groupVisits")} value={String(stats.receptions.groupVisits)} />
          </div>
          <div className="charts">
            <figure>
              <figcaption>{t("stats.byKind")}</figcaption>
              <BarChart labels={kindChart.labels} values={kindChart.values} label={t("stats.count")} />
            </figure>
            <figure>
              <figcaption>{t("stats.byState")}</figcaption>
              <BarChart labels={stateChart.labels} values={stateChart.values} label={t("stats.count")} color="#124a80" />
            </figure>
            <figure className="wide-chart">
              <figcaption>{t("stats.byUnit")}</figcaption>
              <BarChart labels={unitChart.labels} values={unitChart.values} label={t("stats.count")} color="#15803d" />
            </figure>
          </div>
        </>
      )}
    </section>
  );
}

function Kpi({ label, value, alert, testId }: { label: string; value: string; alert?: boolean; testId?: string }) {
  return (
    <div className={`kpi${alert ? " kpi-alert" : ""}`} data-testid={testId}>
      <span className="kpi-value">{value}</span>
      <span className="kpi-label">{label}</span>
    </div>
  );
}
