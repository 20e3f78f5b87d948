import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { PublicSlotDto } from "../../../../signaling/protocol";
import { apiFetch } from "../../api/http";
import { ErrorMessage } from "../../components/ErrorMessage";
import { formatViDayLabel, formatViTimeRange, vietnamDay } from "../../dates";
import { currentLocale } from "../../i18n";

/** Step 2: the unit's slots by day; each a large button saying when, how, and how many places are left. */
export function SlotPicker({ unitId, onPick }: { unitId: string; onPick: (slot: PublicSlotDto) => void }) {
  const { t } = useTranslation();
  const [slots, setSlots] = useState<PublicSlotDto[] | null>(null);
  const [errorCode, setErrorCode] = useState<string | null>(null);

  useEffect(() => {
    apiFetch<{ items: PublicSlotDto[] }>("GET", `/public/reception/slots?unitId=${encodeURIComponent(unitId)}`).then(
      (result) => setSlots(result.items),
      () => setErrorCode("CONNECTION_FAILED"),
    );
  }, [unitId]);

  const days = useMemo(() => {
    const byDay = new Map<string, PublicSlotDto[]>();
    for (const slot of slots ?? []) byDay.set(vietnamDay(slot.startsAt), [...(byDay.get(vietnamDay(slot.startsAt)) ?? []), slot]);
    return [...byDay.values()];
  }, [slots]);

  return (
    <div className="booking-step">
      <h2>{t("booking.chooseSlot")}</h2>
      <p className="form-hint">{t("booking.modeHint")}</p>
      <ErrorMessage code={errorCode} />
      {slots?.length === 0 && <p className="hint">{t("booking.noSlots")}</p>}
      {days.map((day) => (
        <section key={day[0]!.startsAt} className="slot-day">
          <h3>{formatViDayLabel(day[0]!.startsAt, currentLocale())}</h3>
          <ul className="choice-list">
            {day.map((slot) => (
              <li key={slot.id}>
                <button
                  type="button"
                  className="choice"
                  data-testid="booking-slot"
                  data-mode={slot.mode}
                  disabled={slot.remaining === 0}
                  onClick={() => onPick(slot)}
                >
                  <span className="choice-title">
                    {formatViTimeRange(slot.startsAt, slot.endsAt)} · {t(`booking.modes.${slot.mode}`)}
                  </span>
                  <span className="choice-meta">
                    {slot.title} · {slot.remaining === 0 ? t("booking.full") : t("booking.placesLeft", { count: slot.remaining })}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
