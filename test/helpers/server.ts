import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../../signaling/config";
import { createLogger } from "../../signaling/logger";
import { type RunningServer, startServer } from "../../signaling/server";
import { templateDatabasePath } from "./paths";
import { createTestPgDatabase, postgresPass } from "./postgres";

export interface TestServer extends RunningServer {
  databaseFile: string;
  /** The server's DATABASE_URL (a `file:` URL of databaseFile, or postgresql:// in the PostgreSQL pass). */
  databaseUrl: string;
  /** The server's DATA_DIR (attachments, recordings). */
  dataDir: string;
}

/**
 * The real server on an ephemeral port with its own copy of the migrated SQLite database — or, in the
 * PostgreSQL pass (test/helpers/postgres.ts), its own database made from the migrated PostgreSQL template
 * (`databaseFile` is then empty: tests that open the SQLite file do not run in that pass).
 */
export async function startTestServer(env: Record<string, string> = {}, options: { logFile?: string } = {}): Promise<TestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-test-"));
  let databaseFile = path.join(dir, "test.db");
  let databaseUrl = `file:${databaseFile}`;
  let dropDatabase: () => Promise<void> = async () => undefined;
  if (postgresPass && env.DATABASE_URL === undefined) {
    const database = await createTestPgDatabase();
    databaseFile = "";
    databaseUrl = database.url;
    dropDatabase = database.drop;
  } else {
    fs.copyFileSync(templateDatabasePath, databaseFile);
  }
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    MEDIASOUP_WORKERS: "1",
    CLIENT_DIST: path.join(dir, "no-client"),
    DATA_DIR: path.join(dir, "data"),
    // Most integration tests produce with RTP parameters but send no packets: a start announces after this.
    RECORDING_START_WAIT_MS: "300",
    ...env,
  });
  const server = await startServer(config, createLogger(config.logLevel, options.logFile ? { format: config.logFormat, destination: options.logFile } : { format: config.logFormat }));
  const close = async () => {
    await server.close();
    await dropDatabase();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { ...server, close, databaseFile, databaseUrl: config.databaseUrl, dataDir: config.files.dataDir };
}
