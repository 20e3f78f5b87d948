import { type FormEvent, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import type { publicLookupResponseSchema } from "../../../signaling/protocol";
import { ApiError, apiFetch } from "../api/http";
import { DeadlineBadge, formatDate } from "../cases/DeadlineBadge";
import { PublicLayout } from "./PublicLayout";

type LookupResult = z.infer<typeof publicLookupResponseSchema>;

/** The citizen's page (/tra-cuu): no account, works on a phone, shows no personal data. */
export function LookupPage() {
  const { t } = useTranslation();
  const params = new URLSearchParams(window.location.search);
  const [code, setCode] = useState(params.get("ma") ?? "");
  const [secret, setSecret] = useState("");
  const [result, setResult] = useState<LookupResult | null>(null);
  const [errorKey, setErrorKey] = useState<string | null>(null);
  const codeId = useId();
  const secretId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrorKey(null);
    setResult(null);
    try {
      setResult(await apiFetch<LookupResult>("POST", "/public/lookup", { body: { code, secret } }));
    } catch (error) {
      const code = error instanceof ApiError ? error.code : "INTERNAL";
      setErrorKey(code === "NOT_FOUND" ? "lookup.notFound" : code === "VALIDATION_FAILED" ? "lookup.notFound" : `errors.${code}`);
    }
  };

  return (
    <PublicLayout>
        <form className="card narrow-form" onSubmit={(event) => void submit(event)} data-testid="lookup-form">
          <h1>{t("lookup.title")}</h1>
          <p className="form-hint">{t("lookup.hint")}</p>
          <label htmlFor={codeId}>{t("lookup.code")}</label>
          <input id={codeId} data-testid="lookup-code" value={code} maxLength={40} autoCapitalize="characters" onChange={(e) => setCode(e.target.value)} required />
          <label htmlFor={secretId}>{t("lookup.secret")}</label>
          <input id={secretId} data-testid="lookup-secret" value={secret} maxLength={20} autoCapitalize="characters" autoComplete="off" onChange={(e) => setSecret(e.target.value)} required />
          {errorKey && (
            <p className="error" role="alert">
              {t(errorKey)}
            </p>
          )}
          <button type="submit" className="primary" data-testid="lookup-submit">
            {t("lookup.submit")}
          </button>
          {result && (
            <dl className="receipt" data-testid="lookup-result" data-state={result.state}>
              <dt>{t("lookup.code")}</dt>
              <dd>{result.code}</dd>
              <dt>{t("lookup.state")}</dt>
              <dd data-testid="lookup-state">{t(`caseStates.${result.state}`)}</dd>
              <dt>{t("lookup.unit")}</dt>
              <dd>{result.unitName}</dd>
              <dt>{t("lookup.received")}</dt>
              <dd>{formatDate(result.receivedDate)}</dd>
              <dt>{t("lookup.due")}</dt>
              <dd>
                <DeadlineBadge deadline={result.deadline} />
              </dd>
              {result.publishedAnswer && (
                <>
                  <dt>{t("lookup.answer")}</dt>
                  <dd>{result.publishedAnswer}</dd>
                </>
              )}
            </dl>
          )}
        </form>
    </PublicLayout>
  );
}
