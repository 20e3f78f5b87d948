import { useTranslation } from "react-i18next";

/** Previous / "Trang 2/5" / next, shown only when there is more than one page. */
export function Pager({ page, pageSize, total, onChange }: { page: number; pageSize: number; total: number; onChange: (page: number) => void }) {
  const { t } = useTranslation();
  if (total <= pageSize) return null;
  const pages = Math.ceil(total / pageSize);
  return (
    <nav className="pager" aria-label={t("list.pager")}>
      <button type="button" disabled={page <= 1} onClick={() => onChange(page - 1)}>
        {t("list.previous")}
      </button>
      <span aria-current="page">{t("list.pageOf", { page, pages })}</span>
      <button type="button" disabled={page >= pages} onClick={() => onChange(page + 1)}>
        {t("list.next")}
      </button>
    </nav>
  );
}
