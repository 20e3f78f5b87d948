import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { PublicSlotDto } from "../../../../signaling/protocol";
import { PublicLayout } from "../../pages/PublicLayout";
import { type BookingDone, BookingForm } from "./BookingForm";
import { BookingReceiptView } from "./BookingReceiptView";
import { CancelBookingForm } from "./CancelBookingForm";
import { SlotPicker } from "./SlotPicker";
import { type ReceptionUnit, UnitPicker } from "./UnitPicker";

/**
 * The citizen's reception booking (/lich-tiep-dan): no account, made for a phone — choose the unit, a
 * slot, fill in who you are and what it is about, keep the receipt. `?huy=1` opens the cancel form.
 */
export function BookingPage() {
  const { t } = useTranslation();
  const params = new URLSearchParams(window.location.search);
  const cancelling = params.has("huy");
  const [unit, setUnit] = useState<ReceptionUnit | null>(null);
  const [slot, setSlot] = useState<PublicSlotDto | null>(null);
  const [done, setDone] = useState<BookingDone | null>(null);

  const body = cancelling ? (
    <CancelBookingForm initialCode={params.get("ma") ?? ""} />
  ) : done ? (
    <BookingReceiptView done={done} />
  ) : !unit ? (
    <UnitPicker onPick={setUnit} />
  ) : !slot ? (
    <>
      <button type="button" className="link-button back-step" onClick={() => setUnit(null)}>
        ← {t("booking.otherUnit")}
      </button>
      <p className="booking-chosen">{unit.name}</p>
      {/* Mounted afresh each time, so going back after a full slot shows the places as they are now. */}
      <SlotPicker unitId={unit.id} onPick={setSlot} />
    </>
  ) : (
    <>
      <button type="button" className="link-button back-step" onClick={() => setSlot(null)}>
        ← {t("booking.otherSlot")}
      </button>
      <BookingForm slot={slot} unitName={unit.name} onDone={setDone} />
    </>
  );

  return (
    <PublicLayout>
      <section className="card booking-page" data-testid="booking-page">
        <h1>{cancelling ? t("booking.cancelTitle") : t("booking.title")}</h1>
        {!cancelling && !done && <p className="form-hint">{t("booking.hint")}</p>}
        {body}
        {!cancelling && !done && (
          <p className="booking-footer">
            <a href="/lich-tiep-dan?huy=1" data-testid="booking-open-cancel">
              {t("booking.cancelLink")}
            </a>
          </p>
        )}
      </section>
    </PublicLayout>
  );
}
