import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatViDate, formatViTime, formatViTimeDate, formatViWeekdayDateTime, vietnamDayOf } from "../../signaling/domain/vietnamTime";

const intl = (instant: Date, options: Intl.DateTimeFormatOptions) => instant.toLocaleString("vi-VN", { timeZone: "Asia/Ho_Chi_Minh", ...options });

describe("Vietnam's clock on the server (one owner for how documents write a date)", () => {
  it("writes what the time-zone database writes for Asia/Ho_Chi_Minh, for any instant since 1976", () => {
    // Vietnam has kept UTC+7 without daylight saving since 1975, so the arithmetic and the database agree.
    fc.assert(
      fc.property(fc.date({ min: new Date("1976-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true }), (instant) => {
        expect(formatViTimeDate(instant)).toBe(intl(instant, { hour: "2-digit", minute: "2-digit", day: "2-digit", month: "2-digit", year: "numeric" }));
        expect(formatViTime(instant)).toBe(intl(instant, { hour: "2-digit", minute: "2-digit", hour12: false }));
        expect(formatViDate(instant)).toBe(intl(instant, { day: "2-digit", month: "2-digit", year: "numeric" }));
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  it("turns the day at 17:00 UTC and names the weekday in Vietnamese", () => {
    expect(vietnamDayOf(new Date("2026-12-09T16:59:59Z"))).toBe("2026-12-09");
    expect(vietnamDayOf(new Date("2026-12-09T17:00:00Z"))).toBe("2026-12-10");
    expect(formatViWeekdayDateTime(new Date("2030-01-01T01:00:00Z"))).toBe("08:00, Thứ Ba 01/01/2030");
    expect(formatViTimeDate(new Date("2026-12-31T17:05:00Z"))).toBe("00:05 01/01/2027");
  });
});
