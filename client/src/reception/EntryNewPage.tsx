import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { type EntryDto, handlingSchema } from "../../../signaling/protocol";
import { ApiError } from "../api/http";
import { DateField, TimeField } from "../components/DateField";
import { ErrorMessage } from "../components/ErrorMessage";
import { CaseKindSelect } from "../components/fields/CaseKindSelect";
import { hashParams, receptionEntryHref } from "../routing";
import { may } from "../access";
import { useSession } from "../session";
import { nowVietnamInput, vietnamInputToIso } from "../dates";
import { fieldsOf } from "../api/errorCode";
import { ReceptionTabs } from "./ReceptionTabs";
import { PageUnitSelect } from "./PageUnitSelect";
import { useScopeUnits } from "../admin/useScopeUnits";

interface CitizenRow {
  fullName: string;
  address: string;
  cccd: string;
  phone: string;
}

const emptyCitizen = (): CitizenRow => ({ fullName: "", address: "", cccd: "", phone: "" });
/** Optional fields left empty are not sent, so the server's checks see only what was typed. */
const withoutEmpty = (row: CitizenRow) => Object.fromEntries(Object.entries(row).filter(([, value]) => value.trim() !== ""));

/** A new visit in the reception book: each citizen received (a group lists them or their representatives). */
export function EntryNewPage() {
  const { t } = useTranslation();
  const [auth, session] = useSession();
  const { ownId, units } = useScopeUnits();
  const [form, setForm] = useState({ unitId: "", receivedDate: nowVietnamInput().slice(0, 10), receivedTime: nowVietnamInput().slice(11, 16), kind: "regular", peopleCount: "1", content: "", dossier: "", handling: "huong_dan", handlingNote: "", petitionKind: "" });
  const [citizens, setCitizens] = useState<CitizenRow[]>([emptyCitizen()]);
  const [invalid, setInvalid] = useState<string[]>([]);
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const leadsDays = may.leadReceptionDays(auth.user);
  // Opened from a live reception: the entry belongs to that session (and its unit, which may not be
  // the writer's own: the local reception office writes for the unit that receives).
  const [link] = useState(() => {
    const params = hashParams();
    return { unitId: params.get("unit"), sessionId: params.get("session"), bookingId: params.get("booking") };
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrorCode(null);
    setInvalid([]);
    try {
      const created = await session.request<EntryDto>("POST", "/reception/book", {
        unitId: link.unitId ?? (form.unitId || ownId),
        ...(link.sessionId ? { sessionId: link.sessionId } : {}),
        ...(link.bookingId ? { bookingId: link.bookingId } : {}),
        receivedAt: vietnamInputToIso(`${form.receivedDate}T${form.receivedTime}`),
        kind: form.kind,
        peopleCount: Number(form.peopleCount),
        content: form.content,
        handling: form.handling,
        ...(form.dossier.trim() ? { dossier: form.dossier } : {}),
        ...(form.handlingNote.trim() ? { handlingNote: form.handlingNote } : {}),
        ...(form.petitionKind ? { petitionKind: form.petitionKind } : {}),
        citizens: citizens.map(withoutEmpty),
      });
      window.location.hash = receptionEntryHref(created.id);
    } catch (error) {
      setErrorCode(error instanceof ApiError ? error.code : "INTERNAL");
      if (error instanceof ApiError) setInvalid(fieldsOf(error.details));
    }
  };
  const flag = (path: string) => (invalid.some((item) => item === path || item.startsWith(`${path}.`)) ? { "aria-invalid": true } : {});
  const setCitizen = (index: number, field: keyof CitizenRow, value: string) => setCitizens(citizens.map((row, at) => (at === index ? { ...row, [field]: value } : row)));

  return (
    <form className="card admin-page case-form" onSubmit={(event) => void submit(event)} data-testid="entry-form">
      <div className="page-head">
        <h1>{t("reception.newEntry")}</h1>
        {link.sessionId ? (
          <p className="notice" data-testid="entry-session-note">
            {t("receptionLive.sessionNote")}
          </p>
        ) : (
          <PageUnitSelect units={units} value={form.unitId || ownId} onChange={(unitId) => setForm({ ...form, unitId })} />
        )}
      </div>
      <ReceptionTabs />
      <div className="form-grid">
        <fieldset className="date-time">
          <legend>{t("reception.fields.receivedAt")}</legend>
          <label>
            {t("daily.date")}
            <DateField testId="entry-date" value={form.receivedDate} onChange={(receivedDate) => setForm({ ...form, receivedDate })} required />
          </label>
          <label>
            {t("daily.time")}
            <TimeField testId="entry-time" value={form.receivedTime} onChange={(receivedTime) => setForm({ ...form, receivedTime })} required />
          </label>
        </fieldset>
        <label>
          {t("reception.fields.kind")}
          <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })} data-testid="entry-kind" {...flag("leaderUserId")}>
            <option value="regular">{t("reception.kinds.regular")}</option>
            {leadsDays && <option value="periodic">{t("reception.kinds.periodic")}</option>}
            {leadsDays && <option value="adhoc">{t("reception.kinds.adhoc")}</option>}
          </select>
        </label>
        <label>
          {t("reception.fields.peopleCount")}
          <input type="number" min={1} max={1000} value={form.peopleCount} onChange={(e) => setForm({ ...form, peopleCount: e.target.value })} data-testid="entry-people" {...flag("peopleCount")} />
        </label>
        <label>
          {t("reception.fields.petitionKind")}
          <CaseKindSelect value={form.petitionKind} onChange={(petitionKind) => setForm({ ...form, petitionKind })} data-testid="entry-petition-kind" emptyLabel={t("reception.notPetition")} />
        </label>
      </div>
      {citizens.map((citizen, index) => (
        <fieldset key={index} className="form-grid" data-testid="entry-citizen">
          <legend>{t("reception.citizenN", { n: index + 1 })}</legend>
          <label>
            {t("booking.fields.fullName")}
            <input value={citizen.fullName} maxLength={160} onChange={(e) => setCitizen(index, "fullName", e.target.value)} required data-testid="citizen-name" {...flag(`citizens.${index}.fullName`)} />
          </label>
          <label>
            {t("booking.fields.address")}
            <input value={citizen.address} maxLength={300} onChange={(e) => setCitizen(index, "address", e.target.value)} required data-testid="citizen-address" {...flag(`citizens.${index}.address`)} />
          </label>
          <label>
            {t("reception.fields.cccdOptional")}
            <input value={citizen.cccd} maxLength={12} inputMode="numeric" onChange={(e) => setCitizen(index, "cccd", e.target.value)} {...flag(`citizens.${index}.cccd`)} />
          </label>
          <label>
            {t("reception.fields.phoneOptional")}
            <input value={citizen.phone} maxLength={20} type="tel" onChange={(e) => setCitizen(index, "phone", e.target.value)} {...flag(`citizens.${index}.phone`)} />
          </label>
          {citizens.length > 1 && (
            <button type="button" className="link-button" onClick={() => setCitizens(citizens.filter((_, at) => at !== index))}>
              {t("reception.removeCitizen")}
            </button>
          )}
        </fieldset>
      ))}
      <button type="button" className="link-button" onClick={() => setCitizens([...citizens, emptyCitizen()])} data-testid="citizen-add" disabled={citizens.length >= 50}>
        + {t("reception.addCitizen")}
      </button>
      <label>
        {t("reception.fields.content")}
        <textarea rows={5} maxLength={4000} value={form.content} onChange={(e) => setForm({ ...form, content: e.target.value })} required data-testid="entry-content" {...flag("content")} />
      </label>
      <label>
        {t("reception.fields.dossier")}
        <textarea rows={2} maxLength={2000} value={form.dossier} onChange={(e) => setForm({ ...form, dossier: e.target.value })} />
      </label>
      <div className="form-grid">
        <label>
          {t("reception.fields.handling")}
          <select value={form.handling} onChange={(e) => setForm({ ...form, handling: e.target.value })} data-testid="entry-handling">
            {handlingSchema.options.map((handling) => (
              <option key={handling} value={handling}>
                {t(`reception.handlings.${handling}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("reception.fields.handlingNote")}
          <input value={form.handlingNote} maxLength={2000} onChange={(e) => setForm({ ...form, handlingNote: e.target.value })} />
        </label>
      </div>
      {invalid.length > 0 && (
        <p className="error" role="alert">
          {t("booking.invalid")}
        </p>
      )}
      <ErrorMessage code={errorCode === "VALIDATION_FAILED" ? null : errorCode} />
      <button type="submit" className="primary" data-testid="entry-submit">
        {t("reception.saveEntry")}
      </button>
    </form>
  );
}
