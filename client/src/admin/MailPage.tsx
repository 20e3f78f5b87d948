import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { MailMessageDto, MailSecurity, MailSettingsDto, TestMailResult } from "../../../signaling/protocol";
import { mailSecurities } from "../../../signaling/protocol";
import { ApiError } from "../api/http";
import { useApi } from "../api/useApi";
import { ErrorMessage } from "../components/ErrorMessage";
import { type Column, DataTable } from "../components/list/DataTable";
import { formatViDateTime } from "../dates";
import { useSession } from "../session";

type MailStatus = MailMessageDto["status"];
const statuses: MailStatus[] = ["queued", "sent", "failed"];

interface Form {
  enabled: boolean;
  host: string;
  port: number;
  security: MailSecurity;
  username: string;
  password: string;
  clearPassword: boolean;
  fromAddress: string;
  fromName: string;
  caCertPem: string;
}

const formOf = (settings: MailSettingsDto): Form => ({
  enabled: settings.enabled,
  host: settings.host,
  port: settings.port,
  security: settings.security,
  username: settings.username ?? "",
  password: "",
  clearPassword: false,
  fromAddress: settings.fromAddress,
  fromName: settings.fromName ?? "",
  caCertPem: settings.caCertPem ?? "",
});

/** The province's SMTP settings (the password is write-only), a test message with the server's answer, and the queue. */
export function MailPage() {
  const { t } = useTranslation();
  const [, session] = useSession();
  const settings = useApi<MailSettingsDto>("/mail/settings");
  const [statusFilter, setStatusFilter] = useState<MailStatus | "">("");
  const queue = useApi<{ items: MailMessageDto[]; counts: Record<MailStatus, number> }>(`/mail/messages${statusFilter ? `?status=${statusFilter}` : ""}`);
  const [form, setForm] = useState<Form | null>(null);
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [testTo, setTestTo] = useState("");
  const [testResult, setTestResult] = useState<TestMailResult | null>(null);

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the form starts from the settings once they arrive
    if (settings.data && form === null) setForm(formOf(settings.data));
  }, [settings.data, form]);

  const run = async (action: () => Promise<unknown>) => {
    setErrorCode(null);
    setNotice(null);
    try {
      await action();
    } catch (error) {
      setErrorCode(error instanceof ApiError ? error.code : "INTERNAL");
    }
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (!form) return;
    void run(async () => {
      const none = form.security === "none";
      const saved = await session.request<MailSettingsDto>("POST", "/mail/settings", {
        enabled: form.enabled,
        host: form.host.trim(),
        port: form.port,
        security: form.security,
        username: none || form.username.trim() === "" ? null : form.username.trim(),
        ...(form.password !== "" && !none ? { password: form.password } : {}),
        ...(form.clearPassword ? { clearPassword: true } : {}),
        fromAddress: form.fromAddress.trim(),
        fromName: form.fromName.trim() === "" ? null : form.fromName.trim(),
        caCertPem: form.caCertPem.trim() === "" ? null : form.caCertPem.trim(),
      });
      settings.setData(saved);
      setForm(formOf(saved));
      setNotice(t("mail.saved"));
    });
  };

  const sendTest = (event: FormEvent) => {
    event.preventDefault();
    setTestResult(null);
    void run(async () => setTestResult(await session.request<TestMailResult>("POST", "/mail/test", { to: testTo.trim() })));
  };

  const retry = (id: string) =>
    void run(async () => {
      await session.request("POST", `/mail/messages/${id}/retry`);
      await queue.reload();
    });

  const queueColumns: Column<MailMessageDto>[] = [
    { id: "createdAt", header: t("mail.createdAt"), cell: (item) => formatViDateTime(item.createdAt) },
    { id: "to", header: t("mail.to"), cell: (item) => item.toAddress },
    { id: "subject", header: t("mail.subject"), cell: (item) => item.subject },
    { id: "status", header: t("mail.statusFilter"), cell: (item) => t(`mail.statuses.${item.status}`) },
    { id: "attempts", header: t("mail.attempts"), cell: (item) => item.attempts },
    { id: "answer", header: t("mail.answer"), cell: (item) => (item.status === "sent" ? item.serverResponse : item.lastError) },
    {
      id: "actions",
      header: t("list.actions"),
      actions: true,
      cell: (item) =>
        item.status === "failed" && (
          <button type="button" data-testid="mail-retry" onClick={() => retry(item.id)}>
            {t("mail.retry")}
          </button>
        ),
    },
  ];
  return (
    <section className="card admin-page">
      <div className="page-head">
        <h1>{t("mail.title")}</h1>
      </div>
      <p className="form-hint">{t("mail.hint")}</p>
      <ErrorMessage code={settings.errorCode ?? errorCode} />
      {notice && (
        <p className="hint" role="status" data-testid="mail-notice">
          {notice}
        </p>
      )}
      {form && (
        <form className="inline-form" onSubmit={save} data-testid="mail-settings">
          <label className="inline-check">
            <input type="checkbox" data-testid="mail-enabled" checked={form.enabled} onChange={(e) => setForm({ ...form, enabled: e.target.checked })} />
            {t("mail.enabled")}
          </label>
          <label>
            {t("mail.host")}
            <input data-testid="mail-host" value={form.host} maxLength={253} autoCapitalize="none" onChange={(e) => setForm({ ...form, host: e.target.value })} />
          </label>
          <label>
            {t("mail.port")}
            <input data-testid="mail-port" type="number" min={1} max={65535} value={form.port} onChange={(e) => setForm({ ...form, port: Number(e.target.value) })} style={{ width: "6rem" }} />
          </label>
          <label>
            {t("mail.security")}
            <select data-testid="mail-security" value={form.security} onChange={(e) => setForm({ ...form, security: e.target.value as MailSecurity })}>
              {mailSecurities.map((security) => (
                <option key={security} value={security}>
                  {t(`mail.securities.${security}`)}
                </option>
              ))}
            </select>
          </label>
          {form.security !== "none" && (
            <>
              <label>
                {t("mail.username")}
                <input data-testid="mail-username" value={form.username} maxLength={254} autoCapitalize="none" autoComplete="off" onChange={(e) => setForm({ ...form, username: e.target.value })} />
              </label>
              <label>
                {t("mail.password")}
                <input data-testid="mail-password" type="password" autoComplete="new-password" value={form.password} maxLength={256} onChange={(e) => setForm({ ...form, password: e.target.value })} />
                <small>{settings.data?.passwordSet ? t("mail.passwordSet") : t("mail.passwordNotSet")}</small>
              </label>
              {settings.data?.passwordSet && (
                <label className="inline-check">
                  <input type="checkbox" checked={form.clearPassword} onChange={(e) => setForm({ ...form, clearPassword: e.target.checked })} />
                  {t("mail.clearPassword")}
                </label>
              )}
            </>
          )}
          <label>
            {t("mail.fromAddress")}
            <input data-testid="mail-from" type="email" value={form.fromAddress} maxLength={254} autoCapitalize="none" onChange={(e) => setForm({ ...form, fromAddress: e.target.value })} />
          </label>
          <label>
            {t("mail.fromName")}
            <input data-testid="mail-from-name" value={form.fromName} maxLength={120} onChange={(e) => setForm({ ...form, fromName: e.target.value })} />
          </label>
          <label>
            {t("mail.caCertPem")}
            <textarea value={form.caCertPem} rows={3} maxLength={20_000} onChange={(e) => setForm({ ...form, caCertPem: e.target.value })} />
          </label>
          <span className="form-actions">
            <button type="submit" className="primary" data-testid="mail-save">
              {t("mail.save")}
            </button>
          </span>
        </form>
      )}
      <form className="inline-form" onSubmit={sendTest}>
        <label>
          {t("mail.testTo")}
          <input data-testid="mail-test-to" type="email" value={testTo} maxLength={254} autoCapitalize="none" onChange={(e) => setTestTo(e.target.value)} required />
        </label>
        <button type="submit" data-testid="mail-test">
          {t("mail.test")}
        </button>
      </form>
      {testResult && (
        <p className={testResult.ok ? "hint" : "error"} role="status" data-testid="mail-test-result">
          {testResult.ok ? t("mail.testOk", { response: testResult.response }) : t("mail.testFailed", { error: testResult.error })}
        </p>
      )}
      <div className="page-head">
        <h2>{t("mail.queue")}</h2>
        <label className="inline-check">
          {t("mail.statusFilter")}
          <select value={statusFilter} onChange={(e) => setStatusFilter(e.target.value as MailStatus | "")}>
            <option value="">{t("mail.all")}</option>
            {statuses.map((status) => (
              <option key={status} value={status}>
                {t(`mail.statuses.${status}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {queue.data && <p className="hint">{t("mail.counts", { queued: queue.data.counts.queued, sent: queue.data.counts.sent, failed: queue.data.counts.failed })}</p>}
      <DataTable
        columns={queueColumns}
        rows={queue.data?.items ?? null}
        rowKey={(item) => item.id}
        rowAttributes={() => ({ "data-testid": "mail-row" })}
        empty={t("mail.empty")}
        errorCode={queue.errorCode}
      />
    </section>
  );
}
