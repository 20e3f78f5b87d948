import { describe, expect, it } from "vitest";
import { formatViDate, formatViDateTime, formatViDayLabel, formatViDayMonthTime, formatViTime, formatViTimeRange, nowVietnamInput, parseViDate, parseViTime, plusDays, todayInVietnam, vietnamDay, vietnamInputToIso } from "../../client/src/dates";
import { calendarDaySchema } from "../../signaling/protocol";

describe("Vietnamese dates (dd/mm/yyyy)", () => {
  it("reads day first, whatever the separator, with or without leading zeros", () => {
    expect(parseViDate("06/12/2026")).toBe("2026-12-06");
    expect(parseViDate("6/12/2026")).toBe("2026-12-06");
    expect(parseViDate("12/06/2026")).toBe("2026-06-12");
    expect(parseViDate(" 06-12-2026 ")).toBe("2026-12-06");
    expect(parseViDate("06.12.2026")).toBe("2026-12-06");
  });

  it("refuses what is not a real date", () => {
    for (const text of ["", "31/02/2026", "29/02/2026", "00/01/2026", "15/13/2026", "2026-12-06", "06/12/26", "abc", "32/01/2026"]) {
      expect(parseViDate(text), text).toBeNull();
    }
    expect(parseViDate("29/02/2028")).toBe("2028-02-29");
  });

  it("accepts a day exactly when the API's date schema does (one test of a day for both)", () => {
    for (const [day, month] of [["29", "02"], ["30", "02"], ["31", "04"], ["31", "12"], ["00", "05"], ["01", "13"], ["28", "02"]]) {
      for (const year of ["2026", "2028"]) {
        const typed = parseViDate(`${day}/${month}/${year}`);
        expect(typed !== null, `${day}/${month}/${year}`).toBe(calendarDaySchema.safeParse(`${year}-${month}-${day}`).success);
      }
    }
  });

  it("writes ISO dates back as dd/mm/yyyy, and round-trips", () => {
    expect(formatViDate("2026-12-06")).toBe("06/12/2026");
    expect(formatViDate("")).toBe("");
    expect(formatViDate("06/12/2026")).toBe("");
    for (const iso of ["2026-01-01", "2026-12-31", "2028-02-29"]) expect(parseViDate(formatViDate(iso))).toBe(iso);
  });

  it("reads 24-hour times and refuses the rest", () => {
    expect(parseViTime("8:05")).toBe("08:05");
    expect(parseViTime("08h05")).toBe("08:05");
    expect(parseViTime("20.30")).toBe("20:30");
    expect(parseViTime("23:59")).toBe("23:59");
    for (const text of ["24:00", "12:60", "8", "8:5", "2:30 PM", ""]) expect(parseViTime(text), text).toBeNull();
  });

  it("prints an instant in Vietnam's time, 24-hour", () => {
    expect(formatViDateTime("2026-12-06T07:30:00Z")).toBe("06/12/2026 14:30");
    expect(formatViDateTime("2026-12-31T17:05:00Z")).toBe("01/01/2027 00:05");
    expect(formatViDateTime("not a date")).toBe("");
  });

  it("shows times of day in Vietnam's time whatever the instant's offset, 24-hour, and nothing for a non-instant", () => {
    expect(formatViTime("2026-12-09T01:30:00Z")).toBe("08:30");
    expect(formatViTime("2026-12-09T08:30:00+07:00")).toBe("08:30");
    expect(formatViTime("2026-12-09T13:05:00Z")).toBe("20:05");
    expect(formatViTime("not a date")).toBe("");
    expect(formatViTimeRange("2026-12-09T01:00:00Z", "2026-12-09T01:30:00Z")).toBe("08:00–08:30");
    expect(formatViDayMonthTime("2026-12-31T17:15:00Z")).toBe("01/01 00:15");
  });

  it("groups instants by Vietnam's calendar day (17:00 UTC is already the next day there)", () => {
    expect(vietnamDay("2026-12-09T16:59:00Z")).toBe("2026-12-09");
    expect(vietnamDay("2026-12-09T17:00:00Z")).toBe("2026-12-10");
    expect(todayInVietnam()).toBe(vietnamDay(new Date().toISOString()));
    expect(plusDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(plusDays("2028-02-28", 1)).toBe("2028-02-29");
  });

  it("labels a day with its weekday in the reader's language and the date dd/mm/yyyy", () => {
    expect(formatViDayLabel("2026-12-09T01:00:00Z", "vi")).toBe("Thứ Tư, 09/12/2026");
    expect(formatViDayLabel("2026-12-09", "vi")).toBe("Thứ Tư, 09/12/2026");
    expect(formatViDayLabel("2026-12-09T20:00:00Z", "en")).toBe("Thursday, 10/12/2026");
  });

  it("turns a datetime-local value (Vietnam time) into an instant and back", () => {
    expect(new Date(vietnamInputToIso("2026-12-09T08:30")).toISOString()).toBe("2026-12-09T01:30:00.000Z");
    expect(nowVietnamInput()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
  });
});
