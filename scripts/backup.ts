// Consistent backup of the database and the data directory while the server runs.
// Usage: npm run backup [-- <backups folder>]   (default: $BACKUP_DIR, else ./backups)
import path from "node:path";
import { createBackup } from "../signaling/backup/backup";
import { loadConfig } from "../signaling/config";

const config = loadConfig();
const root = path.resolve(process.argv[2] ?? process.env.BACKUP_DIR ?? "backups");
// The key files wherever they were configured: a backup carries sealed secrets and must not carry their key.
const keyFiles = [config.serverKey.keyFile, config.serverKey.legacy.signing.keyFile, config.serverKey.legacy.secrets.keyFile];
const result = await createBackup({ databaseUrl: config.databaseUrl, dataDir: config.files.dataDir, root, version: process.env.npm_package_version ?? "dev", keyFiles });
const bytes = result.manifest.files.reduce((sum, file) => sum + file.size, result.manifest.database.size);
console.log(
  `Sao lưu xong / backup written: ${result.dir}\n  database ${result.manifest.database.size} bytes, ${result.manifest.files.length} files ` +
    `(${result.reused} unchanged, linked from the previous backup), ${bytes} bytes in all`,
);
