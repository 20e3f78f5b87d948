import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { DirectiveMatrix } from "../../../signaling/protocol";
import { useApi } from "../api/useApi";
import { DateField } from "../components/DateField";
import { ErrorMessage } from "../components/ErrorMessage";
import { formatViDate } from "../dates";
import { hrefOf } from "../routing";

/** Units × directives: whether each unit did what it was told, on time, late, or not yet (overdue). */
export function MatrixPage() {
  const { t } = useTranslation();
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const query = new URLSearchParams({ ...(from ? { from } : {}), ...(to ? { to } : {}) }).toString();
  const { data, errorCode } = useApi<DirectiveMatrix>(`/directives/matrix${query ? `?${query}` : ""}`);
  const cell = (directiveId: string, unitId: string) => data?.cells.find((item) => item.directiveId === directiveId && item.unitId === unitId);
  return (
    <section className="card admin-page" data-testid="matrix-page">
      <a href={hrefOf("tasks")} className="back-link">
        {t("directives.tasksTitle")}
      </a>
      <h1>{t("directives.matrixTitle")}</h1>
      <div className="filters list-filters">
        <label className="filter-date">
          {t("directives.from")}
          <DateField value={from} onChange={setFrom} />
        </label>
        <label className="filter-date">
          {t("directives.to")}
          <DateField value={to} onChange={setTo} />
        </label>
      </div>
      <ErrorMessage code={errorCode} />
      {data && (
        <>
          <p className="muted" data-testid="matrix-totals">
            {(["done", "late", "overdue", "open"] as const).map((standing) => `${t(`directives.standing.${standing}`)}: ${data.totals[standing] ?? 0}`).join(" · ")}
          </p>
          {data.directives.length === 0 ? (
            <p className="hint">{t("directives.noDirectives")}</p>
          ) : (
            <div className="table-scroll">
              <table className="users-table matrix" data-testid="matrix">
                <thead>
                  <tr>
                    <th>{t("directives.unit")}</th>
                    {data.directives.map((directive) => (
                      <th key={directive.id} title={directive.text} data-testid="matrix-directive">
                        {directive.text.length > 60 ? `${directive.text.slice(0, 60)}…` : directive.text}
                        <br />
                        <span className="muted">
                          {t("directives.dueDate")} {formatViDate(directive.dueDate)}
                        </span>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {data.units.map((unit) => (
                    <tr key={unit.id} data-testid="matrix-row" data-unit={unit.name}>
                      <th scope="row">{unit.name}</th>
                      {data.directives.map((directive) => {
                        const item = cell(directive.id, unit.id);
                        return (
                          <td key={directive.id} data-testid="matrix-cell" data-standing={item?.standing ?? "none"} className={item ? `standing standing-${item.standing}` : undefined}>
                            {item ? t(`directives.standing.${item.standing}`) : "—"}
                            {item?.completedOn && <span className="muted"> ({formatViDate(item.completedOn)})</span>}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
