import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { LanguageSwitch } from "../components/LanguageSwitch";

/** Header for the pages citizens use without an account. */
export function PublicLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            CN
          </span>
          <span className="brand-name">{t("app.name")}</span>
        </div>
        <nav className="header-side" aria-label="public">
          <a className="header-button" href="/gui-don">
            {t("submitForm.submitLink")}
          </a>
          <a className="header-button" href="/tra-cuu">
            {t("submitForm.lookupLink")}
          </a>
          <LanguageSwitch />
        </nav>
      </header>
      <main className="app-main">{children}</main>
    </div>
  );
}
