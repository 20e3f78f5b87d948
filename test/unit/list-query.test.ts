import { describe, expect, it } from "vitest";
import { apiQuery, nextSort, readListState, writeListState } from "../../client/src/components/list/listQuery";

const KEYS = ["q", "state", "from"] as const;

describe("list state in the URL", () => {
  it("reads only the keys the page declares, with defaults for the missing ones", () => {
    const state = readListState(new URLSearchParams("q=đất&state=accepted&secret=x&page=3&sort=code&dir=desc"), KEYS, { from: "2026-12-01" });
    expect(state).toEqual({ filters: { q: "đất", state: "accepted", from: "2026-12-01" }, page: 3, sort: { field: "code", direction: "desc" } });
  });

  it("falls back to page 1, ascending and no sort for what is not valid", () => {
    for (const search of ["page=0", "page=-2", "page=1.5", "page=abc", "page=100001"]) {
      expect(readListState(new URLSearchParams(search), KEYS).page, search).toBe(1);
    }
    expect(readListState(new URLSearchParams("sort=code&dir=sideways"), KEYS).sort).toEqual({ field: "code", direction: "asc" });
    expect(readListState(new URLSearchParams("sort=a;drop"), KEYS).sort).toBeNull();
  });

  it("writes a plain URL for a plain list and round-trips a filtered one", () => {
    expect(writeListState(readListState(new URLSearchParams(""), KEYS)).toString()).toBe("");
    const state = { filters: { q: "Nguyễn Văn A", state: "", from: "2026-12-06" }, page: 2, sort: { field: "receivedDate", direction: "desc" as const } };
    const written = writeListState(state);
    expect(written.has("state")).toBe(false);
    expect(readListState(written, KEYS)).toEqual(state);
  });

  it("asks the API for the page and page size even on page 1, plus the page's fixed parameters", () => {
    const query = apiQuery(readListState(new URLSearchParams("state=accepted"), KEYS), 50, { includeInactive: "true" });
    expect(Object.fromEntries(query)).toEqual({ state: "accepted", page: "1", pageSize: "50", includeInactive: "true" });
  });

  it("sorts a new column ascending and flips the current one", () => {
    expect(nextSort(null, "code")).toEqual({ field: "code", direction: "asc" });
    expect(nextSort({ field: "code", direction: "asc" }, "code")).toEqual({ field: "code", direction: "desc" });
    expect(nextSort({ field: "code", direction: "desc" }, "code")).toEqual({ field: "code", direction: "asc" });
    expect(nextSort({ field: "code", direction: "desc" }, "state")).toEqual({ field: "state", direction: "asc" });
  });
});
