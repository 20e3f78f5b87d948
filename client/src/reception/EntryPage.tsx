import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { EntryDto, SignatureOutcome } from "../../../signaling/protocol";
import { downloadIssued } from "../api/download";
import { SignatureNote } from "../components/SignatureNote";
import { ApiError } from "../api/http";
import { useApi } from "../api/useApi";
import { ErrorMessage } from "../components/ErrorMessage";
import { hrefOf } from "../routing";
import { may } from "../access";
import { useSession } from "../session";
import { formatViDateTime } from "../dates";
import { ReceptionTabs } from "./ReceptionTabs";

/** One visit of the book: the citizens, what was said and done, the citizen's confirmation, the leader's conclusion. */
export function EntryPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const [auth, session] = useSession();
  const { data: entry, errorCode, setData } = useApi<EntryDto>(`/reception/book/${id}`);
  const [actionError, setActionError] = useState<string | null>(null);
  const [method, setMethod] = useState("office_screen");
  const [conclusion, setConclusion] = useState("");
  const mayConclude = may.concludeReceptionEntries(auth.user);

  const act = async (path: string, body: unknown) => {
    setActionError(null);
    try {
      setData(await session.request<EntryDto>("POST", `/reception/book/${id}/${path}`, body));
    } catch (error) {
      setActionError(error instanceof ApiError ? error.code : "INTERNAL");
    }
  };
  const conclude = (event: FormEvent) => {
    event.preventDefault();
    void act("conclusion", { conclusion });
  };
  const [signature, setSignature] = useState<SignatureOutcome | null>(null);
  const downloadNotice = async () => {
    const result = await downloadIssued(`/api/reception/book/${id}/conclusion`, session.accessToken, `thong-bao-ket-luan-${id}.pdf`);
    setActionError(result.error);
    setSignature(result.signature);
  };

  return (
    <section className="card admin-page case-detail" data-testid="entry-detail">
      <a className="back-link" href={hrefOf("receptionBook")}>
        ← {t("reception.bookTitle")}
      </a>
      <ReceptionTabs />
      <ErrorMessage code={errorCode} />
      {entry && (
        <>
          <h1>
            {t(`reception.kinds.${entry.kind}`)} — {formatViDateTime(entry.receivedAt)}
          </h1>
          <p className="case-meta">
            {entry.unitName} · {t("reception.fields.officer")}: {entry.receivingOfficerName}
            {entry.leaderName && ` · ${t("reception.fields.leader")}: ${entry.leaderName}`}
          </p>
          {entry.identityProtected && <p className="notice">{t("reception.identityProtected")}</p>}
          {entry.places.length > 0 && (
            <p data-testid="entry-places">
              {t("receptionLive.places")}: {entry.places.map((place) => `${place.name} (${t(`receptionLive.roles.${place.role}`)})`).join("; ")}
            </p>
          )}
          <h2>{t("reception.fields.citizens")}</h2>
          <ul className="parties">
            {entry.citizens.map((citizen) => (
              <li key={citizen.id} data-testid="entry-citizen-name">
                {citizen.fullName}
                {citizen.address && ` — ${citizen.address}`}
                {citizen.cccd && ` · CCCD ${citizen.cccd}`}
                {citizen.phone && ` · ${citizen.phone}`}
              </li>
            ))}
          </ul>
          <p>
            {t("reception.fields.peopleCount")}: {entry.peopleCount}
            {entry.petitionKind && ` · ${t(`caseKinds.${entry.petitionKind}`)}`}
          </p>
          <h2>{t("reception.fields.content")}</h2>
          <p className="case-content">{entry.content}</p>
          {entry.dossier && (
            <>
              <h2>{t("reception.fields.dossier")}</h2>
              <p className="case-content">{entry.dossier}</p>
            </>
          )}
          <h2>{t("reception.fields.handling")}</h2>
          <p>
            {t(`reception.handlings.${entry.handling}`)}
            {entry.handlingNote && `: ${entry.handlingNote}`}
          </p>
          <h2>{t("reception.fields.confirmed")}</h2>
          {entry.citizenConfirmedAt ? (
            <p className="success" data-testid="entry-confirmed">
              {t("reception.confirmedAt", { at: formatViDateTime(entry.citizenConfirmedAt), method: t(`reception.methods.${entry.confirmationMethod ?? "office_screen"}`) })}
            </p>
          ) : (
            <div className="inline-form">
              <p className="form-hint">{t("reception.confirmHint")}</p>
              <label>
                {t("reception.fields.method")}
                <select value={method} onChange={(e) => setMethod(e.target.value)}>
                  <option value="office_screen">{t("reception.methods.office_screen")}</option>
                  <option value="paper_signature">{t("reception.methods.paper_signature")}</option>
                </select>
              </label>
              <button type="button" className="primary" onClick={() => void act("confirm", { method })} data-testid="entry-confirm">
                {t("reception.confirm")}
              </button>
            </div>
          )}
          <h2>{t("reception.conclusionTitle")}</h2>
          {entry.conclusion ? (
            <>
              <p className="case-content" data-testid="entry-conclusion">
                {entry.conclusion}
              </p>
              <button type="button" onClick={() => void downloadNotice()} data-testid="entry-notice-pdf">
                {t("reception.noticePdf")}
              </button>
            </>
          ) : mayConclude ? (
            <form className="inline-form" onSubmit={conclude}>
              <label className="wide-field">
                {t("reception.fields.conclusion")}
                <textarea rows={4} maxLength={8000} value={conclusion} onChange={(e) => setConclusion(e.target.value)} required data-testid="entry-conclusion-input" />
              </label>
              <button type="submit" className="primary" data-testid="entry-conclude">
                {t("reception.conclude")}
              </button>
            </form>
          ) : (
            <p className="muted">{t("reception.noConclusion")}</p>
          )}
          <ErrorMessage code={actionError} />
          <SignatureNote outcome={signature} />
        </>
      )}
    </section>
  );
}
