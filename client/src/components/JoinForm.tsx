import { type FormEvent, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { roomIdSchema } from "../../../signaling/protocol";
import { ErrorMessage } from "./ErrorMessage";

const DEFAULT_ROOM = "giao-ban-demo";

function initialRoom(): string {
  return new URLSearchParams(window.location.search).get("room") ?? DEFAULT_ROOM;
}

interface JoinFormProps {
  busy: boolean;
  errorCode: string | null;
  onJoin: (roomId: string) => void;
}

export function JoinForm({ busy, errorCode, onJoin }: JoinFormProps) {
  const { t } = useTranslation();
  const [roomId, setRoomId] = useState(initialRoom);
  const [invalid, setInvalid] = useState(false);
  const roomFieldId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const room = roomIdSchema.safeParse(roomId);
    setInvalid(!room.success);
    if (room.success) onJoin(room.data);
  };

  return (
    <form className="card narrow-form" onSubmit={submit} noValidate>
      <h1>{t("join.title")}</h1>
      <p className="form-hint">{t("join.joinAs")}</p>
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
      <ErrorMessage code={errorCode} />
      <button type="submit" className="primary" data-testid="join-button" disabled={busy}>
        {busy ? t("join.joining") : t("join.submit")}
      </button>
    </form>
  );
}
