import { createDb } from "../signaling/db/client";
import { loadConfig } from "../signaling/config";

/** Demo data for `npm run demo`. Idempotent: running it again changes nothing. */
async function seed(): Promise<void> {
  const db = createDb(loadConfig().databaseUrl);
  try {
    await db.meeting.upsert({
      where: { roomId: "giao-ban-demo" },
      create: { roomId: "giao-ban-demo", title: "Giao ban trực tuyến UBND tỉnh (demo)" },
      update: {},
    });
    console.log("seed: demo meeting giao-ban-demo ready");
  } finally {
    await db.$disconnect();
  }
}

seed().catch((error: unknown) => {
  console.error("seed failed:", error);
  process.exit(1);
});
