import type { AuthService } from "../auth/AuthService";
import type { Config } from "../config";
import type { Db } from "../db/client";
import { authRoutes } from "./auth/auth";
import type { AnyRoute } from "./route";
import { unitRoutes } from "./units/units";
import { userRoutes } from "./users/users";

/** Every REST route. The OpenAPI document and the authorization matrix test read this list. */
export function apiRoutes(deps: { db: Db; auth: AuthService; config: Config }): AnyRoute[] {
  return [
    ...authRoutes({ auth: deps.auth, db: deps.db, config: deps.config.auth }),
    ...unitRoutes({ db: deps.db }),
    ...userRoutes({ db: deps.db }),
  ];
}
