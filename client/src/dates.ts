import { isCalendarDay } from "../../signaling/protocol";
/**
 * Dates and times as Vietnamese documents write them — dd/mm/yyyy and 24-hour hh:mm — whatever the
 * browser's or the computer's locale (an English Windows would otherwise show mm/dd/yyyy and AM/PM, and
 * "12/06/2026" would read as 12 June). The API keeps ISO strings; these functions convert at the field.
 */

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

/** An ISO instant → "06/12/2026 14:30" in Vietnam's time (UTC+7, no daylight saving). */
export function formatViDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const local = new Date(date.getTime() + 7 * 3_600_000);
  return `${pad(local.getUTCDate())}/${pad(local.getUTCMonth() + 1)}/${local.getUTCFullYear()} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
}

/** A meeting's running time: "07:05" under an hour, "1:02:09" from the first hour on; negative counts as 0. */
export function formatElapsed(milliseconds: number): string {
  const seconds = Math.max(0, Math.floor(milliseconds / 1000));
  const [hours, minutes, rest] = [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(rest)}` : `${pad(minutes)}:${pad(rest)}`;
}
