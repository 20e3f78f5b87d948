import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { RoomClient, RoomView as RoomViewState } from "../media/RoomClient";
import { briefingLayout } from "../media/tileOrder";
import { useVideoBudget } from "../media/useVideoBudget";
import { useRoomMeeting } from "../meetings/useRoomMeeting";
import { may } from "../access";
import { useSession } from "../session";
import { ChatPanel } from "./ChatPanel";
import { MinutesPanel } from "../directives/MinutesPanel";
import type { BriefingRoomApi, BriefingRoomState } from "../meetings/BriefingRoomApi";
import { countUnread } from "./chatUnread";
import { useConfirm } from "./ConfirmDialog";
import { Controls } from "./Controls";
import { ErrorMessage } from "./ErrorMessage";
import { AudioTrack, VideoTrack } from "./MediaElements";
import { ParticipantList } from "./ParticipantList";
import { RoomTopBar, type SidePanels } from "./RoomTopBar";
import { Tile, remoteTileProps } from "./Tile";

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

/** Tracks which chat messages this page has shown, and counts those that came while the panel was closed. */
function useUnread(view: RoomViewState, chatOpen: boolean): number {
  const [seen, setSeen] = useState<ReadonlySet<string>>(() => new Set());
  const unseenWhileOpen = chatOpen && view.chat.some((message) => !seen.has(message.id));
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- what the open panel showed becomes read
    if (unseenWhileOpen) setSeen(new Set(view.chat.map((message) => message.id)));
  }, [unseenWhileOpen, view.chat]);
  return chatOpen ? 0 : countUnread(view.chat, seen, view.selfPeerId);
}

/**
 * A briefing as a commune site watches it on a 1366×768 office PC: the chair (or the site holding the
 * floor, or the presentation) first and largest, the other sites in a rail beside it, the site's own
 * camera small in the rail's corner; the title and running time on top; participants and chat as side
 * panels opened on demand. Without anyone to feature (the chair's own page) the sites fill an even grid.
 * `panel`: what a particular kind of room adds beside it (a reception's waiting room); `briefing`: the
 * minutes and the chair's invited units, from their own client over the room's socket.
 */
export function RoomView({
  view,
  client,
  briefing,
  panel,
}: {
  view: RoomViewState;
  client: RoomClient;
  briefing: { state: BriefingRoomState; api: BriefingRoomApi };
  panel?: React.ReactNode;
}) {
  const { t } = useTranslation();
  const { confirm, dialog } = useConfirm();
  const [auth] = useSession();
  const [page, setPage] = useState(0);
  const widthReporter = useWidthReporters(client);
  // Stable, so the memoized chat panel is not redrawn on every change of the room view.
  const sendChat = useCallback((text: string) => void client.sendChat(text), [client]);
  // The server names the chairs; the briefing controls over other sites are a leader's.
  const isChair = view.selfPeerId !== null && view.moderation.chairPeerIds.includes(view.selfPeerId);
  const moderates = isChair && may.moderateBriefings(auth.user);
  // A chair runs the meeting from the participant list: open for them from the start, on demand for sites.
  // (null: not toggled yet, so it follows the chair's role once the server has named the chairs).
  const [participantsChoice, setParticipantsChoice] = useState<boolean | null>(null);
  const [chatOpen, setChatOpen] = useState(false);
  const panels: SidePanels = { participants: participantsChoice ?? moderates, chat: chatOpen };
  const unread = useUnread(view, panels.chat);
  const meeting = useRoomMeeting(view.roomId);
  const byId = useMemo(() => new Map(view.peers.map((peer) => [peer.id, peer])), [view.peers]);
  const screen = view.screenShare;
  const layout = briefingLayout({
    peerIds: view.peers.map((peer) => peer.id),
    spotlightPeerId: view.moderation.spotlightPeerId,
    floorPeerId: view.moderation.floorPeerId,
    chairPeerIds: view.moderation.chairPeerIds,
    recentSpeakers: view.recentSpeakers,
    presenting: screen !== null,
    page,
  });
  const shown = layout.others;
  const visibleKey = layout.visible.join(",");
  // Video of tiles on other pages is paused on the server: 40 sites cost what 8 do. Of the page's tiles, the
  // client receives the cameras last-N lets it (client/src/media/lastN.ts); the others show a placeholder.
  useEffect(() => client.setVisiblePeers(visibleKey ? visibleKey.split(",") : []), [client, visibleKey]);
  const videoBudget = useVideoBudget();
  useEffect(() => client.setVideoBudget(videoBudget.n), [client, videoBudget.n]);

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
  const remoteTile = (peerId: string, featured: boolean) => {
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
          featured,
          chair: view.moderation.chairPeerIds.includes(peer.id),
          speaking: view.activeSpeakerId === peer.id,
        }}
        {...(moderates ? { chairActions: chairActionsFor(peer.id) } : {})}
      />
    );
  };
  const names = new Map(view.peers.map((peer) => [peer.id, peer.displayName]));
  // Raised hands wait in the chair's queue beside the stage, whatever panel is open.
  const handQueue = moderates && view.moderation.hands.length > 0;
  // The minutes: the keeper's panel, or the directives addressed to this site as they are given.
  const { minutes, roster } = briefing.state;
  const minutesShown = minutes !== null && (minutes.keeper || minutes.directives.length > 0);
  const sideOpen = panels.participants || panels.chat || handQueue || minutesShown || Boolean(panel);
  const mode = screen ? "presentation" : layout.featured ? "featured" : "grid";
  const selfView = (
    <div className="self-view" data-testid="self-view">
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
    </div>
  );
  return (
    <section className="room briefing" data-layout={mode}>
      <RoomTopBar
        view={view}
        title={meeting.title || (view.roomId ?? "")}
        panels={panels}
        onToggle={(which) => (which === "chat" ? setChatOpen(!chatOpen) : setParticipantsChoice(!panels.participants))}
        unread={unread}
        handsWaiting={moderates ? view.moderation.hands.length : 0}
      />
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
      <div className={sideOpen ? "room-body with-side" : "room-body"}>
        <div className={`stage stage-${mode}`} data-testid="stage">
          <div className="stage-main">
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
            {layout.featured && remoteTile(layout.featured, true)}
            {!layout.rail && (
              <div className={`grid grid-${Math.min(Math.max(shown.items.length, 1), 9)}`}>{shown.items.map((peerId) => remoteTile(peerId, false))}</div>
            )}
            {view.peers.length === 0 && <p className="hint alone">{t("room.alone")}</p>}
          </div>
          <div className="stage-rail">
            {layout.rail && (
              // Scrolls when the page holds more sites than the rail shows: focusable, so the keyboard scrolls it too.
              <div className="rail-tiles" role="region" aria-label={t("briefing.otherSites")} tabIndex={0}>
                {shown.items.map((peerId) => remoteTile(peerId, false))}
              </div>
            )}
            {selfView}
          </div>
        </div>
        {/* Focusable: a long participant list scrolls, and the keyboard must be able to scroll it. */}
        <aside id="room-side" className="room-side" hidden={!sideOpen} aria-label={t("briefing.sidePanel")} tabIndex={0}>
          {panel}
          {handQueue && (
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
          {panels.participants && <ParticipantList view={view} client={client} moderates={moderates} invitedUnits={meeting.invitedUnits} roster={roster} />}
          <ChatPanel messages={view.chat} selfPeerId={view.selfPeerId} onSend={sendChat} open={panels.chat} />
          {/* Last: the keeper's form is long, and the chair first needs who is here, who is missing and who asks. */}
          <MinutesPanel view={view} minutes={minutes} client={briefing.api} isChair={isChair} />
        </aside>
      </div>
      {/* Audio of sites on other pages still plays: hidden elements keep every voice in the room. */}
      <HiddenAudio peers={view.peers.filter((peer) => peer.id !== layout.featured && !shown.items.includes(peer.id))} />
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
      <Controls view={view} client={client} isChair={isChair} moderates={moderates} videoBudget={videoBudget} />
      {dialog}
    </section>
  );
}

/**
 * While the room is the page on screen, the page is exactly the window's height, so the stage takes what the
 * top bar and the control bar leave and nothing lies under the control bar (1366×768, a 1280×720 projector).
 * Not while the call runs on behind another page: that page scrolls as usual.
 */
export function useRoomPageHeight(active: boolean): void {
  useEffect(() => {
    if (!active) return;
    document.body.classList.add("in-room");
    return () => document.body.classList.remove("in-room");
  }, [active]);
}

function HiddenAudio({ peers }: { peers: RoomViewState["peers"] }) {
  return (
    <div hidden>
      {peers.map((peer) => (peer.audioTrack ? <AudioTrack key={peer.id} track={peer.audioTrack} /> : null))}
    </div>
  );
}
