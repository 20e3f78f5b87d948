import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Brand } from "../components/Brand";
import { LanguageSwitch } from "../components/LanguageSwitch";

/** Header for the pages citizens use without an account. */
export function PublicLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="app">
      <header className="app-header">
        <Brand tagline={false} />
        <nav className="header-side" aria-label="public">
          <a className="header-button" href="/gui-don">
            {t("submitForm.submitLink")}
          </a>
          <a className="header-button" href="/tra-cuu">
            {t("submitForm.lookupLink")}
          </a>
          <a className="header-button" href="/lich-tiep-dan">
            {t("booking.navLink")}
          </a>
          <LanguageSwitch />
        </nav>
      </header>
      <main className="app-main">{children}</main>
    </div>
  );
}
