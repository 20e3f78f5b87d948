import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, apiFetch } from "../api/http";
import { ErrorMessage } from "../components/ErrorMessage";
import { CaseKindSelect } from "../components/fields/CaseKindSelect";
import { UnitSelect } from "../components/fields/UnitSelect";
import { RequiredMark, StepIndicator } from "../components/FormSteps";
import { PrintButton } from "../components/PrintButton";
import { PublicLayout } from "./PublicLayout";

interface PublicUnit {
  id: string;
  name: string;
  depth: number;
}

type Step = 1 | 2 | 3;

/** The citizen's online petition form (/gui-don): no account, large fields, works on a phone. */
export function SubmitPage() {
  const { t } = useTranslation();
  const [units, setUnits] = useState<PublicUnit[]>([]);
  const [form, setForm] = useState({ unitId: "", kind: "recommendation", summary: "", content: "", name: "", idNumber: "", phone: "", address: "", consent: false });
  const [invalid, setInvalid] = useState<string[]>([]);
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const [done, setDone] = useState<{ code: string; lookupSecret: string } | null>(null);
  const [step, setStep] = useState<Step>(1);

  useEffect(() => {
    apiFetch<{ items: PublicUnit[] }>("GET", "/public/units").then(
      (result) => setUnits(result.items),
      () => setErrorCode("CONNECTION_FAILED"),
    );
  }, []);

  // Fields the server refused, by the step that asks them: the citizen is taken back there.
  const stepOf = (field: string): Step => (["unitId", "kind", "summary", "content"].includes(field) ? 1 : 2);
  const next = async (event: FormEvent) => {
    event.preventDefault();
    // The browser has checked this step's required fields before the submit event.
    if (step < 3) {
      setStep(step === 1 ? 2 : 3);
      return;
    }
    setErrorCode(null);
    setInvalid([]);
    const { idNumber, ...rest } = form;
    try {
      setDone(await apiFetch("POST", "/public/cases", { body: { ...rest, ...(idNumber.trim() ? { idNumber: idNumber.trim() } : {}) } }));
    } catch (error) {
      setErrorCode(error instanceof ApiError ? error.code : "INTERNAL");
      if (error instanceof ApiError && error.details?.length) {
        const fields = error.details.map((detail) => detail.path);
        setInvalid(fields);
        setStep(Math.min(...fields.map(stepOf)) as Step);
      }
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
          <div className="step-buttons no-print">
            <PrintButton />
            <a className="button-link primary" href={`/tra-cuu?ma=${encodeURIComponent(done.code)}`}>
              {t("submitForm.goLookup")}
            </a>
          </div>
        </section>
      </PublicLayout>
    );
  }

  const flag = (name: string) => (invalid.includes(name) ? { "aria-invalid": true } : {});
  const text = (name: "summary" | "name" | "idNumber" | "phone" | "address", extra: Record<string, unknown> = {}) => (
    <label>
      <span>
        {t(`submitForm.${name}`)}
        {extra.required === true && <RequiredMark />}
      </span>
      <input data-testid={`submit-${name}`} value={form[name]} onChange={(e) => setForm({ ...form, [name]: e.target.value })} {...flag(name)} {...extra} />
    </label>
  );
  const unitName = units.find((unit) => unit.id === form.unitId)?.name ?? "—";

  return (
    <PublicLayout>
      <form className="card narrow-form case-form" onSubmit={(event) => void next(event)} data-testid="submit-form" data-step={step}>
        <h1>{t("submitForm.title")}</h1>
        <StepIndicator step={step} names={[t("submitForm.stepPetition"), t("submitForm.stepPerson"), t("submitForm.stepReview")]} />
        {step === 1 && (
          <>
            <p className="form-hint">
              {t("submitForm.hint")} {t("submitForm.requiredHint")}
            </p>
            <label>
              <span>
                {t("submitForm.unit")}
                <RequiredMark />
              </span>
              <UnitSelect data-testid="submit-unit" units={units} value={form.unitId} onChange={(unitId) => setForm({ ...form, unitId })} required emptyLabel="—" {...flag("unitId")} />
            </label>
            <label>
              <span>
                {t("submitForm.kind")}
                <RequiredMark />
              </span>
              <CaseKindSelect data-testid="submit-kind" value={form.kind} onChange={(kind) => setForm({ ...form, kind })} required />
            </label>
            {text("summary", { maxLength: 300, required: true })}
            <label>
              <span>
                {t("submitForm.content")}
                <RequiredMark />
              </span>
              <textarea data-testid="submit-content" rows={6} maxLength={10000} value={form.content} onChange={(e) => setForm({ ...form, content: e.target.value })} required {...flag("content")} />
            </label>
            <p className="form-hint">{t("submitForm.noAttachments")}</p>
          </>
        )}
        {step === 2 && (
          <>
            <p className="form-hint">{t("submitForm.requiredHint")}</p>
            {text("name", { maxLength: 160, required: true, autoComplete: "name" })}
            {text("idNumber", { maxLength: 12, inputMode: "numeric" })}
            {text("phone", { maxLength: 20, required: true, type: "tel", autoComplete: "tel" })}
            {text("address", { maxLength: 300, required: true, autoComplete: "street-address" })}
            <label className="inline-check consent">
              <input type="checkbox" data-testid="submit-consent" checked={form.consent} onChange={(e) => setForm({ ...form, consent: e.target.checked })} required />
              <span>
                {t("submitForm.consent")}
                <RequiredMark />
              </span>
            </label>
          </>
        )}
        {step === 3 && (
          <>
            <p className="form-hint">{t("submitForm.reviewHint")}</p>
            <dl className="receipt review" data-testid="submit-review">
              <dt>{t("submitForm.unit")}</dt>
              <dd>{unitName}</dd>
              <dt>{t("submitForm.kind")}</dt>
              <dd>{t(`caseKinds.${form.kind}`)}</dd>
              <dt>{t("submitForm.summary")}</dt>
              <dd>{form.summary}</dd>
              <dt>{t("submitForm.content")}</dt>
              <dd className="review-text">{form.content}</dd>
              <dt>{t("submitForm.name")}</dt>
              <dd>{form.name}</dd>
              {form.idNumber.trim() && (
                <>
                  <dt>{t("submitForm.idNumber")}</dt>
                  <dd>{form.idNumber}</dd>
                </>
              )}
              <dt>{t("submitForm.phone")}</dt>
              <dd>{form.phone}</dd>
              <dt>{t("submitForm.address")}</dt>
              <dd>{form.address}</dd>
            </dl>
          </>
        )}
        {invalid.length > 0 && (
          <p className="error" role="alert">
            {t("submitForm.invalid")}
          </p>
        )}
        <ErrorMessage code={errorCode} />
        <div className="step-buttons">
          {step > 1 && (
            <button type="button" data-testid="submit-back" onClick={() => setStep(step === 3 ? 2 : 1)}>
              {t("submitForm.back")}
            </button>
          )}
          {step < 3 ? (
            <button type="submit" className="primary" data-testid="submit-next">
              {t("submitForm.next")}
            </button>
          ) : (
            <button type="submit" className="primary" data-testid="submit-send">
              {t("submitForm.submit")}
            </button>
          )}
        </div>
      </form>
    </PublicLayout>
  );
}
