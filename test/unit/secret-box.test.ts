import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SecretBox } from "../../signaling/auth/secretBox";

describe("SecretBox (stored secrets sealed with the server key)", () => {
  it("opens what it sealed; the sealed text does not contain the secret and differs each time", () => {
    const box = new SecretBox(randomBytes(32));
    const secret = "mật-khẩu-SMTP-7781";
    const a = box.seal(secret);
    const b = box.seal(secret);
    expect(a).not.toBe(b);
    expect(a).not.toContain(secret);
    expect(box.open(a)).toBe(secret);
    expect(box.open(b)).toBe(secret);
  });

  it("refuses another key's seal and an altered seal", () => {
    const sealed = new SecretBox(randomBytes(32)).seal("bí mật");
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow();
    const box = new SecretBox(randomBytes(32));
    const good = box.seal("bí mật");
    const parts = good.split(".");
    const data = Buffer.from(parts[3]!, "base64url");
    data[0] = data[0]! ^ 1;
    expect(() => box.open([parts[0], parts[1], parts[2], data.toString("base64url")].join("."))).toThrow();
    expect(() => box.open("plain text")).toThrow();
  });

  it("without a configured key, makes DATA_DIR/secrets.key on first use with mode 0600 and keeps using it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secret-box-"));
    try {
      const first = SecretBox.load({ dataDir: dir });
      const file = path.join(dir, "secrets.key");
      expect(fs.existsSync(file)).toBe(false); // made on first use, not at start
      const sealed = first.seal("x");
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(SecretBox.load({ dataDir: dir }).open(sealed)).toBe("x");
      // A configured key wins over the file.
      const key = randomBytes(32).toString("base64");
      expect(() => SecretBox.load({ keyBase64: key, dataDir: dir }).open(sealed)).toThrow();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
