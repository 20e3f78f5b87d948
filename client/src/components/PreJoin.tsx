import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { roomIdSchema } from "../../../signaling/protocol";
import { acquireLocalMedia, type LocalMedia, stopLocalMedia } from "../media/localMedia";
import { ErrorMessage } from "./ErrorMessage";
import { VideoTrack } from "./MediaElements";
import { MicLevel } from "./MicLevel";

const DEFAULT_ROOM = "giao-ban-demo";
const initialRoom = () => new URLSearchParams(window.location.search).get("room") ?? DEFAULT_ROOM;

export interface JoinChoice {
  media: LocalMedia;
  micOn: boolean;
  cameraOn: boolean;
}

/**
 * The pre-join screen: preview, choice of camera and microphone, a level meter, and whether to join
 * muted. Without devices (or permission) it says so; the site still joins to watch and listen.
 */
interface PreJoinProps {
  busy: boolean;
  errorCode: string | null;
  onJoin: (roomId: string, choice: JoinChoice) => void;
  /** A room picked from the meetings list. */
  initialRoomId?: string;
}

export function PreJoin({ busy, errorCode, onJoin, initialRoomId }: PreJoinProps) {
  const { t } = useTranslation();
  const [roomId, setRoomId] = useState(() => initialRoomId ?? initialRoom());
  const [invalid, setInvalid] = useState(false);
  const [media, setMedia] = useState<LocalMedia | null>(null);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [choice, setChoice] = useState({ audioDeviceId: "", videoDeviceId: "" });
  const [startMicOff, setStartMicOff] = useState(false);
  const [startCameraOff, setStartCameraOff] = useState(false);
  /** Set once the media went to the room client, which then owns (and stops) it. */
  const handedOver = useRef(false);
  const roomFieldId = useId();

  useEffect(() => {
    let current: LocalMedia | null = null;
    let cancelled = false;
    void acquireLocalMedia({
      ...(choice.audioDeviceId ? { audioDeviceId: choice.audioDeviceId } : {}),
      ...(choice.videoDeviceId ? { videoDeviceId: choice.videoDeviceId } : {}),
    }).then(async (acquired) => {
      if (cancelled) return stopLocalMedia(acquired);
      current = acquired;
      setMedia(acquired);
      // Labels are only readable once permission was granted, hence after acquiring.
      setDevices((await navigator.mediaDevices?.enumerateDevices?.()) ?? []);
    });
    return () => {
      cancelled = true;
      if (!handedOver.current) stopLocalMedia(current);
    };
  }, [choice]);

  // A failed join stopped the handed-over tracks: take the devices again for the next try.
  useEffect(() => {
    if (!errorCode || !handedOver.current) return;
    handedOver.current = false;
    setChoice((current) => ({ ...current }));
  }, [errorCode]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const room = roomIdSchema.safeParse(roomId);
    setInvalid(!room.success);
    if (!room.success || !media) return;
    handedOver.current = true;
    onJoin(room.data, { media, micOn: !startMicOff, cameraOn: !startCameraOff });
  };

  const cameras = devices.filter((device) => device.kind === "videoinput");
  const microphones = devices.filter((device) => device.kind === "audioinput");
  return (
    <form className="card prejoin" onSubmit={submit} noValidate>
      <h1>{t("join.title")}</h1>
      <p className="form-hint">{t("join.joinAs")}</p>
      <div className="prejoin-body">
        <div className="prejoin-preview">
          <figure className="tile">
            {media?.videoTrack && !startCameraOff ? (
              <VideoTrack track={media.videoTrack} mirrored />
            ) : (
              <div className="tile-placeholder" />
            )}
          </figure>
          {media?.audioTrack && <MicLevel track={media.audioTrack} label={t("join.level")} />}
          {media?.notice && (
            <p className="notice" data-testid="device-notice">
              {t(`notices.${media.notice}`)}
            </p>
          )}
        </div>
        <div className="prejoin-fields">
          <label htmlFor={roomFieldId}>{t("join.roomId")}</label>
          <input
            id={roomFieldId}
            data-testid="room-id"
            value={roomId}
            maxLength={63}
            autoCapitalize="none"
            spellCheck={false}
            aria-invalid={invalid}
            onChange={(event) => setRoomId(event.target.value)}
            required
          />
          {invalid && (
            <p className="error" role="alert">
              {t("join.invalidRoomId")}
            </p>
          )}
          {cameras.length > 0 && (
            <label>
              {t("join.camera")}
              <select data-testid="camera-select" value={choice.videoDeviceId} onChange={(e) => setChoice({ ...choice, videoDeviceId: e.target.value })}>
                <option value="">{t("join.defaultDevice")}</option>
                {cameras.map((device) => (
                  <option key={device.deviceId} value={device.deviceId}>
                    {device.label || device.deviceId.slice(0, 8)}
                  </option>
                ))}
              </select>
            </label>
          )}
          {microphones.length > 0 && (
            <label>
              {t("join.microphone")}
              <select data-testid="mic-select" value={choice.audioDeviceId} onChange={(e) => setChoice({ ...choice, audioDeviceId: e.target.value })}>
                <option value="">{t("join.defaultDevice")}</option>
                {microphones.map((device) => (
                  <option key={device.deviceId} value={device.deviceId}>
                    {device.label || device.deviceId.slice(0, 8)}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label className="inline-check">
            <input type="checkbox" data-testid="start-mic-off" checked={startMicOff} onChange={(e) => setStartMicOff(e.target.checked)} />
            {t("join.startMicOff")}
          </label>
          <label className="inline-check">
            <input type="checkbox" data-testid="start-camera-off" checked={startCameraOff} onChange={(e) => setStartCameraOff(e.target.checked)} />
            {t("join.startCameraOff")}
          </label>
          <ErrorMessage code={errorCode} />
          <button type="submit" className="primary" data-testid="join-button" disabled={busy || !media}>
            {busy ? t("join.joining") : t("join.submit")}
          </button>
        </div>
      </div>
    </form>
  );
}
