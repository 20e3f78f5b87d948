import { type FormEvent, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, apiFetch } from "../../api/http";
import { ErrorMessage } from "../../components/ErrorMessage";

/** Cancel with the booking code and the cancel code from the receipt, until the slot starts. */
export function CancelBookingForm({ initialCode }: { initialCode: string }) {
  const { t } = useTranslation();
  const [code, setCode] = useState(initialCode);
  const [secret, setSecret] = useState("");
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const [cancelled, setCancelled] = useState<string | null>(null);
  const codeId = useId();
  const secretId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrorCode(null);
    try {
      const result = await apiFetch<{ code: string }>("POST", "/public/reception/bookings/cancel", { body: { code, secret } });
      setCancelled(result.code);
    } catch (error) {
      const failure = error instanceof ApiError ? error.code : "INTERNAL";
      setErrorCode(failure === "NOT_FOUND" || failure === "VALIDATION_FAILED" ? "BOOKING_UNKNOWN" : failure);
    }
  };

  if (cancelled) {
    return (
      <div className="booking-step" data-testid="cancel-done">
        <h2>{t("booking.cancelledTitle")}</h2>
        <p className="success">{t("booking.cancelled", { code: cancelled })}</p>
        <a className="button-link primary big-link" href="/lich-tiep-dan">
          {t("booking.bookAgain")}
        </a>
      </div>
    );
  }
  return (
    <form className="booking-step booking-form" onSubmit={(event) => void submit(event)} data-testid="cancel-form">
      <h2>{t("booking.cancelTitle")}</h2>
      <p className="form-hint">{t("booking.cancelHint")}</p>
      <div className="booking-field">
        <label htmlFor={codeId}>{t("booking.code")}</label>
        <input id={codeId} data-testid="cancel-code" value={code} maxLength={60} autoCapitalize="characters" onChange={(e) => setCode(e.target.value)} required />
      </div>
      <div className="booking-field">
        <label htmlFor={secretId}>{t("booking.cancelSecret")}</label>
        <input id={secretId} data-testid="cancel-secret" value={secret} maxLength={20} autoCapitalize="characters" autoComplete="off" onChange={(e) => setSecret(e.target.value)} required />
      </div>
      {errorCode === "BOOKING_UNKNOWN" ? (
        <p className="error" role="alert">
          {t("booking.unknownBooking")}
        </p>
      ) : (
        <ErrorMessage code={errorCode} />
      )}
      <button type="submit" className="primary big" data-testid="cancel-submit">
        {t("booking.cancelSubmit")}
      </button>
    </form>
  );
}
