import { useTranslation } from "react-i18next";

/** Previous / page / next, shown only when there is more than one page. */
export function Pager({ page, pageSize, total, onChange }: { page: number; pageSize: number; total: number; onChange: (page: number) => void }) {
  const { t } = useTranslation();
  if (total <= pageSize) return null;
  return (
    <div className="pager">
      <button type="button" disabled={page <= 1} onClick={() => onChange(page - 1)}>
        {t("users.previous")}
      </button>
      <span>{page}</span>
      <button type="button" disabled={page * pageSize >= total} onClick={() => onChange(page + 1)}>
        {t("users.next")}
      </button>
    </div>
  );
}
