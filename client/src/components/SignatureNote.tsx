import { useTranslation } from "react-i18next";
import type { SignatureOutcome } from "../../../signaling/protocol";

/** After an issued PDF was downloaded: whether it carries the unit's digital signature, or why not. */
export function SignatureNote({ outcome }: { outcome: SignatureOutcome | null }) {
  const { t } = useTranslation();
  if (!outcome) return null;
  return (
    <p className={outcome === "signed" ? "notice" : "hint"} role="status" data-testid="signature-note" data-outcome={outcome}>
      {t(`signature.${outcome}`)}
    </p>
  );
}
