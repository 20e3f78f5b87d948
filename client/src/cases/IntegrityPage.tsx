import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/http";
import { ErrorMessage } from "../components/ErrorMessage";
import { caseHref } from "../routing";
import { useSession } from "../session";

interface Sweep {
  checked: number;
  damaged: { caseId: string; code: string; sequence: number; problem: string }[];
}

/** Leaders and admins re-check every case history's hash chain in their units. */
export function IntegrityPage() {
  const { t } = useTranslation();
  const [, session] = useSession();
  const [result, setResult] = useState<Sweep | null>(null);
  const [busy, setBusy] = useState(false);
  const [errorCode, setErrorCode] = useState<string | null>(null);

  const run = async () => {
    setBusy(true);
    setErrorCode(null);
    try {
      setResult(await session.request<Sweep>("GET", "/cases-integrity"));
    } catch (error) {
      setErrorCode(error instanceof ApiError ? error.code : "INTERNAL");
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card admin-page" data-testid="integrity-page">
      <h1>{t("cases.integrityTitle")}</h1>
      <button type="button" className="primary" onClick={() => void run()} disabled={busy} data-testid="integrity-run">
        {t("cases.runCheck")}
      </button>
      <ErrorMessage code={errorCode} />
      {result && (
        <div data-testid="integrity-result" data-damaged={result.damaged.length}>
          <p>{t("cases.checked", { count: result.checked })}</p>
          {result.damaged.length === 0 ? (
            <p className="success">{t("cases.intact")}</p>
          ) : (
            <ul>
              {result.damaged.map((item) => (
                <li key={item.caseId} className="error">
                  <a href={caseHref(item.caseId)}>{item.code}</a>: {t("cases.alteredAt", { sequence: item.sequence })} ({item.problem})
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
