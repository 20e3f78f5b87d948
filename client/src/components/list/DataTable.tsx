import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ErrorMessage } from "../ErrorMessage";
import type { ListSort } from "./listQuery";
import { Pager } from "./Pager";

export interface Column<T> {
  id: string;
  header: string;
  cell: (row: T) => ReactNode;
  /** The server's sort field for this column; a header without one is not sortable. */
  sortField?: string;
  /** A cell of actions: no label on a phone's stacked rows. */
  actions?: boolean;
}

/** `data-*` attributes a row carries for tests and styles (e.g. data-testid, data-code). */
export type RowAttributes = Record<`data-${string}`, string | number | boolean | undefined>;

interface DataTableProps<T> {
  columns: readonly Column<T>[];
  /** null while the first answer is awaited. */
  rows: readonly T[] | null;
  rowKey: (row: T) => string;
  rowAttributes?: (row: T) => RowAttributes;
  /** A sentence that says what would be here (not just "no data"). */
  empty: string;
  errorCode?: string | null;
  sort?: ListSort | null;
  onSort?: (field: string) => void;
  pager?: { page: number; pageSize: number; total: number; onChange: (page: number) => void };
  /** Replaces a row (an edit form across the columns). */
  renderRow?: (row: T) => ReactNode | null;
  className?: string;
}

/**
 * The one table of a list page: loading, error, empty sentence, sortable headers and pager in the same
 * places everywhere. On a phone the rows stack and each cell shows its column's name (data-label).
 */
export function DataTable<T>({ columns, rows, rowKey, rowAttributes, empty, errorCode, sort, onSort, pager, renderRow, className }: DataTableProps<T>) {
  const { t } = useTranslation();
  if (errorCode) return <ErrorMessage code={errorCode} />;
  if (rows === null) {
    return (
      <p className="hint" role="status" data-testid="list-loading">
        {t("list.loading")}
      </p>
    );
  }
  if (rows.length === 0) {
    return (
      <p className="hint empty-state" data-testid="list-empty">
        {empty}
      </p>
    );
  }
  return (
    <>
      <div className="table-wrap">
        <table className={`users-table ${className ?? ""}`}>
          <thead>
            <tr>
              {columns.map((column) => (
                <th
                  key={column.id}
                  scope="col"
                  aria-sort={sort && column.sortField === sort.field ? (sort.direction === "asc" ? "ascending" : "descending") : undefined}
                >
                  {column.sortField && onSort ? (
                    <button type="button" className="sort-button" data-testid={`sort-${column.id}`} onClick={() => onSort(column.sortField ?? column.id)}>
                      {column.header}
                      <span aria-hidden="true" className="sort-mark">
                        {sort?.field === column.sortField ? (sort.direction === "asc" ? " ▲" : " ▼") : " ↕"}
                      </span>
                    </button>
                  ) : column.actions ? (
                    <span className="visually-hidden">{t("list.actions")}</span>
                  ) : (
                    column.header
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const replaced = renderRow?.(row);
              if (replaced) return replaced;
              return (
                <tr key={rowKey(row)} {...rowAttributes?.(row)}>
                  {columns.map((column) => (
                    <td key={column.id} className={column.actions ? "row-actions" : undefined} {...(column.actions ? {} : { "data-label": column.header })}>
                      {column.cell(row)}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {pager && <Pager {...pager} />}
    </>
  );
}
