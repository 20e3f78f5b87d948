import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, apiFetch } from "../api/http";
import { ErrorMessage } from "../components/ErrorMessage";
import { CaseKindSelect } from "../components/fields/CaseKindSelect";
import { UnitSelect } from "../components/fields/UnitSelect";
import { PublicLayout } from "./PublicLayout";

interface PublicUnit {
  id: string;
  name: string;
  depth: number;
}

/** The citizen's online petition form (/gui-don): no account, large fields, works on a phone. */
export function SubmitPage() {
  const { t } = useTranslation();
  const [units, setUnits] = useState<PublicUnit[]>([]);
  const [form, setForm] = useState({ unitId: "", kind: "recommendation", summary: "", content: "", name: "", idNumber: "", phone: "", address: "", consent: false });
  const [invalid, setInvalid] = useState<string[]>([]);
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const [done, setDone] = useState<{ code: string; lookupSecret: string } | null>(null);

  useEffect(() => {
    apiFetch<{ items: PublicUnit[] }>("GET", "/public/units").then(
      (result) => setUnits(result.items),
      () => setErrorCode("CONNECTION_FAILED"),
    );
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrorCode(null);
    setInvalid([]);
    const { idNumber, ...rest } = form;
    try {
      setDone(await apiFetch("POST", "/public/cases", { body: { ...rest, ...(idNumber.trim() ? { idNumber: idNumber.trim() } : {}) } }));
    } catch (error) {
      setErrorCode(error instanceof ApiError ? error.code : "INTERNAL");
      if (error instanceof ApiError) setInvalid(error.details?.map((detail) => detail.path) ?? []);
    }
  };

  if (done) {
    return (
      <PublicLayout>
        <section className="card narrow-form" data-testid="submit-done">
          <h1>{t("submitForm.doneTitle")}</h1>
          <p className="form-hint">{t("submitForm.doneHint")}</p>
          <dl className="receipt">
            <dt>{t("lookup.code")}</dt>
            <dd data-testid="submit-code">{done.code}</dd>
            <dt>{t("lookup.secret")}</dt>
            <dd data-testid="submit-secret">{done.lookupSecret}</dd>
          </dl>
          <a className="button-link primary" href={`/tra-cuu?ma=${encodeURIComponent(done.code)}`}>
            {t("submitForm.goLookup")}
          </a>
        </section>
      </PublicLayout>
    );
  }

  const flag = (name: string) => (invalid.includes(name) ? { "aria-invalid": true } : {});
  const text = (name: "summary" | "name" | "idNumber" | "phone" | "address", extra: Record<string, unknown> = {}) => (
    <label>
      {t(`submitForm.${name}`)}
      <input data-testid={`submit-${name}`} value={form[name]} onChange={(e) => setForm({ ...form, [name]: e.target.value })} {...flag(name)} {...extra} />
    </label>
  );

  return (
    <PublicLayout>
      <form className="card narrow-form case-form" onSubmit={(event) => void submit(event)} data-testid="submit-form">
        <h1>{t("submitForm.title")}</h1>
        <p className="form-hint">{t("submitForm.hint")}</p>
        <label>
          {t("submitForm.unit")}
          <UnitSelect data-testid="submit-unit" units={units} value={form.unitId} onChange={(unitId) => setForm({ ...form, unitId })} required emptyLabel="—" {...flag("unitId")} />
        </label>
        <label>
          {t("submitForm.kind")}
          <CaseKindSelect data-testid="submit-kind" value={form.kind} onChange={(kind) => setForm({ ...form, kind })} />
        </label>
        {text("summary", { maxLength: 300, required: true })}
        <label>
          {t("submitForm.content")}
          <textarea data-testid="submit-content" rows={6} maxLength={10000} value={form.content} onChange={(e) => setForm({ ...form, content: e.target.value })} required {...flag("content")} />
        </label>
        {text("name", { maxLength: 160, required: true, autoComplete: "name" })}
        {text("idNumber", { maxLength: 12, inputMode: "numeric" })}
        {text("phone", { maxLength: 20, required: true, type: "tel", autoComplete: "tel" })}
        {text("address", { maxLength: 300, required: true, autoComplete: "street-address" })}
        <label className="inline-check consent">
          <input type="checkbox" data-testid="submit-consent" checked={form.consent} onChange={(e) => setForm({ ...form, consent: e.target.checked })} required />
          {t("submitForm.consent")}
        </label>
        {invalid.length > 0 && (
          <p className="error" role="alert">
            {t("submitForm.invalid")}
          </p>
        )}
        <ErrorMessage code={errorCode} />
        <button type="submit" className="primary" data-testid="submit-send">
          {t("submitForm.submit")}
        </button>
      </form>
    </PublicLayout>
  );
}
