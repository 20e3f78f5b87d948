import { roleSchema, type SessionUser, type UserDto } from "../protocol";

interface UserRow {
  id: string;
  username: string;
  displayName: string;
  unit: { id: string; code: string; name: string };
  roles: { role: string }[];
}

/** Roles stored as text become the protocol's enum; an unknown stored role is dropped, never trusted. */
export function rolesOf(user: { roles: { role: string }[] }) {
  return user.roles.flatMap((r) => {
    const role = roleSchema.safeParse(r.role);
    return role.success ? [role.data] : [];
  });
}

/** The signed-in user as the client sees them; never the password hash. */
export function presentSessionUser(user: UserRow): SessionUser {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    roles: rolesOf(user),
    unit: { id: user.unit.id, code: user.unit.code, name: user.unit.name },
  };
}

/** An account for administrators: no password hash, no sessions. */
export function presentUser(user: UserRow & { active: boolean; createdAt: Date; email: string | null }): UserDto {
  return { ...presentSessionUser(user), active: user.active, createdAt: user.createdAt.toISOString(), email: user.email };
}
