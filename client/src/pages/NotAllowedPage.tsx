import { useTranslation } from "react-i18next";
import { hrefOf } from "../routing";

/**
 * What a forbidden or unknown address shows instead of a blank page: why, and the way back to the
 * account's home. The server refuses the data anyway; this page is for the person.
 */
export function NotAllowedPage() {
  const { t } = useTranslation();
  return (
    <section className="card not-allowed" data-testid="not-allowed" role="alert" aria-labelledby="not-allowed-title">
      <h1 id="not-allowed-title">{t("daily.notAllowedTitle")}</h1>
      <p>{t("daily.notAllowedText")}</p>
      <a className="button-link primary" href={hrefOf("home")} data-testid="go-home">
        {t("daily.goHome")}
      </a>
    </section>
  );
}
