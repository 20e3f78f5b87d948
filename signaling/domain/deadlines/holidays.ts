import { type LocalDate, localDate } from "./localDate";

export interface HolidaySeed {
  date: LocalDate;
  name: string;
}

/**
 * Weekday days off for civil servants (weekends are never working days anyway). These are seeds: the
 * Prime Minister's / Ministry's decision for each year is authoritative and admins edit the calendar.
 * Entries marked "(dự kiến)" could not be checked against the published decision offline.
 */
const seed = (date: string, name: string): HolidaySeed => ({ date: localDate(date), name });

export const holidays2026: HolidaySeed[] = [
  seed("2026-01-01", "Tết Dương lịch"),
  seed("2026-02-16", "Tết Nguyên đán"),
  seed("2026-02-17", "Tết Nguyên đán"),
  seed("2026-02-18", "Tết Nguyên đán"),
  seed("2026-02-19", "Tết Nguyên đán"),
  seed("2026-02-20", "Tết Nguyên đán"),
  // 10/3 âm lịch falls on Sunday 26 April; the day off moves to Monday.
  seed("2026-04-27", "Nghỉ bù Giỗ Tổ Hùng Vương"),
  seed("2026-04-30", "Ngày Chiến thắng"),
  seed("2026-05-01", "Ngày Quốc tế Lao động"),
  seed("2026-09-01", "Quốc khánh (ngày liền kề, dự kiến)"),
  seed("2026-09-02", "Quốc khánh"),
];

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
