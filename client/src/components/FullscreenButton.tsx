import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

/**
 * Shows the meeting on the whole screen (a projector in a commune hall) and back. The browser's own Esc
 * also leaves full screen; the label follows either way.
 */
export function FullscreenButton() {
  const { t } = useTranslation();
  const [full, setFull] = useState(() => document.fullscreenElement !== null);
  useEffect(() => {
    const follow = () => setFull(document.fullscreenElement !== null);
    document.addEventListener("fullscreenchange", follow);
    return () => document.removeEventListener("fullscreenchange", follow);
  }, []);
  if (!document.fullscreenEnabled) return null;
  return (
    <button
      type="button"
      data-testid="fullscreen"
      aria-pressed={full}
      onClick={() => void (full ? document.exitFullscreen() : document.documentElement.requestFullscreen()).catch(() => undefined)}
    >
      {full ? t("controls.exitFullscreen") : t("controls.fullscreen")}
    </button>
  );
}
