import { createHash, createHmac } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../signaling/db/client";
import { buildUnit } from "../helpers/factories";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { startTestServer, type TestServer } from "../helpers/server";

/**
 * Issue 11 item 13: a citizen's lookup code and a booking's cancel code are stored as an HMAC with a
 * server-side key (LOOKUP_HMAC_KEY), so a copy of the database alone cannot test guesses against them
 * (they are short: 8 characters). Rows stored as bare SHA-256 before keep working.
 */
const KEY = "k".repeat(20) + "-citizen-secret-key-for-this-test";
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

let dir: string;
let database: TestDatabase;
let server: TestServer;
let unitId: string;
let slotId: string;
const LEGACY_CASE = { code: "CU-LEGACY-1", secret: "ABCD-2345" };
const LEGACY_BOOKING = { code: "TD-LEGACY-1", secret: "WXYZ-6789" };

async function post<T>(route: string, body: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.url}/api${route}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as T };
}

beforeAll(async () => {
  // Rows written by the earlier code (bare SHA-256), in the database before the server starts.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-secrets-"));
  database = await createTestDatabase(dir, "db.sqlite");
  const db = createDb(database.url);
  const unit = await buildUnit(db, { name: "UBND xã Thử" });
  unitId = unit.id;
  await db.case.create({
    data: { code: LEGACY_CASE.code, lookupSecretHash: sha256(LEGACY_CASE.secret), unitId, channel: "online", summary: "Đơn cũ", content: "Nội dung", receivedDate: "2026-03-02" },
  });
  const schedule = await db.receptionSchedule.create({ data: { unitId, title: "Tiếp dân", kind: "regular", startTime: "08:00", endTime: "11:00", slotMinutes: 30, capacityPerSlot: 3 } });
  const slot = await db.receptionSlot.create({
    data: { scheduleId: schedule.id, unitId, startsAt: new Date(Date.now() + 86_400_000), endsAt: new Date(Date.now() + 88_200_000), capacity: 3, booked: 1, mode: "online" },
  });
  slotId = slot.id;
  await db.booking.create({
    data: { code: LEGACY_BOOKING.code, slotId, unitId, fullName: "Công dân cũ", cccd: "001090012345", phone: "0912345678", address: "Thôn A", petitionKind: "complaint", content: "Nội dung", cancelSecretHash: sha256(LEGACY_BOOKING.secret) },
  });
  await db.$disconnect();
  server = await startTestServer({ DATABASE_URL: database.url, LOOKUP_HMAC_KEY: KEY });
});

afterAll(async () => {
  await server?.close();
  await database?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("citizen secrets at rest (issue 11 item 13)", () => {
  it("a new lookup code is stored as an HMAC under the server's key, not as its bare SHA-256", async () => {
    const filed = await post<{ code: string; lookupSecret: string }>("/public/cases", {
      unitId, name: "Nguyễn Văn Khóa", phone: "0912345678", address: "Thôn B", summary: "Đơn thử khóa", content: "Nội dung đơn thử khóa bí mật.", kind: "complaint", consent: true,
    });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    const row = await server.db.case.findUniqueOrThrow({ where: { code: filed.body.code } });
    expect(row.lookupSecretHash).not.toBe(sha256(filed.body.lookupSecret));
    expect(row.lookupSecretHash).not.toContain(sha256(filed.body.lookupSecret));
    expect(row.lookupSecretHash).toBe(`hmac-sha256:${createHmac("sha256", KEY).update(sha256(filed.body.lookupSecret)).digest("hex")}`);
    expect((await post("/public/lookup", { code: filed.body.code, secret: filed.body.lookupSecret.toLowerCase() })).status).toBe(200);
    expect((await post("/public/lookup", { code: filed.body.code, secret: "ZZZZ-ZZZZ" })).status).toBe(404);
  });

  it("rows stored as bare SHA-256 by the earlier code were rewritten at start-up and still answer", async () => {
    const legacyCase = await server.db.case.findUniqueOrThrow({ where: { code: LEGACY_CASE.code } });
    expect(legacyCase.lookupSecretHash).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(legacyCase.lookupSecretHash).not.toContain(sha256(LEGACY_CASE.secret));
    expect((await post("/public/lookup", LEGACY_CASE)).status).toBe(200);

    const legacyBooking = await server.db.booking.findUniqueOrThrow({ where: { code: LEGACY_BOOKING.code } });
    expect(legacyBooking.cancelSecretHash).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect((await post("/public/reception/bookings/cancel", { ...LEGACY_BOOKING, secret: "WXYZ-6788" })).status).toBe(404);
    expect(await post("/public/reception/bookings/cancel", LEGACY_BOOKING)).toMatchObject({ status: 200, body: { status: "cancelled" } });
  });

  it("the same code stored under another key does not match (the key, not the code, protects the row)", async () => {
    const other = `hmac-sha256:${createHmac("sha256", "another-key-another-key-another-key").update(sha256("QQQQ-4444")).digest("hex")}`;
    await server.db.case.create({ data: { code: "CU-OTHERKEY-1", lookupSecretHash: other, unitId, channel: "online", summary: "Đơn", content: "Nội dung", receivedDate: "2026-03-02" } });
    expect((await post("/public/lookup", { code: "CU-OTHERKEY-1", secret: "QQQQ-4444" })).status).toBe(404);
  });
});
