import type { z } from "zod";
import { hashPassword } from "../../auth/passwords";
import { recordAudit } from "../../audit";
import { type SessionRevoker, staleTokens } from "../../auth/revocation";
import type { Db } from "../../db/client";
import type { Prisma } from "../../db/generated/client";
import { matchesSearch } from "../../domain/textSearch";
import { AppError } from "../../errors";
import { type Actor, authorize, userPolicy } from "../../policies";
import { presentUser, rolesOf } from "../../presenters/user";
import type { createUserRequestSchema, ListUsersQuery, updateUserRequestSchema, UserDto, UserSortField } from "../../protocol";

type CreateUserInput = z.infer<typeof createUserRequestSchema>;
type UpdateUserInput = z.infer<typeof updateUserRequestSchema>;

const withUnitAndRoles = { unit: true, roles: true } as const;

/** Each sort with its tie-breakers (username is unique), so pages never overlap. */
function userOrderBy(sort: UserSortField, dir: "asc" | "desc"): Prisma.UserOrderByWithRelationInput[] {
  switch (sort) {
    case "unit":
      return [{ unit: { path: dir } }, { username: "asc" }];
    case "username":
      return [{ username: dir }];
    case "displayName":
      return [{ displayName: dir }, { username: "asc" }];
    case "createdAt":
      return [{ createdAt: dir }, { username: "asc" }];
  }
}

/**
 * Accounts: the administrators' list, creation, edits and password resets. A change that takes authority
 * away (deactivation, a move, new roles, a reset) ends the account's sessions and sockets at once.
 */
export class UserService {
  constructor(private readonly db: Db, private readonly revocation: SessionRevoker) {}

  async list(actor: Actor, query: ListUsersQuery, page: { page: number; pageSize: number }) {
    authorize(userPolicy.list(actor));
    const where: Prisma.UserWhereInput = {
      unit: { path: { startsWith: actor.unitPath } },
      ...(query.unitId ? { unitId: query.unitId } : {}),
      ...(query.includeInactive === "true" ? {} : { active: true }),
    };
    const sort = query.sort ?? "unit";
    const dir = query.dir ?? (sort === "createdAt" ? "desc" : "asc");
    const orderBy = userOrderBy(sort, dir);
    const skip = (page.page - 1) * page.pageSize;
    if (query.q?.trim()) {
      // Searched the way the units are (domain/textSearch.ts: no diacritics, no case, on either engine):
      // SQLite's LIKE would need the marks typed exactly. The scope's accounts are read in the asked
      // order with only the searched fields (a province has thousands of accounts, not millions), and
      // the page's rows are then read whole.
      const candidates = await this.db.user.findMany({ where, select: { id: true, username: true, displayName: true, unit: { select: { name: true } } }, orderBy });
      const matches = candidates.filter((user) => matchesSearch(query.q, [user.username, user.displayName, user.unit.name]));
      const ids = matches.slice(skip, skip + page.pageSize).map((user) => user.id);
      const rows = new Map((await this.db.user.findMany({ where: { id: { in: ids } }, include: withUnitAndRoles })).map((row) => [row.id, row]));
      const users = ids.flatMap((id) => rows.get(id) ?? []);
      return { items: users.map(presentUser), page: page.page, pageSize: page.pageSize, total: matches.length };
    }
    const [total, users] = await this.db.$transaction([
      this.db.user.count({ where }),
      this.db.user.findMany({ where, include: withUnitAndRoles, orderBy, skip, take: page.pageSize }),
    ]);
    return { items: users.map(presentUser), page: page.page, pageSize: page.pageSize, total };
  }

  async read(actor: Actor, userId: string): Promise<UserDto> {
    const user = await this.#findUser(userId);
    authorize(userPolicy.read(actor, user));
    return presentUser(user);
  }

  async create(actor: Actor, body: CreateUserInput, meta: { ip: string }): Promise<UserDto> {
    const unit = await this.#findActiveUnit(body.unitId);
    authorize(userPolicy.create(actor, unit));
    if (await this.db.user.findUnique({ where: { username: body.username } })) {
      throw new AppError("CONFLICT", { detail: `username ${body.username} is taken` });
    }
    const user = await this.db.user.create({
      data: {
        username: body.username,
        displayName: body.displayName,
        unitId: unit.id,
        passwordHash: await hashPassword(body.password),
        email: body.email ?? null,
        roles: { create: body.roles.map((role) => ({ role })) },
      },
      include: withUnitAndRoles,
    });
    await this.#audit(actor.id, "user.create", user.id, { username: body.username, unitId: unit.id, roles: body.roles }, meta.ip);
    return presentUser(user);
  }

  async update(actor: Actor, userId: string, body: UpdateUserInput, meta: { ip: string }): Promise<UserDto> {
    const user = await this.#findUser(userId);
    authorize(userPolicy.update(actor, user));
    if (body.active === false) authorize(userPolicy.deactivate(actor, user));
    if (body.roles) authorize(userPolicy.assignRoles(actor, { ...user, roles: rolesOf(user) }, body.roles));
    if (body.unitId) authorize(userPolicy.create(actor, await this.#findActiveUnit(body.unitId)));
    // Deactivating, moving or re-roling takes the account's current authority away everywhere, now.
    const revoking = body.active === false || (body.unitId !== undefined && body.unitId !== user.unitId) || body.roles !== undefined;
    const updated = await this.db.$transaction(async (tx) => {
      if (body.roles) {
        await tx.userRole.deleteMany({ where: { userId: user.id } });
        await tx.userRole.createMany({ data: body.roles.map((role) => ({ userId: user.id, role })) });
      }
      if (revoking) {
        // A changed account must sign in again to get tokens that match it.
        await tx.refreshSession.updateMany({ where: { userId: user.id, revokedAt: null }, data: { revokedAt: new Date(), revokeReason: "account changed" } });
      }
      return tx.user.update({
        where: { id: user.id },
        data: {
          ...(revoking ? staleTokens : {}),
          ...(body.displayName !== undefined ? { displayName: body.displayName } : {}),
          ...(body.unitId !== undefined ? { unitId: body.unitId } : {}),
          ...(body.active !== undefined ? { active: body.active } : {}),
          ...(body.email !== undefined ? { email: body.email } : {}),
        },
        include: withUnitAndRoles,
      });
    });
    if (revoking) this.revocation.disconnect(user.id);
    await this.#audit(actor.id, "user.update", user.id, body, meta.ip);
    return presentUser(updated);
  }

  async resetPassword(actor: Actor, userId: string, newPassword: string, meta: { ip: string }): Promise<{ ok: true }> {
    const user = await this.#findUser(userId);
    authorize(userPolicy.resetPassword(actor, { ...user, roles: rolesOf(user) }));
    await this.db.$transaction([
      this.db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(newPassword), passwordChangedAt: new Date(), ...staleTokens } }),
      this.db.refreshSession.updateMany({ where: { userId: user.id, revokedAt: null }, data: { revokedAt: new Date(), revokeReason: "password reset" } }),
    ]);
    this.revocation.disconnect(user.id);
    await this.#audit(actor.id, "user.resetPassword", user.id, {}, meta.ip);
    return { ok: true };
  }

  async #findUser(id: string) {
    const user = await this.db.user.findUnique({ where: { id }, include: withUnitAndRoles });
    if (!user) throw new AppError("NOT_FOUND", { detail: `user ${id} not found` });
    return user;
  }

  async #findActiveUnit(id: string) {
    const unit = await this.db.unit.findUnique({ where: { id } });
    if (!unit || !unit.active) throw new AppError("NOT_FOUND", { detail: `unit ${id} not found` });
    return unit;
  }

  #audit(actorId: string, action: string, subjectId: string, detail: Record<string, unknown>, ip: string): Promise<void> {
    return recordAudit(this.db, { actorId, action, subjectType: "user", subjectId, detail, ip });
  }
}
