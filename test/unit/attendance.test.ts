import { describe, expect, it } from "vitest";
import { summariseAttendance } from "../../signaling/domain/attendance";

const at = (time: string) => new Date(`2026-03-02T${time}:00+07:00`);

describe("attendance summary", () => {
  it("merges a site's stays, counts overlapping devices once and flags dropped connections", () => {
    const summary = summariseAttendance([
      { displayName: "UBND xã A", unitId: "a", userId: "u1", joinedAt: at("08:00"), leftAt: at("08:30"), leaveReason: "disconnected" },
      { displayName: "UBND xã A", unitId: "a", userId: "u1", joinedAt: at("08:32"), leftAt: at("09:00"), leaveReason: "left" },
      { displayName: "UBND xã A", unitId: "a", userId: "u2", joinedAt: at("08:40"), leftAt: at("08:50"), leaveReason: "left" },
      { displayName: "Sở Y tế", unitId: "b", userId: "u3", joinedAt: at("08:05"), leftAt: null, leaveReason: null },
    ], at("09:05"));
    expect(summary).toEqual([
      expect.objectContaining({ site: "UBND xã A", stays: 3, minutesPresent: 58, disconnections: 1, lastLeft: at("09:00").toISOString() }),
      expect.objectContaining({ site: "Sở Y tế", stays: 1, minutesPresent: 60, lastLeft: null, disconnections: 0 }),
    ]);
  });
});
