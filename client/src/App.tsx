import { useTranslation } from "react-i18next";
import { JoinForm } from "./components/JoinForm";
import { LanguageSwitch } from "./components/LanguageSwitch";
import { RoomView } from "./components/RoomView";
import { useRoomClient } from "./useRoomClient";

export function App() {
  const { t } = useTranslation();
  const [view, client] = useRoomClient();
  const inRoom = view.status === "joined" || view.status === "reconnecting";

  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            CN
          </span>
          <span className="brand-name">{t("app.name")}</span>
          <span className="brand-tagline">{t("app.tagline")}</span>
        </div>
        <LanguageSwitch />
      </header>
      <main className="app-main">
        {inRoom ? (
          <RoomView view={view} client={client} />
        ) : (
          <JoinForm
            busy={view.status === "connecting"}
            errorCode={view.errorCode}
            onJoin={(roomId, displayName) => void client.join(roomId, displayName)}
          />
        )}
      </main>
    </div>
  );
}
