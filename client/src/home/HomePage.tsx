import { useTranslation } from "react-i18next";
import type { CaseSummary, SessionUser, SlotDto } from "../../../signaling/protocol";
import { homeKind } from "../access";
import { useApi } from "../api/useApi";
import { DeadlineBadge } from "../cases/DeadlineBadge";
import { ErrorMessage } from "../components/ErrorMessage";
import { Upcoming } from "../meetings/Upcoming";
import { formatViDayLabel, plusDays, todayInVietnam, vietnamDay } from "../dates";
import { caseHref, hrefOf } from "../routing";
import { currentLocale } from "../i18n";

interface CasePage {
  items: CaseSummary[];
  total: number;
}

/**
 * The first screen after signing in: the day's work of the account's main role, built from the same API
 * routes as the full pages. Nothing here touches the camera: meetings are entered through their room page.
 */
export function HomePage({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const kind = homeKind(user);
  return (
    <div className={`home home-${kind}`} data-testid="home" data-home={kind}>
      <h1 className="home-title">{t("daily.greeting", { name: user.displayName })}</h1>
      {kind === "site" && <p className="hint">{t("daily.siteHomeHint")}</p>}
      {kind === "admin" && <AdminSummary />}
      <div className="home-grid">
        {/* An officer's day is the queue; the meetings come second. */}
        {kind === "officer" && <WorkQueue />}
        {kind !== "admin" && <Upcoming />}
        {kind === "leader" && <DueCases />}
        {kind === "leader" && <ReceptionWeek unitId={user.unit.id} />}
      </div>
    </div>
  );
}

function CaseRows({ items, testId }: { items: CaseSummary[]; testId: string }) {
  const { t } = useTranslation();
  return (
    <ul className="home-cases" data-testid={testId}>
      {items.map((item) => (
        <li key={item.id} data-testid="home-case" data-code={item.code}>
          <a href={caseHref(item.id)} aria-label={`${t("cases.code")} ${item.code}: ${item.summary}`}>
            <strong>{item.code}</strong> {item.summary}
          </a>
          <span className="home-case-meta">
            {item.unit.name} · <DeadlineBadge deadline={item.deadline} />
          </span>
        </li>
      ))}
    </ul>
  );
}

/** An officer's or inspector's queue: the server's default case order (nearest deadline first). */
function WorkQueue() {
  const { t } = useTranslation();
  const { data, errorCode } = useApi<CasePage>("/cases?page=1&pageSize=8");
  return (
    <section className="card home-section" data-testid="work-queue" aria-labelledby="work-queue-title" aria-busy={!data && !errorCode}>
      <h2 id="work-queue-title">{t("daily.workQueue")}</h2>
      <ErrorMessage code={errorCode} />
      {data && data.items.length === 0 && <p className="hint">{t("daily.noWork")}</p>}
      {data && data.items.length > 0 && <CaseRows items={data.items} testId="work-queue-list" />}
      <a className="button-link" href={hrefOf("cases")} data-testid="home-all-cases">
        {t("daily.allCases")} ({data?.total ?? 0})
      </a>
    </section>
  );
}

/** A leader's view over their units: the overdue cases and those due within the week. */
function DueCases() {
  const { t } = useTranslation();
  const overdue = useApi<CasePage>("/cases?page=1&pageSize=5&deadline=overdue");
  const dueSoon = useApi<CasePage>("/cases?page=1&pageSize=5&deadline=dueSoon");
  const items = [...(overdue.data?.items ?? []), ...(dueSoon.data?.items ?? [])];
  return (
    <section
      className="card home-section"
      data-testid="due-cases"
      aria-labelledby="due-cases-title"
      aria-busy={(!overdue.data && !overdue.errorCode) || (!dueSoon.data && !dueSoon.errorCode)}
    >
      <h2 id="due-cases-title">{t("daily.dueSoon")}</h2>
      <ErrorMessage code={overdue.errorCode ?? dueSoon.errorCode} />
      <p className="home-counts">
        <a href={hrefOf("cases")} data-testid="overdue-count">
          {t("daily.overdueCount", { count: overdue.data?.total ?? 0 })}
        </a>
        <a href={hrefOf("cases")} data-testid="due-soon-count">
          {t("daily.dueSoonCount", { count: dueSoon.data?.total ?? 0 })}
        </a>
      </p>
      {overdue.data && dueSoon.data && items.length === 0 && <p className="hint">{t("daily.noDue")}</p>}
      {items.length > 0 && <CaseRows items={items} testId="due-cases-list" />}
      <a className="button-link" href={hrefOf("cases")} data-testid="home-all-cases">
        {t("daily.allCases")}
      </a>
    </section>
  );
}

/** An admin's home: the units and accounts they keep, one click from each list. */
function AdminSummary() {
  const { t } = useTranslation();
  const units = useApi<{ items: unknown[] }>("/units?includeInactive=false");
  const users = useApi<{ total: number }>("/users?page=1&pageSize=1&includeInactive=true");
  return (
    <section
      className="card home-section"
      data-testid="admin-summary"
      aria-labelledby="admin-summary-title"
      aria-busy={(!units.data && !units.errorCode) || (!users.data && !users.errorCode)}
    >
      <h2 id="admin-summary-title">{t("daily.adminHome")}</h2>
      <ErrorMessage code={units.errorCode ?? users.errorCode} />
      <div className="home-tiles">
        <a className="home-tile" href={hrefOf("units")} data-testid="home-units">
          <strong>{t("daily.manageUnits")}</strong>
          <span>{t("daily.unitsCount", { count: units.data?.items.length ?? 0 })}</span>
        </a>
        <a className="home-tile" href={hrefOf("users")} data-testid="home-users">
          <strong>{t("daily.manageUsers")}</strong>
          <span>{t("daily.usersCount", { count: users.data?.total ?? 0 })}</span>
        </a>
        <a className="home-tile" href={hrefOf("holidays")} data-testid="home-holidays">
          <strong>{t("daily.manageHolidays")}</strong>
        </a>
        <a className="home-tile" href={hrefOf("mail")} data-testid="home-mail">
          <strong>{t("daily.manageMail")}</strong>
        </a>
      </div>
    </section>
  );
}

/** A leader's reception days in the coming week (their own unit): the day, its slots and how many are booked. */
function ReceptionWeek({ unitId }: { unitId: string }) {
  const { t } = useTranslation();
  const from = todayInVietnam();
  const { data, errorCode } = useApi<{ items: SlotDto[] }>(`/reception/slots?unitId=${encodeURIComponent(unitId)}&from=${from}&to=${plusDays(from, 6)}`);
  const days = new Map<string, SlotDto[]>();
  for (const slot of data?.items ?? []) days.set(vietnamDay(slot.startsAt), [...(days.get(vietnamDay(slot.startsAt)) ?? []), slot]);
  return (
    <section className="card home-section" data-testid="reception-week" aria-labelledby="reception-week-title" aria-busy={!data && !errorCode}>
      <h2 id="reception-week-title">{t("daily.receptionWeek")}</h2>
      <ErrorMessage code={errorCode} />
      {data && days.size === 0 && <p className="hint">{t("daily.noReception")}</p>}
      {days.size > 0 && (
        <ul className="home-cases">
          {[...days.values()].map((slots) => (
            <li key={slots[0]!.startsAt} data-testid="reception-day">
              <strong>{formatViDayLabel(slots[0]!.startsAt, currentLocale())}</strong>
              <span className="home-case-meta">
                {t("daily.receptionSlots", { count: slots.length, booked: slots.reduce((sum, slot) => sum + slot.booked, 0) })}
              </span>
            </li>
          ))}
        </ul>
      )}
      <a className="button-link" href={hrefOf("receptionSlots")} data-testid="home-reception">
        {t("reception.nav")}
      </a>
    </section>
  );
}
