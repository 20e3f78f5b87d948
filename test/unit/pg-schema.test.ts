import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { pgSchemaOf, sourcePath, targetPath } from "../../scripts/gen-pg-schema.mjs";

/**
 * PostgreSQL mode's schema (prisma/pg/schema.prisma) is generated from the SQLite one: this fails when a
 * model was added to prisma/schema.prisma without re-running `node scripts/gen-pg-schema.mjs` (and adding a
 * PostgreSQL migration, README "PostgreSQL"). That the PostgreSQL migrations match the generated schema is
 * checked against a live server in test/integration/postgres-mode.test.ts.
 */
describe("prisma/pg/schema.prisma", () => {
  it("is what scripts/gen-pg-schema.mjs makes from prisma/schema.prisma", () => {
    const expected = pgSchemaOf(fs.readFileSync(sourcePath, "utf8"));
    expect(fs.readFileSync(targetPath, "utf8")).toBe(expected);
  });

  it("differs only in provider, url and the client's output", () => {
    const generated = pgSchemaOf('generator client {\n  output = "../signaling/db/generated"\n}\ndatasource db {\n  provider = "sqlite"\n  url = "file:./dev.db"\n}\nmodel A {\n  id Int @id\n}\n');
    expect(generated).toContain('provider = "postgresql"');
    expect(generated).toContain('url = "postgresql://localhost/unused"');
    expect(generated).toContain('output = "../../signaling/db/generated-pg"');
    expect(generated).toContain("model A {\n  id Int @id\n}");
    expect(() => pgSchemaOf("model A { id Int @id }")).toThrow(/not found/);
  });
});
