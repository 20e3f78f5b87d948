import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const port = Number(process.env.E2E_PORT ?? 3917);

/**
 * Real browsers against the real server: Debian's Chromium (Playwright cannot download its own here)
 * with a fake camera and microphone, so media assertions read real decoded frames.
 */
export default defineConfig({
  testDir: ".",
  testMatch: "*.spec.ts",
  outputDir: path.join(root, "test-results", "e2e"),
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: "chromium",
    viewport: { width: 1366, height: 768 },
    locale: "vi-VN",
    permissions: ["camera", "microphone"],
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
  webServer: {
    // A fresh copy of the migrated template database with the demo province and accounts, every run.
    // The last run's write-ahead log goes too: SQLite would replay a stale -wal onto the fresh copy
    // and corrupt it ("database disk image is malformed" on the second run).
    command:
      "mkdir -p data/test && rm -f data/test/e2e.db-wal data/test/e2e.db-shm && cp data/test/template.db data/test/e2e.db && node_modules/.bin/tsx prisma/seed.ts && node_modules/.bin/tsx signaling/main.ts",
    cwd: root,
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      NODE_ENV: "test",
      CAU_NOI_DEMO: "1",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: `file:${path.join(root, "data", "test", "e2e.db")}`,
      LOG_LEVEL: "warn",
      MEDIASOUP_WORKERS: "1",
      // The demo's slots are on coming working days at set hours: let their join links open now.
      RECEPTION_JOIN_OPENS_MINUTES: "43200",
    },
  },
});
