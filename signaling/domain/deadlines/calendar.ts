import { addDays, dayOfWeek, type LocalDate } from "./localDate";

/**
 * Which days are working days for civil servants: Monday to Friday, except public holidays and the
 * compensating days off decided each year (data, edited by admins).
 */
export class WorkingCalendar {
  readonly #daysOff: ReadonlySet<string>;

  constructor(daysOff: Iterable<LocalDate>) {
    this.#daysOff = new Set(daysOff);
  }

  isWorkingDay(date: LocalDate): boolean {
    const weekday = dayOfWeek(date);
    return weekday !== 0 && weekday !== 6 && !this.#daysOff.has(date);
  }

  /** The date itself when it is a working day, else the next working day (BLDS 2015 Art. 148). */
  onOrAfter(date: LocalDate): LocalDate {
    let day = date;
    while (!this.isWorkingDay(day)) day = addDays(day, 1);
    return day;
  }

  /** The `count`-th working day after `start`; `start` itself is never counted (BLDS 2015 Art. 147). */
  addWorkingDays(start: LocalDate, count: number): LocalDate {
    let day = start;
    for (let counted = 0; counted < count; ) {
      day = addDays(day, 1);
      if (this.isWorkingDay(day)) counted++;
    }
    return day;
  }

  /** Working days in the half-open span (from, to]: how many of the period's days it used up. */
  workingDaysIn(from: LocalDate, to: LocalDate): number {
    let count = 0;
    for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) if (this.isWorkingDay(day)) count++;
    return count;
  }
}
