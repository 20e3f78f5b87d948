import type { CalendarDay } from "./calendar";
import { type LocalDate, localDate } from "./localDate";

export interface HolidaySeed extends CalendarDay {
  date: LocalDate;
  name: string;
}

/**
 * Weekday days off for civil servants (weekends are never working days anyway). These are seeds: the
 * Prime Minister's / Ministry's decision for each year is authoritative and admins edit the calendar.
 * Entries marked "(dự kiến)" could not be checked against the published decision offline.
 */
const seed = (date: string, name: string, kind: CalendarDay["kind"] = "holiday"): HolidaySeed => ({ date: localDate(date), name, kind });

export const holidays2026: HolidaySeed[] = [
  seed("2026-01-01", "Tết Dương lịch"),
  // Exchanged for the make-up working Saturday 10 January (makeUpWorkingDays2026).
  seed("2026-01-02", "Nghỉ hoán đổi (làm bù thứ Bảy 10/01)", "dayOff"),
  seed("2026-02-16", "Tết Nguyên đán"),
  seed("2026-02-17", "Tết Nguyên đán"),
  seed("2026-02-18", "Tết Nguyên đán"),
  seed("2026-02-19", "Tết Nguyên đán"),
  seed("2026-02-20", "Tết Nguyên đán"),
  // 10/3 âm lịch falls on Sunday 26 April; the day off moves to Monday.
  seed("2026-04-27", "Nghỉ bù Giỗ Tổ Hùng Vương"),
  seed("2026-04-30", "Ngày Chiến thắng"),
  seed("2026-05-01", "Ngày Quốc tế Lao động"),
  // Exchanged for the make-up working Saturday 22 August.
  seed("2026-08-31", "Nghỉ hoán đổi (làm bù thứ Bảy 22/08)", "dayOff"),
  seed("2026-09-01", "Quốc khánh (ngày liền kề, dự kiến)"),
  seed("2026-09-02", "Quốc khánh"),
];

/**
 * Weekend days worked in exchange for a weekday off (làm bù). Kept apart from the days off so that code
 * building a calendar from `holidays2026` alone never mistakes a worked Saturday for a day off.
 */
export const makeUpWorkingDays2026: HolidaySeed[] = [
  seed("2026-01-10", "Làm bù cho thứ Sáu 02/01", "workingDay"),
  seed("2026-08-22", "Làm bù cho thứ Hai 31/08", "workingDay"),
];

/** No exchange of days for 2027 was known when this was seeded; admins add them from the year's decision. */
export const makeUpWorkingDays2027: HolidaySeed[] = [];

export const holidays2027: HolidaySeed[] = [
  seed("2027-01-01", "Tết Dương lịch"),
  // Mùng 1 Tết is Saturday 6 February 2027.
  seed("2027-02-05", "Tết Nguyên đán (dự kiến)"),
  seed("2027-02-08", "Tết Nguyên đán (dự kiến)"),
  seed("2027-02-09", "Tết Nguyên đán (dự kiến)"),
  seed("2027-02-10", "Tết Nguyên đán (dự kiến)"),
  seed("2027-02-11", "Tết Nguyên đán (dự kiến)"),
  seed("2027-04-16", "Giỗ Tổ Hùng Vương (dự kiến)"),
  seed("2027-04-30", "Ngày Chiến thắng"),
  // 1 May 2027 is a Saturday; the day off moves to Monday.
  seed("2027-05-03", "Nghỉ bù Ngày Quốc tế Lao động"),
  seed("2027-09-02", "Quốc khánh"),
  seed("2027-09-03", "Quốc khánh (ngày liền kề, dự kiến)"),
];

/** Every seeded day of every kind: what a fresh database starts with. */
export const calendarSeeds: readonly HolidaySeed[] = [...holidays2026, ...makeUpWorkingDays2026, ...holidays2027, ...makeUpWorkingDays2027];
