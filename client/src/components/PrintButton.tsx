import { useTranslation } from "react-i18next";

/**
 * Prints the page (the print stylesheet keeps only the receipt); the browser's print dialog also offers
 * "Save as PDF", so a citizen without a printer keeps the receipt as a file.
 */
export function PrintButton() {
  const { t } = useTranslation();
  return (
    <button type="button" data-testid="print-receipt" onClick={() => window.print()}>
      {t("forms.print")}
    </button>
  );
}
