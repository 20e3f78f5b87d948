import type { ComponentProps } from "react";

type SelectProps = Omit<ComponentProps<"select">, "value" | "onChange" | "children">;
export interface UnitChoice {
  id: string;
  name: string;
  depth: number;
}

/**
 * A unit chosen from a tree, indented by depth so the hierarchy reads in a plain select. `emptyLabel`
 * adds a first choice ("—", "Tất cả đơn vị"); with `required` it cannot be chosen back.
 */
export function UnitSelect({ units, value, onChange, emptyLabel, ...select }: SelectProps & { units: readonly UnitChoice[]; value: string; onChange: (unitId: string) => void; emptyLabel?: string }) {
  return (
    <select {...select} value={value} onChange={(event) => onChange(event.target.value)}>
      {emptyLabel !== undefined && (
        <option value="" disabled={select.required}>
          {emptyLabel}
        </option>
      )}
      <UnitOptions units={units} />
    </select>
  );
}

/** `<option>`s for a unit tree (also inside a select that adds its own first choices). */
export function UnitOptions({ units }: { units: readonly UnitChoice[] }) {
  return (
    <>
      {units.map((unit) => (
        <option key={unit.id} value={unit.id}>
          {"— ".repeat(unit.depth)}
          {unit.name}
        </option>
      ))}
    </>
  );
}
