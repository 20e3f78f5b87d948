import { useTranslation } from "react-i18next";
import { type UnitChoice, UnitSelect } from "../components/fields/UnitSelect";

/** Which unit a reception page shows, among the caller's. */
export function PageUnitSelect({ units, value, onChange }: { units: readonly UnitChoice[]; value: string; onChange: (unitId: string) => void }) {
  const { t } = useTranslation();
  return (
    <label className="unit-select">
      {t("reception.unit")}
      <UnitSelect units={units} value={value} onChange={onChange} data-testid="reception-unit" />
    </label>
  );
}
