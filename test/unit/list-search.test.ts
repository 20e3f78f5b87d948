import { describe, expect, it } from "vitest";
import { foldForSearch, matchesSearch } from "../../signaling/domain/textSearch";
import { kindMayBeRecorded, recordingRefusal } from "../../signaling/domain/reception";
import { listCasesQuerySchema, listMeetingsQuerySchema, listUnitsQuerySchema } from "../../signaling/protocol";
import { collectPages } from "../../signaling/services/exports";

describe("searching lists as a Vietnamese reader types", () => {
  it("folds diacritics, đ and letter case", () => {
    expect(foldForSearch("UBND xã Yên Phong")).toBe("ubnd xa yen phong");
    expect(foldForSearch("Đường Đông Côi")).toBe("duong dong coi");
  });

  it("matches any field, and everything for an empty query", () => {
    expect(matchesSearch("yen phong", ["YP-01", "UBND xã Yên Phong"])).toBe(true);
    expect(matchesSearch("yp-01", ["YP-01", "UBND xã Yên Phong"])).toBe(true);
    expect(matchesSearch("kinh bac", ["YP-01", "UBND xã Yên Phong"])).toBe(false);
    expect(matchesSearch("  ", ["anything"])).toBe(true);
    expect(matchesSearch(undefined, ["anything"])).toBe(true);
  });
});

describe("list query parameters", () => {
  it("take a whitelisted sort and direction; an empty value counts as absent", () => {
    expect(listUnitsQuerySchema.parse({ sort: "name", dir: "desc" })).toMatchObject({ sort: "name", dir: "desc" });
    expect(listUnitsQuerySchema.parse({ sort: "", dir: "", q: "" })).toEqual({ sort: undefined, dir: undefined, q: undefined });
    expect(listUnitsQuerySchema.safeParse({ sort: "path; DROP TABLE" }).success).toBe(false);
    expect(listCasesQuerySchema.safeParse({ sort: "received", dir: "sideways" }).success).toBe(false);
  });

  it("meetings: status from the list, real dates only", () => {
    expect(listMeetingsQuerySchema.parse({ status: "live", from: "2026-02-28" })).toMatchObject({ status: "live", from: "2026-02-28" });
    expect(listMeetingsQuerySchema.safeParse({ from: "2026-02-30" }).success).toBe(false);
    // "cancelled" became a status with the mail work (a cancelled briefing); an unknown one is still refused.
    expect(listMeetingsQuerySchema.parse({ status: "cancelled" })).toMatchObject({ status: "cancelled" });
    expect(listMeetingsQuerySchema.safeParse({ status: "postponed" }).success).toBe(false);
    // Matches the pattern but is no date at all: refused, not thrown on (the fuzz test once got a 500).
    expect(listMeetingsQuerySchema.safeParse({ to: "0000-99-99" }).success).toBe(false);
  });
});

describe("exports gather every page of a list", () => {
  const list = (total: number) => async (page: { page: number; pageSize: number }) => {
    const start = (page.page - 1) * page.pageSize;
    return { items: Array.from({ length: Math.max(0, Math.min(page.pageSize, total - start)) }, (_, index) => start + index), total };
  };

  it("reads pages until the total is reached", async () => {
    expect(await collectPages(5000, list(0))).toEqual([]);
    const rows = await collectPages(5000, list(450));
    expect(rows).toHaveLength(450);
    expect(rows.at(-1)).toBe(449);
  });

  it("refuses a list longer than the limit before reading it (EXPORT_TOO_LARGE)", async () => {
    await expect(collectPages(300, list(301))).rejects.toMatchObject({ code: "EXPORT_TOO_LARGE" });
  });
});

describe("the denunciation recording rule, stated once", () => {
  it("a denunciation is not recorded unless the province allows it; consent and the declared kind still count", () => {
    expect(kindMayBeRecorded("denunciation")).toBe(false);
    expect(kindMayBeRecorded("denunciation", { recordDenunciations: true })).toBe(true);
    expect(kindMayBeRecorded("complaint")).toBe(true);
    expect(kindMayBeRecorded(null)).toBe(true);
    expect(recordingRefusal({ consentGiven: true, petitionKind: "denunciation" })).toBe("RECORDING_NOT_ALLOWED");
  });
});
