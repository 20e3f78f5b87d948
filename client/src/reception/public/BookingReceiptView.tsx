import { useTranslation } from "react-i18next";
import { PrintButton } from "../../components/PrintButton";
import { formatViDayLabel, formatViTimeRange } from "../../dates";
import type { BookingDone } from "./BookingForm";
import { currentLocale } from "../../i18n";

/** Step 4: what the citizen keeps — the code, the cancel code, the one-time join link, and how to cancel. */
export function BookingReceiptView({ done }: { done: BookingDone }) {
  const { t } = useTranslation();
  const { receipt } = done;
  const joinUrl = receipt.joinPath ? `${window.location.origin}${receipt.joinPath}` : null;
  return (
    <div className="booking-step" data-testid="booking-done">
      <h2>{t("booking.doneTitle")}</h2>
      <p className="form-hint">{t("booking.doneHint")}</p>
      <dl className="receipt">
        <dt>{t("booking.code")}</dt>
        <dd data-testid="booking-code">{receipt.code}</dd>
        <dt>{t("booking.cancelSecret")}</dt>
        <dd data-testid="booking-cancel-secret">{receipt.cancelSecret}</dd>
        <dt>{t("booking.when")}</dt>
        <dd>
          {formatViDayLabel(receipt.slot.startsAt, currentLocale())}, {formatViTimeRange(receipt.slot.startsAt, receipt.slot.endsAt)}
        </dd>
        <dt>{t("booking.where")}</dt>
        <dd>
          {receipt.slot.unitName} · {t(`booking.modes.${receipt.slot.mode}`)}
        </dd>
      </dl>
      {joinUrl ? (
        <div className="join-link-box">
          <p>
            <strong>{t("booking.joinLinkTitle")}</strong>
          </p>
          <a className="join-link" href={joinUrl} data-testid="booking-join-link">
            {joinUrl}
          </a>
          <p className="form-hint">{t("booking.joinLinkHint")}</p>
        </div>
      ) : (
        <p className="notice">{t("booking.officeHint", { unit: receipt.slot.unitName })}</p>
      )}
      {done.failedFiles.length > 0 && (
        <p className="error" role="alert">
          {t("booking.filesFailed", { names: done.failedFiles.join(", ") })}
        </p>
      )}
      <div className="no-print">
        <PrintButton />
      </div>
      <h3>{t("booking.howToCancel")}</h3>
      <p className="form-hint">{t("booking.howToCancelHint")}</p>
      <a className="button-link big-link" href={`/lich-tiep-dan?huy=1&ma=${encodeURIComponent(receipt.code)}`} data-testid="booking-cancel-link">
        {t("booking.cancelLink")}
      </a>
    </div>
  );
}
