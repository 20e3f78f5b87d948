import { type FormEvent, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Role, roles, type UnitDto, type UserDto } from "../../../signaling/protocol";
import { ApiError } from "../api/http";
import { useApi } from "../api/useApi";
import { ErrorMessage } from "../components/ErrorMessage";
import { useConfirm } from "../components/ConfirmDialog";
import { Pager } from "../components/Pager";
import { UnitOptions } from "../components/UnitOptions";
import { useSession } from "../session";
import { subtreeIds } from "./unitTree";
import { useUnits } from "./useUnits";

const PAGE_SIZE = 50;

interface UserPage {
  items: UserDto[];
  total: number;
  page: number;
}

export function UsersPage() {
  const { t } = useTranslation();
  const { confirm, dialog } = useConfirm();
  const [auth, session] = useSession();
  const { units } = useUnits(false);
  const scopeUnits = useMemo(() => {
    const ids = subtreeIds(units, auth.user?.unit.id ?? "");
    return units.filter((unit) => ids.has(unit.id));
  }, [units, auth.user]);
  const [page, setPage] = useState(1);
  const users = useApi<UserPage>(`/users?page=${page}&pageSize=${PAGE_SIZE}&includeInactive=true`);
  const list = users.data ?? { items: [], total: 0, page: 1 };
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

  return (
    <section className="card admin-page">
      <div className="page-head">
        <h1>{t("users.title")}</h1>
        <span className="hint">{t("users.total", { count: list.total })}</span>
      </div>
      <ErrorMessage code={users.errorCode ?? errorCode} />
      {message && (
        <p className="success" role="status" data-testid="users-message">
          {message}
        </p>
      )}
      <CreateUserForm
        units={scopeUnits}
        onCreate={(body) => run(() => session.request("POST", "/users", body), t("users.created", { username: body.username }))}
      />
      {list.items.length === 0 ? (
        <p className="hint">{t("users.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="users-table">
            <thead>
              <tr>
                <th>{t("users.username")}</th>
                <th>{t("users.displayName")}</th>
                <th>{t("users.unit")}</th>
                <th>{t("users.roles")}</th>
                <th>{t("users.status")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.items.map((user) =>
                editingId === user.id ? (
                  <EditUserRow
                    key={user.id}
                    user={user}
                    units={scopeUnits}
                    onCancel={() => setEditingId(null)}
                    onSave={(changes) => run(() => session.request("PATCH", `/users/${user.id}`, changes), t("users.saved"))}
                  />
                ) : (
                  <tr key={user.id} data-testid="user-row" data-username={user.username}>
                    <td data-label={t("users.username")}>{user.username}</td>
                    <td data-label={t("users.displayName")}>{user.displayName}</td>
                    <td data-label={t("users.unit")}>{user.unit.name}</td>
                    <td data-label={t("users.roles")}>{user.roles.map((role) => t(`roles.${role}`)).join(", ")}</td>
                    <td data-label={t("users.status")}>{user.active ? t("users.active") : t("users.inactive")}</td>
                    <td className="row-actions">
                      <button type="button" onClick={() => setEditingId(user.id)}>
                        {t("users.edit")}
                      </button>
                      {user.id !== auth.user?.id && (
                        <>
                          <button type="button" onClick={() => setResettingId(resettingId === user.id ? null : user.id)}>
                            {t("users.resetPassword")}
                          </button>
                          <button
                            type="button"
                            data-testid="user-toggle-active"
                            className={user.active ? "danger-outline" : undefined}
                            onClick={() =>
                              void (user.active
                                ? confirm({ title: t("daily.deactivateTitle"), text: t("daily.deactivateText", { name: user.username }), confirmLabel: t("users.deactivate") })
                                : Promise.resolve(true)
                              ).then((confirmed) => (confirmed ? run(() => session.request("PATCH", `/users/${user.id}`, { active: !user.active }), t("users.saved")) : undefined))
                            }
                          >
                            {user.active ? t("users.deactivate") : t("users.activate")}
                          </button>
                        </>
                      )}
                      {resettingId === user.id && (
                        <ResetPasswordForm
                          onReset={(newPassword) =>
                            run(() => session.request("POST", `/users/${user.id}/password`, { newPassword }), t("users.passwordReset"))
                          }
                        />
                      )}
                    </td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pageSize={PAGE_SIZE} total={list.total} onChange={setPage} />
      {dialog}
    </section>
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

function UnitSelect({ units, value, onChange, testId }: { units: UnitDto[]; value: string; onChange: (id: string) => void; testId: string }) {
  return (
    <select data-testid={testId} value={value} onChange={(event) => onChange(event.target.value)} required>
      <option value="" disabled>
        —
      </option>
      <UnitOptions units={units} />
    </select>
  );
}

function CreateUserForm({ units, onCreate }: { units: UnitDto[]; onCreate: (body: { username: string } & Record<string, unknown>) => Promise<boolean> }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [unitId, setUnitId] = useState("");
  const [chosenRoles, setChosenRoles] = useState<Role[]>(["site"]);
  const [password, setPassword] = useState("");

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await onCreate({ username, displayName, unitId, roles: chosenRoles, password })) {
      setUsername("");
      setDisplayName("");
      setPassword("");
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
        <label>
          {t("users.displayName")}
          <input data-testid="user-form-displayname" value={displayName} maxLength={120} onChange={(e) => setDisplayName(e.target.value)} required />
        </label>
        <label>
          {t("users.unit")}
          <UnitSelect units={units} value={unitId} onChange={setUnitId} testId="user-form-unit" />
        </label>
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

function EditUserRow({ user, units, onCancel, onSave }: { user: UserDto; units: UnitDto[]; onCancel: () => void; onSave: (changes: Record<string, unknown>) => Promise<boolean> }) {
  const { t } = useTranslation();
  const [displayName, setDisplayName] = useState(user.displayName);
  const [unitId, setUnitId] = useState(user.unit.id);
  const [chosenRoles, setChosenRoles] = useState<Role[]>(user.roles);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const changes: Record<string, unknown> = {};
    if (displayName !== user.displayName) changes.displayName = displayName;
    if (unitId !== user.unit.id) changes.unitId = unitId;
    if (chosenRoles.join() !== user.roles.join()) changes.roles = chosenRoles;
    if (Object.keys(changes).length === 0) return onCancel();
    void onSave(changes);
  };
  return (
    <tr>
      <td colSpan={6}>
        <form className="inline-form" onSubmit={submit}>
          <strong>{user.username}</strong>
          <label>
            {t("users.displayName")}
            <input value={displayName} maxLength={120} onChange={(e) => setDisplayName(e.target.value)} required />
          </label>
          <label>
            {t("users.unit")}
            <UnitSelect units={units} value={unitId} onChange={setUnitId} testId="user-edit-unit" />
          </label>
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
