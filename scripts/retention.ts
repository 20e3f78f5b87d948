// Lists (and with --apply deletes) recordings and attachments past their retention
// (RETENTION_BRIEFING_RECORDING_DAYS, RETENTION_CASE_FILE_YEARS; README › Production › Disk and retention).
// Usage: npm run retention            (dry run: prints what is past retention, changes nothing)
//        npm run retention -- --apply (deletes files and rows; each deletion is in the audit log)
// Take a backup first (npm run backup): deleted recordings and attachments cannot be brought back.
import { applyRetention, findExpired } from "../signaling/services/retention/retention";
import { loadConfig } from "../signaling/config";
import { createDb } from "../signaling/db/client";

const args = new Set(process.argv.slice(2));
const unknown = [...args].filter((arg) => arg !== "--apply");
if (unknown.length > 0) {
  console.error(`unknown argument(s): ${unknown.join(" ")}\nusage: npm run retention [-- --apply]`);
  process.exit(2);
}
const config = loadConfig();
const db = createDb(config.databaseUrl);
const items = await findExpired(db, config.retention, new Date());
for (const item of items) {
  const owner = item.kind === "briefingRecording" ? `meeting ${item.meetingId}` : `case ${item.caseCode}`;
  console.log(`${item.kind}\t${item.id}\t${owner}\tsince ${item.since.toISOString().slice(0, 10)}`);
}
console.log(
  `${items.length} item(s) past retention (briefing recordings > ${config.retention.briefingRecordingDays} days, case files closed > ${config.retention.caseFileYears} years)`,
);
if (args.has("--apply")) {
  const { deleted, bytesFreed } = await applyRetention(db, config.files.dataDir, items);
  console.log(`deleted ${deleted} item(s), ${(bytesFreed / 1048576).toFixed(1)} MB freed; each deletion is in the audit log (retention.delete)`);
} else if (items.length > 0) {
  console.log("dry run: nothing deleted (npm run retention -- --apply deletes them)");
}
await db.$disconnect();
