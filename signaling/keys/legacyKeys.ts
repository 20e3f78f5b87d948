import { createDecipheriv } from "node:crypto";
import fs from "node:fs";
import { parseKey, ServerKey } from "./serverKey";

/** Where the keys of earlier versions are, when they are there (config.ts). */
export interface LegacyKeyConfig {
  /** SIGNING_KEY / SIGNING_KEY_FILE (default DATA_DIR/keys/signing.key): sealed the certificate passwords. */
  signing: { key?: string; keyFile: string };
  /** SECRETS_KEY / DATA_DIR/secrets.key: sealed the SMTP password, in its own `v1.` format without a context. */
  secrets: { key?: string; keyFile: string };
}

/**
 * The keys earlier versions used before the server had one (`ServerKey`): read, never created, and used
 * only to open what they sealed so the start-up re-seals it under the server key (services' `resealLegacy`).
 * A restored old backup is re-sealed the same way at the next start, so the files are kept until the
 * administrator removes them (README › Server key).
 */
export class LegacyKeys {
  readonly #signing: ServerKey | undefined;
  readonly #secrets: Buffer | undefined;

  private constructor(signing: ServerKey | undefined, secrets: Buffer | undefined) {
    this.#signing = signing;
    this.#secrets = secrets;
  }

  static load(config: LegacyKeyConfig): LegacyKeys {
    const signing = ServerKey.existing({ ...config.signing, source: "SIGNING_KEY" });
    const secretsText = config.secrets.key ?? (fs.existsSync(config.secrets.keyFile) ? fs.readFileSync(config.secrets.keyFile, "utf8") : undefined);
    return new LegacyKeys(signing, secretsText === undefined ? undefined : parseKey(secretsText, "SECRETS_KEY"));
  }

  /** No legacy key is configured or on disk: nothing to re-seal. */
  get none(): boolean {
    return !this.#signing && !this.#secrets;
  }

  /** Which legacy keys are present, for the start-up log line (names, never values). */
  get names(): string[] {
    return [...(this.#signing ? ["signing key"] : []), ...(this.#secrets ? ["secrets key"] : [])];
  }

  /** The plain text of a value an earlier version sealed (either format), or null when no legacy key opens it. */
  open(sealed: string, context: string): string | null {
    return this.#signing?.open(sealed, context) ?? (this.#secrets ? openSecretBox(this.#secrets, sealed) : null);
  }
}

/** The old SecretBox format: `v1.<iv>.<tag>.<ciphertext>`, base64url parts, no authenticated context. */
function openSecretBox(key: Buffer, sealed: string): string | null {
  const [version, iv, tag, data] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || data === undefined) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
