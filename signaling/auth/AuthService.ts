import { randomUUID } from "node:crypto";
import { recordAudit } from "../audit";
import type { Config } from "../config";
import type { Db } from "../db/client";
import { type SessionRevoker, staleTokens } from "./revocation";
import { AppError } from "../errors";
import type { SessionResponse } from "../protocol";
import { presentSessionUser } from "../presenters/user";
import { burnPasswordCheck, hashPassword, passwordNeedsRehash, verifyPassword } from "./passwords";
import { type LimiterStore, Throttle } from "./throttle";
import { hashRefreshToken, newRefreshToken, signAccessToken } from "./tokens";

export interface ClientMeta {
  ip: string;
  userAgent?: string;
}

export interface IssuedSession {
  response: SessionResponse;
  refreshToken: string;
  refreshExpiresAt: Date;
}

/**
 * Sign-in attempts. Per username at one address: 5 in 15 minutes, then pauses of 1, 2, 4 … 60 minutes,
 * so a guesser (or a prankster) cannot lock the chair out everywhere before a briefing — the same
 * account from another address is untouched. Per address: 30 in 15 minutes, whatever the usernames.
 */
const PER_ACCOUNT_AT_ADDRESS = { attempts: 5, windowSeconds: 15 * 60, firstPauseSeconds: 60, maxPauseSeconds: 60 * 60 };
const PER_ADDRESS = { attempts: 30, windowSeconds: 15 * 60 };

const userWithUnit = { unit: true, roles: true } as const;

/**
 * Sign-in, refresh-token rotation with reuse detection, sign-out and password change. Every outcome
 * that matters for security is written to the audit log.
 */
export class AuthService {
  readonly #db: Db;
  readonly #config: Config["auth"];
  readonly #byAccountAtAddress: Throttle;
  readonly #byAddress: Throttle;

  readonly #revocation: SessionRevoker;

  /** `limiters`: where sign-in attempts are counted (shared by every process when Redis is configured). */
  constructor(db: Db, config: Config["auth"], revocation: SessionRevoker, limiters: LimiterStore) {
    this.#byAccountAtAddress = new Throttle(limiters, "login.accountAtAddress", PER_ACCOUNT_AT_ADDRESS);
    this.#byAddress = new Throttle(limiters, "login.address", PER_ADDRESS);
    this.#db = db;
    this.#config = config;
    this.#revocation = revocation;
  }

  async login(username: string, password: string, meta: ClientMeta): Promise<IssuedSession> {
    // Counted before the lookup and the scrypt: parallel guesses each take an attempt up front.
    const accountKey = `${username}\u0000${meta.ip}`;
    try {
      await this.#byAddress.consume(meta.ip);
      await this.#byAccountAtAddress.consume(accountKey);
    } catch (error) {
      // What was typed as a username may be a password typed in the wrong box: never stored.
      await this.#audit(null, "auth.login.throttled", {}, meta);
      throw error;
    }
    const user = await this.#db.user.findUnique({ where: { username }, include: userWithUnit });
    const valid = user ? await verifyPassword(password, user.passwordHash) : (await burnPasswordCheck(password), false);
    if (!user || !valid || !user.active || !user.unit.active) {
      // An existing account is named by its id (the actor); an unknown name is not written down at all.
      await this.#audit(user?.id ?? null, "auth.login.failed", { knownAccount: Boolean(user) }, meta);
      throw new AppError("INVALID_CREDENTIALS");
    }
    await this.#byAccountAtAddress.reset(accountKey);
    await this.#byAddress.refund(meta.ip);
    if (passwordNeedsRehash(user.passwordHash)) await this.#rehash(user.id, user.passwordHash, password);
    await this.#audit(user.id, "auth.login", {}, meta);
    return this.#issue(user, randomUUID(), meta);
  }

  /**
   * Exchanges a refresh token for a new pair. A token already replaced means someone kept a copy:
   * the whole family is revoked, which signs out both the thief and the owner.
   */
  async refresh(token: string, meta: ClientMeta): Promise<IssuedSession> {
    const session = await this.#db.refreshSession.findUnique({ where: { tokenHash: hashRefreshToken(token) } });
    if (!session) throw new AppError("UNAUTHENTICATED");
    if (session.revokedAt) {
      if (session.replacedById) {
        await this.#revokeFamily(session.familyId, "reuse");
        await this.#audit(session.userId, "auth.refresh.reuse", { familyId: session.familyId }, meta);
      }
      throw new AppError("UNAUTHENTICATED");
    }
    if (session.expiresAt <= new Date()) throw new AppError("UNAUTHENTICATED");
    const user = await this.#db.user.findUnique({ where: { id: session.userId }, include: userWithUnit });
    if (!user || !user.active || !user.unit.active) {
      await this.#revokeFamily(session.familyId, "account disabled");
      throw new AppError("UNAUTHENTICATED");
    }
    const issued = await this.#issue(user, session.familyId, meta);
    // Conditional update: of two concurrent refreshes with the same token only one wins.
    const { count } = await this.#db.refreshSession.updateMany({
      where: { id: session.id, revokedAt: null },
      data: { revokedAt: new Date(), revokeReason: "rotated", replacedById: issued.sessionId },
    });
    if (count === 0) {
      await this.#revokeFamily(session.familyId, "reuse");
      throw new AppError("UNAUTHENTICATED");
    }
    return issued;
  }

  async logout(token: string | undefined, meta: ClientMeta): Promise<void> {
    if (!token) return;
    const session = await this.#db.refreshSession.findUnique({ where: { tokenHash: hashRefreshToken(token) } });
    if (!session) return;
    await this.#revokeFamily(session.familyId, "logout");
    await this.#audit(session.userId, "auth.logout", {}, meta);
  }

  /** The signed-in account as the client sees it; an account locked since the token was issued is refused. */
  async me(userId: string) {
    const user = await this.#db.user.findUnique({ where: { id: userId }, include: { unit: true, roles: true } });
    if (!user || !user.active) throw new AppError("UNAUTHENTICATED");
    return presentSessionUser(user);
  }

  async changePassword(userId: string, currentPassword: string, newPassword: string, meta: ClientMeta): Promise<void> {
    const user = await this.#db.user.findUnique({ where: { id: userId } });
    if (!user || !(await verifyPassword(currentPassword, user.passwordHash))) throw new AppError("INVALID_CREDENTIALS");
    await this.#db.$transaction([
      this.#db.user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(newPassword), passwordChangedAt: new Date(), ...staleTokens } }),
      // Other devices must sign in again with the new password.
      this.#db.refreshSession.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date(), revokeReason: "password changed" } }),
    ]);
    // Whoever knew the old password loses the sockets and tokens it got them; this device signs in again.
    this.#revocation.disconnect(userId);
    await this.#audit(userId, "auth.password.changed", {}, meta);
  }

  async #issue(
    user: { id: string; username: string; displayName: string; unitId: string; tokenVersion: number; unit: { id: string; code: string; name: string }; roles: { role: string }[] },
    familyId: string,
    meta: ClientMeta,
  ): Promise<IssuedSession & { sessionId: string }> {
    const refresh = newRefreshToken();
    const refreshExpiresAt = new Date(Date.now() + this.#config.refreshTokenTtlDays * 86_400_000);
    const stored = await this.#db.refreshSession.create({
      data: {
        userId: user.id,
        familyId,
        tokenHash: refresh.hash,
        expiresAt: refreshExpiresAt,
        ip: meta.ip,
        userAgent: meta.userAgent?.slice(0, 256) ?? null,
      },
    });
    const sessionUser = presentSessionUser(user);
    const roles = sessionUser.roles;
    const accessToken = signAccessToken(
      { sub: user.id, unitId: user.unitId, roles, name: user.displayName, ver: user.tokenVersion },
      this.#config.jwtSecret,
      this.#config.accessTokenTtlSeconds,
    );
    return {
      response: { accessToken, expiresIn: this.#config.accessTokenTtlSeconds, user: sessionUser },
      refreshToken: refresh.token,
      refreshExpiresAt,
      sessionId: stored.id,
    };
  }

  async #revokeFamily(familyId: string, reason: string): Promise<void> {
    await this.#db.refreshSession.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: new Date(), revokeReason: reason } });
  }

  /**
   * Replaces a hash made at an older scrypt cost while the password is at hand (only at login is it). The
   * same password, so neither passwordChangedAt nor the token version moves; conditional on the old hash,
   * so a password changed meanwhile is never overwritten.
   */
  async #rehash(userId: string, oldHash: string, password: string): Promise<void> {
    await this.#db.user.updateMany({ where: { id: userId, passwordHash: oldHash }, data: { passwordHash: await hashPassword(password) } });
  }

  async #audit(actorId: string | null, action: string, detail: Record<string, unknown>, meta: ClientMeta): Promise<void> {
    await recordAudit(this.#db, { actorId, action, subjectType: "user", subjectId: actorId, detail, ip: meta.ip });
  }
}
