import { type FormEvent, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { type UnitDto, unitKinds } from "../../../signaling/protocol";
import { ApiError } from "../api/http";
import { ErrorMessage } from "../components/ErrorMessage";
import { useConfirm } from "../components/ConfirmDialog";
import { UnitOptions } from "../components/fields/UnitSelect";
import { useSession } from "../session";
import { ListFilters } from "../components/list/ListFilters";
import { useListQuery } from "../components/list/useListQuery";
import { buildTree, matchingTree, subtreeIds, type UnitNode } from "./unitTree";
import { useUnits } from "./useUnits";

type Editing = { mode: "add"; parent: UnitDto } | { mode: "edit"; unit: UnitDto } | null;

export function UnitsPage() {
  const { t } = useTranslation();
  const { confirm, dialog } = useConfirm();
  const [auth, session] = useSession();
  // The whole tree is one answer (a province has some hundred units): searched here, kept in the URL.
  const list = useListQuery(["q", "inactive"] as const);
  const showInactive = list.filters.inactive === "true";
  const { units, errorCode: loadError, reload } = useUnits(showInactive);
  const [editing, setEditing] = useState<Editing>(null);
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const tree = useMemo(() => matchingTree(buildTree(units), list.filters.q), [units, list.filters.q]);
  const scope = useMemo(() => subtreeIds(units, auth.user?.unit.id ?? ""), [units, auth.user]);

  const run = async (action: () => Promise<unknown>) => {
    setErrorCode(null);
    setSaved(false);
    try {
      await action();
      setEditing(null);
      setSaved(true);
      await reload();
    } catch (error) {
      setErrorCode(error instanceof ApiError ? error.code : "INTERNAL");
    }
  };

  const row = (node: UnitNode) => {
    const manageable = scope.has(node.id);
    return (
      <li key={node.id}>
        <div className="unit-row" data-testid="unit-row" data-code={node.code} data-active={node.active}>
          <span className="unit-name">{node.name}</span>
          <span className="unit-meta">
            {node.code} · {t(`unitKinds.${node.kind}`)}
            {!node.active && <span className="tag">{t("units.inactive")}</span>}
          </span>
          {manageable && (
            <span className="row-actions">
              {node.active && (
                <button type="button" data-testid={`unit-add-${node.code}`} onClick={() => setEditing({ mode: "add", parent: node })}>
                  {t("units.addChild")}
                </button>
              )}
              <button type="button" data-testid={`unit-edit-${node.code}`} onClick={() => setEditing({ mode: "edit", unit: node })}>
                {t("units.edit")}
              </button>
              {node.id !== auth.user?.unit.id && (
                <button
                  type="button"
                  data-testid={`unit-toggle-active-${node.code}`}
                  className={node.active ? "danger-outline" : undefined}
                  onClick={() =>
                    void (node.active
                      ? confirm({ title: t("daily.deactivateUnitTitle"), text: t("daily.deactivateUnitText", { name: node.name }), confirmLabel: t("units.deactivate") })
                      : Promise.resolve(true)
                    ).then((confirmed) => (confirmed ? run(() => session.request("PATCH", `/units/${node.id}`, { active: !node.active })) : undefined))
                  }
                >
                  {node.active ? t("units.deactivate") : t("units.activate")}
                </button>
              )}
            </span>
          )}
        </div>
        {editing && ((editing.mode === "add" && editing.parent.id === node.id) || (editing.mode === "edit" && editing.unit.id === node.id)) && (
          <UnitForm
            editing={editing}
            parents={units.filter((unit) => scope.has(unit.id) && unit.active)}
            onCancel={() => setEditing(null)}
            onSubmit={(body) =>
              run(() =>
                editing.mode === "add" ? session.request("POST", "/units", body) : session.request("PATCH", `/units/${editing.unit.id}`, body),
              )
            }
          />
        )}
        {node.children.length > 0 && <ul>{node.children.map(row)}</ul>}
      </li>
    );
  };

  return (
    <section className="card admin-page">
      <div className="page-head">
        <h1>{t("units.title")}</h1>
      </div>
      <ListFilters query={list} searchKey="q" searchLabel={t("units.search")}>
        {(draft, set) => (
          <label className="inline-check">
            <input type="checkbox" data-testid="filter-inactive" checked={draft.inactive === "true"} onChange={(event) => set("inactive", event.target.checked ? "true" : "")} />
            <span>{t("units.showInactive")}</span>
          </label>
        )}
      </ListFilters>
      <ErrorMessage code={loadError ?? errorCode} />
      {saved && (
        <p className="success" role="status">
          {t("units.saved")}
        </p>
      )}
      {units.length > 0 && tree.length === 0 ? (
        <p className="hint empty-state" data-testid="list-empty">
          {t("units.noMatch")}
        </p>
      ) : (
        <ul className="unit-tree">{tree.map(row)}</ul>
      )}
      {dialog}
    </section>
  );
}

interface UnitFormProps {
  editing: NonNullable<Editing>;
  parents: UnitDto[];
  onCancel: () => void;
  onSubmit: (body: Record<string, unknown>) => Promise<void>;
}

function UnitForm({ editing, parents, onCancel, onSubmit }: UnitFormProps) {
  const { t } = useTranslation();
  const current = editing.mode === "edit" ? editing.unit : null;
  const [code, setCode] = useState(current?.code ?? "");
  const [name, setName] = useState(current?.name ?? "");
  const [kind, setKind] = useState<string>(current?.kind ?? "commune");
  const [parentId, setParentId] = useState(current?.parentId ?? "");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (editing.mode === "add") void onSubmit({ parentId: editing.parent.id, code, name, kind });
    else {
      const changes: Record<string, unknown> = {};
      if (name !== current?.name) changes.name = name;
      if (code !== current?.code) changes.code = code;
      if (kind !== current?.kind) changes.kind = kind;
      if (parentId && parentId !== current?.parentId) changes.parentId = parentId;
      void onSubmit(changes);
    }
  };

  return (
    <form className="inline-form" onSubmit={submit} data-testid="unit-form">
      {editing.mode === "add" && <p className="form-hint">{t("units.addTitle", { parent: editing.parent.name })}</p>}
      <label>
        {t("units.name")}
        <input data-testid="unit-form-name" value={name} maxLength={160} onChange={(event) => setName(event.target.value)} required />
      </label>
      <label>
        {t("units.code")}
        <input data-testid="unit-form-code" value={code} maxLength={32} onChange={(event) => setCode(event.target.value.toUpperCase())} required />
      </label>
      <label>
        {t("units.kind")}
        <select data-testid="unit-form-kind" value={kind} onChange={(event) => setKind(event.target.value)}>
          {unitKinds.map((value) => (
            <option key={value} value={value}>
              {t(`unitKinds.${value}`)}
            </option>
          ))}
        </select>
      </label>
      {editing.mode === "edit" && current?.parentId && (
        <label>
          {t("units.parent")}
          <select value={parentId} onChange={(event) => setParentId(event.target.value)}>
            <UnitOptions units={parents.filter((unit) => unit.id !== current.id)} />
          </select>
        </label>
      )}
      <span className="form-actions">
        <button type="submit" className="primary" data-testid="unit-form-submit">
          {editing.mode === "add" ? t("units.create") : t("units.save")}
        </button>
        <button type="button" onClick={onCancel}>
          {t("units.cancel")}
        </button>
      </span>
    </form>
  );
}
