import path from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";
import { fixPg, pgConfigFromUrl } from "./prisma/adapter-fixes";

const root = path.dirname(fileURLToPath(import.meta.url));

/**
 * Prisma CLI settings for PostgreSQL mode (README "PostgreSQL"): the generated schema
 * prisma/pg/schema.prisma (scripts/gen-pg-schema.mjs) and its own migrations in prisma/pg/migrations.
 * Use as `prisma <command> --config prisma.pg.config.ts` with DATABASE_URL=postgresql://…; the role needs
 * CREATEDB for `migrate dev` and `migrate diff --from-migrations` (shadow database).
 */
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(root, "prisma", "pg", "schema.prisma"),
  migrations: { path: path.join(root, "prisma", "pg", "migrations"), seed: "tsx prisma/seed.ts" },
  async adapter() {
    // Unset: commands that need no database (generate, migrate diff --from-empty) still load the config.
    const url = process.env.DATABASE_URL ?? "postgresql://localhost/unused";
    if (!/^postgres(ql)?:\/\//.test(url)) throw new Error("prisma.pg.config.ts: set DATABASE_URL=postgresql://user@host:port/database");
    return fixPg(new PrismaPg(pgConfigFromUrl(url)));
  },
});
