import { describe, expect, it } from "vitest";
import { clientNetwork, receptionCompliance, type ReceptionRequirementRow, receptionRequirementRows, recordingRefusal, requirementFor } from "../../signaling/domain/reception";

const periodic = (rule: string, overrides: Partial<{ active: boolean; leaderUserId: string | null; kind: string }> = {}) => ({
  kind: "periodic",
  rule,
  leaderUserId: "leader-1",
  active: true,
  ...overrides,
});
const commune = { kind: "commune", depth: 1 };
const province = { kind: "province", depth: 0 };

describe("legal minimum of the leader's periodic reception", () => {
  it("a commune chair: at least one day a week (weekly meets it, monthly does not)", () => {
    expect(receptionCompliance(commune, [periodic("weekly:3")])).toMatchObject({ status: "meets", perWeek: 1, perMonth: 4, problems: [] });
    expect(receptionCompliance(commune, [periodic("monthly:10")])).toMatchObject({ status: "below", perWeek: 0, problems: ["below_minimum"] });
    expect(receptionCompliance({ kind: "ward", depth: 1 }, [periodic("daily")]).status).toBe("meets");
  });

  it("a province chair and an agency head: at least one day a month", () => {
    expect(receptionCompliance(province, [periodic("monthly:15")])).toMatchObject({ status: "meets", perMonth: 1 });
    expect(receptionCompliance({ kind: "department", depth: 1 }, [periodic("weekly:2")]).status).toBe("meets");
    expect(receptionCompliance({ kind: "department", depth: 1 }, [])).toMatchObject({ status: "below", problems: ["no_periodic_schedule", "below_minimum"] });
  });

  it("counts only active periodic schedules the leader holds; the officers' desk and ad-hoc days do not count", () => {
    const notCounting = [
      periodic("weekly:1", { active: false }),
      periodic("weekly:2", { leaderUserId: null }),
      periodic("daily", { kind: "regular", leaderUserId: null }),
      { kind: "adhoc", rule: null, leaderUserId: "leader-1", active: true },
    ];
    expect(receptionCompliance(commune, notCounting)).toMatchObject({ status: "below", perWeek: 0, perMonth: 0, problems: ["no_periodic_schedule", "below_minimum"] });
  });

  it("two weekdays are counted once each; the same weekday twice is one day", () => {
    expect(receptionCompliance(commune, [periodic("weekly:1"), periodic("weekly:1"), periodic("weekly:4")])).toMatchObject({ perWeek: 2, perMonth: 8 });
  });

  it("the requirement follows the unit's kind; a root of another kind is provincial; others are unknown", () => {
    expect(requirementFor(commune)).toMatchObject({ days: 1, per: "week", basis: expect.stringContaining("Luật Tiếp công dân 2013") });
    expect(requirementFor({ kind: "other", depth: 0 })).toMatchObject({ days: 1, per: "month" });
    expect(requirementFor({ kind: "other", depth: 2 })).toBeNull();
    expect(receptionCompliance({ kind: "other", depth: 2 }, [periodic("weekly:1")])).toMatchObject({ status: "unknown", requirement: null, problems: [] });
  });
});

describe("recording and personal data rules", () => {
  it("a session is recorded only with consent, and never about a denunciation by default", () => {
    expect(recordingRefusal({ consentGiven: true, petitionKind: "complaint" })).toBeNull();
    expect(recordingRefusal({ consentGiven: null, petitionKind: null })).toBe("CONSENT_REQUIRED");
    expect(recordingRefusal({ consentGiven: false, petitionKind: "feedback" })).toBe("CONSENT_REQUIRED");
    expect(recordingRefusal({ consentGiven: true, petitionKind: "denunciation" })).toBe("RECORDING_NOT_ALLOWED");
  });

  it("keeps only the network of a client address", () => {
    expect(clientNetwork("203.113.45.67")).toBe("203.113.45.0/24");
    expect(clientNetwork("::ffff:10.1.2.3")).toBe("10.1.2.0/24");
    expect(clientNetwork("2001:db8:abcd:12::1")).toBe("2001:db8:abcd::/48");
    expect(clientNetwork("::1")).toBe("0:0:0::/48");
  });
});

describe("reception minimums are dated data (issue 13)", () => {
  // A hypothetical amendment from 1 Jul 2026: the commune chair receives 2 days a week. Rows only, no code.
  const amended: ReceptionRequirementRow[] = [
    ...receptionRequirementRows,
    { unitKinds: ["commune", "ward", "special_zone"], holder: "Chủ tịch UBND cấp xã", days: 2, per: "week", basis: "Luật sửa đổi (giả định), từ 01/07/2026", validFrom: "2026-07-01" },
  ];

  it("a rule set dated later applies only from its date; the day before, the older row still does", () => {
    expect(requirementFor(commune, "2026-06-30", amended)).toMatchObject({ days: 1, basis: "Luật Tiếp công dân 2013, Điều 15" });
    expect(requirementFor(commune, "2026-07-01", amended)).toMatchObject({ days: 2, validFrom: "2026-07-01" });
    const weekly = [periodic("weekly:3")];
    expect(receptionCompliance(commune, weekly, "2026-06-30", amended)).toMatchObject({ status: "meets", problems: [] });
    expect(receptionCompliance(commune, weekly, "2026-07-01", amended)).toMatchObject({ status: "below", problems: ["below_minimum"], requirement: { days: 2, per: "week" } });
    // Other kinds keep their rows on either side of the date.
    expect(requirementFor(province, "2026-07-01", amended)).toMatchObject({ days: 1, per: "month" });
  });

  it("a row that ended (validTo) no longer applies; before the law took effect, none does", () => {
    const ended: ReceptionRequirementRow[] = [{ unitKinds: ["commune"], holder: "Chủ tịch UBND cấp xã", days: 1, per: "week", basis: "x", validFrom: "2014-07-01", validTo: "2026-06-30" }];
    expect(requirementFor(commune, "2026-06-30", ended)).toMatchObject({ days: 1 });
    expect(requirementFor(commune, "2026-07-01", ended)).toBeNull();
    expect(requirementFor(commune, "2014-06-30")).toBeNull();
  });

  it("every row has a legal basis and a start date", () => {
    for (const row of receptionRequirementRows) {
      expect(row.basis).toMatch(/Luật Tiếp công dân 2013, Điều \d+/);
      expect(row.validFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
});
