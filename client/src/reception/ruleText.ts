import type { TFunction } from "i18next";

/** A stored recurrence in words: "Thứ Tư hằng tuần", "Ngày 15 hằng tháng", "Mọi ngày làm việc". */
export function ruleText(rule: string | null, t: TFunction): string {
  if (rule === null) return t("reception.rules.adhoc");
  if (rule === "daily") return t("reception.rules.daily");
  const [kind, value] = rule.split(":");
  if (kind === "weekly") return t("reception.rules.weekly", { day: t(`reception.weekdays.${value}`) });
  if (kind === "monthly") return t("reception.rules.monthly", { day: value });
  return rule;
}
