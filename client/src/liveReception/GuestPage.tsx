import { Suspense, lazy, useCallback, useEffect, useState, useSyncExternalStore } from "react";
import { useTranslation } from "react-i18next";
import { currentLocale } from "../i18n";
import { ErrorMessage } from "../components/ErrorMessage";
import { PublicLayout } from "../pages/PublicLayout";
import { formatViDateTime } from "../dates";
import { GuestLobby } from "./GuestLobby";

/**
 * The room (mediasoup-client, ~47 kB on the wire) is its own chunk: the lobby opens without it on a slow
 * phone, and it is fetched while the citizen waits to be admitted, so entering does not wait for it.
 */
const loadGuestRoom = () => import("./GuestRoom");
const GuestRoom = lazy(() => loadGuestRoom().then((module) => ({ default: module.GuestRoom })));


/**
 * /tiep-dan/vao?b=<booking>#t=<one-time token>: the citizen's page for a video reception, without an
 * account. The token is in the fragment (never sent to a server, so never logged) and leaves the address
 * bar at once (the link is spent; a reload uses the tab's pass).
 */
export function GuestPage() {
  const { t } = useTranslation();
  const [lobby] = useState(() => new GuestLobby(currentLocale));
  const view = useSyncExternalStore(lobby.store.subscribe, lobby.store.getSnapshot);
  useEffect(() => {
    const bookingId = new URLSearchParams(window.location.search).get("b") ?? "";
    const token = new URLSearchParams(window.location.hash.slice(1)).get("t");
    if (token) window.history.replaceState(null, "", `${window.location.pathname}?b=${encodeURIComponent(bookingId)}`);
    void lobby.start(bookingId, token);
    return () => lobby.close();
  }, [lobby]);
  const onLeft = useCallback(() => lobby.left(), [lobby]);
  const waiting = view.phase !== "claiming" && view.phase !== "failed" && view.phase !== "left";
  useEffect(() => {
    if (waiting) void loadGuestRoom();
  }, [waiting]);

  return (
    <PublicLayout>
      <div className="guest-page" data-testid="guest-page" data-phase={view.phase}>
        {view.pass && view.phase !== "room" && (
          <p className="guest-booking">
            {view.pass.unitName} · {t("guest.booking", { code: view.pass.bookingCode })} · {formatViDateTime(view.pass.startsAt)}
          </p>
        )}
        {view.phase === "claiming" && <p className="hint">{t("guest.opening")}</p>}
        {view.phase === "failed" && <ErrorMessage code={view.errorCode} />}
        {view.phase === "notOpen" && (
          <p className="notice" role="status" data-testid="guest-not-open">
            {t("guest.notOpen")}
          </p>
        )}
        {view.phase === "waiting" && (
          <section className="card guest-card" data-testid="guest-waiting">
            <h1>{t("guest.waitingTitle")}</h1>
            <p>{t("guest.waiting", { name: view.pass?.displayName ?? "" })}</p>
          </section>
        )}
        {view.phase === "consent" && (
          <section className="card guest-card" data-testid="guest-consent">
            <h1>{t("guest.noticeTitle")}</h1>
            {view.recordingPlanned ? (
              <>
                <p>{t("guest.recordingNotice")}</p>
                <button type="button" className="primary big" data-testid="consent-accept" onClick={() => void lobby.answer(true)}>
                  {t("guest.accept")}
                </button>
                <button type="button" className="big" data-testid="consent-decline" onClick={() => void lobby.answer(false)}>
                  {t("guest.decline")}
                </button>
              </>
            ) : (
              <>
                <p>{t("guest.notRecorded")}</p>
                <button type="button" className="primary big" data-testid="consent-continue" onClick={() => void lobby.answer(false)}>
                  {t("guest.continue")}
                </button>
              </>
            )}
          </section>
        )}
        {view.phase === "room" && view.roomId && (
          <>
            {view.consent === false && <p className="notice">{t("guest.declined")}</p>}
            <Suspense fallback={<p className="hint">{t("guest.entering")}</p>}>
              <GuestRoom lobby={lobby} roomId={view.roomId} onLeft={onLeft} />
            </Suspense>
          </>
        )}
        {view.phase === "left" && <p className="notice" data-testid="guest-left">{t("guest.left")}</p>}
        {view.caseIssued && (
          <section className="card guest-card receipt" data-testid="guest-case">
            <h2>{t("guest.caseTitle")}</h2>
            <p>
              {t("guest.caseCode")}: <strong data-testid="guest-case-code">{view.caseIssued.code}</strong>
            </p>
            <p>
              {t("guest.lookupCode")}: <strong data-testid="guest-lookup-secret">{view.caseIssued.lookupSecret}</strong>
            </p>
            <p className="form-hint">
              {t("guest.lookupHint")} <a href={`/tra-cuu?ma=${encodeURIComponent(view.caseIssued.code)}`}>/tra-cuu</a>
            </p>
          </section>
        )}
        {view.confirmation && (
          <section className="card guest-card confirm" role="dialog" aria-modal="false" data-testid="guest-confirmation">
            <h2>{t("guest.confirmTitle")}</h2>
            <p className="form-hint">
              {formatViDateTime(view.confirmation.receivedAt)} · {t("guest.officer")}: {view.confirmation.officer}
            </p>
            <blockquote>{view.confirmation.content}</blockquote>
            <button type="button" className="primary big" data-testid="confirm-entry" onClick={() => void lobby.confirm(view.confirmation!.entryId)}>
              {t("guest.confirm")}
            </button>
          </section>
        )}
        {view.confirmedEntryIds.length > 0 && <p className="notice" data-testid="guest-confirmed">{t("guest.confirmed")}</p>}
      </div>
    </PublicLayout>
  );
}
