// Makes a local certificate authority and a server certificate for the given names/IPs, for provinces
// without a certificate of their own. Usage:
//   npm run tls:init -- <name-or-ip> [more names/IPs…] [--out <dir>] [--org "<organization>"]
// Writes ca.crt, ca.key, server.crt, server.key into <dir> (default <DATA_DIR>/tls); never overwrites.
import fs from "node:fs";
import path from "node:path";
import { loadConfig } from "../signaling/config";
import { createLocalCertificates } from "../signaling/tls/localCa";

const args = process.argv.slice(2);
const names: string[] = [];
let out: string | undefined;
let organization: string | undefined;
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (arg === "--out") out = args[++i];
  else if (arg === "--org") organization = args[++i];
  else if (arg.startsWith("--")) {
    console.error(`unknown option ${arg}`);
    process.exit(2);
  } else names.push(...arg.split(",").map((name) => name.trim()).filter(Boolean));
}
if (names.length === 0) {
  console.error("Cần tên máy chủ hoặc địa chỉ IP / give the server's names or IPs:\n  npm run tls:init -- cau-noi.tinh.gov.vn 10.0.0.5");
  process.exit(2);
}
const dir = path.resolve(out ?? path.join(loadConfig().files.dataDir, "tls"));
const files = { caCert: path.join(dir, "ca.crt"), caKey: path.join(dir, "ca.key"), cert: path.join(dir, "server.crt"), key: path.join(dir, "server.key") };
const existing = Object.values(files).filter((file) => fs.existsSync(file));
if (existing.length > 0) {
  console.error(`Đã có / already present (move them away first): ${existing.join(", ")}`);
  process.exit(1);
}
const certs = createLocalCertificates({ names, ...(organization ? { organization } : {}) });
fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
fs.writeFileSync(files.caCert, certs.ca.certPem);
// The CA key can sign a certificate for any name the PCs will then trust: keep it off the server afterwards.
fs.writeFileSync(files.caKey, certs.ca.keyPem, { mode: 0o600 });
fs.writeFileSync(files.cert, certs.server.certPem);
fs.writeFileSync(files.key, certs.server.keyPem, { mode: 0o600 });

console.log(`Certificates for ${names.join(", ")} written to ${dir}

Start the server with:
  TLS_CERT=${files.cert} TLS_KEY=${files.key} PORT=443 HTTP_REDIRECT_PORT=80 npm start

Install the CA certificate (${files.caCert}) on every meeting PC so browsers trust the server:
  Windows (as administrator):  certutil -addstore -f Root ca.crt
  Debian/Ubuntu:               sudo cp ca.crt /usr/local/share/ca-certificates/cau-noi-ca.crt && sudo update-ca-certificates
  Chromium/Chrome on Linux also read their own store:
                               certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n "Cau Noi CA" -i ca.crt   (package libnss3-tools)
  Firefox: Settings › Privacy & Security › Certificates › View Certificates › Authorities › Import.

Keep ca.key offline (a USB key in a safe): whoever has it can make certificates these PCs trust.`);
