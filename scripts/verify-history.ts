// Checks the hash chain of every case's history and names the first broken link of each damaged case.
// Usage: npm run verify:history   (exit code 1 when any history was altered)
import { CitizenSecrets } from "../signaling/auth/citizenSecrets";
import { CaseService } from "../signaling/services/cases/cases";
import { loadConfig } from "../signaling/config";
import { createDb } from "../signaling/db/client";

const config = loadConfig();
const db = createDb(config.databaseUrl);
const service = new CaseService(db, new CitizenSecrets(config.auth.lookupHmacKey));
let damaged = 0;
let checked = 0;
for (const item of await db.case.findMany({ select: { id: true, code: true }, orderBy: { code: "asc" } })) {
  const result = await service.verifyStored(item.id);
  checked++;
  if (!result.ok) {
    damaged++;
    console.log(`${item.code}: ${result.problem} at event ${result.brokenAt.sequence} (id ${result.brokenAt.id})`);
  }
}
console.log(`${checked} case histories checked, ${damaged} altered`);
await db.$disconnect();
process.exit(damaged > 0 ? 1 : 0);
