import type { Request, Response } from "express";
import { z } from "zod";
import type { ClientMeta } from "../auth/AuthService";
import type { IncomingFile } from "../services/attachments/attachments";
import type { Actor } from "../policies";

export type HttpMethod = "get" | "post" | "patch" | "delete";

export type RouteAuth = "public" | "user";

export interface RouteContext<P, Q, B, A extends RouteAuth = RouteAuth> {
  params: P;
  query: Q;
  body: B;
  /** The signed-in caller on "user" routes; public routes have none. */
  actor: A extends "user" ? Actor : null;
  meta: ClientMeta;
  req: Request;
  res: Response;
}

/**
 * One REST endpoint: its validation schemas, who may call it at all, and its handler. The schemas also
 * produce the OpenAPI document, and the authorization matrix test reads the same list.
 */
export interface RouteDefinition<P = unknown, Q = unknown, B = unknown, R = unknown, A extends RouteAuth = RouteAuth> {
  /** Stable id, e.g. "units.create"; names the route in tests and the OpenAPI operationId. */
  id: string;
  method: HttpMethod;
  /** Express path under /api, e.g. "/units/:id". */
  path: string;
  summary: string;
  /** "public" routes need no sign-in; "user" routes need a valid access token. */
  auth: A;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  response: z.ZodType<R>;
  status?: number;
  /**
   * A file upload: the body is the file's bytes, up to this many, handed to the handler UNREAD (as
   * `incomingFileSchema`) so it can authorize before any byte is taken; see mount.ts.
   */
  rawBody?: { limitBytes: number };
  handler: (context: RouteContext<P, Q, B, NoInfer<A>>) => Promise<R>;
}

/** Keeps each route's schema types tied to its handler. */
export function defineRoute<P = undefined, Q = undefined, B = undefined, R = unknown, A extends RouteAuth = RouteAuth>(
  definition: RouteDefinition<P, Q, B, R, A>,
): RouteDefinition<P, Q, B, R, A> {
  return definition;
}

// Routes of different shapes live in one list; the framework only calls them through their own schemas.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteDefinition<any, any, any, any, any>;

/** The body of a `rawBody` route: the upload still on the wire, streamed by the handler once it has said yes. */
export const incomingFileSchema = z.custom<IncomingFile>((value) => typeof value === "object" && value !== null && "stream" in value && "limitBytes" in value);

/** `?page=2&pageSize=50`, bounded so a client cannot ask for the whole table. */
export const paginationQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), page: z.number().int(), pageSize: z.number().int(), total: z.number().int() });
}

export const idParamsSchema = z.object({ id: z.string().min(1).max(64) }).strict();
export const okSchema = z.object({ ok: z.literal(true) });
