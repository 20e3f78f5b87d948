import { randomUUID } from "node:crypto";
import { CitizenSecrets } from "../../signaling/auth/citizenSecrets";
import { hashPassword } from "../../signaling/auth/passwords";
import { signAccessToken } from "../../signaling/auth/tokens";
import { DEMO_LOOKUP_HMAC_KEY } from "../../signaling/config";
import type { Db } from "../../signaling/db/client";
import { childPath, rootPath } from "../../signaling/domain/unitTree";
import type { Role } from "../../signaling/protocol";

export const TEST_PASSWORD = "correct horse battery";

/** The citizens' codes as the test server (default LOOKUP_HMAC_KEY) stores them, for services built beside it. */
export const testCitizenSecrets = new CitizenSecrets(DEMO_LOOKUP_HMAC_KEY);

let counter = 0;
const next = () => `${++counter}${randomUUID().slice(0, 4)}`.toUpperCase();

export async function buildUnit(db: Db, options: { parent?: { id: string; path: string }; name?: string; kind?: string; active?: boolean } = {}) {
  const code = `T-${next()}`;
  const unit = await db.unit.create({
    data: { code, name: options.name ?? `Đơn vị ${code}`, kind: options.kind ?? (options.parent ? "commune" : "province"), parentId: options.parent?.id ?? null, path: "pending", active: options.active ?? true },
  });
  return db.unit.update({ where: { id: unit.id }, data: { path: options.parent ? childPath(options.parent.path, unit.id) : rootPath(unit.id) } });
}

let passwordHash: Promise<string> | undefined;

export async function buildUser(db: Db, options: { unit: { id: string }; roles: Role[]; active?: boolean; username?: string }) {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  return db.user.create({
    data: {
      username: options.username ?? `user-${next().toLowerCase()}`,
      displayName: "Người dùng thử",
      unitId: options.unit.id,
      passwordHash: await passwordHash,
      active: options.active ?? true,
      roles: { create: options.roles.map((role) => ({ role })) },
    },
  });
}

/** A real access token for a new account, as the login route would issue it. */
export async function tokenFor(db: Db, jwtSecret: string, options: { unit: { id: string }; roles: Role[]; displayName?: string; ttlSeconds?: number }) {
  const user = await buildUser(db, options);
  if (options.displayName) await db.user.update({ where: { id: user.id }, data: { displayName: options.displayName } });
  const token = signAccessToken({ sub: user.id, unitId: options.unit.id, roles: options.roles, name: options.displayName ?? user.displayName }, jwtSecret, options.ttlSeconds ?? 600);
  return { user, token };
}

/**
 * Named staff accounts with real tokens, filled into the caller's `tokens` and `ids` by key: the fixture
 * of the reception and privacy tests ("officer" of the commune, "provinceLeader"…).
 */
export async function staffAccounts<K extends string>(
  db: Db,
  jwtSecret: string,
  accounts: readonly (readonly [K, { id: string }, Role, string])[],
  into: { tokens: Record<K, string>; ids: Record<K, string> },
): Promise<void> {
  for (const [key, unit, role, displayName] of accounts) {
    const { user, token } = await tokenFor(db, jwtSecret, { unit, roles: [role], displayName });
    into.tokens[key] = token;
    into.ids[key] = user.id;
  }
}
