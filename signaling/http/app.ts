import fs from "node:fs";
import path from "node:path";
import cookieParser from "cookie-parser";
import expressStaticGzip from "express-static-gzip";
import express, { type ErrorRequestHandler, type Request, type RequestHandler } from "express";
import helmet from "helmet";
import { pinoHttp } from "pino-http";
import { docsHtml, docsScript } from "../api/docs";
import { mountRoutes } from "../api/mount";
import type { ResponseCheck } from "../api/responseCheck";
import { buildOpenApi } from "../api/openapi";
import type { AnyRoute } from "../api/route";
import type { Db } from "../db/client";
import { AppError, errorBody, isUnexpected, pickLocale, toAppError } from "../errors";
import { type Logger, safeError, serializeRequest, serializeResponse } from "../logger";
import type { RoomDirectory } from "../realtime/RoomDirectory";
import type { HealthCheck } from "./health";
import type { Metrics } from "./metrics";
import { strictTransportSecurity } from "../tls/serve";

export interface AppOptions {
  logger: Logger;
  routes: readonly AnyRoute[];
  db: Db;
  jwtSecret: string;
  corsOrigin?: string;
  version: string;
  rooms: RoomDirectory;
  health: HealthCheck;
  clientDist: string;
  metrics?: Metrics;
  metricsToken?: string | undefined;
  /** How answers are held to their response schemas (api/responseCheck.ts). */
  responseCheck: ResponseCheck;
}

const localeOf = (req: Request) => pickLocale(req.headers["accept-language"]);

export function createApp(options: AppOptions): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  if (options.metrics) app.use(options.metrics.observeRequests);
  app.use(
    pinoHttp({
      logger: options.logger,
      autoLogging: { ignore: (req) => req.url === "/api/health" || req.url === "/metrics" },
      // Our own serializers see the raw objects: they pick what may be logged instead of redacting what may not.
      wrapSerializers: false,
      serializers: { req: serializeRequest, res: serializeResponse, err: safeError },
    }),
  );
  app.use(
    helmet({
      // Plain-http intranet deployments exist (the demo, a loopback behind a proxy); upgrading would break them.
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
      strictTransportSecurity: false,
    }),
  );
  // HSTS only when the response really goes over TLS (helmet's would be sent over plain HTTP too).
  app.use(strictTransportSecurity);
  if (options.corsOrigin) app.use("/api", corsFor(options.corsOrigin));
  app.use(express.json({ limit: "100kb" }));
  app.use(cookieParser());

  const openApi = buildOpenApi(options.routes, options.version);
  app.get("/api/openapi.json", (_req, res) => {
    res.json(openApi);
  });
  app.get("/api/docs", (_req, res) => {
    res.type("html").send(docsHtml);
  });
  app.get("/api/docs.js", (_req, res) => {
    res.type("js").send(docsScript);
  });
  app.use("/api", mountRoutes(options.routes, { db: options.db, jwtSecret: options.jwtSecret, responseCheck: options.responseCheck }));

  app.get("/api/health", async (_req, res) => {
    const report = await options.health();
    res.status(report.status === "ok" ? 200 : 503).json(report);
  });

  app.use("/api", () => {
    throw new AppError("NOT_FOUND");
  });
  if (options.metrics) app.get("/metrics", options.metrics.serve(options.metricsToken));

  serveClient(app, options.clientDist);

  const onError: ErrorRequestHandler = (thrown, req, res, next) => {
    if (res.headersSent) return next(thrown);
    const error = isBodyParserError(thrown)
      ? new AppError(thrown.type === "entity.too.large" ? "PAYLOAD_TOO_LARGE" : "VALIDATION_FAILED", {
          cause: thrown,
          detail: `request body refused: ${thrown.type}`,
        })
      : // The router could not percent-decode a path parameter (`/cases/%E0%A4%A`): the client's fault.
        thrown instanceof URIError
        ? new AppError("VALIDATION_FAILED", { cause: thrown, detail: "malformed percent-encoding in the URL" })
        : toAppError(thrown);
    if (isUnexpected(error)) req.log.error({ err: thrown }, "request failed");
    res.status(error.status).json({ error: errorBody(error, localeOf(req)) });
  };
  app.use(onError);
  return app;
}

/** Cross-origin calls only from the one configured origin (a separate front-end host). */
function corsFor(origin: string): RequestHandler {
  return (req, res, next) => {
    if (req.headers.origin === origin) {
      res.setHeader("Access-Control-Allow-Origin", origin);
      res.setHeader("Access-Control-Allow-Credentials", "true");
      res.setHeader("Vary", "Origin");
      if (req.method === "OPTIONS") {
        res.setHeader("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE");
        res.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept-Language");
        res.status(204).end();
        return;
      }
    }
    next();
  };
}

/** express.json() marks malformed, oversized or mis-encoded bodies with a `type` such as "entity.too.large". */
function isBodyParserError(error: unknown): error is { type: string; status: number } {
  const candidate = error as { type?: unknown; status?: unknown } | null;
  return typeof candidate?.type === "string" && candidate.type.startsWith("entity.") && typeof candidate.status === "number";
}

/** The built single-page client, with every non-API path answered by index.html. */
function serveClient(app: express.Express, clientDist: string): void {
  const indexHtml = path.join(clientDist, "index.html");
  app.use(
    expressStaticGzip(clientDist, {
      enableBrotli: true,
      orderPreference: ["br", "gzip"],
      index: false,
      serveStatic: {
        index: false,
        // Vite names every file under assets/ by its content hash: a new build gets new names, so those
        // never need re-checking. Anything else (icons, the emblem) may change under the same name.
        setHeaders: (res, filePath) => {
          const hashed = path.relative(clientDist, filePath).startsWith(`assets${path.sep}`);
          res.setHeader("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "public, max-age=3600");
        },
      },
    }),
  );
  app.use((req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    if (!fs.existsSync(indexHtml)) {
      res.status(503).type("text/plain").send("Client not built: run `npm run build` (Giao diện chưa được build).");
      return;
    }
    res.setHeader("Cache-Control", "no-cache");
    res.sendFile(indexHtml);
  });
}
