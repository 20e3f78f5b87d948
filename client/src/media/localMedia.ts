export interface LocalMedia {
  stream: MediaStream | null;
  audioTrack: MediaStreamTrack | null;
  videoTrack: MediaStreamTrack | null;
  /** Why something is missing, for the notice shown after joining. */
  notice: "noDevices" | "audioOnly" | null;
}

/** Modest defaults: many sites are old PCs on weak links; 360p at 20 fps is legible for a meeting room. */
const VIDEO_CONSTRAINTS: MediaTrackConstraints = {
  width: { ideal: 640 },
  height: { ideal: 360 },
  frameRate: { ideal: 20, max: 30 },
};

const AUDIO_CONSTRAINTS: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

/**
 * Camera and microphone, degrading instead of failing: both, else microphone only, else nothing (the
 * site still joins to watch and listen).
 */
export async function acquireLocalMedia(devices: { audioDeviceId?: string; videoDeviceId?: string } = {}): Promise<LocalMedia> {
  if (!navigator.mediaDevices?.getUserMedia) return { stream: null, audioTrack: null, videoTrack: null, notice: "noDevices" };
  const audio = devices.audioDeviceId ? { ...AUDIO_CONSTRAINTS, deviceId: { exact: devices.audioDeviceId } } : AUDIO_CONSTRAINTS;
  const video = devices.videoDeviceId ? { ...VIDEO_CONSTRAINTS, deviceId: { exact: devices.videoDeviceId } } : VIDEO_CONSTRAINTS;
  const attempts: [MediaStreamConstraints, LocalMedia["notice"]][] = [
    [{ audio, video }, null],
    [{ audio, video: false }, "audioOnly"],
  ];
  for (const [constraints, notice] of attempts) {
    try {
      const stream = await navigator.mediaDevices.getUserMedia(constraints);
      return {
        stream,
        audioTrack: stream.getAudioTracks()[0] ?? null,
        videoTrack: stream.getVideoTracks()[0] ?? null,
        notice,
      };
    } catch {
      // Try the next, smaller request.
    }
  }
  return { stream: null, audioTrack: null, videoTrack: null, notice: "noDevices" };
}

export function stopLocalMedia(media: LocalMedia | null): void {
  media?.stream?.getTracks().forEach((track) => track.stop());
}
