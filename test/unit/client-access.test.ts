import { describe, expect, it } from "vitest";
import { canOpen, homeKind, may, mayBeAssignedCases, navFor } from "../../client/src/access";
import { roles, type Role } from "../../signaling/protocol";

const user = (...held: Role[]) => ({ id: "u1", roles: held, unit: { id: "unit-1" } });

/** What each role's navigation must offer (issue 18: "navigation shows only what the role may open"). */
const expectedNav: Record<Role, string[]> = {
  admin: ["home", "meeting", "meetings", "tasks", "reception", "integrity", "units", "users", "holidays", "certificates", "mail"],
  leader: ["home", "meeting", "meetings", "tasks", "cases", "reception", "stats", "integrity"],
  officer: ["home", "meeting", "meetings", "tasks", "cases", "reception", "stats"],
  inspector: ["home", "meeting", "meetings", "tasks", "cases", "stats"],
  site: ["home", "meeting"],
  viewer: ["home", "meeting"],
};

describe("client page access (asked of the server's policies)", () => {
  it.each(roles)("%s: the navigation lists exactly the pages the role may open", (role) => {
    expect(navFor(user(role))).toEqual(expectedNav[role]);
    for (const page of navFor(user(role))) expect(canOpen(user(role), page)).toBe(true);
  });

  it("keeps citizens' data pages from admins, sites and viewers", () => {
    for (const role of ["admin", "site", "viewer"] as const) {
      for (const page of ["cases", "case", "caseNew", "receptionBook", "receptionEntry", "receptionSessions", "stats"] as const) {
        expect(canOpen(user(role), page), `${role} → ${page}`).toBe(false);
      }
    }
  });

  it("keeps administration to admins, and an unknown address to nobody", () => {
    for (const role of roles) {
      for (const page of ["units", "users", "holidays", "certificates"] as const) expect(canOpen(user(role), page)).toBe(role === "admin");
      for (const page of ["units", "users", "holidays", "mail"] as const) expect(canOpen(user(role), page)).toBe(role === "admin");
      expect(canOpen(user(role), "unknown")).toBe(false);
    }
  });

  it("lands each role on its home; several roles take the most encompassing", () => {
    expect(homeKind(user("leader"))).toBe("leader");
    expect(homeKind(user("officer"))).toBe("officer");
    expect(homeKind(user("inspector"))).toBe("officer");
    expect(homeKind(user("admin"))).toBe("admin");
    expect(homeKind(user("site"))).toBe("site");
    expect(homeKind(user("viewer"))).toBe("site");
    expect(homeKind(user("admin", "leader"))).toBe("leader");
  });

  // What each control is offered to, role by role: the same answers the server's rules give for the
  // account's own unit (the server still judges each request).
  const expectedControls: Record<keyof typeof may, Role[]> = {
    followCaseDeadlines: ["leader", "officer", "inspector"],
    assignCases: ["leader"],
    scheduleBriefings: ["admin", "leader"],
    moderateBriefings: ["leader"],
    readSlotBookings: ["leader", "officer"],
    leadReceptionDays: ["leader"],
    concludeReceptionEntries: ["leader"],
  };

  it.each(Object.keys(expectedControls) as (keyof typeof may)[])("offers %s to exactly the roles the server accepts it from", (control) => {
    for (const role of roles) expect(may[control](user(role)), `${control} for ${role}`).toBe(expectedControls[control].includes(role));
    expect(may[control](user("viewer", ...expectedControls[control]))).toBe(true);
  });

  it("offers nothing to nobody signed in", () => {
    for (const control of Object.values(may)) {
      expect(control(null)).toBe(false);
      expect(control(undefined)).toBe(false);
    }
  });

  it("offers a case to the officers and inspectors who handle petitions", () => {
    expect(roles.filter((role) => mayBeAssignedCases({ roles: [role] }))).toEqual(["officer", "inspector"]);
  });
});
