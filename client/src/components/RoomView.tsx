import { useTranslation } from "react-i18next";
import type { RoomClient, RoomView as RoomViewState } from "../media/RoomClient";
import { useSession } from "../session";
import { ChatPanel } from "./ChatPanel";
import { Controls } from "./Controls";
import { ErrorMessage } from "./ErrorMessage";
import { Tile } from "./Tile";

export function RoomView({ view, client }: { view: RoomViewState; client: RoomClient }) {
  const { t } = useTranslation();
  const [auth] = useSession();
  const isChair = auth.user?.roles.includes("leader") ?? false;
  const count = view.peers.length + 1;
  return (
    <section className="room">
      <div className="room-bar">
        <p className="room-status" data-testid="room-status" data-status={view.status} aria-live="polite">
          {view.status === "reconnecting" ? t("room.reconnecting") : t("room.joined", { room: view.roomId })}
          <span className="room-count"> · {t("room.participants", { count })}</span>
        </p>
      </div>
      {view.notice && (
        <p className="notice" role="status" data-testid="notice">
          {t(`notices.${view.notice}`)}
        </p>
      )}
      <ErrorMessage code={view.errorCode} />
      <div className={`grid grid-${Math.min(count, 9)}`}>
        <Tile
          testId="local-tile"
          displayName={view.displayName ?? t("room.you")}
          suffix={`(${t("room.you")})`}
          videoTrack={view.localVideoTrack}
          videoOff={!view.cameraOn}
          micOff={!view.micOn}
          mirrored
        />
        {view.peers.map((peer) => (
          <Tile
            key={peer.id}
            testId="remote-tile"
            peerId={peer.id}
            displayName={peer.displayName}
            videoTrack={peer.videoTrack}
            audioTrack={peer.audioTrack}
            videoOff={peer.videoPaused}
            micOff={peer.audioPaused}
            {...(isChair
              ? {
                  chairAction: view.moderation.mutedPeerIds.includes(peer.id)
                    ? { label: t("controls.allowSite"), testId: "allow-site", onClick: () => void client.muteSite(peer.id, false) }
                    : { label: t("controls.muteSite"), testId: "mute-site", onClick: () => void client.muteSite(peer.id, true) },
                }
              : {})}
          />
        ))}
      </div>
      {view.peers.length === 0 && <p className="hint">{t("room.alone")}</p>}
      <ChatPanel messages={view.chat} selfPeerId={view.selfPeerId} onSend={(text) => void client.sendChat(text)} />
      <Controls view={view} client={client} isChair={isChair} />
    </section>
  );
}
