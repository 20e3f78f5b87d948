import { useEffect, useRef } from "react";

/** A live microphone level bar, so a site can see its microphone works before joining. */
export function MicLevel({ track, label }: { track: MediaStreamTrack | null; label: string }) {
  const bar = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!track || typeof AudioContext === "undefined") return;
    const context = new AudioContext();
    // Created after the sign-in click, but a browser may still start it suspended: a suspended context
    // reads silence, so ask for it to run.
    void context.resume().catch(() => undefined);
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let frame = 0;
    // Peak hold: a short syllable (or the test tone's beep) stays visible long enough to be seen.
    let peak = 0;
    let peakAt = 0;
    const draw = () => {
      analyser.getFloatTimeDomainData(samples);
      const rms = Math.sqrt(samples.reduce((sum, value) => sum + value * value, 0) / samples.length);
      if (bar.current) {
        // Decibels read like ears hear: -60 dB (silence) … 0 dB (full scale) across the bar.
        const now = performance.now();
        const instant = Math.max(0, Math.min(1, (20 * Math.log10(Math.max(rms, 1e-6)) + 60) / 60));
        if (instant >= peak || now - peakAt > 400) {
          peak = instant;
          peakAt = now;
        }
        const level = peak;
        bar.current.style.width = `${Math.round(level * 100)}%`;
        bar.current.dataset.level = level.toFixed(2);
        // A meter states its value to assistive technology (set here, not through React, 60 times a second).
        bar.current.parentElement?.setAttribute("aria-valuenow", String(Math.round(level * 100)));
      }
      frame = requestAnimationFrame(draw);
    };
    draw();
    return () => {
      cancelAnimationFrame(frame);
      void context.close();
    };
  }, [track]);
  return (
    <div className="mic-level" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={0}>
      <span ref={bar} className="mic-level-bar" data-testid="mic-level" />
    </div>
  );
}
