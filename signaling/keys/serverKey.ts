import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * The one key that seals the secrets the server must use again later — the units' signing-certificate
 * passwords and the SMTP password — with AES-256-GCM. It comes from SERVER_KEY (base64 or hex of 32 bytes)
 * or, without it, from a key file created on first start with mode 0600 (default `<DATA_DIR>/keys/server.key`;
 * backups leave the `keys/` folder out, so a stolen backup holds sealed values but not the key). Losing the
 * key loses only the sealed values: each is entered again (README › Server key).
 *
 * The keys earlier versions kept apart (SIGNING_KEY / keys/signing.key, SECRETS_KEY / secrets.key) are only
 * read, to re-seal what they sealed under this key at start-up (`legacyKeys.ts`).
 */
export class ServerKey {
  readonly #key: Buffer;
  /** A short fingerprint stored beside a sealed value that needs it: a different key is recognised, not tried. */
  readonly id: string;

  private constructor(key: Buffer) {
    this.#key = key;
    // The label is the one the signing key used, so a certificate row's stored keyId names the same key
    // whichever version sealed it.
    this.id = createHash("sha256").update("cau-noi signing key id").update(key).digest("hex").slice(0, 16);
  }

  /** The configured key, or the key file's (created with 0600 when absent). */
  static load(options: { key?: string | undefined; keyFile: string }): ServerKey {
    if (options.key) return new ServerKey(parseKey(options.key, "SERVER_KEY"));
    return new ServerKey(readOrCreateKeyFile(options.keyFile));
  }

  /** An existing key, never created (the legacy keys): undefined when neither the value nor the file is there. */
  static existing(options: { key?: string | undefined; keyFile: string; source: string }): ServerKey | undefined {
    if (options.key) return new ServerKey(parseKey(options.key, options.source));
    if (!fs.existsSync(options.keyFile)) return undefined;
    return new ServerKey(readKeyFile(options.keyFile));
  }

  /** Seals a secret: `v1:<iv>:<tag>:<ciphertext>` (base64). */
  seal(plain: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    // The context (e.g. the unit and the certificate's fingerprint) is authenticated: a sealed value
    // copied onto another row does not open there.
    cipher.setAAD(Buffer.from(context, "utf8"));
    const encrypted = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return ["v1", iv.toString("base64"), cipher.getAuthTag().toString("base64"), encrypted.toString("base64")].join(":");
  }

  /** Opens what `seal` made with this key and context; null when it does not open (other key, altered). */
  open(sealed: string, context: string): string | null {
    const [version, iv, tag, data] = sealed.split(":");
    if (version !== "v1" || !iv || !tag || data === undefined) return null;
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.#key, Buffer.from(iv, "base64"));
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(Buffer.from(tag, "base64"));
      return Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString("utf8");
    } catch {
      return null;
    }
  }
}

/** 32 bytes from hex (64 digits) or base64. */
export function parseKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  if (key.length !== 32) throw new Error(`${source} must be 32 bytes, as base64 or hex (openssl rand -base64 32)`);
  return key;
}

function readOrCreateKeyFile(file: string): Buffer {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      // "wx": two processes starting together cannot both write a key; the loser reads the winner's.
      fs.writeFileSync(file, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  return readKeyFile(file);
}

function readKeyFile(file: string): Buffer {
  const mode = fs.statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) throw new Error(`${file} is readable by others (mode ${mode.toString(8)}): chmod 600 it`);
  return parseKey(fs.readFileSync(file, "utf8"), file);
}
