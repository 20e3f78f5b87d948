import { FileField } from "../components/fields/FileField";
import { type ChangeEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { downloadWithToken } from "../api/download";
import { useApi } from "../api/useApi";
import { ErrorMessage } from "../components/ErrorMessage";
import { useSession } from "../session";

interface Attachment {
  id: string;
  originalName: string;
  mimeType: string;
  size: number;
}

const kilobytes = (size: number) => `${Math.max(1, Math.round(size / 1024))} KB`;

/** A case's files: list, upload (the server checks the content), download with the session's token. */
export function Attachments({ caseId, canUpload }: { caseId: string; canUpload: boolean }) {
  const { t } = useTranslation();
  const [, session] = useSession();
  const files = useApi<{ items: Attachment[] }>(`/cases/${caseId}/attachments`);
  const items = files.data?.items ?? [];
  const reload = files.reload;
  const [busy, setBusy] = useState(false);
  const [errorCode, setErrorCode] = useState<string | null>(null);

  const upload = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    setBusy(true);
    setErrorCode(null);
    try {
      const response = await fetch(`/api/cases/${caseId}/attachments?name=${encodeURIComponent(file.name)}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${session.accessToken ?? ""}`, "Content-Type": "application/octet-stream" },
        body: file,
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { error?: { code?: string } };
        setErrorCode(body.error?.code ?? "INTERNAL");
      }
      await reload();
    } finally {
      setBusy(false);
    }
  };

  const download = async (item: Attachment) => {
    if (!(await downloadWithToken(`/api/cases/${caseId}/attachments/${item.id}`, session.accessToken, item.originalName))) setErrorCode("FORBIDDEN");
  };

  return (
    <div className="attachments" data-testid="attachments">
      <h3>{t("cases.attachments")}</h3>
      {items.length === 0 ? (
        <p className="hint">{t("cases.noFiles")}</p>
      ) : (
        <ul>
          {items.map((item) => (
            <li key={item.id} data-testid="attachment">
              <button type="button" className="link-button" onClick={() => void download(item)}>
                {item.originalName}
              </button>{" "}
              <span className="muted">({kilobytes(item.size)})</span>
            </li>
          ))}
        </ul>
      )}
      {canUpload && (
        <FileField
          label={t("cases.addFile")}
          testId="attachment-input"
          accept=".pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx"
          onChange={(event) => void upload(event)}
          disabled={busy}
          {...(busy ? { busyLabel: t("cases.uploading") } : {})}
        />
      )}
      <ErrorMessage code={files.errorCode ?? errorCode} />
    </div>
  );
}
