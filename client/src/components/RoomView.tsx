import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { RoomClient, RoomView as RoomViewState } from "../media/RoomClient";
import { orderTiles, pageOf } from "../media/tileOrder";
import { useSession } from "../session";
import { ChatPanel } from "./ChatPanel";
import { MinutesPanel } from "../directives/MinutesPanel";
import { useConfirm } from "./ConfirmDialog";
import { Controls } from "./Controls";
import { ErrorMessage } from "./ErrorMessage";
import { AudioTrack, VideoTrack } from "./MediaElements";
import { Tile, remoteTileProps } from "./Tile";

/**
 * Remote tiles per page: two rows of four with this site's own tile fit a 1366×768 screen and an old
 * PC's decoder. A featured tile (spotlight, or the chair) takes four cells, leaving room for three more.
 */
const PAGE_SIZE = 7;
const PAGE_SIZE_WITH_FEATURED = 4;

/** One stable width callback per peer, so tiles do not re-subscribe their observers on every render. */
function useWidthReporters(client: RoomClient) {
  const reporters = useRef(new Map<string, (width: number) => void>());
  return (peerId: string) => {
    let reporter = reporters.current.get(peerId);
    if (!reporter) {
      reporter = (width: number) => client.setTileWidth(peerId, width);
      reporters.current.set(peerId, reporter);
    }
    return reporter;
  };
}

/** `panel`: what a particular kind of room adds beside the grid (a reception's waiting room). */
export function RoomView({ view, client, panel }: { view: RoomViewState; client: RoomClient; panel?: React.ReactNode }) {
  const { t } = useTranslation();
  const { confirm, dialog } = useConfirm();
  const [auth] = useSession();
  const [page, setPage] = useState(0);
  const widthReporter = useWidthReporters(client);
  // The server names the chairs; the briefing controls over other sites are a leader's.
  const isChair = view.selfPeerId !== null && view.moderation.chairPeerIds.includes(view.selfPeerId);
  const moderates = isChair && (auth.user?.roles.includes("leader") ?? false);
  const count = view.peers.length + 1;
  const byId = useMemo(() => new Map(view.peers.map((peer) => [peer.id, peer])), [view.peers]);
  const ordered = orderTiles({
    peerIds: view.peers.map((peer) => peer.id),
    spotlightPeerId: view.moderation.spotlightPeerId,
    chairPeerIds: view.moderation.chairPeerIds,
    recentSpeakers: view.recentSpeakers,
  });
  // The spotlight, else the chair, is shown large: sites follow the province's video first.
  const featuredPeerId = screenFree(view) ? (view.moderation.spotlightPeerId ?? ordered.find((id) => view.moderation.chairPeerIds.includes(id)) ?? null) : null;
  const shown = pageOf(ordered, featuredPeerId && ordered[0] === featuredPeerId ? PAGE_SIZE_WITH_FEATURED : PAGE_SIZE, page);
  const visibleKey = shown.items.join(",");
  // Video of tiles on other pages is paused on the server: 40 sites cost what 8 do.
  useEffect(() => client.setVisiblePeers(visibleKey ? visibleKey.split(",") : []), [client, visibleKey]);

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
      {
        label: t("controls.remove"),
        testId: "remove-site",
        onClick: () =>
          void confirm({ title: t("daily.removeSiteTitle"), text: t("daily.removeSiteText", { name: byId.get(peerId)?.displayName ?? "" }), confirmLabel: t("controls.remove") }).then(
            (confirmed) => (confirmed ? client.removeSite(peerId) : undefined),
          ),
      },
    ];
  };
  const names = new Map(view.peers.map((peer) => [peer.id, peer.displayName]));
  const screen = view.screenShare;
  return (
    <section className="room">
      <div className="room-bar">
        <p className="room-status" data-testid="room-status" data-status={view.status} aria-live="polite">
          {view.status === "reconnecting" ? t("room.reconnecting") : t("room.joined", { room: view.roomId })}
          <span className="room-count"> · {t("room.participants", { count })}</span>
        </p>
        {view.moderation.recording && (
          <p className="recording-badge" role="status" data-testid="recording-badge">
            <span className="rec-dot" aria-hidden="true" /> {t("room.recording")}
          </p>
        )}
        {!view.moderation.recording && view.recordingJob && view.recordingJob.status !== "recording" && (
          <p className="recording-job" role="status" data-testid="recording-job" data-status={view.recordingJob.status}>
            {t(`recordings.status.${view.recordingJob.status}`)}
            {view.recordingJob.status === "composing" && ` ${Math.round(view.recordingJob.fraction * 100)} %`}
          </p>
        )}
      </div>
      {view.notice && (
        <p className="notice" role="status" data-testid="notice">
          {t(`notices.${view.notice}`)}
        </p>
      )}
      {view.audioOnly && (
        <p className="notice" role="status" data-testid="audio-only-notice">
          {t("room.audioOnlyOn")}
        </p>
      )}
      <ErrorMessage code={view.errorCode} />
      <div className={screen ? "stage with-presentation" : "stage"}>
        {screen && (
          <figure className="presentation" data-testid="presentation" data-peer-id={screen.peerId}>
            {screen.track ? (
              <VideoTrack track={screen.track} />
            ) : (
              <div className="tile-placeholder">
                <span>{screen.peerId === view.selfPeerId ? t("room.youArePresenting") : t("room.presentationPaused")}</span>
              </div>
            )}
            <figcaption>{t("room.presenting", { name: screen.peerId === view.selfPeerId ? t("room.you") : screen.displayName })}</figcaption>
          </figure>
        )}
        <div className={`grid grid-${Math.min(shown.items.length + 1, 9)}`}>
          <Tile
            testId="local-tile"
            displayName={view.displayName ?? t("room.you")}
            suffix={`(${t("room.you")})`}
            videoTrack={view.localVideoTrack}
            videoOff={!view.cameraOn}
            micOff={!view.micOn}
            status={{ handRaised: false, hasFloor: false, spotlight: false, speaking: view.activeSpeakerId === view.selfPeerId }}
            mirrored
          />
          {shown.items.map((peerId) => {
            const peer = byId.get(peerId);
            if (!peer) return null;
            return (
              <Tile
                key={peer.id}
                {...remoteTileProps(peer)}
                onWidth={widthReporter(peer.id)}
                status={{
                  handRaised: view.moderation.hands.includes(peer.id),
                  hasFloor: view.moderation.floorPeerId === peer.id,
                  spotlight: view.moderation.spotlightPeerId === peer.id && !screen,
                  featured: featuredPeerId === peer.id && shown.page === 0,
                  speaking: view.activeSpeakerId === peer.id,
                }}
                {...(moderates ? { chairActions: chairActionsFor(peer.id) } : {})}
              />
            );
          })}
        </div>
      </div>
      {/* Audio of sites on other pages still plays: hidden elements keep every voice in the room. */}
      <HiddenAudio peers={view.peers.filter((peer) => !shown.items.includes(peer.id))} />
      {shown.pageCount > 1 && (
        <nav className="pager grid-pager" aria-label={t("room.pages")}>
          <button type="button" data-testid="grid-prev" disabled={shown.page === 0} onClick={() => setPage(shown.page - 1)}>
            ‹ {t("room.prevPage")}
          </button>
          <span data-testid="grid-page">{t("room.pageOf", { page: shown.page + 1, count: shown.pageCount })}</span>
          <button type="button" data-testid="grid-next" disabled={shown.page >= shown.pageCount - 1} onClick={() => setPage(shown.page + 1)}>
            {t("room.nextPage")} ›
          </button>
        </nav>
      )}
      {view.peers.length === 0 && <p className="hint">{t("room.alone")}</p>}
      {panel}
      <MinutesPanel view={view} client={client} isChair={isChair} />
      {moderates && view.moderation.hands.length > 0 && (
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
      <Controls view={view} client={client} isChair={isChair} moderates={moderates} />
      {dialog}
    </section>
  );
}

function HiddenAudio({ peers }: { peers: RoomViewState["peers"] }) {
  return (
    <div hidden>
      {peers.map((peer) => (peer.audioTrack ? <AudioTrack key={peer.id} track={peer.audioTrack} /> : null))}
    </div>
  );
}

/** No one presents a screen: the grid may give a tile the large place. */
function screenFree(view: RoomViewState): boolean {
  return view.screenShare === null;
}
