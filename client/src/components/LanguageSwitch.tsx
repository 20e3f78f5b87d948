import { useTranslation } from "react-i18next";
import { locales } from "../../../signaling/protocol";
import { setLocale } from "../i18n";

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <div className="language-switch" role="group" aria-label={t("language.label")}>
      {locales.map((locale) => (
        <button
          key={locale}
          type="button"
          data-testid={`lang-${locale}`}
          aria-pressed={i18n.language === locale}
          title={t(`language.${locale}`)}
          onClick={() => setLocale(locale)}
        >
          {locale.toUpperCase()}
        </button>
      ))}
    </div>
  );
}
