import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/http";
import { ErrorMessage } from "../components/ErrorMessage";
import { useSession } from "../session";

export function PasswordPage() {
  const { t } = useTranslation();
  const [, session] = useSession();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrorCode(null);
    setDone(false);
    setMismatch(next !== repeat);
    if (next !== repeat) return;
    try {
      await session.request("POST", "/auth/password", { currentPassword: current, newPassword: next });
      setDone(true);
      setCurrent("");
      setNext("");
      setRepeat("");
    } catch (error) {
      setErrorCode(error instanceof ApiError ? error.code : "INTERNAL");
    }
  };

  return (
    <form className="card narrow-form" onSubmit={(event) => void submit(event)}>
      <h1>{t("password.title")}</h1>
      <label>
        {t("password.current")}
        <input type="password" autoComplete="current-password" value={current} maxLength={200} onChange={(e) => setCurrent(e.target.value)} required />
      </label>
      <label>
        {t("password.next")}
        <input type="password" autoComplete="new-password" value={next} minLength={10} maxLength={200} onChange={(e) => setNext(e.target.value)} required />
      </label>
      <label>
        {t("password.repeat")}
        <input type="password" autoComplete="new-password" value={repeat} maxLength={200} onChange={(e) => setRepeat(e.target.value)} required />
      </label>
      {mismatch && (
        <p className="error" role="alert">
          {t("password.mismatch")}
        </p>
      )}
      <ErrorMessage code={errorCode} />
      {done && (
        <p className="success" role="status">
          {t("password.changed")}
        </p>
      )}
      <button type="submit" className="primary">
        {t("password.submit")}
      </button>
    </form>
  );
}
