import { describe, expect, it } from "vitest";
import { childPath, rebasePath, rootPath } from "../../signaling/domain/unitTree";
import { unitPolicy, userPolicy, type Actor } from "../../signaling/policies";

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
    const self = { id: "u1", unit: { id: "d", path: "/p/d/" } };
    expect(userPolicy.deactivate(admin, self)).toBe(false);
    expect(userPolicy.assignRoles(admin, self, ["leader"])).toBe(false);
    expect(userPolicy.assignRoles(admin, self, ["admin", "leader"])).toBe(true);
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
