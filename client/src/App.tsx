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
import { canOpen } from "./access";
import { HomePage } from "./home/HomePage";
import { NotAllowedPage } from "./pages/NotAllowedPage";
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
  const user = auth.user;
  const allowed = canOpen(user, page);
  // The meeting stays mounted on other pages, so a call is not dropped by navigation; its pre-join screen
  // (and with it the camera and microphone) only exists while the room page is open.
  return (
    <Layout user={user}>
      <div hidden={page !== "meeting"}>
        <MeetingPage open={page === "meeting"} />
      </div>
      {!allowed && <NotAllowedPage />}
      {allowed && page === "home" && <HomePage user={user} />}
      {allowed && page === "password" && <PasswordPage />}
      {allowed && page === "cases" && <CaseListPage />}
      {allowed && page === "caseNew" && <CaseNewPage />}
      {allowed && page === "stats" && <StatsPage />}
      {allowed && page === "integrity" && <IntegrityPage />}
      {allowed && page === "meetings" && <MeetingsPage />}
      {allowed && route.page === "meeting-record" && <MeetingRecordPage id={route.id} />}
      {allowed && route.page === "case" && <CaseDetailPage id={route.id} />}
      {allowed && page === "reception" && <SchedulesPage />}
      {allowed && page === "receptionSlots" && <SlotsPage />}
      {allowed && page === "receptionBook" && <BookPage />}
      {allowed && page === "receptionSessions" && <SessionsPage />}
      {allowed && page === "receptionEntryNew" && <EntryNewPage />}
      {allowed && route.page === "receptionEntry" && <EntryPage id={route.id} />}
      {allowed && page === "units" && <UnitsPage />}
      {allowed && page === "users" && <UsersPage />}
      {allowed && page === "holidays" && <HolidaysPage />}
    </Layout>
  );
}
