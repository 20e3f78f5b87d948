import { type FormEvent, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/http";
import { ErrorMessage } from "../components/ErrorMessage";
import { useSession } from "../session";

export function LoginPage() {
  const { t } = useTranslation();
  const [, session] = useSession();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const userId = useId();
  const passwordId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrorCode(null);
    try {
      await session.login(username, password);
    } catch (error) {
      setErrorCode(error instanceof ApiError ? error.code : "INTERNAL");
      setPassword("");
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card narrow-form" onSubmit={(event) => void submit(event)} data-testid="login-form">
      <h1>{t("login.title")}</h1>
      <p className="form-hint">{t("login.subtitle")}</p>
      <label htmlFor={userId}>{t("login.username")}</label>
      <input
        id={userId}
        data-testid="login-username"
        value={username}
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        maxLength={40}
        onChange={(event) => setUsername(event.target.value)}
        required
      />
      <label htmlFor={passwordId}>{t("login.password")}</label>
      <input
        id={passwordId}
        data-testid="login-password"
        type="password"
        value={password}
        autoComplete="current-password"
        maxLength={200}
        onChange={(event) => setPassword(event.target.value)}
        required
      />
      <ErrorMessage code={errorCode} />
      <button type="submit" className="primary" data-testid="login-submit" disabled={busy}>
        {busy ? t("login.submitting") : t("login.submit")}
      </button>
    </form>
  );
}
