import { useTranslation } from "react-i18next";
import { hrefOf, usePage } from "../routing";
import { useSession } from "../session";
import { canOpen } from "../access";

/** The reception pages: schedules, slots with their bookings, and the reception book (staff who receive). */
export function ReceptionTabs() {
  const { t } = useTranslation();
  const [auth] = useSession();
  const page = usePage();
  // Only the tabs this account may open (client/src/access.ts decides, as for the main navigation).
  const tabs = [
    { page: "reception" as const, label: t("reception.tabs.schedules") },
    { page: "receptionSlots" as const, label: t("reception.tabs.slots") },
    { page: "receptionSessions" as const, label: t("receptionSessions.title") },
    { page: "receptionBook" as const, label: t("reception.tabs.book") },
  ].filter((tab) => auth.user !== null && canOpen(auth.user, tab.page));
  const current = page === "receptionEntry" || page === "receptionEntryNew" ? "receptionBook" : page;
  return (
    <nav className="sub-tabs" aria-label={t("reception.nav")}>
      {tabs.map((tab) => (
        <a key={tab.page} href={hrefOf(tab.page)} aria-current={current === tab.page ? "page" : undefined} data-testid={`reception-tab-${tab.page}`}>
          {tab.label}
        </a>
      ))}
    </nav>
  );
}
