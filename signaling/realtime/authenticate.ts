import { verifyGuestToken } from "../auth/guestTokens";
import { verifyAccessToken } from "../auth/tokens";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { type Actor, appearsAsItsUnit } from "../policies";
import { rolesOf } from "../presenters/user";

export interface SocketActor extends Actor {
  /** How the peer is named on tiles and in attendance: a site account by its unit, others by their own name. */
  peerName: string;
  /** A citizen let in by a booking's link: no roles, no unit scope, only that booking's reception. */
  guest?: { bookingId: string };
}

/** Bookings whose citizen may still come in (or back, after a dropped connection). */
const GUEST_STATUSES = new Set(["booked", "admitted"]);

/**
 * Checks a handshake's access token and reloads the account, so a deactivated user or unit cannot
 * connect even with a token that has not expired yet.
 */
export async function authenticateSocket(db: Db, jwtSecret: string, token: string): Promise<SocketActor> {
  const check = verifyAccessToken(token, jwtSecret);
  if (!check.ok) {
    const guest = verifyGuestToken(token, jwtSecret);
    if (guest) return authenticateGuest(db, guest.sub, guest.name);
    throw new AppError("UNAUTHENTICATED", { detail: `access token ${check.reason}` });
  }
  const user = await db.user.findUnique({ where: { id: check.claims.sub }, include: { unit: true, roles: true } });
  if (!user || !user.active || !user.unit.active) throw new AppError("UNAUTHENTICATED", { detail: "account inactive" });
  if (user.tokenVersion !== (check.claims.ver ?? 0)) throw new AppError("UNAUTHENTICATED", { detail: "account changed since the token was issued" });
  const roles = rolesOf(user);
  return {
    id: user.id,
    roles,
    unitId: user.unitId,
    unitPath: user.unit.path,
    peerName: appearsAsItsUnit({ roles }) ? user.unit.name : user.displayName,
  };
}

async function authenticateGuest(db: Db, bookingId: string, name: string): Promise<SocketActor> {
  const booking = await db.booking.findUnique({ where: { id: bookingId }, include: { slot: { select: { endsAt: true } } } });
  if (!booking || !GUEST_STATUSES.has(booking.status)) throw new AppError("UNAUTHENTICATED", { detail: "booking no longer valid" });
  return {
    id: `guest:${booking.id}`,
    roles: [],
    unitId: booking.unitId,
    // No unit's path starts like this, so no unit-scoped rule ever matches a guest.
    unitPath: `/guest/${booking.id}/`,
    peerName: name,
    guest: { bookingId: booking.id },
  };
}
