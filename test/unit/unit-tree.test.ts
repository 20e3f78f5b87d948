import { describe, expect, it } from "vitest";
import { childPath, rebasePath, rootPath } from "../../signaling/domain/unitTree";
import { unitPolicy, userPolicy, type Actor } from "../../signaling/policies";
import type { UnitDto } from "../../signaling/protocol";
import { buildTree, matchingTree } from "../../client/src/admin/unitTree";

describe("unit paths", () => {
  it("nest and rebase", () => {
    const province = rootPath("p");
    const commune = childPath(childPath(province, "d"), "c");
    expect(commune).toBe("/p/d/c/");
    expect(rebasePath(commune, "/p/d/", "/p/x/d/")).toBe("/p/x/d/c/");
    expect(() => rebasePath("/q/c/", "/p/", "/z/")).toThrow(RangeError);
  });
});

describe("policies", () => {
  const admin: Actor = { id: "u1", roles: ["admin"], unitId: "d", unitPath: "/p/d/" };
  const commune = { id: "c", path: "/p/d/c/" };
  const hamlet = { id: "h", path: "/p/d/c/h/" };
  const sibling = { id: "s", path: "/p/s/" };

  it("let an admin move a unit only within their subtree and never under itself", () => {
    expect(unitPolicy.move(admin, hamlet, { id: "d", path: "/p/d/" })).toBe(true);
    expect(unitPolicy.move(admin, commune, hamlet)).toBe(false);
    expect(unitPolicy.move(admin, commune, sibling)).toBe(false);
    expect(unitPolicy.move(admin, { id: "d", path: "/p/d/" }, commune)).toBe(false);
  });

  it("do not let an admin lock themself out", () => {
    const self = { id: "u1", unit: { id: "d", path: "/p/d/" }, roles: ["admin" as const] };
    expect(userPolicy.deactivate(admin, self)).toBe(false);
    expect(userPolicy.assignRoles(admin, self, ["leader"])).toBe("ROLE_GRANT_REFUSED");
    expect(userPolicy.assignRoles(admin, self, ["admin"])).toBe(true);
  });

  it("never let an admin grant themself a role, nor take over an identity-reading account by a password reset", () => {
    const self = { id: "u1", unit: { id: "d", path: "/p/d/" }, roles: ["admin" as const] };
    expect(userPolicy.assignRoles(admin, self, ["admin", "leader"])).toBe("ROLE_GRANT_REFUSED");
    expect(userPolicy.assignRoles(admin, self, ["admin", "inspector"])).toBe("ROLE_GRANT_REFUSED");
    const otherAdmin = { id: "u9", unit: { id: "d", path: "/p/d/" }, roles: ["admin" as const] };
    expect(userPolicy.assignRoles(admin, otherAdmin, ["admin", "leader"])).toBe(true);
    const leaderHere = { id: "u2", unit: { id: "d", path: "/p/d/" }, roles: ["leader" as const] };
    const leaderBelow = { id: "u3", unit: commune, roles: ["leader" as const] };
    const inspectorHere = { id: "u4", unit: { id: "d", path: "/p/d/" }, roles: ["inspector" as const] };
    const officerHere = { id: "u5", unit: { id: "d", path: "/p/d/" }, roles: ["officer" as const] };
    expect(userPolicy.resetPassword(admin, leaderHere)).toBe("PASSWORD_RESET_REFUSED");
    expect(userPolicy.resetPassword(admin, inspectorHere)).toBe("PASSWORD_RESET_REFUSED");
    expect(userPolicy.resetPassword(admin, otherAdmin)).toBe("PASSWORD_RESET_REFUSED");
    expect(userPolicy.resetPassword(admin, leaderBelow)).toBe(true);
    expect(userPolicy.resetPassword(admin, officerHere)).toBe(true);
    expect(userPolicy.resetPassword(admin, { ...leaderBelow, unit: sibling })).toBe(false);
    expect(unitPolicy.deactivate(admin, { id: "d", path: "/p/d/" })).toBe(false);
  });

  it("a leader reads accounts in scope but changes none", () => {
    const leader: Actor = { ...admin, roles: ["leader"] };
    const user = { id: "u2", unit: commune };
    expect(userPolicy.read(leader, user)).toBe(true);
    expect(userPolicy.update(leader, user)).toBe(false);
    expect(userPolicy.read(leader, { id: "u3", unit: sibling })).toBe(false);
  });
});

describe("searching the unit tree (client)", () => {
  const unit = (id: string, name: string, code: string, parentId: string | null): UnitDto => ({ id, name, code, parentId, kind: "commune", depth: 0, active: true });
  const roots = buildTree([
    unit("p", "UBND tỉnh Bắc Giang", "BG", null),
    unit("d", "UBND huyện Yên Thế", "YT", "p"),
    unit("c1", "UBND xã Đông Tiến", "DT", "d"),
    unit("c2", "UBND xã Tân Sỏi", "TS", "d"),
  ]);
  const names = (nodes: ReturnType<typeof buildTree>): string[] => nodes.flatMap((node) => [node.name, ...names(node.children)]);

  it("keeps a match with the units above it, and drops its siblings", () => {
    expect(names(matchingTree(roots, "Đông Tiến"))).toEqual(["UBND tỉnh Bắc Giang", "UBND huyện Yên Thế", "UBND xã Đông Tiến"]);
  });
  it("finds a name typed without Vietnamese marks, and a code in any case", () => {
    expect(names(matchingTree(roots, "dong tien"))).toContain("UBND xã Đông Tiến");
    expect(names(matchingTree(roots, "ts"))).toEqual(["UBND tỉnh Bắc Giang", "UBND huyện Yên Thế", "UBND xã Tân Sỏi"]);
  });
  it("returns the whole tree for an empty search and nothing for a miss", () => {
    expect(names(matchingTree(roots, "  "))).toHaveLength(4);
    expect(matchingTree(roots, "Hà Nội")).toEqual([]);
  });
});
