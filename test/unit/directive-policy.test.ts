import { describe, expect, it } from "vitest";
import type { Actor } from "../../signaling/policies/actor";
import { directivePolicy } from "../../signaling/policies/directives";
import type { Role } from "../../signaling/protocol";

const province = { id: "p", path: "/p/" };
const commune = { id: "c", path: "/p/c/" };
const other = { id: "o", path: "/p/o/" };
const at = (unit: { id: string; path: string }, role: Role, id = `${role}@${unit.id}`): Actor => ({ id, roles: [role], unitId: unit.id, unitPath: unit.path });
const task = { unit: commune, issuerUnit: province, chairUserId: "chair" };

describe("who follows a directive up", () => {
  it("the commune's officers and leaders report on its task; the province reads it but does not report for it", () => {
    expect(directivePolicy.reportTask(at(commune, "officer"), task)).toBe(true);
    expect(directivePolicy.reportTask(at(commune, "leader"), task)).toBe(true);
    expect(directivePolicy.reportTask(at(commune, "site"), task)).toBe(false);
    expect(directivePolicy.reportTask(at(province, "officer"), task)).toBe(false);
    expect(directivePolicy.readTask(at(province, "officer"), task)).toBe(true);
    expect(directivePolicy.readTask(at(province, "inspector"), task)).toBe(true);
  });

  it("another commune, sites and viewers read no task; the chair who gave it does", () => {
    expect(directivePolicy.readTask(at(other, "officer"), task)).toBe(false);
    expect(directivePolicy.readTask(at(commune, "site"), task)).toBe(false);
    expect(directivePolicy.readTask(at(commune, "viewer"), task)).toBe(false);
    expect(directivePolicy.readTask(at(other, "leader", "chair"), task)).toBe(true);
  });

  it("the minutes are kept by the chair of the room or the secretary named, never by a site account", () => {
    expect(directivePolicy.keepsMinutes(at(province, "leader"), true, null)).toBe(true);
    expect(directivePolicy.keepsMinutes(at(province, "officer", "sec"), false, "sec")).toBe(true);
    expect(directivePolicy.keepsMinutes(at(province, "officer", "sec"), false, "someone-else")).toBe(false);
    expect(directivePolicy.keepsMinutes(at(province, "leader"), false, null)).toBe(false);
    expect(directivePolicy.keepsMinutes(at(commune, "site", "sec"), false, "sec")).toBe(false);
    expect(directivePolicy.maySecretary({ roles: ["site"] })).toBe(false);
    expect(directivePolicy.maySecretary({ roles: ["officer"] })).toBe(true);
  });

  it("a directive to a unit is shown to the sites of that unit and of the units below it", () => {
    expect(directivePolicy.addressedTo({ unitPath: "/p/c/" }, commune)).toBe(true);
    expect(directivePolicy.addressedTo({ unitPath: "/p/c/x/" }, commune)).toBe(true);
    expect(directivePolicy.addressedTo({ unitPath: "/p/" }, commune)).toBe(false);
  });
});
