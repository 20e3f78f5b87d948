import { type ReactNode, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { apiFetch } from "../api/http";
import { LanguageSwitch } from "../components/LanguageSwitch";

/**
 * The hotline shown in the public header, set when the client is built (`VITE_PUBLIC_HOTLINE=…`, see
 * README › Public pages); none is shown when it is not set.
 */
const HOTLINE: string = (import.meta.env.VITE_PUBLIC_HOTLINE as string | undefined)?.trim() ?? "";

const LINKS = [
  { href: "/gui-don", label: "submitForm.submitLink" },
  { href: "/tra-cuu", label: "submitForm.lookupLink" },
  { href: "/lich-tiep-dan", label: "booking.navLink" },
] as const;

/** The agency citizens deal with: the top unit of the tree (the province), as the public unit list names it. */
function useAgencyName(): string | null {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    apiFetch<{ items: { name: string }[] }>("GET", "/public/units").then(
      (result) => setName(result.items[0]?.name ?? null),
      () => setName(null),
    );
  }, []);
  return name;
}

/**
 * The official header of the pages citizens use without an account: emblem, the agency's name, the
 * hotline, and the three public services as large (44 px) links.
 */
export function PublicLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const agency = useAgencyName();
  return (
    <div className="app public-app">
      <header className="app-header public-header">
        <div className="agency" data-testid="agency">
          {/* The emblem slot: client/public/emblem.svg, replaced by the agency's own file when deployed. */}
          <img className="emblem" src="/emblem.svg" alt="" width={44} height={44} />
          <div className="agency-text">
            <span className="agency-kicker">{t("publicHeader.kicker")}</span>
            <strong className="agency-name" data-testid="agency-name">
              {agency ?? t("app.name")}
            </strong>
            {HOTLINE && (
              <a className="hotline" href={`tel:${HOTLINE.replace(/[^\d+]/g, "")}`} data-testid="hotline">
                {t("publicHeader.hotline")}: {HOTLINE}
              </a>
            )}
          </div>
        </div>
        <nav className="header-side public-nav" aria-label={t("publicHeader.navLabel")}>
          {LINKS.map((link) => (
            <a key={link.href} className="header-button" href={link.href} aria-current={window.location.pathname === link.href ? "page" : undefined}>
              {t(link.label)}
            </a>
          ))}
          <LanguageSwitch />
        </nav>
      </header>
      <main className="app-main">{children}</main>
    </div>
  );
}
