import { describe, expect, it } from "vitest";
import { formatViDate, formatViDateTime, parseViDate, parseViTime } from "../../client/src/dates";
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
});
