import { useTranslation } from "react-i18next";
import { HolidaysPage } from "./admin/HolidaysPage";
import { UnitsPage } from "./admin/UnitsPage";
import { UsersPage } from "./admin/UsersPage";
import { Layout } from "./components/Layout";
import { LoginPage } from "./pages/LoginPage";
import { MeetingPage } from "./pages/MeetingPage";
import { PasswordPage } from "./pages/PasswordPage";
import { CaseDetailPage } from "./cases/CaseDetailPage";
import { CaseListPage } from "./cases/CaseListPage";
import { CaseNewPage } from "./cases/CaseNewPage";
import { IntegrityPage } from "./cases/IntegrityPage";
import { MeetingRecordPage, MeetingsPage } from "./meetings/MeetingsPage";
import { StatsPage } from "./cases/StatsPage";
import { BookPage } from "./reception/BookPage";
import { EntryNewPage } from "./reception/EntryNewPage";
import { EntryPage } from "./reception/EntryPage";
import { SchedulesPage } from "./reception/SchedulesPage";
import { SlotsPage } from "./reception/SlotsPage";
import { SessionsPage } from "./liveReception/SessionsPage";
import { useRoute } from "./routing";
import { SessionProvider, useSession } from "./session";

/** The staff app: everything behind sign-in. Citizens' pages are separate entries (main.tsx). */
export function App() {
  return (
    <SessionProvider>
      <Shell />
    </SessionProvider>
  );
}

function Shell() {
  const { t } = useTranslation();
  const [auth] = useSession();
  const route = useRoute();
  const page = route.page;
  if (auth.status === "unknown") {
    return (
      <Layout>
        <p className="hint">{t("nav.loading")}</p>
      </Layout>
    );
  }
  if (auth.status === "signedOut" || !auth.user) {
    return (
      <Layout>
        <LoginPage />
      </Layout>
    );
  }
  const isAdmin = auth.user.roles.includes("admin");
  const handlesCases = auth.user.roles.some((role) => role === "officer" || role === "inspector" || role === "leader");
  const receives = auth.user.roles.some((role) => role === "officer" || role === "leader");
  // The meeting stays mounted on other pages, so a call is not dropped by navigation.
  return (
    <Layout user={auth.user}>
      <div hidden={page !== "meeting"}>
        <MeetingPage />
      </div>
      {page === "password" && <PasswordPage />}
      {handlesCases && page === "cases" && <CaseListPage />}
      {handlesCases && page === "caseNew" && <CaseNewPage />}
      {handlesCases && page === "stats" && <StatsPage />}
      {(handlesCases || isAdmin) && page === "integrity" && <IntegrityPage />}
      {(handlesCases || isAdmin) && page === "meetings" && <MeetingsPage />}
      {(handlesCases || isAdmin) && route.page === "meeting-record" && <MeetingRecordPage id={route.id} />}
      {handlesCases && route.page === "case" && <CaseDetailPage id={route.id} />}
      {(receives || isAdmin) && page === "reception" && <SchedulesPage />}
      {(receives || isAdmin) && page === "receptionSlots" && <SlotsPage />}
      {receives && page === "receptionBook" && <BookPage />}
      {receives && page === "receptionSessions" && <SessionsPage />}
      {receives && page === "receptionEntryNew" && <EntryNewPage />}
      {receives && route.page === "receptionEntry" && <EntryPage id={route.id} />}
      {isAdmin && page === "units" && <UnitsPage />}
      {isAdmin && page === "users" && <UsersPage />}
      {isAdmin && page === "holidays" && <HolidaysPage />}
    </Layout>
  );
}
