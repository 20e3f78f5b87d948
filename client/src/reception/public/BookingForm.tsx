import { FileField } from "../../components/fields/FileField";
import { type FormEvent, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { BookingReceipt, PublicSlotDto } from "../../../../signaling/protocol";
import { ApiError, apiFetch } from "../../api/http";
import { ErrorMessage } from "../../components/ErrorMessage";
import { CaseKindSelect } from "../../components/fields/CaseKindSelect";
import { formatViDayLabel, formatViTimeRange } from "../../dates";
import { fieldsOf } from "../../api/errorCode";
import { FieldError } from "./FieldError";
import { currentLocale } from "../../i18n";

const MAX_CONTENT = 2000;
const MAX_FILES = 5;
const ACCEPTED_FILES = ".pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx";

export interface BookingDone {
  receipt: BookingReceipt;
  /** Files that could not be sent (refused or failed), by name. */
  failedFiles: string[];
}

/** Sends the chosen files one by one with the cancel code as proof; names the ones that failed. */
async function uploadFiles(receipt: BookingReceipt, files: readonly File[]): Promise<string[]> {
  const failed: string[] = [];
  for (const file of files) {
    const response = await fetch(`/api/public/reception/bookings/${encodeURIComponent(receipt.bookingId)}/attachments?name=${encodeURIComponent(file.name)}`, {
      method: "POST",
      headers: { "x-booking-secret": receipt.cancelSecret },
      body: file,
    }).catch(() => null);
    if (!response?.ok) failed.push(file.name);
  }
  return failed;
}

/** Step 3: who the citizen is and what it is about; every refused field says why, in the reader's language. */
export function BookingForm({ slot, unitName, onDone }: { slot: PublicSlotDto; unitName: string; onDone: (done: BookingDone) => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({ fullName: "", cccd: "", phone: "", address: "", petitionKind: "complaint", content: "", consent: false });
  const [files, setFiles] = useState<File[]>([]);
  const [invalid, setInvalid] = useState<string[]>([]);
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const ids = { fullName: useId(), cccd: useId(), phone: useId(), address: useId(), petitionKind: useId(), content: useId(), files: useId() };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrorCode(null);
    setInvalid([]);
    setSending(true);
    try {
      const receipt = await apiFetch<BookingReceipt>("POST", "/public/reception/bookings", { body: { slotId: slot.id, ...form } });
      onDone({ receipt, failedFiles: await uploadFiles(receipt, files) });
    } catch (error) {
      const code = error instanceof ApiError ? error.code : "INTERNAL";
      setErrorCode(code === "VALIDATION_FAILED" ? null : code);
      if (error instanceof ApiError) setInvalid(fieldsOf(error.details));
    } finally {
      setSending(false);
    }
  };

  const flag = (field: string) => (invalid.includes(field) ? { "aria-invalid": true, "aria-describedby": `${field}-error` } : {});
  const text = (field: "fullName" | "cccd" | "phone" | "address", extra: Record<string, unknown>) => (
    <div className="booking-field">
      <label htmlFor={ids[field]}>{t(`booking.fields.${field}`)}</label>
      <input id={ids[field]} data-testid={`booking-${field}`} value={form[field]} onChange={(e) => setForm({ ...form, [field]: e.target.value })} required {...flag(field)} {...extra} />
      <span id={`${field}-error`}>
        <FieldError field={field} invalid={invalid} />
      </span>
    </div>
  );

  return (
    <form className="booking-step booking-form" onSubmit={(event) => void submit(event)} data-testid="booking-form" noValidate>
      <h2>{t("booking.yourDetails")}</h2>
      <p className="booking-chosen" data-testid="booking-chosen">
        {unitName} — {formatViDayLabel(slot.startsAt, currentLocale())}, {formatViTimeRange(slot.startsAt, slot.endsAt)} · {t(`booking.modes.${slot.mode}`)}
      </p>
      {text("fullName", { maxLength: 160, autoComplete: "name" })}
      {text("cccd", { maxLength: 12, inputMode: "numeric", pattern: "[0-9]{12}", autoComplete: "off" })}
      {text("phone", { maxLength: 20, type: "tel", inputMode: "tel", autoComplete: "tel" })}
      {text("address", { maxLength: 300, autoComplete: "street-address" })}
      <div className="booking-field">
        <label htmlFor={ids.petitionKind}>{t("booking.fields.petitionKind")}</label>
        <CaseKindSelect id={ids.petitionKind} data-testid="booking-petitionKind" value={form.petitionKind} onChange={(petitionKind) => setForm({ ...form, petitionKind })} />
        {form.petitionKind === "denunciation" && <span className="form-hint">{t("booking.denunciationHint")}</span>}
      </div>
      <div className="booking-field">
        <label htmlFor={ids.content}>{t("booking.fields.content")}</label>
        <textarea id={ids.content} data-testid="booking-content" rows={5} value={form.content} onChange={(e) => setForm({ ...form, content: e.target.value })} required {...flag("content")} />
        <span className={form.content.length > MAX_CONTENT ? "field-error" : "form-hint"}>{t("booking.contentCount", { length: form.content.length, max: MAX_CONTENT })}</span>
        <span id="content-error">
          <FieldError field="content" invalid={invalid} />
        </span>
      </div>
      <div className="booking-field">
        <FileField
          label={t("booking.fields.files")}
          multiple
          accept={ACCEPTED_FILES}
          testId="booking-files"
          describedBy={`${ids.files}-hint`}
          onChange={(e) => setFiles([...(e.target.files ?? [])].slice(0, MAX_FILES))}
        />
        <span className="form-hint" id={`${ids.files}-hint`}>
          {t("booking.filesHint", { max: MAX_FILES })}
        </span>
      </div>
      <label className="inline-check consent">
        <input type="checkbox" data-testid="booking-consent" checked={form.consent} onChange={(e) => setForm({ ...form, consent: e.target.checked })} {...flag("consent")} />
        {t("booking.consent")}
      </label>
      <FieldError field="consent" invalid={invalid} />
      {invalid.length > 0 && (
        <p className="error" role="alert">
          {t("booking.invalid")}
        </p>
      )}
      <ErrorMessage code={errorCode} />
      <button type="submit" className="primary big" data-testid="booking-submit" disabled={sending}>
        {sending ? t("booking.sending") : t("booking.submit")}
      </button>
    </form>
  );
}
