import { isCalendarDay } from "../../signaling/protocol";
/**
 * The one place the client turns dates and times into text and back. Dates and times as Vietnamese
 * documents write them — dd/mm/yyyy and 24-hour hh:mm — in Vietnam's time (UTC+7, no daylight saving),
 * whatever the browser's or the computer's locale and zone (an English Windows would otherwise show
 * mm/dd/yyyy and AM/PM, "12/06/2026" would read as 12 June, and a laptop set to another zone would move
 * every meeting). The API keeps ISO strings; these functions convert at the field.
 */

const VIETNAM_OFFSET_MS = 7 * 3_600_000;

const DATE_TEXT = /^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_TEXT = /^\s*(\d{1,2})\s*[:hH.]\s*(\d{2})\s*$/;

const pad = (value: number) => String(value).padStart(2, "0");

/** "6/12/2026", "06-12-2026", "06.12.2026" → "2026-12-06"; null when it is not a real date. */
export function parseViDate(text: string): string | null {
  const match = DATE_TEXT.exec(text);
  if (!match) return null;
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // A year this far off is a typing slip, not a petition's or a meeting's date.
  if (year < 1900 || year > 2200) return null;
  const iso = `${year}-${pad(month)}-${pad(day)}`;
  // Whether the day exists is the server's own test, so a field never accepts what the API refuses.
  return isCalendarDay(iso) ? iso : null;
}

/** "2026-12-06" → "06/12/2026"; anything else → "" (an empty field). */
export function formatViDate(iso: string): string {
  const match = ISO_DATE.exec(iso);
  if (!match) return "";
  return `${match[3]}/${match[2]}/${match[1]}`;
}

/** "8:05", "08h05", "20.30" → "08:05" / "20:30"; null when it is not a time of day. */
export function parseViTime(text: string): string | null {
  const match = TIME_TEXT.exec(text);
  if (!match) return null;
  const [hours, minutes] = [Number(match[1]), Number(match[2])];
  return hours <= 23 && minutes <= 59 ? `${pad(hours)}:${pad(minutes)}` : null;
}

/** An ISO instant as Vietnam's wall clock, read through the UTC getters; null when it is not an instant. */
function inVietnam(iso: string): Date | null {
  const time = new Date(iso).getTime();
  return Number.isNaN(time) ? null : new Date(time + VIETNAM_OFFSET_MS);
}

/** An ISO instant → "06/12/2026 14:30" in Vietnam's time. */
export function formatViDateTime(iso: string): string {
  const local = inVietnam(iso);
  if (!local) return "";
  return `${pad(local.getUTCDate())}/${pad(local.getUTCMonth() + 1)}/${local.getUTCFullYear()} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
}

/** An ISO instant → "14:30" in Vietnam's time. */
export function formatViTime(iso: string): string {
  const local = inVietnam(iso);
  return local ? `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}` : "";
}

/** Two ISO instants → "08:00–08:30" in Vietnam's time. */
export function formatViTimeRange(startsAt: string, endsAt: string): string {
  return `${formatViTime(startsAt)}–${formatViTime(endsAt)}`;
}

/** An ISO instant → "06/12 14:30", for lists where the year goes without saying. */
export function formatViDayMonthTime(iso: string): string {
  const local = inVietnam(iso);
  return local ? `${pad(local.getUTCDate())}/${pad(local.getUTCMonth() + 1)} ${formatViTime(iso)}` : "";
}

/**
 * An ISO instant or calendar day → "Thứ Tư, 09/12/2026" ("Wednesday, 09/12/2026" in English): the weekday
 * in the reader's language (`currentLocale()`), the date always dd/mm/yyyy.
 */
export function formatViDayLabel(iso: string, language: "vi" | "en"): string {
  const local = inVietnam(iso);
  if (!local) return "";
  const weekday = local.toLocaleDateString(language === "en" ? "en-GB" : "vi-VN", { timeZone: "UTC", weekday: "long" });
  // Vietnamese weekday names come lower-case from Intl ("thứ tư"); a label starts with a capital.
  return `${weekday.charAt(0).toUpperCase()}${weekday.slice(1)}, ${formatViDate(local.toISOString().slice(0, 10))}`;
}

/** The calendar day in Vietnam of an ISO instant, "2026-12-09" (for grouping by day). */
export function vietnamDay(iso: string): string {
  return inVietnam(iso)?.toISOString().slice(0, 10) ?? "";
}

/** Today in Vietnam, "2026-12-01". */
export function todayInVietnam(): string {
  return vietnamDay(new Date().toISOString());
}

/** The calendar day `days` after `day` ("2026-12-01", 3 → "2026-12-04"). */
export function plusDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A datetime-local field's value ("2026-12-09T08:30", Vietnam time) → an ISO instant with its offset. */
export function vietnamInputToIso(value: string): string {
  return `${value}:00+07:00`;
}

/** Now as a datetime-local field's value in Vietnam time, "2026-12-09T08:30". */
export function nowVietnamInput(): string {
  return new Date(Date.now() + VIETNAM_OFFSET_MS).toISOString().slice(0, 16);
}

/** A meeting's running time: "07:05" under an hour, "1:02:09" from the first hour on; negative counts as 0. */
export function formatElapsed(milliseconds: number): string {
  const seconds = Math.max(0, Math.floor(milliseconds / 1000));
  const [hours, minutes, rest] = [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(rest)}` : `${pad(minutes)}:${pad(rest)}`;
}
