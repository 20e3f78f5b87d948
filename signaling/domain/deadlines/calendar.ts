import { addDays, dayOfWeek, type LocalDate, localDate } from "./localDate";

/**
 * The kinds of day the yearly decision on days off uses (issue 13, item 6):
 * - `holiday`: a public holiday (or its legal compensating day when it falls on a weekend);
 * - `dayOff`: a weekday given off in exchange for a worked weekend day (nghỉ hoán đổi);
 * - `workingDay`: that weekend day, worked instead (làm bù), e.g. Sat 10 Jan 2026 for Fri 2 Jan.
 */
export const calendarDayKinds = ["holiday", "dayOff", "workingDay"] as const;
export type CalendarDayKind = (typeof calendarDayKinds)[number];

/** A stored kind; anything unknown (a hand edit of the database) is read as a day off, never as a working day. */
export const parseCalendarDayKind = (value: string): CalendarDayKind => ((calendarDayKinds as readonly string[]).includes(value) ? (value as CalendarDayKind) : "holiday");

export interface CalendarDay {
  date: LocalDate;
  kind: CalendarDayKind;
}

const isWeekend = (date: LocalDate) => {
  const weekday = dayOfWeek(date);
  return weekday === 0 || weekday === 6;
};

/**
 * Which days are working days for civil servants: Monday to Friday, except public holidays and the days
 * off in exchange, plus the weekend days worked in exchange. All of it is data, edited by admins.
 */
export class WorkingCalendar {
  readonly #daysOff: ReadonlySet<string>;
  readonly #workedWeekendDays: ReadonlySet<string>;

  constructor(daysOff: Iterable<LocalDate>, workedWeekendDays: Iterable<LocalDate> = []) {
    this.#daysOff = new Set(daysOff);
    this.#workedWeekendDays = new Set(workedWeekendDays);
    for (const date of this.#workedWeekendDays) {
      if (!isWeekend(date as LocalDate)) throw new RangeError(`${date}: only a Saturday or Sunday can be a make-up working day`);
      if (this.#daysOff.has(date)) throw new RangeError(`${date} is listed both as a day off and as a working day`);
    }
  }

  /** A calendar from stored days of the three kinds. */
  static of(days: Iterable<{ date: LocalDate; kind: CalendarDayKind }>): WorkingCalendar {
    const off: LocalDate[] = [];
    const worked: LocalDate[] = [];
    for (const day of days) (day.kind === "workingDay" ? worked : off).push(day.date);
    return new WorkingCalendar(off, worked);
  }

  /**
   * A calendar from the stored rows (Holiday table): dates as text, kinds as text. The API lets in only
   * valid rows; a hand-edited one that is not (a "worked" weekday) is left out rather than stopping every
   * deadline computation, and a date both off and worked is off.
   */
  static fromStored(rows: Iterable<{ date: string; kind: string }>): WorkingCalendar {
    const days = [...rows].map((row) => ({ date: localDate(row.date), kind: parseCalendarDayKind(row.kind) }));
    const off = new Set(days.filter((day) => day.kind !== "workingDay").map((day) => day.date));
    return WorkingCalendar.of(days.filter((day) => day.kind !== "workingDay" || (isWeekend(day.date) && !off.has(day.date))));
  }

  isWorkingDay(date: LocalDate): boolean {
    if (this.#daysOff.has(date)) return false;
    return this.#workedWeekendDays.has(date) || !isWeekend(date);
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
