import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Db } from "../db/client";

/** Marks a digest made with the server's key; a stored value without it is from before (bare SHA-256). */
const PREFIX = "hmac-sha256:";

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/**
 * How the secrets handed to citizens (a petition's lookup code, a booking's cancel code and join token)
 * are stored. The codes are short (8 characters, ~40 bits), so a bare hash in a leaked database copy could
 * be reversed by trying them all; an HMAC with a key kept outside the database (LOOKUP_HMAC_KEY) cannot be
 * checked without the key.
 *
 * The HMAC is taken over the code's SHA-256 rather than over the code itself so rows written by the
 * earlier code (bare SHA-256) can be rewritten in place, without knowing their codes, at start-up
 * (`upgradeLegacyCitizenSecrets`): afterwards only keyed digests exist, and only they ever match.
 * Changing the key therefore invalidates every code already handed out.
 */
export class CitizenSecrets {
  readonly #key: Buffer;

  constructor(key: string) {
    this.#key = Buffer.from(key, "utf8");
  }

  /** The stored form of a secret (callers normalise it first, e.g. upper case for typed codes). */
  digest(secret: string): string {
    return this.#keyed(sha256(secret));
  }

  /** Constant time; a missing, legacy or damaged stored value never matches, and never throws. */
  matches(stored: string | null, presented: string): boolean {
    const expected = Buffer.from(stored ?? "", "utf8");
    const given = Buffer.from(this.digest(presented), "utf8");
    return stored !== null && stored.startsWith(PREFIX) && expected.length === given.length && timingSafeEqual(expected, given);
  }

  /** The keyed form of a row stored as bare SHA-256 by the earlier code. */
  upgrade(legacyDigest: string): string {
    return this.#keyed(legacyDigest);
  }

  #keyed(sha256Hex: string): string {
    return PREFIX + createHmac("sha256", this.#key).update(sha256Hex).digest("hex");
  }
}

/**
 * Rewrites every lookup code and cancel code / join token still stored as bare SHA-256 into its keyed
 * form (idempotent: rows already marked are left alone). Runs at start-up, before any request.
 */
export async function upgradeLegacyCitizenSecrets(db: Db, secrets: CitizenSecrets): Promise<number> {
  const legacy = { not: { startsWith: PREFIX } };
  const cases = await db.case.findMany({ where: { lookupSecretHash: legacy }, select: { id: true, lookupSecretHash: true } });
  const bookings = await db.booking.findMany({
    where: { OR: [{ cancelSecretHash: legacy }, { joinTokenHash: legacy }] },
    select: { id: true, cancelSecretHash: true, joinTokenHash: true },
  });
  if (cases.length === 0 && bookings.length === 0) return 0;
  const upgraded = (value: string) => (value.startsWith(PREFIX) ? value : secrets.upgrade(value));
  // Raw updates: the row did not change for its readers, so its updatedAt must not move either.
  await db.$transaction(async (tx) => {
    for (const row of cases) await tx.$executeRaw`UPDATE "Case" SET "lookupSecretHash" = ${upgraded(row.lookupSecretHash)} WHERE "id" = ${row.id}`;
    for (const row of bookings) {
      const join = row.joinTokenHash === null ? null : upgraded(row.joinTokenHash);
      await tx.$executeRaw`UPDATE "Booking" SET "cancelSecretHash" = ${upgraded(row.cancelSecretHash)}, "joinTokenHash" = ${join} WHERE "id" = ${row.id}`;
    }
  });
  return cases.length + bookings.length;
}
