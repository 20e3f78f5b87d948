import type { ComponentProps } from "react";
import { useTranslation } from "react-i18next";
import { caseKindSchema } from "../../../../signaling/protocol";

type SelectProps = Omit<ComponentProps<"select">, "value" | "onChange" | "children">;

/**
 * The kind of a petition (khiếu nại, tố cáo, kiến nghị, phản ánh) as one select, for every form and filter
 * that asks it. `emptyLabel` adds a first choice meaning "none / any".
 */
export function CaseKindSelect({ value, onChange, emptyLabel, ...select }: SelectProps & { value: string; onChange: (kind: string) => void; emptyLabel?: string }) {
  const { t } = useTranslation();
  return (
    <select {...select} value={value} onChange={(event) => onChange(event.target.value)}>
      {emptyLabel !== undefined && <option value="">{emptyLabel}</option>}
      {caseKindSchema.options.map((kind) => (
        <option key={kind} value={kind}>
          {t(`caseKinds.${kind}`)}
        </option>
      ))}
    </select>
  );
}
