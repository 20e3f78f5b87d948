import { FileField } from "../components/fields/FileField";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { UnitCertificateDto } from "../../../signaling/protocol";
import { ApiError } from "../api/http";
import { useApi } from "../api/useApi";
import { useConfirm } from "../components/ConfirmDialog";
import { ErrorMessage } from "../components/ErrorMessage";
import { useSession } from "../session";
import { useScopeUnits } from "./useScopeUnits";
import { formatViDateTime } from "../dates";

/** The file's bytes as base64, as the upload route takes them (a PKCS#12 is a few kilobytes). */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}


/**
 * A unit's signing certificate (chữ ký số của đơn vị): what it says, whether it can sign today, and the
 * form to upload or replace it (the .p12/.pfx and its password) or remove it. The password goes to the
 * server once, in the upload's body; the server never sends it back.
 */
export function CertificatesPage() {
  const { t } = useTranslation();
  const { confirm, dialog } = useConfirm();
  const [, session] = useSession();
  const { ownId, units } = useScopeUnits();
  const [chosen, setChosen] = useState<string | null>(null);
  const unitId = chosen ?? ownId;
  const current = useApi<{ certificate: UnitCertificateDto | null }>(`/units/${unitId}/certificate`);
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState("");
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const certificate = current.data?.certificate ?? null;

  const run = async (action: () => Promise<unknown>, message: string) => {
    setErrorCode(null);
    setSaved(null);
    try {
      await action();
      await current.reload();
      setSaved(message);
    } catch (error) {
      setErrorCode(error instanceof ApiError ? error.code : "INTERNAL");
    }
  };

  const upload = (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    void run(async () => {
      await session.request("POST", `/units/${unitId}/certificate`, { p12Base64: await base64Of(file), password });
      // The password is not kept in the page once the server has it.
      setPassword("");
      setFile(null);
      (event.target as HTMLFormElement).reset();
    }, t("certificates.saved"));
  };

  const remove = () =>
    void confirm({ title: t("certificates.removeTitle"), text: t("certificates.removeText"), confirmLabel: t("certificates.remove") }).then((confirmed) =>
      confirmed ? run(() => session.request("DELETE", `/units/${unitId}/certificate`), t("certificates.removed")) : undefined,
    );

  return (
    <section className="card admin-page">
      <div className="page-head">
        <h1>{t("certificates.title")}</h1>
        <label className="inline-check">
          {t("certificates.unit")}
          <select value={unitId} data-testid="certificate-unit" onChange={(e) => setChosen(e.target.value)}>
            {units.map((unit) => (
              <option key={unit.id} value={unit.id}>
                {"\u00a0".repeat(unit.depth * 2)}
                {unit.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="form-hint">{t("certificates.hint")}</p>
      <ErrorMessage code={current.errorCode ?? errorCode} />
      {saved && (
        <p className="notice" role="status" data-testid="certificate-saved">
          {saved}
        </p>
      )}
      {current.data && !certificate && (
        <p className="hint" data-testid="certificate-none">
          {t("certificates.none")}
        </p>
      )}
      {certificate && (
        <dl className="receipt" data-testid="certificate-details" data-status={certificate.status}>
          <dt>{t("certificates.status")}</dt>
          <dd data-testid="certificate-status">{t(`certificates.statuses.${certificate.status}`)}</dd>
          <dt>{t("certificates.signer")}</dt>
          <dd data-testid="certificate-signer">{certificate.commonName}</dd>
          <dt>{t("certificates.subject")}</dt>
          <dd style={{ whiteSpace: "pre-line" }}>{certificate.subject}</dd>
          <dt>{t("certificates.issuer")}</dt>
          <dd style={{ whiteSpace: "pre-line" }}>{certificate.issuer}</dd>
          <dt>{t("certificates.validity")}</dt>
          <dd>
            {formatViDateTime(certificate.notBefore)} – {formatViDateTime(certificate.notAfter)}
          </dd>
          <dt>{t("certificates.serial")}</dt>
          <dd>{certificate.serialNumber}</dd>
          <dt>{t("certificates.fingerprint")}</dt>
          <dd style={{ wordBreak: "break-all" }}>{certificate.fingerprint}</dd>
          <dt>{t("certificates.uploadedAt")}</dt>
          <dd>{formatViDateTime(certificate.uploadedAt)}</dd>
        </dl>
      )}
      <form className="inline-form" onSubmit={upload} data-testid="certificate-form">
        <FileField label={t("certificates.file")} accept=".p12,.pfx,application/x-pkcs12" testId="certificate-file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} required />
        <label>
          {t("certificates.password")}
          <input type="password" autoComplete="off" maxLength={256} data-testid="certificate-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <button type="submit" className="primary" disabled={!file} data-testid="certificate-upload">
          {certificate ? t("certificates.replace") : t("certificates.upload")}
        </button>
        {certificate && (
          <button type="button" className="danger-outline" data-testid="certificate-remove" onClick={remove}>
            {t("certificates.remove")}
          </button>
        )}
      </form>
      {dialog}
    </section>
  );
}
