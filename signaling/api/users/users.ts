import type { UserService } from "../../services/users/UserService";
import { defineRoute, idParamsSchema, okSchema, pageOf, paginationQuerySchema } from "../route";
import { createUserRequestSchema, listUsersQuerySchema, resetPasswordRequestSchema, updateUserRequestSchema, userSchema } from "./schema";

export function userRoutes({ users }: { users: UserService }) {
  return [
    defineRoute({
      id: "users.list",
      method: "get",
      path: "/users",
      summary: "Accounts in the caller's unit and below, optionally of one unit; searchable by username, name or unit, sortable",
      auth: "user",
      query: paginationQuerySchema.extend(listUsersQuerySchema.shape),
      response: pageOf(userSchema),
      handler: ({ actor, query }) => users.list(actor, query, { page: query.page, pageSize: query.pageSize }),
    }),
    defineRoute({
      id: "users.read",
      method: "get",
      path: "/users/:id",
      summary: "One account",
      auth: "user",
      params: idParamsSchema,
      response: userSchema,
      handler: ({ actor, params }) => users.read(actor, params.id),
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
      handler: ({ actor, body, meta }) => users.create(actor, body, meta),
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
      handler: ({ actor, params, body, meta }) => users.update(actor, params.id, body, meta),
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
      handler: ({ actor, params, body, meta }) => users.resetPassword(actor, params.id, body.newPassword, meta),
    }),
  ];
}
