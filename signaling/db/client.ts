import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaClient } from "./generated/client";

export type Db = PrismaClient;

/**
 * Opens the database named by a `file:` URL through the libsql driver adapter (no Prisma engine
 * binaries, so it works on a closed network).
 */
export function createDb(url: string): Db {
  if (!url.startsWith("file:")) {
    throw new Error(`unsupported DATABASE_URL "${url.split(":")[0]}:…" — this build supports SQLite (file:) only`);
  }
  return new PrismaClient({ adapter: new PrismaLibSQL({ url }) });
}
