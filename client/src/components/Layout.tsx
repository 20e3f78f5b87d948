import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { SessionUser } from "../../../signaling/protocol";
import { may, navFor, type NavPage } from "../access";
import { hrefOf, usePage, type Page } from "../routing";
import { useSession } from "../session";
import { NotificationBell } from "../cases/NotificationBell";
import { Brand } from "./Brand";
import { LanguageSwitch } from "./LanguageSwitch";

export function Layout({ user, children }: { user?: SessionUser; children: ReactNode }) {
  const { t } = useTranslation();
  const [, session] = useSession();
  const page = usePage();
  const label: Record<NavPage | "password", string> = {
    home: t("daily.navHome"),
    meeting: t("nav.meeting"),
    cases: t("nav.cases"),
    reception: t("reception.nav"),
    stats: t("nav.stats"),
    meetings: t("nav.meetings"),
    tasks: t("directives.nav"),
    integrity: t("nav.integrity"),
    units: t("nav.units"),
    users: t("nav.users"),
    holidays: t("nav.holidays"),
    certificates: t("nav.certificates"),
    mail: t("nav.mail"),
    password: t("nav.password"),
  };
  const current: Page =
    page === "case" || page === "caseNew" ? "cases" : page === "meeting-record" ? "meetings" : page === "directiveMatrix" ? "tasks" : page.startsWith("reception") ? "reception" : page;
  return (
    <div className="app">
      <header className="app-header">
        <Brand />
        <div className="header-side">
          {user && (
            <div className="user-box" data-testid="user-box">
              <span className="user-name">{user.displayName}</span>
              <span className="user-unit">{user.unit.name}</span>
            </div>
          )}
          {may.followCaseDeadlines(user) && <NotificationBell />}
          {user && (
            <a className="header-button" href={hrefOf("password")} data-testid="password-link">
              {label.password}
            </a>
          )}
          {user && (
            <button type="button" className="header-button" data-testid="logout-button" onClick={() => void session.logout()}>
              {t("nav.logout")}
            </button>
          )}
          <LanguageSwitch />
        </div>
      </header>
      {user && navFor(user).length > 1 && (
        <nav className="app-nav" aria-label={t("daily.navLabel")}>
          {navFor(user).map((entry) => (
            <a key={entry} href={hrefOf(entry)} data-testid={`nav-${entry}`} aria-current={current === entry ? "page" : undefined}>
              {label[entry]}
            </a>
          ))}
        </nav>
      )}
      <main className="app-main">{children}</main>
    </div>
  );
}
