import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { CaseDetail, Role } from "../../../signaling/protocol";
import { useUnits } from "../admin/useUnits";
import { ApiError } from "../api/http";
import { useApi } from "../api/useApi";
import { ErrorMessage } from "../components/ErrorMessage";
import { UnitSelect } from "../components/fields/UnitSelect";
import { hrefOf } from "../routing";
import { may, mayBeAssignedCases } from "../access";
import { useSession } from "../session";
import { actionFields, type FieldSpec, initialValues, toPayload } from "./actionFields";
import { Attachments } from "./Attachments";
import { DeadlineBadge, formatDate } from "./DeadlineBadge";
import { DateField } from "../components/DateField";
import { formatViDateTime } from "../dates";

export function CaseDetailPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const { data: item, errorCode, setData: setItem } = useApi<CaseDetail>(`/cases/${id}`);

  if (!item) {
    return (
      <section className="card admin-page">
        <ErrorMessage code={errorCode} />
      </section>
    );
  }

  return (
    <section className="card admin-page case-detail" data-testid="case-detail" data-state={item.state}>
      <a href={hrefOf("cases")} className="back-link">
        {t("cases.back")}
      </a>
      <div className="page-head">
        <h1>
          {item.code} <span className="case-state">{t(`caseStates.${item.state}`)}</span>
        </h1>
        <DeadlineBadge deadline={item.deadline} />
      </div>
      <p className="case-meta">
        {item.kind ? t(`caseKinds.${item.kind}`) : "—"} · {item.unit.name} · {t("cases.received")} {formatDate(item.receivedDate)}
        {item.round > 1 && <> · {t("cases.round", { round: item.round })}</>}
        {item.deadline.basis && (
          <>
            {" "}
            · {t("cases.legalBasis")}: {item.deadline.basis}
          </>
        )}
      </p>
      <h2>{item.summary}</h2>
      <p className="case-content">{item.content}</p>
      {item.publishedAnswer && (
        <div className="notice">
          <strong>{t("cases.publishedAnswer")}:</strong> {item.publishedAnswer}
        </div>
      )}
      <h3>{t("cases.parties")}</h3>
      <ul className="parties">
        {item.parties.map((party) => (
          <li key={party.id} data-testid="party" data-protected={party.protected}>
            <strong>{party.name}</strong> ({party.role === "respondent" ? t("cases.respondent") : t("cases.petitioner")})
            {[party.idNumber, party.phone, party.address, party.organization].filter(Boolean).map((value) => (
              <span key={value} className="muted">
                {" "}
                · {value}
              </span>
            ))}
          </li>
        ))}
      </ul>
      <DutyList duties={item.duties} />
      <Attachments caseId={item.id} canUpload />
      <AssignPanel item={item} onDone={setItem} />
      <ActionPanel item={item} onDone={setItem} />
      <h3>{t("cases.history")}</h3>
      <ol className="timeline">
        {item.events.map((event) => (
          <li key={event.sequence}>
            <span className="muted">{formatViDateTime(event.at)}</span> — {t(`caseActions.${event.action}`)}
            {event.fromState !== event.toState && <> → {t(`caseStates.${event.toState}`)}</>}
            {event.reason && <span className="muted"> ({event.reason})</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Every clock that runs on the case (issue 13 item 2): what is due, by when, and on which legal basis. */
function DutyList({ duties }: { duties: CaseDetail["duties"] }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <h3>{t("cases.duties")}</h3>
      {duties.length === 0 ? (
        <p className="hint" data-testid="no-duties">
          {t("cases.noDuties")}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="users-table duties" data-testid="duties">
            <thead>
              <tr>
                <th>{t("cases.dutyName")}</th>
                <th>{t("cases.dutyDue")}</th>
                <th>{t("cases.legalBasis")}</th>
              </tr>
            </thead>
            <tbody>
              {duties.map((duty) => (
                <tr key={duty.id} data-testid="duty" data-rule={duty.ruleId} data-nature={duty.nature}>
                  <td>
                    {i18n.exists(`dutyRules.${duty.ruleId}`) ? t(`dutyRules.${duty.ruleId}`) : duty.label}
                    {duty.nature !== "act" && <span className="muted"> ({t(`dutyNatures.${duty.nature}`)})</span>}
                  </td>
                  <td>
                    {duty.problem ? (
                      <span className="error" data-testid="duty-problem">
                        {t(i18n.exists(`errors.${duty.problem}`) ? `errors.${duty.problem}` : "errors.DEADLINE_RULE")}
                      </span>
                    ) : duty.nature === "act" ? (
                      <DeadlineBadge deadline={duty} testId="duty-deadline" />
                    ) : (
                      duty.due && formatDate(duty.due)
                    )}
                  </td>
                  <td className="muted">{duty.basis}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

interface Assignable {
  id: string;
  displayName: string;
  unit: { name: string };
  roles: Role[];
}

/** Leaders hand a case to an officer or inspector of their units; others see who has it. */
function AssignPanel({ item, onDone }: { item: CaseDetail; onDone: (next: CaseDetail) => void }) {
  const { t } = useTranslation();
  const [auth, session] = useSession();
  const mayAssign = may.assignCases(auth.user);
  const [people, setPeople] = useState<Assignable[]>([]);
  const [choice, setChoice] = useState(item.assigneeId ?? "");
  const [errorCode, setErrorCode] = useState<string | null>(null);

  useEffect(() => {
    if (!mayAssign) return;
    session.request<{ items: Assignable[] }>("GET", "/users?pageSize=200").then(
      (result) => setPeople(result.items.filter(mayBeAssignedCases)),
      (error: unknown) => setErrorCode(error instanceof ApiError ? error.code : "INTERNAL"),
    );
  }, [mayAssign, session]);

  if (!mayAssign) {
    return (
      <p className="case-meta" data-testid="assignee">
        {t("cases.assignee")}: {item.assigneeName ?? t("cases.unassigned")}
      </p>
    );
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      onDone(await session.request<CaseDetail>("POST", `/cases/${item.id}/assign`, { assigneeId: choice }));
      setErrorCode(null);
    } catch (error) {
      setErrorCode(error instanceof ApiError ? error.code : "INTERNAL");
    }
  };
  return (
    <form className="inline-form" onSubmit={(event) => void submit(event)}>
      <label>
        {t("cases.assignTo")}
        <select data-testid="assign-select" value={choice} onChange={(e) => setChoice(e.target.value)} required>
          <option value="">{t("cases.unassigned")}</option>
          {people.map((person) => (
            <option key={person.id} value={person.id}>
              {person.displayName} — {person.unit.name}
            </option>
          ))}
        </select>
      </label>
      <ErrorMessage code={errorCode} />
      <button type="submit" className="primary" data-testid="assign-submit" disabled={!choice || choice === item.assigneeId}>
        {t("cases.assign")}
      </button>
    </form>
  );
}

function ActionPanel({ item, onDone }: { item: CaseDetail; onDone: (next: CaseDetail) => void }) {
  const { t } = useTranslation();
  const [, session] = useSession();
  const [action, setAction] = useState(item.allowedActions[0] ?? "");
  const fields = actionFields[action] ?? [];
  const [values, setValues] = useState(() => initialValues(fields));
  const [errorCode, setErrorCode] = useState<string | null>(null);

  if (item.allowedActions.length === 0) return <p className="hint">{t("cases.noActions")}</p>;

  const choose = (next: string) => {
    setAction(next);
    setValues(initialValues(actionFields[next] ?? []));
    setErrorCode(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrorCode(null);
    try {
      const next = await session.request<CaseDetail>("POST", `/cases/${item.id}/actions/${action}`, toPayload(fields, values));
      onDone(next);
      const first = next.allowedActions[0] ?? "";
      setAction(first);
      setValues(initialValues(actionFields[first] ?? []));
    } catch (error) {
      setErrorCode(error instanceof ApiError ? error.code : "INTERNAL");
    }
  };

  return (
    <form className="inline-form action-panel" onSubmit={(event) => void submit(event)} data-testid="action-form">
      <h3>{t("cases.nextStep")}</h3>
      <label>
        {t("cases.chooseAction")}
        <select data-testid="action-select" value={action} onChange={(event) => choose(event.target.value)}>
          {item.allowedActions.map((name) => (
            <option key={name} value={name}>
              {t(`caseActions.${name}`)}
            </option>
          ))}
        </select>
      </label>
      {fields.map((field) => (
        <Field key={`${action}-${field.name}`} field={field} value={values[field.name] ?? ""} onChange={(value) => setValues({ ...values, [field.name]: value })} />
      ))}
      <ErrorMessage code={errorCode} />
      <button type="submit" className="primary" data-testid="action-submit">
        {t("cases.apply")}
      </button>
    </form>
  );
}

function Field({ field, value, onChange }: { field: FieldSpec; value: string | boolean; onChange: (value: string | boolean) => void }) {
  const { t } = useTranslation();
  const { units } = useUnits(false);
  const label = t(`caseFields.${field.name}`);
  const testId = `field-${field.name}`;
  switch (field.type) {
    case "checkbox":
      return (
        <label className="inline-check">
          <input type="checkbox" data-testid={testId} checked={Boolean(value)} onChange={(e) => onChange(e.target.checked)} />
          {label}
        </label>
      );
    case "select":
      return (
        <label>
          {label}
          <select data-testid={testId} value={String(value)} onChange={(e) => onChange(e.target.value)}>
            {field.options.map((option) => (
              <option key={option} value={option}>
                {t(`${field.labels}.${option}`)}
              </option>
            ))}
          </select>
        </label>
      );
    case "unit":
      return (
        <label>
          {label}
          <UnitSelect data-testid={testId} units={units} value={String(value)} onChange={onChange} required={!field.optional} emptyLabel={field.optional ? t("cases.defaultUnit") : "—"} />
        </label>
      );
    case "textarea":
      return (
        <label className="wide">
          {label}
          <textarea data-testid={testId} rows={3} value={String(value)} onChange={(e) => onChange(e.target.value)} required={!field.optional} />
        </label>
      );
    case "number":
      return (
        <label>
          {label}
          <input data-testid={testId} type="number" min={field.min} max={field.max} value={String(value)} onChange={(e) => onChange(e.target.value)} required />
        </label>
      );
    case "date":
      return (
        <label>
          {label}
          <DateField testId={testId} value={String(value)} onChange={onChange} required={!field.optional} />
        </label>
      );
    default:
      return (
        <label>
          {label}
          <input data-testid={testId} type={field.type} value={String(value)} onChange={(e) => onChange(e.target.value)} required={!field.optional} />
        </label>
      );
  }
}
