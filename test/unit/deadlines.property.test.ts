import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  computeDeadline,
  deadlineRules,
  type DeadlineRuleId,
  calendarSeeds,
  localDate,
  type Suspension,
  vietnamDateOf,
  WorkingCalendar,
} from "../../signaling/domain/deadlines";

const calendar = WorkingCalendar.of(calendarSeeds);
// Periods without extensions: the denunciation rule refuses none, so every rule is safe to compute bare.
const ruleIds = Object.keys(deadlineRules) as DeadlineRuleId[];
const base = localDate("2026-01-01");
const arbitraryStart = fc.integer({ min: 0, max: 360 }).map((offset) => addDays(base, offset));
const arbitraryRule = fc.constantFrom(...ruleIds);
/** A suspension starting 1–60 days after the period began and lasting 0–40 days. */
const arbitrarySuspension = fc.record({ after: fc.integer({ min: 1, max: 60 }), length: fc.integer({ min: 0, max: 40 }) });

const suspensionAt = (start: ReturnType<typeof localDate>, spec: { after: number; length: number }): Suspension => ({
  from: addDays(start, spec.after),
  resumedOn: addDays(start, spec.after + spec.length),
});

describe("deadline properties", () => {
  it("a due date is never a day off", () => {
    fc.assert(
      fc.property(arbitraryRule, arbitraryStart, fc.option(arbitrarySuspension, { nil: undefined }), (ruleId, start, spec) => {
        const deadline = computeDeadline({ rule: deadlineRules[ruleId], start, suspensions: spec ? [suspensionAt(start, spec)] : [] }, calendar);
        expect(deadline.due).toBeDefined();
        expect(calendar.isWorkingDay(deadline.due!)).toBe(true);
      }),
    );
  });

  it("adding a suspension never moves a due date earlier, and moves it by at most its length plus a weekend/holiday roll", () => {
    fc.assert(
      fc.property(arbitraryRule, arbitraryStart, arbitrarySuspension, (ruleId, start, spec) => {
        const rule = deadlineRules[ruleId];
        const without = computeDeadline({ rule, start }, calendar).due!;
        const withSuspension = computeDeadline({ rule, start, suspensions: [suspensionAt(start, spec)] }, calendar).due!;
        expect(withSuspension >= without).toBe(true);
        if (rule.unit === "calendar") expect(withSuspension <= calendar.onOrAfter(addDays(without, spec.length))).toBe(true);
      }),
    );
  });

  it("the Vietnamese date of an instant does not depend on the time of day or the server's time zone", () => {
    // This file also runs under TZ=America/Los_Angeles (see the report); the result must be the same.
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) }), (ms) => {
        const instant = new Date(ms);
        const expected = new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10);
        expect(vietnamDateOf(instant)).toBe(expected);
        // Any instant of the same Vietnamese day gives the same deadline.
        const dayStartUtc = Date.parse(`${expected}T00:00:00+07:00`);
        const sameDay = vietnamDateOf(new Date(dayStartUtc + ((ms - dayStartUtc) * 7919) % 86_400_000));
        const rule = deadlineRules["complaint.resolveFirstRound"];
        expect(computeDeadline({ rule, start: sameDay }, calendar)).toEqual(computeDeadline({ rule, start: vietnamDateOf(instant) }, calendar));
      }),
    );
  });
});
