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
  // The spotlighted site comes first, shown large; the others keep their order.
  const orderedPeers = [...view.peers].sort((a, b) => Number(b.id === view.moderation.spotlightPeerId) - Number(a.id === view.moderation.spotlightPeerId));
  const chairActionsFor = (peerId: string) => {
    const muted = view.moderation.mutedPeerIds.includes(peerId);
    const hasFloor = view.moderation.floorPeerId === peerId;
    return [
      muted
        ? { label: t("controls.allowSite"), testId: "allow-site", onClick: () => void client.muteSite(peerId, false) }
        : { label: t("controls.muteSite"), testId: "mute-site", onClick: () => void client.muteSite(peerId, true) },
      { label: t("controls.stopCamera"), testId: "stop-camera", onClick: () => void client.stopCamera(peerId) },
      hasFloor
        ? { label: t("controls.takeFloor"), testId: "take-floor", onClick: () => void client.grantFloor(null) }
        : { label: t("controls.giveFloor"), testId: "give-floor", onClick: () => void client.grantFloor(peerId) },
      { label: t("controls.remove"), testId: "remove-site", onClick: () => void client.removeSite(peerId) },
    ];
  };
  const names = new Map(view.peers.map((peer) => [peer.id, peer.displayName]));
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
        {orderedPeers.map((peer) => (
          <Tile
            key={peer.id}
            testId="remote-tile"
            peerId={peer.id}
            displayName={peer.displayName}
            videoTrack={peer.videoTrack}
            audioTrack={peer.audioTrack}
            videoOff={peer.videoPaused}
            micOff={peer.audioPaused}
            status={{
              handRaised: view.moderation.hands.includes(peer.id),
              hasFloor: view.moderation.floorPeerId === peer.id,
              spotlight: view.moderation.spotlightPeerId === peer.id,
            }}
            {...(isChair ? { chairActions: chairActionsFor(peer.id) } : {})}
          />
        ))}
      </div>
      {view.peers.length === 0 && <p className="hint">{t("room.alone")}</p>}
      {isChair && view.moderation.hands.length > 0 && (
        <section className="queue" data-testid="hand-queue">
          <h3>{t("controls.queue")}</h3>
          <ol>
            {view.moderation.hands.map((peerId) => (
              <li key={peerId}>
                {names.get(peerId) ?? peerId}{" "}
                <button type="button" data-testid="queue-give-floor" onClick={() => void client.grantFloor(peerId)}>
                  {t("controls.giveFloor")}
                </button>
              </li>
            ))}
          </ol>
        </section>
      )}
      <ChatPanel messages={view.chat} selfPeerId={view.selfPeerId} onSend={(text) => void client.sendChat(text)} />
      <Controls view={view} client={client} isChair={isChair} />
    </section>
  );
}
