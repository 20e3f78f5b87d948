import express, { type NextFunction, type Request, type Response } from "express";
import type { z } from "zod";
import { verifyAccessToken } from "../auth/tokens";
import type { IncomingFile } from "../services/attachments/attachments";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { refuseMalformedText } from "../malformedText";
import type { Actor } from "../policies";
import { roleSchema } from "../protocol";
import { checkedResponse, type ResponseCheck } from "./responseCheck";
import type { AnyRoute } from "./route";

export interface MountOptions {
  db: Db;
  jwtSecret: string;
  /** "strict" in development and tests, "strip" in production (responseCheck.ts). */
  responseCheck: ResponseCheck;
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (!result.success) throw AppError.fromZod(result.error);
  return result.data;
}

/** Resolves the bearer token to an Actor, reading the unit's path so policies can check scope. */
async function actorFrom(req: Request, options: MountOptions): Promise<Actor> {
  const header = req.headers.authorization;
  const token = header?.startsWith("Bearer ") ? header.slice("Bearer ".length).trim() : undefined;
  if (!token) throw new AppError("UNAUTHENTICATED");
  const check = verifyAccessToken(token, options.jwtSecret);
  if (!check.ok) throw new AppError("UNAUTHENTICATED", { detail: `access token ${check.reason}` });
  // One primary-key lookup per request: a deactivated, re-roled or moved account (its tokenVersion was
  // bumped) or a closed unit is refused now, not when the token expires.
  const user = await options.db.user.findUnique({
    where: { id: check.claims.sub },
    select: { active: true, tokenVersion: true, unitId: true, unit: { select: { path: true, active: true } } },
  });
  if (!user?.active || user.tokenVersion !== (check.claims.ver ?? 0) || user.unitId !== check.claims.unitId) {
    throw new AppError("UNAUTHENTICATED", { detail: "account changed since the token was issued" });
  }
  const { unit } = user;
  if (!unit.active) throw new AppError("UNAUTHENTICATED", { detail: "unit inactive" });
  return {
    id: check.claims.sub,
    roles: check.claims.roles.filter((role) => roleSchema.safeParse(role).success),
    unitId: check.claims.unitId,
    unitPath: unit.path,
  };
}

/** The unread body of an upload route, after the checks that need no byte of it. */
function incomingFile(req: Request, limitBytes: number): IncomingFile {
  // express.json() has already read a body sent as JSON: a file is sent as its own bytes.
  if (req.is("application/json")) throw new AppError("VALIDATION_FAILED", { detail: "send the file's bytes as the body, not JSON" });
  const length = req.headers["content-length"];
  const declaredBytes = length !== undefined && /^\d+$/.test(length) ? Number(length) : null;
  if (declaredBytes === 0) throw new AppError("VALIDATION_FAILED", { detail: "empty file" });
  if (declaredBytes !== null && declaredBytes > limitBytes) throw new AppError("PAYLOAD_TOO_LARGE", { detail: `declared ${declaredBytes} bytes, limit ${limitBytes}` });
  return { stream: req, declaredBytes, limitBytes };
}

export function clientMeta(req: Request) {
  return { ip: req.ip ?? req.socket.remoteAddress ?? "unknown", userAgent: req.headers["user-agent"] };
}

/** Registers each route with validation of params, query and body before its handler runs. */
export function mountRoutes(routes: readonly AnyRoute[], options: MountOptions): express.Router {
  const router = express.Router();
  for (const route of routes) {
    router[route.method](route.path, (req: Request, res: Response, next: NextFunction) => {
      (async () => {
        const actor = route.auth === "user" ? await actorFrom(req, options) : null;
        refuseMalformedText(req.params, "params");
        refuseMalformedText(req.query, "query");
        if (!route.rawBody) refuseMalformedText(req.body);
        const params = parse(route.params, req.params);
        const query = parse(route.query, req.query);
        // An upload's body is handed over unread: the handler authorizes first, then streams it to disk.
        const body = route.rawBody ? parse(route.body, incomingFile(req, route.rawBody.limitBytes)) : parse(route.body, req.body ?? {});
        const result = await route.handler({ params, query, body, actor, meta: clientMeta(req), req, res });
        if (!res.headersSent) res.status(route.status ?? 200).json(checkedResponse(route, result, options.responseCheck));
      })().catch((error: unknown) => {
        // Refused before (or while) its body was read: close the connection after the answer instead of
        // reading and discarding the rest of a possibly huge upload.
        if (route.rawBody && !req.complete) res.setHeader("Connection", "close");
        next(error);
      });
    });
  }
  return router;
}
