import { describe, expect, it } from "vitest";
import { calendarSeeds, localDate, WorkingCalendar } from "../../signaling/domain/deadlines";
import { generateSlots, monthlyReceptionDay, parseRule, vietnamDaysRange } from "../../signaling/domain/reception";

const calendar = WorkingCalendar.of(calendarSeeds);
const range = (from: string, to: string) => ({ from: localDate(from), to: localDate(to) });
const morning = { startTime: "08:00", endTime: "10:00", slotMinutes: 30, capacityPerSlot: 3 };
/** The local (Vietnam) dates slots fall on. */
const daysOf = (slots: { startsAt: Date }[]) => [...new Set(slots.map((slot) => new Date(slot.startsAt.getTime() + 7 * 3_600_000).toISOString().slice(0, 10)))];

describe("reception rules", () => {
  it("parse the recurrences schedules store, and nothing else", () => {
    expect(parseRule("daily")).toEqual({ kind: "daily" });
    expect(parseRule("weekly:1")).toEqual({ kind: "weekly", isoWeekday: 1 });
    expect(parseRule("monthly:15")).toEqual({ kind: "monthly", day: 15 });
    expect(parseRule(null)).toEqual({ kind: "adhoc" });
    for (const bad of ["weekly:6", "weekly:0", "monthly:29", "monthly:0", "hourly", "weekly:1,3"]) expect(parseRule(bad), bad).toBeNull();
  });
});

describe("slot generation", () => {
  it("weekly: every Monday in the range, skipping the Monday day off after Giỗ Tổ (27 Apr 2026)", () => {
    const slots = generateSlots({ ...morning, rule: "weekly:1" }, range("2026-04-20", "2026-05-10"), calendar, "online");
    expect(daysOf(slots)).toEqual(["2026-04-20", "2026-05-04"]);
  });

  it("daily: working days only — no weekend, no 27 Apr, 30 Apr, 1 May 2026", () => {
    const slots = generateSlots({ ...morning, rule: "daily" }, range("2026-04-25", "2026-05-05"), calendar, "office");
    expect(daysOf(slots)).toEqual(["2026-04-28", "2026-04-29", "2026-05-04", "2026-05-05"]);
    expect(slots.every((slot) => slot.mode === "office" && slot.capacity === 3)).toBe(true);
  });

  it("monthly: the day of the month, moved to the next working day when it is a weekend or a holiday", () => {
    const slots = generateSlots({ ...morning, rule: "monthly:1" }, range("2026-01-01", "2026-03-31"), calendar, "online");
    // 1 Jan is Tết Dương lịch and Fri 2 Jan a day off in exchange for Sat 10 Jan → Mon 5 Jan;
    // 1 Feb and 1 Mar are Sundays → Mondays 2 Feb and 2 Mar.
    expect(daysOf(slots)).toEqual(["2026-01-05", "2026-02-02", "2026-03-02"]);
  });

  it("monthly: a day inside the Lunar New Year break moves past it (16 Feb 2026 → 23 Feb)", () => {
    expect(monthlyReceptionDay(localDate("2026-02-01"), 16, calendar)).toBe("2026-02-23");
    const slots = generateSlots({ ...morning, rule: "monthly:16" }, range("2026-02-01", "2026-02-28"), calendar, "online");
    expect(daysOf(slots)).toEqual(["2026-02-23"]);
  });

  it("monthly: with no working day left in the month, the last working day before it", () => {
    // 28 Feb 2026 is a Saturday and the month ends with it.
    expect(monthlyReceptionDay(localDate("2026-02-10"), 28, calendar)).toBe("2026-02-27");
  });

  it("monthly: a moved day outside the range is not generated, one inside it is", () => {
    expect(generateSlots({ ...morning, rule: "monthly:1" }, range("2026-02-01", "2026-02-01"), calendar, "online")).toEqual([]);
    expect(daysOf(generateSlots({ ...morning, rule: "monthly:1" }, range("2026-02-02", "2026-02-02"), calendar, "online"))).toEqual(["2026-02-02"]);
  });

  it("ad-hoc: each working day of the range chosen", () => {
    const slots = generateSlots({ ...morning, rule: null }, range("2026-02-13", "2026-02-23"), calendar, "online");
    expect(daysOf(slots)).toEqual(["2026-02-13", "2026-02-23"]);
  });

  it("cuts the morning into back-to-back slots in Vietnam time, none running past the end", () => {
    const slots = generateSlots({ ...morning, rule: "weekly:2" }, range("2026-03-03", "2026-03-03"), calendar, "online");
    expect(slots.map((slot) => [slot.startsAt.toISOString(), slot.endsAt.toISOString()])).toEqual([
      ["2026-03-03T01:00:00.000Z", "2026-03-03T01:30:00.000Z"],
      ["2026-03-03T01:30:00.000Z", "2026-03-03T02:00:00.000Z"],
      ["2026-03-03T02:00:00.000Z", "2026-03-03T02:30:00.000Z"],
      ["2026-03-03T02:30:00.000Z", "2026-03-03T03:00:00.000Z"],
    ]);
    const longer = generateSlots({ ...morning, slotMinutes: 45, rule: "weekly:2" }, range("2026-03-03", "2026-03-03"), calendar, "online");
    expect(longer.map((slot) => slot.startsAt.toISOString())).toEqual(["2026-03-03T01:00:00.000Z", "2026-03-03T01:45:00.000Z"]);
  });

  it("local day ranges cover whole days in Vietnam", () => {
    expect(vietnamDaysRange("2026-03-03", "2026-03-04")).toEqual({ gte: new Date("2026-03-02T17:00:00Z"), lt: new Date("2026-03-04T17:00:00Z") });
  });
});
