import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useApi } from "../api/useApi";
import type { Lobby } from "../../../signaling/protocol";
import type { RoomView } from "../media/RoomClient";
import type { DeclaredKind, ReceptionRoomApi } from "./ReceptionRoomApi";
import { todayInVietnam } from "../dates";
import { sessionEntryHref } from "../routing";

interface EntrySummary {
  id: string;
  sessionId: string | null;
  content: string;
  citizenConfirmedAt: string | null;
}


/**
 * The receiving staff's side of a reception room: the waiting room (let the booked citizen in), the
 * citizen's answer to the recording notice, filing the case and asking the citizen to confirm the
 * reception book entry on screen. Shown only in reception rooms (the server sends the lobby there).
 */
export function ReceptionPanel({ view, lobby, client }: { view: RoomView; lobby: Lobby; client: ReceptionRoomApi }) {
  const { t } = useTranslation();
  const [summary, setSummary] = useState("");
  const [caseCode, setCaseCode] = useState<string | null>(null);
  const [entryId, setEntryId] = useState("");
  const [sent, setSent] = useState(false);
  const [officeKind, setOfficeKind] = useState<DeclaredKind | "">("");
  const entries = useApi<{ items: EntrySummary[] }>(`/reception/book?unitId=${lobby.unitId}&from=${todayInVietnam()}&to=${todayInVietnam()}`);
  const isChair = view.selfPeerId !== null && view.moderation.chairPeerIds.includes(view.selfPeerId);
  const sessionEntries = (entries.data?.items ?? []).filter((entry) => entry.sessionId === lobby.sessionId && !entry.citizenConfirmedAt);
  const consentText = lobby.consent === null ? t("receptionLive.consentPending") : lobby.consent ? t("receptionLive.consentYes") : t("receptionLive.consentNo");

  return (
    <section className="reception-panel" data-testid="reception-panel" data-consent={String(lobby.consent)}>
      <h3>{t("receptionLive.title")}</h3>
      {lobby.shape === "direct" && (
        <>
          <h4>{t("receptionLive.waiting")}</h4>
          {lobby.waiting.length === 0 && !lobby.admittedBookingId && <p className="hint">{t("receptionLive.noneWaiting")}</p>}
          <ul className="lobby">
            {lobby.waiting.map((guest) => (
              <li key={guest.bookingId} data-testid="lobby-guest">
                {guest.displayName}{" "}
                {isChair && (
                  <button type="button" className="primary" data-testid="admit-guest" onClick={() => void client.admitGuest(guest.bookingId)}>
                    {t("receptionLive.admit")}
                  </button>
                )}
              </li>
            ))}
          </ul>
          {lobby.admittedBookingId && <p data-testid="guest-admitted">{t("receptionLive.admitted")}</p>}
        </>
      )}
      <a className="button-link" data-testid="write-entry" href={sessionEntryHref({ unitId: lobby.unitId, sessionId: lobby.sessionId, bookingId: lobby.admittedBookingId })}>
        {t("receptionLive.writeEntry")}
      </a>
      <p className="consent-state" data-testid="consent-state">
        {consentText}
      </p>
      {lobby.shape === "office" && isChair && (
        <p>
          <label>
            {t("receptionLive.officeKind")}{" "}
            <select data-testid="office-kind" value={officeKind} onChange={(event) => setOfficeKind(event.target.value as DeclaredKind | "")}>
              <option value="">—</option>
              {(["complaint", "denunciation", "recommendation", "feedback"] as const).map((kind) => (
                <option key={kind} value={kind}>
                  {t(`caseKinds.${kind}`)}
                </option>
              ))}
            </select>
          </label>{" "}
          {t("receptionLive.officeConsent")}{" "}
          <button type="button" data-testid="office-consent-yes" onClick={() => void client.recordOfficeConsent(true, officeKind || undefined)}>
            {t("receptionLive.officeAgrees")}
          </button>{" "}
          <button type="button" data-testid="office-consent-no" onClick={() => void client.recordOfficeConsent(false)}>
            {t("receptionLive.officeRefuses")}
          </button>
        </p>
      )}
      {isChair && (
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            void client.issueCase(summary).then((code) => setCaseCode(code));
          }}
        >
          <label>
            {t("receptionLive.caseSummary")}
            <input data-testid="case-summary" value={summary} minLength={5} maxLength={300} onChange={(event) => setSummary(event.target.value)} required />
          </label>
          <button type="submit" data-testid="issue-case" disabled={caseCode !== null}>
            {t("receptionLive.issueCase")}
          </button>
          {caseCode && <p data-testid="issued-case">{t("receptionLive.caseIssued", { code: caseCode })}</p>}
        </form>
      )}
      {isChair && lobby.shape === "direct" && lobby.admittedBookingId && (
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            void client.requestConfirmation(entryId).then(() => setSent(true));
          }}
        >
          <label>
            {t("receptionLive.entryId")}
            <select data-testid="entry-select" value={entryId} onFocus={() => void entries.reload()} onChange={(event) => setEntryId(event.target.value)} required>
              <option value="">—</option>
              {sessionEntries.map((entry) => (
                <option key={entry.id} value={entry.id}>
                  {entry.content.slice(0, 60)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" data-testid="ask-confirm">
            {t("receptionLive.askConfirm")}
          </button>
          {sent && <p>{t("receptionLive.confirmSent")}</p>}
        </form>
      )}
    </section>
  );
}
