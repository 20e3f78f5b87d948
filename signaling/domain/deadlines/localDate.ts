/**
 * Calendar dates without a time of day ("2026-02-16"), as the law counts them. Legal deadlines are about
 * days in Vietnam (Asia/Ho_Chi_Minh, UTC+7, no daylight saving), never about instants.
 */
export type LocalDate = string & { readonly __brand: "LocalDate" };

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

export function localDate(value: string): LocalDate {
  const match = PATTERN.exec(value);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${value}`);
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) throw new RangeError(`no such date: ${value}`);
  return value as LocalDate;
}

const toEpochDay = (date: LocalDate): number => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const fromEpochDay = (day: number): LocalDate => new Date(day * DAY_MS).toISOString().slice(0, 10) as LocalDate;

export const addDays = (date: LocalDate, days: number): LocalDate => fromEpochDay(toEpochDay(date) + days);

/** Whole days from `a` to `b` (positive when b is later). */
export const daysBetween = (a: LocalDate, b: LocalDate): number => toEpochDay(b) - toEpochDay(a);

/** 0 = Sunday … 6 = Saturday. */
export const dayOfWeek = (date: LocalDate): number => new Date(`${date}T00:00:00Z`).getUTCDay();

export const compareDates = (a: LocalDate, b: LocalDate): number => toEpochDay(a) - toEpochDay(b);

/** The date in Vietnam at a given instant (an event at 23:30 UTC is already the next day there). */
export const vietnamDateOf = (instant: Date): LocalDate => new Date(instant.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10) as LocalDate;
