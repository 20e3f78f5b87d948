import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { CaseNotification } from "../../../signaling/protocol";
import { caseHref } from "../routing";
import { useSession } from "../session";
import { formatDate } from "./DeadlineBadge";


const POLL_MS = 60_000;

/** Cases due soon or overdue, refreshed every minute; a count on the header and a list on click. */
export function NotificationBell() {
  const { t } = useTranslation();
  const [, session] = useSession();
  const [items, setItems] = useState<CaseNotification[]>([]);
  const [open, setOpen] = useState(false);

  const load = useCallback(async () => {
    const result = await session.request<{ items: CaseNotification[] }>("GET", "/notifications").catch(() => null);
    if (result) setItems(result.items);
  }, [session]);

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- a fetch: state is set when the response arrives
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [load]);

  const overdue = items.filter((item) => item.status === "overdue").length;
  return (
    <div className="bell">
      <button type="button" className="header-button" data-testid="notifications" aria-expanded={open} onClick={() => setOpen(!open)}>
        {t("cases.notifications")}
        {items.length > 0 && <span className={`bell-count${overdue > 0 ? " bell-overdue" : ""}`} data-testid="notification-count">{items.length}</span>}
      </button>
      {open && (
        <div className="bell-panel" role="dialog" aria-label={t("cases.notifications")}>
          {items.length === 0 ? (
            <p className="hint">{t("cases.noNotifications")}</p>
          ) : (
            <ul>
              {items.map((item) => (
                <li key={item.caseId}>
                  <a href={caseHref(item.caseId)} onClick={() => setOpen(false)}>
                    <strong>{item.code}</strong> — {item.summary}
                  </a>
                  <span className={`deadline-${item.status}`}>
                    {" "}
                    <span className="deadline-words">
                      {t(`deadlineStatus.${item.status}`)} · {formatDate(item.due)}
                    </span>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
