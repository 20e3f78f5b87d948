import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { LinkQuality } from "../../../signaling/protocol";
import type { RemotePeerView } from "../media/RoomClient";
import { AudioTrack, VideoTrack } from "./MediaElements";

/** What every remote participant's tile shows, wherever the tile is laid out. */
export function remoteTileProps(peer: RemotePeerView) {
  return {
    testId: "remote-tile" as const,
    peerId: peer.id,
    displayName: peer.displayName,
    videoTrack: peer.videoTrack,
    audioTrack: peer.audioTrack,
    videoOff: peer.videoPaused,
    videoSaved: peer.videoSaved,
    micOff: peer.audioPaused,
    videoLayer: peer.videoLayer,
    link: peer.link,
  };
}

interface TileProps {
  displayName: string;
  /** Shown after the name, e.g. "(Bạn)". */
  suffix?: string;
  videoTrack: MediaStreamTrack | null;
  videoOff: boolean;
  /** The camera is on but not received here (last-N, audio-only): say so, rather than look like a camera that is off. */
  videoSaved?: boolean;
  micOff: boolean;
  /** Remote audio plays from the tile; the local tile never plays its own microphone. */
  audioTrack?: MediaStreamTrack | null;
  mirrored?: boolean;
  testId: "local-tile" | "remote-tile";
  peerId?: string;
  /** The chair's controls on a remote site's tile. */
  chairActions?: { label: string; onClick: () => void; testId: string }[];
  /** Shown on the tile: a raised hand, the floor. */
  status?: { handRaised: boolean; hasFloor: boolean; spotlight: boolean; speaking?: boolean; featured?: boolean; chair?: boolean };
  /** Told the tile's width in device pixels whenever it changes (picks the simulcast layer). */
  onWidth?: (devicePixels: number) => void;
  /** The simulcast layer received, shown to operators checking a weak link. */
  videoLayer?: number | null;
  /** The site's link as the server measures it; a weak or bad one is flagged on the tile. */
  link?: LinkQuality | null;
}

/** Reports an element's width in device pixels, rounded to 40 px so small jitters do not cost requests. */
function useWidth<E extends HTMLElement>(onWidth: ((devicePixels: number) => void) | undefined) {
  const ref = useRef<E>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element || !onWidth || typeof ResizeObserver === "undefined") return;
    let last = -1;
    const observer = new ResizeObserver(([entry]) => {
      const width = Math.round(((entry?.contentRect.width ?? 0) * window.devicePixelRatio) / 40) * 40;
      if (width !== last) onWidth((last = width));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [onWidth]);
  return ref;
}

function initials(name: string): string {
  const words = name.trim().split(/\s+/);
  return (words.length > 1 ? `${words.at(-2)?.[0] ?? ""}${words.at(-1)?.[0] ?? ""}` : name.slice(0, 2)).toUpperCase();
}

export function Tile({ displayName, suffix, videoTrack, videoOff, videoSaved = false, micOff, audioTrack, mirrored, testId, peerId, chairActions, status, onWidth, videoLayer, link }: TileProps) {
  const { t } = useTranslation();
  const ref = useWidth<HTMLElement>(onWidth);
  const showVideo = videoTrack !== null && !videoOff;
  return (
    <figure
      ref={ref}
      className={`tile${status?.featured ? " featured" : ""}${status?.spotlight ? " spotlight" : ""}${status?.hasFloor ? " has-floor" : ""}${status?.speaking ? " speaking" : ""}`}
      data-speaking={status?.speaking ? "true" : "false"}
      data-video-layer={videoLayer ?? undefined}
      data-hand={status?.handRaised ? "true" : "false"}
      data-floor={status?.hasFloor ? "true" : "false"}
      data-spotlight={status?.spotlight ? "true" : "false"}
      data-featured={status?.featured ? "true" : "false"}
      data-chair={status?.chair ? "true" : "false"}
      data-testid={testId}
      data-peer-id={peerId}
      data-display-name={displayName}
      data-video-paused={String(videoOff)}
      data-video-saved={String(videoSaved)}
      data-audio-paused={String(micOff)}
      data-link={link ?? undefined}
    >
      {showVideo ? (
        <VideoTrack track={videoTrack} mirrored={mirrored} />
      ) : videoSaved ? (
        <div className="tile-placeholder saved" data-testid="video-saved" role="img" aria-label={`${displayName}: ${t("room.videoSaved")}`}>
          <span className="avatar">{initials(displayName)}</span>
          <span className="saved-note">{t("room.videoSaved")}</span>
        </div>
      ) : (
        <div className="tile-placeholder" role="img" aria-label={t("room.cameraOff")}>
          <span className="avatar">{initials(displayName)}</span>
        </div>
      )}
      {audioTrack !== undefined && <AudioTrack track={audioTrack} />}
      {chairActions && chairActions.length > 0 && (
        <details className="tile-menu">
          <summary data-testid="tile-menu">{t("controls.actions")}</summary>
          <div className="tile-menu-items">
            {chairActions.map((action) => (
              <button
                key={action.testId}
                type="button"
                data-testid={action.testId}
                onClick={(event) => {
                  // A chosen action closes the menu, as any menu does; left open it covered the tile.
                  event.currentTarget.closest("details")?.removeAttribute("open");
                  action.onClick();
                }}
              >
                {action.label}
              </button>
            ))}
          </div>
        </details>
      )}
      {(status?.handRaised || status?.hasFloor) && (
        <span className="tile-flag">{status.hasFloor ? t("controls.hasFloor") : `✋ ${t("controls.handRaised")}`}</span>
      )}
      <figcaption>
        {micOff && (
          <span className="badge" title={t("room.micOff")} aria-label={t("room.micOff")}>
            <MicOffIcon />
          </span>
        )}
        {status?.chair && <span className="tile-chair">{t("briefing.chair")}</span>}
        {(link === "weak" || link === "bad") && <span className={`tile-link link-${link}`}>{t(`briefing.link.${link}`)}</span>}
        <span className="tile-name">
          {displayName}
          {suffix && <span className="tile-suffix"> {suffix}</span>}
        </span>
      </figcaption>
    </figure>
  );
}

export function MicOffIcon() {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
      <path
        fill="currentColor"
        d="M19 11a1 1 0 1 0-2 0 5 5 0 0 1-.57 2.33l1.46 1.46A6.96 6.96 0 0 0 19 11zm-4-.17V5a3 3 0 0 0-5.94-.6L15 10.83zM3.7 3.3a1 1 0 0 0-1.4 1.4L9 11.42V11a3 3 0 0 0 4.55 2.57l1.07 1.07A5 5 0 0 1 7 11a1 1 0 1 0-2 0 7 7 0 0 0 6 6.92V20H9a1 1 0 1 0 0 2h6a1 1 0 1 0 0-2h-2v-2.08a6.9 6.9 0 0 0 3.1-1.2l4.2 4.2a1 1 0 0 0 1.4-1.42z"
      />
    </svg>
  );
}
