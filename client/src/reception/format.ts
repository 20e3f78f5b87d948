import { currentLocale } from "../i18n";

/** Reception times are shown as the unit lives them: in Vietnam time, whatever the device's zone. */
const ZONE = "Asia/Ho_Chi_Minh";
const localeTag = () => (currentLocale() === "en" ? "en-GB" : "vi-VN");

/** "08:30" */
export const timeOf = (iso: string): string => new Date(iso).toLocaleTimeString(localeTag(), { timeZone: ZONE, hour: "2-digit", minute: "2-digit", hour12: false });

/** "08:00–08:30" */
export const timeRange = (startsAt: string, endsAt: string): string => `${timeOf(startsAt)}–${timeOf(endsAt)}`;

/** The local date of an instant, "2026-12-09", for grouping slots by day. */
export const localDay = (iso: string): string => new Date(new Date(iso).getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

/** "Thứ Tư, 09/12/2026" */
export const dayLabel = (iso: string): string =>
  new Date(iso).toLocaleDateString(localeTag(), { timeZone: ZONE, weekday: "long", day: "2-digit", month: "2-digit", year: "numeric" });

/** "08:30 09/12/2026" */
export const dateTime = (iso: string): string => `${timeOf(iso)} ${new Date(iso).toLocaleDateString(localeTag(), { timeZone: ZONE, day: "2-digit", month: "2-digit", year: "numeric" })}`;

/** Today in Vietnam, "2026-12-01". */
export const todayLocal = (): string => localDay(new Date().toISOString());

/** A local date `days` after `date`. */
export const plusDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** A local date and time ("2026-12-09T08:30", Vietnam time) as an ISO instant with offset. */
export const fromLocalInput = (value: string): string => `${value}:00+07:00`;

/** Now in Vietnam time, "2026-12-09T08:30". */
export const nowLocalInput = (): string => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 16);

/** The first field of each problem the server reported, so forms can mark the fields. */
export const fieldsOf = (details: { path: string }[] | undefined): string[] => (details ?? []).map((detail) => detail.path);
