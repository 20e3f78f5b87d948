import { useTranslation } from "react-i18next";

/** "Bước 2/3: Thông tin người gửi", and the three steps as a list with the current one marked. */
export function StepIndicator({ step, names }: { step: number; names: readonly string[] }) {
  const { t } = useTranslation();
  return (
    <div className="step-indicator">
      <p className="step-now" aria-live="polite" data-testid="step-now">
        {t("forms.stepOf", { step, count: names.length })}: {names[step - 1]}
      </p>
      <ol className="step-list" aria-label={t("forms.steps")}>
        {names.map((name, index) => (
          <li key={name} className={index + 1 === step ? "current" : index + 1 < step ? "done" : undefined} aria-current={index + 1 === step ? "step" : undefined}>
            {name}
          </li>
        ))}
      </ol>
    </div>
  );
}

/** The red star after a required field's label; screen readers hear "required" from the field itself. */
export function RequiredMark() {
  const { t } = useTranslation();
  return (
    <span className="required-mark" aria-hidden="true" title={t("forms.required")}>
      {" *"}
    </span>
  );
}
