import { useTranslation } from "react-i18next";

/** The Vietnamese (or English) explanation under a field the server refused. */
export function FieldError({ field, invalid }: { field: string; invalid: readonly string[] }) {
  const { t, i18n } = useTranslation();
  if (!invalid.includes(field)) return null;
  const key = i18n.exists(`booking.fieldErrors.${field}`) ? `booking.fieldErrors.${field}` : "booking.fieldErrors.other";
  return (
    <span className="field-error" role="alert" data-testid={`field-error-${field}`}>
      {t(key)}
    </span>
  );
}
