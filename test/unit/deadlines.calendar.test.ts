import { describe, expect, it } from "vitest";
import { calendarSeeds, computeDeadline, deadlineRules, localDate, WorkingCalendar } from "../../signaling/domain/deadlines";

const d = localDate;
const calendar = WorkingCalendar.of(calendarSeeds);

/**
 * Issue 13 item 6: the calendar has three kinds of days — a public holiday, a weekday off in exchange for a
 * worked weekend day, and that worked weekend day (make-up working Saturday). All three are data.
 */
describe("working calendar with make-up working days", () => {
  it("treats a make-up Saturday as a working day and its exchanged Friday as a day off (2 ↔ 10 Jan 2026)", () => {
    expect(calendar.isWorkingDay(d("2026-01-10"))).toBe(true);
    expect(calendar.isWorkingDay(d("2026-01-02"))).toBe(false);
    expect(calendar.isWorkingDay(d("2026-01-17"))).toBe(false);
  });

  it("treats Sat 22 Aug 2026 as worked for Mon 31 Aug", () => {
    expect(calendar.isWorkingDay(d("2026-08-22"))).toBe(true);
    expect(calendar.isWorkingDay(d("2026-08-31"))).toBe(false);
  });

  it("counts the make-up Saturday in a working-day period", () => {
    // Luật TC Art. 29, 5 working days from Thu 8 Jan 2026: Fri 9 (1), Sat 10 make-up (2), Mon 12 (3), Tue 13 (4), Wed 14 (5)
    const due = computeDeadline({ rule: deadlineRules["denunciation.notifyAcceptance"], start: d("2026-01-08") }, calendar).due;
    expect(due).toBe("2026-01-14");
  });

  it("does not roll a calendar-day period that ends on a make-up Saturday", () => {
    // Luật KN Art. 27, 10 days from Wed 31 Dec 2025 → Sat 10 Jan 2026, a working day: it ends there (BLDS Art. 148)
    const due = computeDeadline({ rule: deadlineRules["complaint.acceptFirstRound"], start: d("2025-12-31") }, calendar).due;
    expect(due).toBe("2026-01-10");
  });

  it("refuses a day listed both as off and as worked: the data would be ambiguous", () => {
    expect(() => WorkingCalendar.of([{ date: d("2026-01-10"), kind: "workingDay" }, { date: d("2026-01-10"), kind: "holiday" }])).toThrow(RangeError);
  });

  it("reads stored rows without failing on a hand-edited one: a worked weekday is ignored, off-and-worked is off", () => {
    const stored = WorkingCalendar.fromStored([
      { date: "2026-01-09", kind: "workingDay" },
      { date: "2026-01-10", kind: "workingDay" },
      { date: "2026-01-17", kind: "workingDay" },
      { date: "2026-01-17", kind: "holiday" },
      { date: "2026-01-02", kind: "somethingElse" },
    ]);
    expect(stored.isWorkingDay(d("2026-01-09"))).toBe(true);
    expect(stored.isWorkingDay(d("2026-01-10"))).toBe(true);
    expect(stored.isWorkingDay(d("2026-01-17"))).toBe(false);
    expect(stored.isWorkingDay(d("2026-01-02"))).toBe(false);
  });

  it("refuses a make-up working day on a weekday: only a weekend day can be worked in exchange", () => {
    expect(() => WorkingCalendar.of([{ date: d("2026-01-09"), kind: "workingDay" }])).toThrow(RangeError);
  });
});
