import { useState } from "react";
import { useTranslation } from "react-i18next";
import { downloadFile } from "../../api/download";
import { useSession } from "../../session";
import { ErrorMessage } from "../ErrorMessage";

/**
 * "Xuất Excel" for a list: the same filters, search and sort as the page shows (the list's own query,
 * without paging), as the server's XLSX export of that list.
 */
export function ExportButton({ path, query, fileName }: { path: string; query: URLSearchParams; fileName: string }) {
  const { t } = useTranslation();
  const [, session] = useSession();
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const params = new URLSearchParams(query);
  params.delete("page");
  params.delete("pageSize");
  const download = async () => {
    setErrorCode(await downloadFile(`/api${path}?${params.toString()}`, session.accessToken, fileName));
  };
  return (
    <>
      <button type="button" data-testid="list-export" data-href={`/api${path}?${params.toString()}`} onClick={() => void download()}>
        {t("list.exportXlsx")}
      </button>
      <ErrorMessage code={errorCode} />
    </>
  );
}
