import { useTranslation } from "react-i18next";
import { UnitOptions } from "../components/UnitOptions";

/** Which unit a reception page shows, among the caller's. */
export function UnitSelect({ units, value, onChange }: { units: readonly { id: string; name: string; depth: number }[]; value: string; onChange: (unitId: string) => void }) {
  const { t } = useTranslation();
  return (
    <label className="unit-select">
      {t("reception.unit")}
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid="reception-unit">
        <UnitOptions units={units} />
      </select>
    </label>
  );
}
