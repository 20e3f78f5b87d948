import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * Secrets the server must use again later (the SMTP password), sealed with AES-256-GCM under one server
 * key: a copy of the database alone (a backup, a stolen file) does not give them away. The key comes from
 * SECRETS_KEY (base64 of 32 bytes) or, without it, from `<DATA_DIR>/secrets.key`, created once with mode
 * 0600. Losing the key loses the sealed values (they are entered again); README › Mail says so.
 */
export class SecretBox {
  static readonly VERSION = "v1";
  readonly #source: () => Buffer;
  #loaded: Buffer | undefined;

  /** A key, or where to get it on first use (so a server that never seals anything never touches the key file). */
  constructor(key: Buffer | (() => Buffer)) {
    this.#source = typeof key === "function" ? key : () => key;
    if (typeof key !== "function") this.#key();
  }

  /** The key from the environment's base64 text, else the data directory's key file (made when missing, on first use). */
  static load(options: { keyBase64?: string | undefined; dataDir: string }): SecretBox {
    if (options.keyBase64) return new SecretBox(Buffer.from(options.keyBase64, "base64"));
    return new SecretBox(() => {
      const file = path.join(options.dataDir, "secrets.key");
      fs.mkdirSync(options.dataDir, { recursive: true });
      try {
        // `wx`: two processes starting together never overwrite each other's fresh key.
        fs.writeFileSync(file, randomBytes(32).toString("base64"), { flag: "wx", mode: 0o600 });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      return Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
    });
  }

  #key(): Buffer {
    if (this.#loaded) return this.#loaded;
    const key = this.#source();
    if (key.length !== 32) throw new RangeError("the secrets key must be 32 bytes (AES-256)");
    this.#loaded = key;
    return key;
  }

  /** `v1.<iv>.<tag>.<ciphertext>`, base64url parts; a fresh IV each time. */
  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.#key(), iv);
    const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return [SecretBox.VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(".");
  }

  /** The plain text; throws when the value was sealed under another key or altered. */
  open(sealed: string): string {
    const [version, iv, tag, data] = sealed.split(".");
    if (version !== SecretBox.VERSION || iv === undefined || tag === undefined || data === undefined) throw new Error("not a sealed secret");
    const decipher = createDecipheriv("aes-256-gcm", this.#key(), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  }
}
