import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../signaling/paths";

/**
 * Issue 14: role checks live in `signaling/policies/` only — a service, route, socket handler or domain
 * table asks a named rule (`casePolicy.stepRefusal`, `receptionPolicy.leadsReceptionDays`…) instead of
 * naming roles itself. The protocol defines the role names; everything else must not compare with them.
 */
const ROLE = String.raw`["'](?:admin|leader|officer|inspector|site|viewer)["']`;
const ROLE_TEST = new RegExp(
  [
    String.raw`\bhasRole\(`, // the policies' helper
    String.raw`\.roles\.(?:includes|some|every|find)\(`, // judging an account's roles by hand
    String.raw`\broles:\s*\{\s*some\b`, // a query filtering accounts by role
    String.raw`\brole\s*(?::|===|!==)\s*${ROLE}`, // one role compared or queried
    String.raw`\[\s*${ROLE}\s*,`, // a list of roles as data
  ].join("|"),
);
const SKIP = [/^signaling\/policies\//, /^signaling\/protocol\//, /^signaling\/db\/generated/];

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return SKIP.some((skip) => skip.test(`${relative}/`)) ? [] : sources(relative);
    return /\.tsx?$/.test(entry.name) ? [relative] : [];
  });
}

/** Each line of `files` that tests or lists roles, as "file:line: text" (comments pass). */
const roleTestsIn = (files: string[]) =>
  files.flatMap((file) =>
    fs
      .readFileSync(path.join(repoRoot, file), "utf8")
      .split("\n")
      .flatMap((line, index) => (ROLE_TEST.test(line) && !/^\s*(?:\/\/|\*)/.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [])),
  );

describe("role rules (issue 14)", () => {
  it("no server code outside signaling/policies/ tests or lists roles", () => {
    expect(roleTestsIn(["signaling", "sfu"].flatMap(sources))).toEqual([]);
  });

  it("no client code outside client/src/access.ts tests or lists roles", () => {
    // The pages ask `canOpen`, `navFor` and `may` (client/src/access.ts), which ask the server's policies.
    expect(roleTestsIn(sources("client/src").filter((file) => file !== "client/src/access.ts"))).toEqual([]);
  });

  it("the check sees what it is meant to", () => {
    for (const line of ['if (hasRole(actor, "leader")) {', "account.roles.includes(role)", 'where: { roles: { some: { role: "leader" } } }', 'const TASK_ROLES = ["officer", "leader"] as const;', 'user.role === "admin"'])
      expect(ROLE_TEST.test(line), line).toBe(true);
    for (const line of ['place.role === "office"', 'party.role === "petitioner"', "receptionPolicy.leadsReceptionDays({ roles: rolesOf(account) })"]) expect(ROLE_TEST.test(line), line).toBe(false);
  });
});
