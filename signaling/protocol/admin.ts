import { z } from "zod";
import { newPasswordSchema, roleSchema, usernameSchema } from "./auth";
import { searchTextSchema, sortParams, unitSortFields, userSortFields } from "./lists";
import { emailAddressSchema } from "./mail";

export const unitKinds = ["province", "department", "district", "commune", "ward", "special_zone", "other"] as const;
export const unitKindSchema = z.enum(unitKinds);

const unitName = z.string().trim().min(2).max(160);
const unitCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9-]{0,31}$/, "unit code: 1–32 capital letters, digits or dashes");
const id = z.string().min(1).max(64);

export const unitSchema = z.object({
  id,
  code: z.string(),
  name: z.string(),
  kind: unitKindSchema,
  parentId: z.string().nullable(),
  active: z.boolean(),
  /** Depth in the tree, 0 for the root. */
  depth: z.number().int(),
});
export type UnitDto = z.infer<typeof unitSchema>;

export const createUnitRequestSchema = z.object({ parentId: id, code: unitCode, name: unitName, kind: unitKindSchema }).strict();
export const updateUnitRequestSchema = z
  .object({ name: unitName, code: unitCode, kind: unitKindSchema, parentId: id, active: z.boolean() })
  .partial()
  .strict()
  .refine((value) => Object.keys(value).length > 0, "nothing to change");

export const userSchema = z.object({
  id,
  username: z.string(),
  displayName: z.string(),
  unit: z.object({ id, code: z.string(), name: z.string() }),
  roles: z.array(roleSchema),
  active: z.boolean(),
  createdAt: z.string(),
  /** Official mail address (invitations, deadline warnings); null: this account gets no mail. */
  email: z.string().nullable(),
});
export type UserDto = z.infer<typeof userSchema>;

const displayName = z.string().trim().min(2).max(120);
const roleList = z.array(roleSchema).min(1).max(6).transform((roles) => [...new Set(roles)]);

export const createUserRequestSchema = z
  .object({ username: usernameSchema, displayName, unitId: id, roles: roleList, password: newPasswordSchema, email: emailAddressSchema.nullable().optional() })
  .strict();
export const updateUserRequestSchema = z
  .object({ displayName, unitId: id, roles: roleList, active: z.boolean(), email: emailAddressSchema.nullable() })
  .partial()
  .strict()
  .refine((value) => Object.keys(value).length > 0, "nothing to change");
export const resetPasswordRequestSchema = z.object({ newPassword: newPasswordSchema }).strict();
export const listUsersQuerySchema = z.object({
  unitId: id.optional(),
  includeInactive: z.enum(["true", "false"]).optional(),
  q: searchTextSchema,
  ...sortParams(userSortFields),
});
export type ListUsersQuery = z.infer<typeof listUsersQuerySchema>;
export const listUnitsQuerySchema = z.object({ includeInactive: z.enum(["true", "false"]).optional(), q: searchTextSchema, ...sortParams(unitSortFields) });
export type ListUnitsQuery = z.infer<typeof listUnitsQuerySchema>;
