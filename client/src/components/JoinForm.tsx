import { type FormEvent, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { displayNameSchema, roomIdSchema } from "../../../signaling/protocol";
import { ErrorMessage } from "./ErrorMessage";

const NAME_KEY = "cau-noi.displayName";
const DEFAULT_ROOM = "giao-ban-demo";

function initialRoom(): string {
  return new URLSearchParams(window.location.search).get("room") ?? DEFAULT_ROOM;
}

function rememberedName(): string {
  try {
    return localStorage.getItem(NAME_KEY) ?? "";
  } catch {
    return "";
  }
}

interface JoinFormProps {
  busy: boolean;
  errorCode: string | null;
  onJoin: (roomId: string, displayName: string) => void;
}

export function JoinForm({ busy, errorCode, onJoin }: JoinFormProps) {
  const { t } = useTranslation();
  const [displayName, setDisplayName] = useState(rememberedName);
  const [roomId, setRoomId] = useState(initialRoom);
  const [problem, setProblem] = useState<"invalidDisplayName" | "invalidRoomId" | null>(null);
  const nameId = useId();
  const roomFieldId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const name = displayNameSchema.safeParse(displayName);
    const room = roomIdSchema.safeParse(roomId);
    if (!name.success) return setProblem("invalidDisplayName");
    if (!room.success) return setProblem("invalidRoomId");
    setProblem(null);
    try {
      localStorage.setItem(NAME_KEY, name.data);
    } catch {
      // Not remembering the name is harmless.
    }
    onJoin(room.data, name.data);
  };

  return (
    <form className="card join-form" onSubmit={submit} noValidate>
      <h1>{t("join.title")}</h1>
      <label htmlFor={nameId}>{t("join.displayName")}</label>
      <input
        id={nameId}
        data-testid="display-name"
        value={displayName}
        maxLength={64}
        autoComplete="name"
        placeholder={t("join.displayNamePlaceholder")}
        aria-invalid={problem === "invalidDisplayName"}
        onChange={(event) => setDisplayName(event.target.value)}
        required
      />
      <label htmlFor={roomFieldId}>{t("join.roomId")}</label>
      <input
        id={roomFieldId}
        data-testid="room-id"
        value={roomId}
        maxLength={63}
        autoCapitalize="none"
        spellCheck={false}
        aria-invalid={problem === "invalidRoomId"}
        onChange={(event) => setRoomId(event.target.value)}
        required
      />
      {problem && (
        <p className="error" role="alert">
          {t(`join.${problem}`)}
        </p>
      )}
      <ErrorMessage code={errorCode} />
      <button type="submit" className="primary" data-testid="join-button" disabled={busy}>
        {busy ? t("join.joining") : t("join.submit")}
      </button>
    </form>
  );
}
