import express, { type NextFunction, type Request, type Response } from "express";
import type { z } from "zod";
import { verifyAccessToken } from "../auth/tokens";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { refuseMalformedText } from "../malformedText";
import type { Actor } from "../policies";
import { roleSchema } from "../protocol";
import type { AnyRoute } from "./route";

export interface MountOptions {
  db: Db;
  jwtSecret: string;
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

export function clientMeta(req: Request) {
  return { ip: req.ip ?? req.socket.remoteAddress ?? "unknown", userAgent: req.headers["user-agent"] };
}

/** Registers each route with validation of params, query and body before its handler runs. */
export function mountRoutes(routes: readonly AnyRoute[], options: MountOptions): express.Router {
  const router = express.Router();
  for (const route of routes) {
    const parsers = route.rawBody ? [express.raw({ type: () => true, limit: route.rawBody.limitBytes })] : [];
    router[route.method](route.path, ...parsers, (req: Request, res: Response, next: NextFunction) => {
      (async () => {
        const actor = route.auth === "user" ? await actorFrom(req, options) : null;
        refuseMalformedText(req.params, "params");
        refuseMalformedText(req.query, "query");
        if (!Buffer.isBuffer(req.body)) refuseMalformedText(req.body);
        const params = parse(route.params, req.params);
        const query = parse(route.query, req.query);
        const body = parse(route.body, req.body ?? {});
        const result = await route.handler({ params, query, body, actor, meta: clientMeta(req), req, res });
        if (!res.headersSent) res.status(route.status ?? 200).json(result);
      })().catch(next);
    });
  }
  return router;
}
