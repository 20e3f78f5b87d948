import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { apiFetch } from "../../api/http";
import { ErrorMessage } from "../../components/ErrorMessage";

export interface ReceptionUnit {
  id: string;
  name: string;
  upcomingSlots: number;
}

/** Step 1: the units receiving citizens soon, as large buttons. */
export function UnitPicker({ onPick }: { onPick: (unit: ReceptionUnit) => void }) {
  const { t } = useTranslation();
  const [units, setUnits] = useState<ReceptionUnit[] | null>(null);
  const [errorCode, setErrorCode] = useState<string | null>(null);

  useEffect(() => {
    apiFetch<{ items: ReceptionUnit[] }>("GET", "/public/reception/units").then(
      (result) => setUnits(result.items),
      () => setErrorCode("CONNECTION_FAILED"),
    );
  }, []);

  return (
    <div className="booking-step">
      <h2>{t("booking.chooseUnit")}</h2>
      <ErrorMessage code={errorCode} />
      {units?.length === 0 && <p className="hint">{t("booking.noUnits")}</p>}
      <ul className="choice-list">
        {units?.map((unit) => (
          <li key={unit.id}>
            <button type="button" className="choice" data-testid="booking-unit" data-unit-name={unit.name} onClick={() => onPick(unit)}>
              <span className="choice-title">{unit.name}</span>
              <span className="choice-meta">{t("booking.slotsAhead", { count: unit.upcomingSlots })}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
