import { useTranslation } from "react-i18next";

export function Brand({ tagline = true }: { tagline?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="brand">
      <span className="brand-mark" aria-hidden="true">
        CN
      </span>
      <span className="brand-name">{t("app.name")}</span>
      {tagline && <span className="brand-tagline">{t("app.tagline")}</span>}
    </div>
  );
}
