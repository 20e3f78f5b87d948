import { verifyAccessToken } from "../auth/tokens";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import type { Actor } from "../policies";
import { rolesOf } from "../presenters/user";

export interface SocketActor extends Actor {
  /** How the peer is named on tiles and in attendance: a site account by its unit, others by their own name. */
  peerName: string;
}

/**
 * Checks a handshake's access token and reloads the account, so a deactivated user or unit cannot
 * connect even with a token that has not expired yet.
 */
export async function authenticateSocket(db: Db, jwtSecret: string, token: string): Promise<SocketActor> {
  const check = verifyAccessToken(token, jwtSecret);
  if (!check.ok) throw new AppError("UNAUTHENTICATED", { detail: `access token ${check.reason}` });
  const user = await db.user.findUnique({ where: { id: check.claims.sub }, include: { unit: true, roles: true } });
  if (!user || !user.active || !user.unit.active) throw new AppError("UNAUTHENTICATED", { detail: "account inactive" });
  const roles = rolesOf(user);
  return {
    id: user.id,
    roles,
    unitId: user.unitId,
    unitPath: user.unit.path,
    peerName: roles.includes("site") ? user.unit.name : user.displayName,
  };
}
