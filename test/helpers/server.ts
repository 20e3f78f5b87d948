import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../../signaling/config";
import { createLogger } from "../../signaling/logger";
import { type RunningServer, startServer } from "../../signaling/server";
import { templateDatabasePath } from "./paths";

export interface TestServer extends RunningServer {
  databaseFile: string;
  /** The server's DATA_DIR (attachments, recordings). */
  dataDir: string;
}

/** The real server on an ephemeral port with its own copy of the migrated SQLite database. */
export async function startTestServer(env: Record<string, string> = {}, options: { logFile?: string } = {}): Promise<TestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-test-"));
  const databaseFile = path.join(dir, "test.db");
  fs.copyFileSync(templateDatabasePath, databaseFile);
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: `file:${databaseFile}`,
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
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { ...server, close, databaseFile, dataDir: config.files.dataDir };
}
