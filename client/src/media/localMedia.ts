import { CAMERA_CAPTURE } from "./layers";

export interface LocalMedia {
  stream: MediaStream | null;
  audioTrack: MediaStreamTrack | null;
  videoTrack: MediaStreamTrack | null;
  /** Why something is missing, for the notice shown after joining. */
  notice: "noDevices" | "audioOnly" | null;
}

/**
 * 540p at 20 fps so simulcast has three layers (135p/270p/540p); receivers take the small ones for grid
 * tiles, and the browser scales the capture down on its own when an old PC's encoder falls behind.
 */
const VIDEO_CONSTRAINTS: MediaTrackConstraints = {
  width: { ideal: CAMERA_CAPTURE.width },
  height: { ideal: CAMERA_CAPTURE.height },
  frameRate: { ideal: CAMERA_CAPTURE.frameRate, max: 30 },
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

/**
 * The screen (or a window) to present; null when the user cancels the browser's picker. Text on
 * slides matters more than motion, so the track says so and the encoder keeps resolution.
 */
export async function acquireScreen(): Promise<MediaStreamTrack | null> {
  if (!navigator.mediaDevices?.getDisplayMedia) return null;
  try {
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 10, max: 15 } }, audio: false });
    const track = stream.getVideoTracks()[0] ?? null;
    if (track) track.contentHint = "detail";
    return track;
  } catch (error) {
    if (error instanceof DOMException && (error.name === "NotAllowedError" || error.name === "AbortError")) return null;
    throw error;
  }
}
