import { type ComponentType, Suspense, lazy } from "react";
import { useTranslation } from "react-i18next";
import { Layout } from "./components/Layout";
import { LoginPage } from "./pages/LoginPage";
import { MeetingPage } from "./pages/MeetingPage";
import { canOpen } from "./access";
import { HomePage } from "./home/HomePage";
import { NotAllowedPage } from "./pages/NotAllowedPage";
import { useRoute } from "./routing";
import { SessionProvider, useSession } from "./session";

/**
 * Each page is its own chunk, fetched when first opened: the sign-in page does not wait for Chart.js, the
 * administration or the reception book. The meeting (mediasoup-client) stays in the shell: it is mounted
 * on every page so a call survives navigation.
 */
function page<P extends object>(load: () => Promise<ComponentType<P>>) {
  return lazy(async () => ({ default: await load() }));
}
const CertificatesPage = page(() => import("./admin/CertificatesPage").then((module) => module.CertificatesPage));
const MailPage = page(() => import("./admin/MailPage").then((module) => module.MailPage));
const HolidaysPage = page(() => import("./admin/HolidaysPage").then((module) => module.HolidaysPage));
const UnitsPage = page(() => import("./admin/UnitsPage").then((module) => module.UnitsPage));
const UsersPage = page(() => import("./admin/UsersPage").then((module) => module.UsersPage));
const PasswordPage = page(() => import("./pages/PasswordPage").then((module) => module.PasswordPage));
const CaseDetailPage = page(() => import("./cases/CaseDetailPage").then((module) => module.CaseDetailPage));
const CaseListPage = page(() => import("./cases/CaseListPage").then((module) => module.CaseListPage));
const CaseNewPage = page(() => import("./cases/CaseNewPage").then((module) => module.CaseNewPage));
const IntegrityPage = page(() => import("./cases/IntegrityPage").then((module) => module.IntegrityPage));
const StatsPage = page(() => import("./cases/StatsPage").then((module) => module.StatsPage));
const BookPage = page(() => import("./reception/BookPage").then((module) => module.BookPage));
const EntryNewPage = page(() => import("./reception/EntryNewPage").then((module) => module.EntryNewPage));
const EntryPage = page(() => import("./reception/EntryPage").then((module) => module.EntryPage));
const SchedulesPage = page(() => import("./reception/SchedulesPage").then((module) => module.SchedulesPage));
const SlotsPage = page(() => import("./reception/SlotsPage").then((module) => module.SlotsPage));
const SessionsPage = page(() => import("./liveReception/SessionsPage").then((module) => module.SessionsPage));
const MeetingsPage = page(() => import("./meetings/MeetingsPage").then((module) => module.MeetingsPage));
const TasksPage = page(() => import("./directives/TasksPage").then((module) => module.TasksPage));
const MatrixPage = page(() => import("./directives/MatrixPage").then((module) => module.MatrixPage));
const MeetingRecordPage = page(() => import("./meetings/MeetingsPage").then((module) => module.MeetingRecordPage));

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
      <div className="meeting-page" hidden={page !== "meeting"}>
        <MeetingPage open={page === "meeting"} />
      </div>
      <Suspense fallback={<p className="hint">{t("nav.loading")}</p>}>
        {!allowed && <NotAllowedPage />}
        {allowed && page === "home" && <HomePage user={user} />}
        {allowed && page === "password" && <PasswordPage />}
        {allowed && page === "cases" && <CaseListPage />}
        {allowed && page === "caseNew" && <CaseNewPage />}
        {allowed && page === "stats" && <StatsPage />}
        {allowed && page === "integrity" && <IntegrityPage />}
        {allowed && page === "meetings" && <MeetingsPage />}
        {allowed && route.page === "meeting-record" && <MeetingRecordPage id={route.id} />}
        {allowed && page === "tasks" && <TasksPage />}
        {allowed && page === "directiveMatrix" && <MatrixPage />}
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
        {allowed && page === "certificates" && <CertificatesPage />}
        {allowed && page === "mail" && <MailPage />}
      </Suspense>
    </Layout>
  );
}
