import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The four files `npm run tls:init -- … --out <dir>` writes. */
export interface TlsInitFiles {
  caCert: string;
  caKey: string;
  cert: string;
  key: string;
}

/**
 * Runs the operator's own command, `npm run tls:init -- <names…> --out <dir>` (its script is
 * `tsx scripts/tls-init.ts`), so the browser test trusts exactly what an IT officer would install.
 */
export function tlsInit(dir: string, names: readonly string[]): TlsInitFiles {
  execFileSync(path.join(root, "node_modules", ".bin", "tsx"), [path.join("scripts", "tls-init.ts"), ...names, "--out", dir, "--org", "Tỉnh Thử Nghiệm"], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    stdio: "pipe",
  });
  return { caCert: path.join(dir, "ca.crt"), caKey: path.join(dir, "ca.key"), cert: path.join(dir, "server.crt"), key: path.join(dir, "server.key") };
}

function certutil(args: string[]): string {
  try {
    return execFileSync("certutil", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error("certutil not found: install the Debian package libnss3-tools (scripts/setup.mjs does)", { cause: error });
    }
    throw error;
  }
}

/**
 * A home directory whose NSS database (where Chromium on Linux reads the user's trusted roots,
 * `$HOME/.pki/nssdb`) trusts `caCert` for TLS servers: the command README › HTTPS gives the IT officer,
 * `certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n … -i ca.crt`. Give it to one Chromium process as HOME;
 * nothing system-wide changes.
 */
export function homeTrusting(home: string, caCert: string, nickname = "cau-noi-ca"): string {
  const database = path.join(home, ".pki", "nssdb");
  fs.mkdirSync(database, { recursive: true, mode: 0o700 });
  certutil(["-N", "-d", `sql:${database}`, "--empty-password"]);
  certutil(["-A", "-d", `sql:${database}`, "-t", "C,,", "-n", nickname, "-i", caCert]);
  // The listing shows the nickname with its trust flags; anything else means the import did not happen.
  const listed = certutil(["-L", "-d", `sql:${database}`]);
  if (!new RegExp(`^${nickname}\\s+C,,\\s*$`, "m").test(listed)) throw new Error(`the CA is not in ${database}:\n${listed}`);
  return home;
}
