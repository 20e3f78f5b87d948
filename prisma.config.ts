import path from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { defineConfig } from "prisma/config";
import { fixSqliteShadow } from "./prisma/adapter-fixes";
import pgConfig from "./prisma.pg.config";

const root = path.dirname(fileURLToPath(import.meta.url));

/**
 * Prisma CLI settings. `engine: "js"` uses the wasm schema engine shipped in the npm package, so
 * generate and migrate work with no download (see README, "Offline"). `fixSqliteShadow` makes the
 * shadow database (migrate dev, migrate diff --from-migrations) replay migration files in full.
 * Prisma does not read `.env` when a config file exists: export DATABASE_URL instead.
 *
 * With DATABASE_URL=postgresql://… this is prisma.pg.config.ts (schema and migrations under prisma/pg), so
 * `prisma migrate deploy` (the service's ExecStartPre, `npm run setup`) migrates whichever database the
 * server will open.
 */
const sqliteConfig = defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(root, "prisma", "schema.prisma"),
  migrations: { path: path.join(root, "prisma", "migrations"), seed: "tsx prisma/seed.ts" },
  async adapter() {
    const url = process.env.DATABASE_URL ?? `file:${path.join(root, "data", "cau-noi.db")}`;
    return fixSqliteShadow(new PrismaLibSQL({ url }));
  },
});

export default /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "") ? pgConfig : sqliteConfig;
