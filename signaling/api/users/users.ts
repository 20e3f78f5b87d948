import { hashPassword } from "../../auth/passwords";
import { recordAudit } from "../../audit";
import type { Db } from "../../db/client";
import { type SessionRevoker, staleTokens } from "../../auth/revocation";
import { AppError } from "../../errors";
import { authorize, userPolicy } from "../../policies";
import { presentUser, rolesOf } from "../../presenters/user";
import { defineRoute, idParamsSchema, okSchema, pageOf, paginationQuerySchema } from "../route";
import { createUserRequestSchema, listUsersQuerySchema, resetPasswordRequestSchema, updateUserRequestSchema, userSchema } from "./schema";

const withUnitAndRoles = { unit: true, roles: true } as const;

async function findUser(db: Db, id: string) {
  const user = await db.user.findUnique({ where: { id }, include: withUnitAndRoles });
  if (!user) throw new AppError("NOT_FOUND", { detail: `user ${id} not found` });
  return user;
}

async function findUnit(db: Db, id: string) {
  const unit = await db.unit.findUnique({ where: { id } });
  if (!unit || !unit.active) throw new AppError("NOT_FOUND", { detail: `unit ${id} not found` });
  return unit;
}

export function userRoutes(deps: { db: Db; revocation: SessionRevoker }) {
  const { db } = deps;
  const audit = (actorId: string, action: string, subjectId: string, detail: Record<string, unknown>, ip: string) =>
    recordAudit(db, { actorId, action, subjectType: "user", subjectId, detail, ip });

  return [
    defineRoute({
      id: "users.list",
      method: "get",
      path: "/users",
      summary: "Accounts in the caller's unit and below, optionally of one unit",
      auth: "user",
      query: paginationQuerySchema.extend(listUsersQuerySchema.shape),
      response: pageOf(userSchema),
      handler: async ({ actor, query }) => {
        authorize(userPolicy.list(actor));
        const where = {
          unit: { path: { startsWith: actor.unitPath } },
          ...(query.unitId ? { unitId: query.unitId } : {}),
          ...(query.includeInactive === "true" ? {} : { active: true }),
        };
        const [total, users] = await db.$transaction([
          db.user.count({ where }),
          db.user.findMany({
            where,
            include: withUnitAndRoles,
            orderBy: [{ unit: { path: "asc" } }, { username: "asc" }],
            skip: (query.page - 1) * query.pageSize,
            take: query.pageSize,
          }),
        ]);
        return { items: users.map(presentUser), page: query.page, pageSize: query.pageSize, total };
      },
    }),
    defineRoute({
      id: "users.read",
      method: "get",
      path: "/users/:id",
      summary: "One account",
      auth: "user",
      params: idParamsSchema,
      response: userSchema,
      handler: async ({ actor, params }) => {
        const user = await findUser(db, params.id);
        authorize(userPolicy.read(actor, user));
        return presentUser(user);
      },
    }),
    defineRoute({
      id: "users.create",
      method: "post",
      path: "/users",
      summary: "Create an account in a unit of the admin's subtree",
      auth: "user",
      body: createUserRequestSchema,
      response: userSchema,
      status: 201,
      handler: async ({ actor, body, meta }) => {
        const unit = await findUnit(db, body.unitId);
        authorize(userPolicy.create(actor, unit));
        if (await db.user.findUnique({ where: { username: body.username } })) {
          throw new AppError("CONFLICT", { detail: `username ${body.username} is taken` });
        }
        const user = await db.user.create({
          data: {
            username: body.username,
            displayName: body.displayName,
            unitId: unit.id,
            passwordHash: await hashPassword(body.password),
            roles: { create: body.roles.map((role) => ({ role })) },
          },
          include: withUnitAndRoles,
        });
        await audit(actor.id, "user.create", user.id, { username: body.username, unitId: unit.id, roles: body.roles }, meta.ip);
        return presentUser(user);
      },
    }),
    defineRoute({
      id: "users.update",
      method: "patch",
      path: "/users/:id",
      summary: "Change display name, unit, roles or active state",
      auth: "user",
      params: idParamsSchema,
      body: updateUserRequestSchema,
      response: userSchema,
      handler: async ({ actor, params, body, meta }) => {
        const user = await findUser(db, params.id);
        authorize(userPolicy.update(actor, user));
        if (body.active === false) authorize(userPolicy.deactivate(actor, user));
        if (body.roles) authorize(userPolicy.assignRoles(actor, { ...user, roles: rolesOf(user) }, body.roles));
        if (body.unitId) authorize(userPolicy.create(actor, await findUnit(db, body.unitId)));
        // Deactivating, moving or re-roling takes the account's current authority away everywhere, now.
        const revoking = body.active === false || (body.unitId !== undefined && body.unitId !== user.unitId) || body.roles !== undefined;
        const updated = await db.$transaction(async (tx) => {
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
            },
            include: withUnitAndRoles,
          });
        });
        if (revoking) deps.revocation.disconnect(user.id);
        await audit(actor.id, "user.update", user.id, body, meta.ip);
        return presentUser(updated);
      },
    }),
    defineRoute({
      id: "users.resetPassword",
      method: "post",
      path: "/users/:id/password",
      summary: "Set a new password for another account; its sessions end",
      auth: "user",
      params: idParamsSchema,
      body: resetPasswordRequestSchema,
      response: okSchema,
      handler: async ({ actor, params, body, meta }) => {
        const user = await findUser(db, params.id);
        authorize(userPolicy.resetPassword(actor, { ...user, roles: rolesOf(user) }));
        await db.$transaction([
          db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(body.newPassword), passwordChangedAt: new Date(), ...staleTokens } }),
          db.refreshSession.updateMany({ where: { userId: user.id, revokedAt: null }, data: { revokedAt: new Date(), revokeReason: "password reset" } }),
        ]);
        deps.revocation.disconnect(user.id);
        await audit(actor.id, "user.resetPassword", user.id, {}, meta.ip);
        return { ok: true as const };
      },
    }),
  ];
}
