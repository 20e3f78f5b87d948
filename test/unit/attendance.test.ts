import { describe, expect, it } from "vitest";
import { linkQualityOf, summariseAttendance } from "../../signaling/domain/attendance";

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

  it("rates each site's link by the weaker direction, weighted by how long each stay lasted", () => {
    const [site] = summariseAttendance([
      // 30 minutes sending well but receiving badly, then 60 minutes good both ways.
      { displayName: "UBND xã B", unitId: "b", userId: "u1", joinedAt: at("08:00"), leftAt: at("08:30"), leaveReason: "disconnected", qualityUp: 9.5, qualityDown: 4, poorShare: 0.6 },
      { displayName: "UBND xã B", unitId: "b", userId: "u1", joinedAt: at("08:30"), leftAt: at("09:30"), leaveReason: "left", qualityUp: 9, qualityDown: 10, poorShare: 0 },
    ]);
    expect(site).toMatchObject({ qualityScore: 7.3, poorShare: 0.2, quality: "fair" });
  });

  it("counts a stay cut by a server crash (closed at the restart) as a disconnection, and one the site ended as none", () => {
    const [site] = summariseAttendance([
      { displayName: "UBND xã D", unitId: "d", userId: "u1", joinedAt: at("08:00"), leftAt: at("08:20"), leaveReason: "serverRestarted" },
      { displayName: "UBND xã D", unitId: "d", userId: "u1", joinedAt: at("08:21"), leftAt: at("08:40"), leaveReason: "removed" },
      { displayName: "UBND xã D", unitId: "d", userId: "u1", joinedAt: at("08:41"), leftAt: at("09:00"), leaveReason: "left" },
    ]);
    expect(site).toMatchObject({ stays: 3, disconnections: 1 });
  });

  it("says nothing about a link that carried no media", () => {
    const [site] = summariseAttendance([{ displayName: "Sở Nội vụ", unitId: "c", userId: "u1", joinedAt: at("08:00"), leftAt: at("08:10"), leaveReason: "left" }]);
    expect(site).toMatchObject({ qualityScore: null, quality: null });
  });

  it.each([
    [9.5, 0, "good"],
    [7, 0, "fair"],
    [9, 0.3, "poor"],
    [4.9, 0, "poor"],
  ] as const)("score %f with %f of the time poor is %s", (score, poorShare, expected) => {
    expect(linkQualityOf(score, poorShare)).toBe(expected);
  });
});
