import { useTranslation } from "react-i18next";
import type { DirectiveDto } from "../../../signaling/protocol";
import { formatViDate } from "../dates";

/** Directives with their units and each unit's standing: in the room, on the meeting page, carried over. */
export function DirectiveList({ directives, testId = "directive-item" }: { directives: readonly DirectiveDto[]; testId?: string }) {
  const { t } = useTranslation();
  if (directives.length === 0) return <p className="hint">{t("directives.noDirectives")}</p>;
  return (
    <ol className="directive-list">
      {directives.map((directive) => (
        <li key={directive.id} data-testid={testId} data-directive={directive.id}>
          <p className="directive-text">{directive.text}</p>
          <p className="muted">
            {t("directives.dueDate")}: {formatViDate(directive.dueDate)} · {t("directives.expectedReport")}: {directive.expectedReport}
          </p>
          <ul className="directive-units">
            {directive.units.map((unit) => (
              <li key={unit.unitId} data-testid="directive-unit" data-standing={unit.standing}>
                {unit.unitName} — <span className={`standing standing-${unit.standing}`}>{t(`directives.standing.${unit.standing}`)}</span>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}
