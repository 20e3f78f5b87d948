import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { type CaseDetail, caseChannelSchema } from "../../../signaling/protocol";
import { useScopeUnits } from "../admin/useScopeUnits";
import { ApiError } from "../api/http";
import { ErrorMessage } from "../components/ErrorMessage";
import { CaseKindSelect } from "../components/fields/CaseKindSelect";
import { UnitSelect } from "../components/fields/UnitSelect";
import { caseHref } from "../routing";
import { useSession } from "../session";
import { DateField } from "../components/DateField";
import { todayInVietnam } from "../dates";


/** Drops empty optional fields so the server's validation sees only what was typed. */
function compact<T extends Record<string, string>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value.trim() !== "")) as Partial<T>;
}

export function CaseNewPage() {
  const { t } = useTranslation();
  const [auth, session] = useSession();
  const { units: scopeUnits } = useScopeUnits();
  const [form, setForm] = useState({ unitId: "", channel: "inPerson", receivedDate: todayInVietnam(), kind: "", summary: "", content: "", anonymous: false });
  const [petitioner, setPetitioner] = useState({ name: "", idNumber: "", phone: "", address: "" });
  const [respondent, setRespondent] = useState({ name: "", organization: "" });
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const [details, setDetails] = useState<string[]>([]);
  const [created, setCreated] = useState<{ case: CaseDetail; lookupSecret: string } | null>(null);
  const unitId = form.unitId || auth.user?.unit.id || "";

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrorCode(null);
    setDetails([]);
    const parties = [
      ...(!form.anonymous && petitioner.name ? [{ role: "petitioner", ...compact(petitioner) }] : []),
      ...(respondent.name ? [{ role: "respondent", ...compact(respondent) }] : []),
    ];
    try {
      setCreated(
        await session.request("POST", "/cases", {
          unitId,
          channel: form.channel,
          receivedDate: form.receivedDate,
          summary: form.summary,
          content: form.content,
          anonymous: form.anonymous,
          ...(form.kind ? { kind: form.kind } : {}),
          parties,
        }),
      );
    } catch (error) {
      setErrorCode(error instanceof ApiError ? error.code : "INTERNAL");
      if (error instanceof ApiError) setDetails(error.details?.map((detail) => detail.path) ?? []);
    }
  };

  if (created) {
    return (
      <section className="card narrow-form" data-testid="case-created">
        <h1>{t("cases.createdTitle")}</h1>
        <p className="form-hint">{t("cases.createdHint")}</p>
        <dl className="receipt">
          <dt>{t("cases.code")}</dt>
          <dd data-testid="created-code">{created.case.code}</dd>
          <dt>{t("cases.lookupSecret")}</dt>
          <dd data-testid="created-secret">{created.lookupSecret}</dd>
        </dl>
        <a className="button-link primary" href={caseHref(created.case.id)} data-testid="open-created">
          {t("cases.open")}
        </a>
      </section>
    );
  }

  const field = (path: string) => (details.some((detail) => detail.startsWith(path)) ? { "aria-invalid": true } : {});
  return (
    <form className="card admin-page case-form" onSubmit={(event) => void submit(event)} data-testid="case-form">
      <h1>{t("cases.newCase")}</h1>
      <div className="form-grid">
        <label>
          {t("cases.unit")}
          <UnitSelect units={scopeUnits} value={unitId} onChange={(id) => setForm({ ...form, unitId: id })} />
        </label>
        <label>
          {t("cases.channel")}
          <select value={form.channel} onChange={(e) => setForm({ ...form, channel: e.target.value })}>
            {caseChannelSchema.options.map((channel) => (
              <option key={channel} value={channel}>
                {t(`channels.${channel}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("cases.receivedDate")}
          <DateField testId="case-received-date" value={form.receivedDate} onChange={(receivedDate) => setForm({ ...form, receivedDate })} required />
        </label>
        <label>
          {t("cases.kind")}
          <CaseKindSelect data-testid="case-kind" value={form.kind} onChange={(kind) => setForm({ ...form, kind })} emptyLabel="—" />
        </label>
      </div>
      <label>
        {t("cases.summary")}
        <input data-testid="case-summary" value={form.summary} maxLength={300} onChange={(e) => setForm({ ...form, summary: e.target.value })} required {...field("summary")} />
      </label>
      <label>
        {t("cases.content")}
        <textarea data-testid="case-content" rows={5} value={form.content} maxLength={20000} onChange={(e) => setForm({ ...form, content: e.target.value })} required {...field("content")} />
      </label>
      <label className="inline-check">
        <input type="checkbox" checked={form.anonymous} onChange={(e) => setForm({ ...form, anonymous: e.target.checked })} />
        {t("cases.anonymous")}
      </label>
      {!form.anonymous && (
        <fieldset className="form-grid">
          <legend>{t("cases.petitioner")}</legend>
          <label>
            {t("cases.name")}
            <input data-testid="petitioner-name" value={petitioner.name} maxLength={160} onChange={(e) => setPetitioner({ ...petitioner, name: e.target.value })} {...field("parties")} />
          </label>
          <label>
            {t("cases.idNumber")}
            <input data-testid="petitioner-id" inputMode="numeric" value={petitioner.idNumber} maxLength={12} onChange={(e) => setPetitioner({ ...petitioner, idNumber: e.target.value })} {...field("parties.0.idNumber")} />
          </label>
          <label>
            {t("cases.phone")}
            <input type="tel" value={petitioner.phone} maxLength={20} onChange={(e) => setPetitioner({ ...petitioner, phone: e.target.value })} {...field("parties.0.phone")} />
          </label>
          <label>
            {t("cases.address")}
            <input value={petitioner.address} maxLength={300} onChange={(e) => setPetitioner({ ...petitioner, address: e.target.value })} />
          </label>
        </fieldset>
      )}
      <fieldset className="form-grid">
        <legend>{t("cases.respondent")}</legend>
        <label>
          {t("cases.name")}
          <input value={respondent.name} maxLength={160} onChange={(e) => setRespondent({ ...respondent, name: e.target.value })} />
        </label>
        <label>
          {t("cases.organization")}
          <input value={respondent.organization} maxLength={200} onChange={(e) => setRespondent({ ...respondent, organization: e.target.value })} />
        </label>
      </fieldset>
      <ErrorMessage code={errorCode} />
      <button type="submit" className="primary" data-testid="case-submit">
        {t("cases.submit")}
      </button>
    </form>
  );
}
