import { useTranslation } from "react-i18next";

/** An error code in the reader's language; unknown codes fall back to the generic server error. */
export function ErrorMessage({ code }: { code: string | null }) {
  const { t, i18n } = useTranslation();
  if (!code) return null;
  const key = i18n.exists(`errors.${code}`) ? `errors.${code}` : "errors.INTERNAL";
  return (
    <p className="error" role="alert" data-testid="error-message" data-error-code={code}>
      {t(key)}
    </p>
  );
}
