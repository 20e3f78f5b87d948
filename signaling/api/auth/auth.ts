import type { Response } from "express";
import type { AuthService, IssuedSession } from "../../auth/AuthService";
import type { Config } from "../../config";
import { AppError } from "../../errors";
import { defineRoute, okSchema } from "../route";
import { changePasswordRequestSchema, loginRequestSchema, sessionResponseSchema, sessionUserSchema } from "./schema";

export const REFRESH_COOKIE = "cau_noi_refresh";
/** The refresh cookie is sent only to the auth endpoints, never to the rest of the API. */
const COOKIE_PATH = "/api/auth";

export function authRoutes({ auth, config }: { auth: AuthService; config: Config["auth"] }) {
  const setRefreshCookie = (res: Response, issued: IssuedSession) => {
    res.cookie(REFRESH_COOKIE, issued.refreshToken, {
      httpOnly: true,
      secure: config.cookieSecure,
      sameSite: "strict",
      path: COOKIE_PATH,
      expires: issued.refreshExpiresAt,
    });
  };
  const refreshTokenOf = (cookies: unknown): string | undefined => {
    const value = (cookies as Record<string, unknown> | undefined)?.[REFRESH_COOKIE];
    return typeof value === "string" && value.length > 0 && value.length < 200 ? value : undefined;
  };

  return [
    defineRoute({
      id: "auth.login",
      method: "post",
      path: "/auth/login",
      summary: "Sign in with username and password; sets the refresh cookie",
      auth: "public",
      body: loginRequestSchema,
      response: sessionResponseSchema,
      handler: async ({ body, meta, res }) => {
        const issued = await auth.login(body.username, body.password, meta);
        setRefreshCookie(res, issued);
        return issued.response;
      },
    }),
    defineRoute({
      id: "auth.refresh",
      method: "post",
      path: "/auth/refresh",
      summary: "Exchange the refresh cookie for a new access token (the cookie rotates)",
      auth: "public",
      response: sessionResponseSchema,
      handler: async ({ req, meta, res }) => {
        const token = refreshTokenOf(req.cookies);
        if (!token) throw new AppError("UNAUTHENTICATED");
        try {
          const issued = await auth.refresh(token, meta);
          setRefreshCookie(res, issued);
          return issued.response;
        } catch (error) {
          res.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
          throw error;
        }
      },
    }),
    defineRoute({
      id: "auth.logout",
      method: "post",
      path: "/auth/logout",
      summary: "Sign out: revokes the refresh token family and clears the cookie",
      auth: "public",
      response: okSchema,
      handler: async ({ req, meta, res }) => {
        await auth.logout(refreshTokenOf(req.cookies), meta);
        res.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
        return { ok: true as const };
      },
    }),
    defineRoute({
      id: "auth.me",
      method: "get",
      path: "/auth/me",
      summary: "The signed-in user",
      auth: "user",
      response: sessionUserSchema,
      handler: ({ actor }) => auth.me(actor.id),
    }),
    defineRoute({
      id: "auth.changePassword",
      method: "post",
      path: "/auth/password",
      summary: "Change one's own password; other sessions are signed out",
      auth: "user",
      body: changePasswordRequestSchema,
      response: okSchema,
      handler: async ({ actor, body, meta }) => {
        await auth.changePassword(actor.id, body.currentPassword, body.newPassword, meta);
        return { ok: true as const };
      },
    }),
  ];
}
