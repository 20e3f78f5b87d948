// Restores a backup into an empty install and verifies every case history's hash chain.
// Usage: npm run restore -- <backup folder>   (DATABASE_URL and DATA_DIR say where to; both must be empty)
import { RestoreError, restoreBackup } from "../signaling/backup/backup";
import { loadConfig } from "../signaling/config";

const from = process.argv[2];
if (!from) {
  console.error("Cần thư mục bản sao lưu / give the backup folder: npm run restore -- backups/cau-noi-20261206-190000");
  process.exit(2);
}
const config = loadConfig();
try {
  const result = await restoreBackup({ from, databaseUrl: config.databaseUrl, dataDir: config.files.dataDir, lookupHmacKey: config.auth.lookupHmacKey });
  console.log(`Khôi phục xong / restored: ${result.files} files, ${result.cases} case histories checked, ${result.brokenHistories.length} altered`);
  if (result.brokenHistories.length > 0) {
    console.error(`altered histories: ${result.brokenHistories.join(", ")}`);
    process.exit(1);
  }
} catch (error) {
  if (error instanceof RestoreError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
