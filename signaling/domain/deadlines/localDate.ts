import { VIETNAM_OFFSET_MS } from "../vietnamTime";

/**
 * Calendar dates without a time of day ("2026-02-16"), as the law counts them. Legal deadlines are about
 * days in Vietnam (Asia/Ho_Chi_Minh, UTC+7, no daylight saving), never about instants.
 */
export type LocalDate = string & { readonly __brand: "LocalDate" };

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

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

/**
 * The matching date `months` later (BLDS 2015 Art. 148): 5 Jan + 12 months = 5 Jan next year; when the last
 * month has no matching day (29 Feb, 31 Apr…), its last day.
 */
export function addMonths(date: LocalDate, months: number): LocalDate {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  const lastDayOfMonth = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate();
  const pad = (value: number, width: number) => String(value).padStart(width, "0");
  return `${pad(targetYear, 4)}-${pad(targetMonth, 2)}-${pad(Math.min(day, lastDayOfMonth), 2)}` as LocalDate;
}

/** Whole days from `a` to `b` (positive when b is later). */
export const daysBetween = (a: LocalDate, b: LocalDate): number => toEpochDay(b) - toEpochDay(a);

/** 0 = Sunday … 6 = Saturday. */
export const dayOfWeek = (date: LocalDate): number => new Date(`${date}T00:00:00Z`).getUTCDay();

export const compareDates = (a: LocalDate, b: LocalDate): number => toEpochDay(a) - toEpochDay(b);

/** The date in Vietnam at a given instant (an event at 23:30 UTC is already the next day there). */
export const vietnamDateOf = (instant: Date): LocalDate => new Date(instant.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10) as LocalDate;
