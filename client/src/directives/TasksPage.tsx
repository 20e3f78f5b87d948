import { FileField } from "../components/fields/FileField";
import { type ChangeEvent, type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { DirectiveTaskDetail, DirectiveTaskDto } from "../../../signaling/protocol";
import { downloadWithToken } from "../api/download";
import { ApiError } from "../api/http";
import { useApi } from "../api/useApi";
import { ErrorMessage } from "../components/ErrorMessage";
import { formatViDate, formatViDateTime } from "../dates";
import { hrefOf, meetingHref } from "../routing";
import { useSession } from "../session";

const FILTERS = ["open", "done", "all"] as const;

/** "Nhiệm vụ được giao": the directives addressed to the user's unit, nearest due date first, with their reports. */
export function TasksPage() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<(typeof FILTERS)[number]>("open");
  const { data, errorCode, setData } = useApi<{ items: DirectiveTaskDto[] }>(`/directive-tasks?status=${filter}`);
  // A report updates its row in place: reloading the "open" list would drop a task just reported done,
  // and with it the report the officer has just written (the e2e caught it on a loaded machine).
  const updated = async (task: DirectiveTaskDetail) => {
    setData((current) => current && { items: current.items.map((item) => (item.id === task.id ? { ...item, status: task.status, standing: task.standing, reminder: task.reminder, completedOn: task.completedOn } : item)) });
  };
  const [openId, setOpenId] = useState<string | null>(null);
  return (
    <section className="card admin-page" data-testid="tasks-page">
      <div className="page-head">
        <h1>{t("directives.tasksTitle")}</h1>
        <a href={hrefOf("directiveMatrix")} data-testid="matrix-link">
          {t("directives.matrix")}
        </a>
      </div>
      <div className="filters">
        {FILTERS.map((value) => (
          <button key={value} type="button" className={value === filter ? "primary" : undefined} aria-pressed={value === filter} onClick={() => setFilter(value)}>
            {t(`directives.filter.${value}`)}
          </button>
        ))}
      </div>
      <ErrorMessage code={errorCode} />
      {data && data.items.length === 0 && <p className="hint">{t("directives.noTasks")}</p>}
      <ul className="task-list">
        {data?.items.map((task) => (
          <li key={task.id} data-testid="task-row" data-task={task.id} data-standing={task.standing}>
            <button type="button" className="link-button" onClick={() => setOpenId(openId === task.id ? null : task.id)}>
              {task.directive.text}
            </button>
            <p className="muted">
              {task.unitName} · {t("directives.dueDate")}: {formatViDate(task.dueDate)} · <span className={`standing standing-${task.standing}`}>{t(`directives.status.${task.status}`)}</span>
              {task.reminder && <strong className="reminder"> · {t(`directives.reminder.${task.reminder}`)}</strong>} · {t("directives.fromMeeting")}: <a href={meetingHref(task.meeting.id)}>{task.meeting.title}</a>
            </p>
            {openId === task.id && <TaskDetail taskId={task.id} onChange={updated} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

function TaskDetail({ taskId, onChange }: { taskId: string; onChange: (task: DirectiveTaskDetail) => Promise<void> }) {
  const { t } = useTranslation();
  const [, session] = useSession();
  const { data: task, errorCode: loadError, setData, reload } = useApi<DirectiveTaskDetail>(`/directive-tasks/${taskId}`);
  const [text, setText] = useState("");
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const report = async (kind: "progress" | "done", event?: FormEvent) => {
    event?.preventDefault();
    setErrorCode(null);
    try {
      const task = await session.request<DirectiveTaskDetail>("POST", `/directive-tasks/${taskId}/reports`, { kind, text });
      setData(task);
      setText("");
      await onChange(task);
    } catch (error) {
      setErrorCode(error instanceof ApiError ? error.code : "INTERNAL");
    }
  };
  const upload = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    setBusy(true);
    try {
      const response = await fetch(`/api/directive-tasks/${taskId}/attachments?name=${encodeURIComponent(file.name)}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${session.accessToken ?? ""}`, "Content-Type": "application/octet-stream" },
        body: file,
      });
      if (!response.ok) setErrorCode(((await response.json().catch(() => ({}))) as { error?: { code?: string } }).error?.code ?? "INTERNAL");
      await reload();
    } finally {
      setBusy(false);
    }
  };
  if (!task) return <ErrorMessage code={loadError} />;
  return (
    <div className="task-detail" data-testid="task-detail">
      <p>
        {t("directives.expectedReport")}: {task.directive.expectedReport}
      </p>
      <h4>{t("directives.reports")}</h4>
      {task.reports.length === 0 ? (
        <p className="hint">{t("directives.noReports")}</p>
      ) : (
        <ol className="timeline">
          {task.reports.map((row) => (
            <li key={row.id} data-testid="task-report">
              <span className="muted">{formatViDateTime(row.at)}</span> — <strong>{t(`directives.reportKinds.${row.kind}`)}</strong> ({row.authorName}): {row.text}
            </li>
          ))}
        </ol>
      )}
      <h4>{t("directives.files")}</h4>
      <ul>
        {task.attachments.map((file) => (
          <li key={file.id} data-testid="task-file">
            <button type="button" className="link-button" onClick={() => void downloadWithToken(`/api/directive-tasks/${taskId}/attachments/${file.id}`, session.accessToken, file.originalName)}>
              {file.originalName}
            </button>
          </li>
        ))}
      </ul>
      {task.mayReport && (
        <>
          <FileField label={t("directives.addFile")} testId="task-file-input" accept=".pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx" disabled={busy} onChange={(event) => void upload(event)} />
          <form className="task-report-form" onSubmit={(event) => void report("progress", event)}>
            <label className="field">
              {t("directives.reportText")}
              <textarea data-testid="task-report-text" rows={3} maxLength={4000} value={text} onChange={(event) => setText(event.target.value)} />
            </label>
            <div className="filters">
              <button type="submit" data-testid="task-report-progress" disabled={text.trim().length < 3}>
                {t("directives.reportProgress")}
              </button>
              {task.status !== "done" && (
                <button type="button" className="primary" data-testid="task-report-done" disabled={text.trim().length < 3} onClick={() => void report("done")}>
                  {t("directives.reportDone")}
                </button>
              )}
            </div>
          </form>
        </>
      )}
      <ErrorMessage code={errorCode} />
    </div>
  );
}
