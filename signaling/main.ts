import { ConfigError, loadConfig } from "./config";
import { createLogger } from "./logger";
import { loadMediaNodeConfig } from "./mediaNodes/config";
import { startMediaNode } from "./mediaNodes/start";
import { isExplicitDemo, startupRefusals } from "./productionSafety";
import { startServer } from "./server";

/** `--role=media`: only mediasoup workers and their control channel (README › Scaling out › Several media hosts). */
async function mediaNodeMain(): Promise<void> {
  const config = loadMediaNodeConfig();
  if ("problems" in config) {
    console.error(`Cấu hình không hợp lệ / invalid configuration:\n  ${config.problems.join("\n  ")}`);
    process.exit(2);
  }
  const logger = createLogger(config.log.level, { format: config.log.format });
  const node = await startMediaNode(config, logger);
  logger.info({ node: config.id, url: node.url, workers: config.workers }, "media node is listening");
  console.log(`\n  Nút media / media node ${config.id}:  ${node.url}\n`);
  onStopSignal(logger, () => node.close());
}

/** Process entry: config, server, and a clean shutdown on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  if (process.argv.slice(2).includes("--role=media")) return mediaNodeMain();
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Cấu hình không hợp lệ / invalid configuration:\n  ${error.problems.join("\n  ")}`);
      process.exit(2);
    }
    throw error;
  }
  const refusals = startupRefusals(config, isExplicitDemo(process.argv.slice(2), process.env));
  if (refusals.length > 0) {
    console.error(`Từ chối khởi động / refusing to start:\n  ${refusals.join("\n  ")}`);
    process.exit(2);
  }
  const logger = createLogger(config.logLevel, { format: config.logFormat });
  const server = await startServer(config, logger);
  const shownUrl = config.http.publicUrl ?? server.url;
  logger.info({ url: shownUrl, workers: config.mediasoup.workers }, "Cầu Nối is listening");
  console.log(`\n  Cầu Nối đang chạy / is running:  ${shownUrl}\n  Kiểm tra / health:                ${new URL("/api/health", shownUrl).href}\n`);

  onStopSignal(logger, () => server.close());
}

/** A clean shutdown on SIGINT/SIGTERM (forced after 10 s). */
function onStopSignal(logger: ReturnType<typeof createLogger>, close: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const forced = setTimeout(() => process.exit(1), 10_000);
    forced.unref();
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled rejection"));
}

main().catch((error: unknown) => {
  console.error("Cầu Nối failed to start:", error);
  process.exit(1);
});
