import { useEffect, useRef } from "react";

/** Attaches one track to a media element and detaches it when the track changes or the element goes. */
function useTrack<E extends HTMLMediaElement>(track: MediaStreamTrack | null) {
  const ref = useRef<E>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    element.srcObject = track ? new MediaStream([track]) : null;
    // play() rejects when autoplay is refused; the join click normally grants it, and muted video always plays.
    if (track) element.play().catch(() => undefined);
    return () => {
      element.srcObject = null;
    };
  }, [track]);
  return ref;
}

export function VideoTrack({ track, mirrored }: { track: MediaStreamTrack | null; mirrored?: boolean }) {
  const ref = useTrack<HTMLVideoElement>(track);
  return <video ref={ref} className={mirrored ? "mirrored" : undefined} autoPlay playsInline muted />;
}

export function AudioTrack({ track }: { track: MediaStreamTrack | null }) {
  const ref = useTrack<HTMLAudioElement>(track);
  return <audio ref={ref} autoPlay />;
}
