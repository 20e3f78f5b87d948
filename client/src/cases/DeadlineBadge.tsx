import { useTranslation } from "react-i18next";
import type { CaseSummary } from "../../../signaling/protocol";

/** The running statutory deadline: its date and, in words, how it stands (also one duty's, with its own test id). */
export function DeadlineBadge({ deadline, testId = "deadline" }: { deadline: CaseSummary["deadline"]; testId?: string }) {
  const { t, i18n } = useTranslation();
  if (deadline.status === "none") return <span className="muted">—</span>;
  // Which duty is the nearest (the work queue shows one badge per case): its name, then its basis.
  const duty = deadline.ruleId && i18n.exists(`dutyRules.${deadline.ruleId}`) ? t(`dutyRules.${deadline.ruleId}`) : null;
  const title = [duty, deadline.basis].filter(Boolean).join(" — ") || undefined;
  const words =
    deadline.daysLeft === null
      ? t("deadlineStatus.suspended")
      : deadline.daysLeft < 0
        ? t("cases.overdueBy", { count: -deadline.daysLeft })
        : t("cases.daysLeft", { count: deadline.daysLeft });
  return (
    <span className={`deadline deadline-${deadline.status}`} data-testid={testId} data-status={deadline.status} title={title}>
      {deadline.due && <span className="deadline-date">{formatDate(deadline.due)}</span>}
      <span className="deadline-words">{words}</span>
    </span>
  );
}

/** 2026-03-16 → 16/03/2026, as Vietnamese documents write dates. */
export function formatDate(date: string): string {
  const [year, month, day] = date.split("-");
  return `${day}/${month}/${year}`;
}
