import { LoginThrottle } from "../../auth/LoginThrottle";
import type { CaseService } from "../../commands/cases";
import { AppError } from "../../errors";
import { defineRoute } from "../route";
import { publicLookupRequestSchema, publicLookupResponseSchema } from "./schema";

/** Wrong code/secret pairs per IP before lookups from it pause, so secrets cannot be guessed. */
const FAILED_LOOKUPS = { limit: 10, windowMs: 15 * 60_000 };

export function publicRoutes(deps: { cases: CaseService }) {
  const failures = new LoginThrottle(FAILED_LOOKUPS.limit, FAILED_LOOKUPS.windowMs);
  return [
    defineRoute({
      id: "public.lookup",
      method: "post",
      path: "/public/lookup",
      summary: "A citizen looks up a petition by code and secret: state, deadline, published answer; no personal data",
      auth: "public",
      body: publicLookupRequestSchema,
      response: publicLookupResponseSchema,
      handler: async ({ body, meta }) => {
        if (failures.isBlocked(meta.ip)) throw new AppError("RATE_LIMITED");
        try {
          return await deps.cases.lookup(body.code, body.secret);
        } catch (error) {
          if (error instanceof AppError && error.code === "NOT_FOUND") failures.recordFailure(meta.ip);
          throw error;
        }
      },
    }),
  ];
}
