/**
 * The one owner on the server of Vietnam's clock and of how a date or time is written in what the server
 * produces (PDFs, spreadsheets' names, mail): Vietnam is UTC+7 all year (no daylight saving), so the wall
 * clock is the instant plus seven hours read through the UTC getters — no time-zone database needed, and
 * the same on a server set to any zone. Documents write the time first, as Vietnamese administrative
 * documents do: "08:30 15/12/2026". (The web client's own owner is client/src/dates.ts.)
 */
export const VIETNAM_OFFSET_MS = 7 * 3_600_000;
/** The offset as ISO 8601 writes it, for instants given as Vietnam's local date and time. */
export const VIETNAM_UTC_OFFSET = "+07:00";

const WEEKDAYS = ["Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"];
const pad = (value: number) => String(value).padStart(2, "0");

/** The instant as Vietnam's wall clock, to be read through the UTC getters. */
const wallClock = (instant: Date) => new Date(instant.getTime() + VIETNAM_OFFSET_MS);

/** "2026-12-15": the calendar day in Vietnam at that instant. */
export const vietnamDayOf = (instant: Date): string => wallClock(instant).toISOString().slice(0, 10);

/** "2026-12-10" → "10/12/2026". */
export const formatViDay = (isoDate: string): string => isoDate.split("-").reverse().join("/");

/** "15/12/2026" */
export const formatViDate = (instant: Date): string => formatViDay(vietnamDayOf(instant));

/** "08:30" (24-hour) */
export function formatViTime(instant: Date): string {
  const local = wallClock(instant);
  return `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
}

/** "08:30 15/12/2026" */
export const formatViTimeDate = (instant: Date): string => `${formatViTime(instant)} ${formatViDate(instant)}`;

/** "08:00, Thứ Năm 01/01/2030" */
export const formatViWeekdayDateTime = (instant: Date): string => `${formatViTime(instant)}, ${WEEKDAYS[wallClock(instant).getUTCDay()]} ${formatViDate(instant)}`;
