import { useTranslation } from "react-i18next";
import { UnitsPage } from "./admin/UnitsPage";
import { UsersPage } from "./admin/UsersPage";
import { Layout } from "./components/Layout";
import { LoginPage } from "./pages/LoginPage";
import { MeetingPage } from "./pages/MeetingPage";
import { PasswordPage } from "./pages/PasswordPage";
import { usePage } from "./routing";
import { SessionProvider, useSession } from "./session";

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
  const page = usePage();
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
  // The meeting stays mounted on other pages, so a call is not dropped by navigation.
  return (
    <Layout user={auth.user}>
      <div hidden={page !== "meeting"}>
        <MeetingPage />
      </div>
      {page === "password" && <PasswordPage />}
      {isAdmin && page === "units" && <UnitsPage />}
      {isAdmin && page === "users" && <UsersPage />}
    </Layout>
  );
}
