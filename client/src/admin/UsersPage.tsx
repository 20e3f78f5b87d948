import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Role, roles, type UserDto } from "../../../signaling/protocol";
import { ApiError } from "../api/http";
import { useApi } from "../api/useApi";
import { ErrorMessage } from "../components/ErrorMessage";
import { useConfirm } from "../components/ConfirmDialog";
import { type UnitChoice, UnitSelect } from "../components/fields/UnitSelect";
import { type Column, DataTable } from "../components/list/DataTable";
import { apiQuery } from "../components/list/listQuery";
import { ListFilters } from "../components/list/ListFilters";
import { useListQuery } from "../components/list/useListQuery";
import { useSession } from "../session";
import { useScopeUnits } from "./useScopeUnits";

const PAGE_SIZE = 50;

interface UserPage {
  items: UserDto[];
  total: number;
  page: number;
}

const FILTERS = ["q", "unitId", "status"] as const;

export function UsersPage() {
  const { t } = useTranslation();
  const { confirm, dialog } = useConfirm();
  const [auth, session] = useSession();
  const { units: scopeUnits } = useScopeUnits();
  const list = useListQuery(FILTERS);
  // Locked accounts are listed too (to unlock them) unless the filter asks for active ones only.
  const { status, ...filters } = list.filters;
  const query = apiQuery({ ...list, filters }, PAGE_SIZE, { includeInactive: status === "active" ? "false" : "true" });
  const users = useApi<UserPage>(`/users?${query.toString()}`);
  const reload = users.reload;
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [resettingId, setResettingId] = useState<string | null>(null);

  const run = async (action: () => Promise<unknown>, done: string) => {
    setErrorCode(null);
    setMessage(null);
    try {
      await action();
      setMessage(done);
      setEditingId(null);
      setResettingId(null);
      await reload();
      return true;
    } catch (error) {
      setErrorCode(error instanceof ApiError ? error.code : "INTERNAL");
      return false;
    }
  };

  const toggleActive = async (user: UserDto) => {
    const confirmed = user.active
      ? await confirm({ title: t("daily.deactivateTitle"), text: t("daily.deactivateText", { name: user.username }), confirmLabel: t("users.deactivate") })
      : true;
    if (confirmed) await run(() => session.request("PATCH", `/users/${user.id}`, { active: !user.active }), t("users.saved"));
  };

  const columns: Column<UserDto>[] = [
    { id: "username", header: t("users.username"), sortField: "username", cell: (user) => user.username },
    { id: "displayName", header: t("users.displayName"), sortField: "displayName", cell: (user) => user.displayName },
    { id: "email", header: t("users.email"), cell: (user) => user.email ?? "—" },
    { id: "unit", header: t("users.unit"), sortField: "unit", cell: (user) => user.unit.name },
    { id: "roles", header: t("users.roles"), cell: (user) => user.roles.map((role) => t(`roles.${role}`)).join(", ") },
    { id: "status", header: t("users.status"), cell: (user) => (user.active ? t("users.active") : t("users.inactive")) },
    {
      id: "actions",
      header: t("list.actions"),
      actions: true,
      cell: (user) => (
        <>
          <button type="button" onClick={() => setEditingId(user.id)}>
            {t("users.edit")}
          </button>
          {user.id !== auth.user?.id && (
            <>
              <button type="button" onClick={() => setResettingId(resettingId === user.id ? null : user.id)}>
                {t("users.resetPassword")}
              </button>
              <button type="button" data-testid="user-toggle-active" className={user.active ? "danger-outline" : undefined} onClick={() => void toggleActive(user)}>
                {user.active ? t("users.deactivate") : t("users.activate")}
              </button>
            </>
          )}
          {resettingId === user.id && (
            <ResetPasswordForm onReset={(newPassword) => run(() => session.request("POST", `/users/${user.id}/password`, { newPassword }), t("users.passwordReset"))} />
          )}
        </>
      ),
    },
  ];

  return (
    <section className="card admin-page">
      <div className="page-head">
        <h1>{t("users.title")}</h1>
        <span className="hint">{t("users.total", { count: users.data?.total ?? 0 })}</span>
      </div>
      <ErrorMessage code={errorCode} />
      {message && (
        <p className="success" role="status" data-testid="users-message">
          {message}
        </p>
      )}
      <CreateUserForm
        units={scopeUnits}
        onCreate={(body) => run(() => session.request("POST", "/users", body), t("users.created", { username: body.username }))}
      />
      <ListFilters query={list} searchKey="q" searchLabel={t("users.search")}>
        {(draft, set) => (
          <>
            <UnitSelect units={scopeUnits} value={draft.unitId} onChange={(unitId) => set("unitId", unitId)} emptyLabel={t("users.allUnits")} aria-label={t("users.unit")} data-testid="filter-unit" />
            <select value={draft.status} onChange={(event) => set("status", event.target.value)} aria-label={t("users.status")} data-testid="filter-status">
              <option value="">{t("users.anyStatus")}</option>
              <option value="active">{t("users.onlyActive")}</option>
            </select>
          </>
        )}
      </ListFilters>
      <DataTable
        columns={columns}
        rows={users.data?.items ?? null}
        rowKey={(user) => user.id}
        rowAttributes={(user) => ({ "data-testid": "user-row", "data-username": user.username })}
        renderRow={(user) =>
          editingId === user.id ? (
            <EditUserRow
              key={user.id}
              user={user}
              units={scopeUnits}
              onCancel={() => setEditingId(null)}
              onSave={(changes) => run(() => session.request("PATCH", `/users/${user.id}`, changes), t("users.saved"))}
            />
          ) : null
        }
        empty={Object.values<string>(list.filters).some(Boolean) ? t("users.emptyFiltered") : t("users.empty")}
        errorCode={users.errorCode}
        sort={list.sort}
        onSort={list.sortBy}
        pager={{ page: list.page, pageSize: PAGE_SIZE, total: users.data?.total ?? 0, onChange: list.setPage }}
      />
      {dialog}
    </section>
  );
}

type AccountFieldName = "displayName" | "email" | "unitId";

/** The account's name, address and unit: the same three fields, limits and labels when creating and editing. */
function AccountFields({ prefix, units, fields, on }: { prefix: string; units: readonly UnitChoice[]; fields: Record<AccountFieldName, string>; on: Record<AccountFieldName, (value: string) => void> }) {
  const { t } = useTranslation();
  return (
    <>
      <label>
        {t("users.displayName")}
        <input data-testid={`${prefix}-displayname`} value={fields.displayName} maxLength={120} onChange={(e) => on.displayName(e.target.value)} required />
      </label>
      <label>
        {t("users.email")}
        <input data-testid={`${prefix}-email`} type="email" value={fields.email} maxLength={254} autoCapitalize="none" onChange={(e) => on.email(e.target.value)} />
      </label>
      <label>
        {t("users.unit")}
        <UnitSelect units={units} value={fields.unitId} onChange={on.unitId} data-testid={`${prefix}-unit`} emptyLabel="—" required />
      </label>
    </>
  );
}

function RoleChecks({ value, onChange, prefix }: { value: Role[]; onChange: (roles: Role[]) => void; prefix: string }) {
  const { t } = useTranslation();
  return (
    <fieldset className="role-checks">
      <legend>{t("users.roles")}</legend>
      {roles.map((role) => (
        <label key={role} className="inline-check">
          <input
            type="checkbox"
            data-testid={`${prefix}-role-${role}`}
            checked={value.includes(role)}
            onChange={(event) => onChange(event.target.checked ? [...value, role] : value.filter((r) => r !== role))}
          />
          {t(`roles.${role}`)}
        </label>
      ))}
    </fieldset>
  );
}

function CreateUserForm({ units, onCreate }: { units: readonly UnitChoice[]; onCreate: (body: { username: string } & Record<string, unknown>) => Promise<boolean> }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [unitId, setUnitId] = useState("");
  const [chosenRoles, setChosenRoles] = useState<Role[]>(["site"]);
  const [password, setPassword] = useState("");
  const [email, setEmail] = useState("");

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await onCreate({ username, displayName, unitId, roles: chosenRoles, password, ...(email.trim() ? { email: email.trim() } : {}) })) {
      setUsername("");
      setDisplayName("");
      setPassword("");
      setEmail("");
    }
  };

  return (
    <details className="create-box">
      <summary data-testid="user-create-open">{t("users.create")}</summary>
      <form className="inline-form" onSubmit={(event) => void submit(event)} data-testid="user-form">
        <label>
          {t("users.username")}
          <input data-testid="user-form-username" value={username} maxLength={40} autoCapitalize="none" onChange={(e) => setUsername(e.target.value)} required />
        </label>
        <AccountFields prefix="user-form" units={units} fields={{ displayName, email, unitId }} on={{ displayName: setDisplayName, email: setEmail, unitId: setUnitId }} />
        <label>
          {t("users.password")}
          <input data-testid="user-form-password" type="password" autoComplete="new-password" value={password} maxLength={200} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        <RoleChecks value={chosenRoles} onChange={setChosenRoles} prefix="user-form" />
        <span className="form-actions">
          <button type="submit" className="primary" data-testid="user-form-submit">
            {t("users.create")}
          </button>
        </span>
      </form>
    </details>
  );
}

function EditUserRow({ user, units, onCancel, onSave }: { user: UserDto; units: readonly UnitChoice[]; onCancel: () => void; onSave: (changes: Record<string, unknown>) => Promise<boolean> }) {
  const { t } = useTranslation();
  const [displayName, setDisplayName] = useState(user.displayName);
  const [unitId, setUnitId] = useState(user.unit.id);
  const [chosenRoles, setChosenRoles] = useState<Role[]>(user.roles);
  const [email, setEmail] = useState(user.email ?? "");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const changes: Record<string, unknown> = {};
    if (displayName !== user.displayName) changes.displayName = displayName;
    if (email.trim() !== (user.email ?? "")) changes.email = email.trim() === "" ? null : email.trim();
    if (unitId !== user.unit.id) changes.unitId = unitId;
    if (chosenRoles.join() !== user.roles.join()) changes.roles = chosenRoles;
    if (Object.keys(changes).length === 0) return onCancel();
    void onSave(changes);
  };
  return (
    <tr>
      <td colSpan={7}>
        <form className="inline-form" onSubmit={submit}>
          <strong>{user.username}</strong>
          <AccountFields prefix="user-edit" units={units} fields={{ displayName, email, unitId }} on={{ displayName: setDisplayName, email: setEmail, unitId: setUnitId }} />
          <RoleChecks value={chosenRoles} onChange={setChosenRoles} prefix="user-edit" />
          <span className="form-actions">
            <button type="submit" className="primary">
              {t("users.save")}
            </button>
            <button type="button" onClick={onCancel}>
              {t("users.cancel")}
            </button>
          </span>
        </form>
      </td>
    </tr>
  );
}

function ResetPasswordForm({ onReset }: { onReset: (password: string) => Promise<boolean> }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState("");
  return (
    <form
      className="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        void onReset(password);
      }}
    >
      <label>
        {t("users.newPassword")}
        <input type="password" autoComplete="new-password" value={password} maxLength={200} onChange={(e) => setPassword(e.target.value)} required />
      </label>
      <button type="submit" className="primary">
        {t("users.resetPassword")}
      </button>
    </form>
  );
}
