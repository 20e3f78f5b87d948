import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/**
 * scrypt from node:crypto (memory-hard, no native add-on to build offline). N = 2^17, r = 8 (the cost
 * OWASP recommends for scrypt) takes 128 MiB and a few hundred ms per hash: guessing a stolen hash costs
 * the attacker as much. The parameters are stored in each hash, so hashes made at the older N = 2^15 still
 * verify and are replaced at the next successful login (`passwordNeedsRehash`).
 */
const PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/**
 * Bounds for stored parameters: a hash from the database decides how much memory a login takes, so a
 * damaged or planted row must not make one verification allocate gigabytes (N = 2^24 would need 16 GiB).
 */
const acceptable = ({ N, r, p }: ScryptParams): boolean =>
  Number.isInteger(Math.log2(N)) && N >= 2 ** 14 && N <= 2 ** 18 && Number.isInteger(r) && r >= 1 && r <= 16 && Number.isInteger(p) && p >= 1 && p <= 4;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // Node refuses scrypt above maxmem (default 32 MiB); 128·N·r bytes are needed, so N = 2^17 needs it raised.
    scrypt(password.normalize("NFC"), salt, KEY_LENGTH, { ...params, maxmem: 128 * params.N * params.r * 2 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

function parse(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const [scheme, n, r, p, salt, expected, ...rest] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !salt || !expected || rest.length > 0) return null;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (!acceptable(params)) return null;
  return { params, salt: Buffer.from(salt, "base64url"), key: Buffer.from(expected, "base64url") };
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/** Constant-time comparison; a malformed stored hash, or one with out-of-bounds parameters, never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.params);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

/** True when a (verified) hash was made with other parameters than today's: rehash while the password is at hand. */
export function passwordNeedsRehash(stored: string): boolean {
  const parsed = parse(stored);
  return !parsed || parsed.params.N !== PARAMS.N || parsed.params.r !== PARAMS.r || parsed.params.p !== PARAMS.p;
}

/** Spent on unknown usernames so response time does not reveal which accounts exist. */
let decoy: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  decoy ??= hashPassword("decoy-password-never-used");
  await verifyPassword(password, await decoy);
}
