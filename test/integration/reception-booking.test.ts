import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaseService } from "../../signaling/services/cases/cases";
import { ReceptionService } from "../../signaling/services/reception/reception";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import { addDays, localDate, vietnamDateOf } from "../../signaling/domain/deadlines";
import type { BookingReceipt, ScheduleDto, SlotDto } from "../../signaling/protocol";
import { buildUnit, buildUser, testCitizenSecrets, tokenFor } from "../helpers/factories";
import { http } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

/** Schedules, slots and citizens' bookings through the real API: validation, capacity, limits, cancel, join links. */

let server: TestServer;
let reception: ReceptionService;
let commune: { id: string; path: string; code: string };
let officer: string;
let leaderId: string;
let ipCounter = 0;
let phoneCounter = 0;

/** A different client address per call unless one is given (the server trusts X-Forwarded-For from loopback). */
const freshIp = () => `10.20.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;
const freshPhone = () => `09${String(10_000_000 + ++phoneCounter).padStart(8, "0")}`;

async function publicCall<T>(method: string, path: string, body: unknown, ip = freshIp()) {
  const response = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { "content-type": "application/json", "accept-language": "vi", "x-forwarded-for": ip },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T & { error?: { code: string; message: string; details?: { path: string }[] } } };
}

const citizen = (slotId: string, overrides: Record<string, unknown> = {}) => ({
  slotId,
  fullName: "Nguyễn Văn Đặt",
  cccd: "001087012345",
  phone: freshPhone(),
  address: "Thôn Đông, xã Thử",
  petitionKind: "complaint",
  content: "Đề nghị được gặp cán bộ để trình bày việc cấp giấy chứng nhận quyền sử dụng đất.",
  consent: true,
  ...overrides,
});

const book = (slotId: string, overrides: Record<string, unknown> = {}, ip?: string) => publicCall<BookingReceipt>("POST", "/public/reception/bookings", citizen(slotId, overrides), ip);

async function schedule(body: Record<string, unknown>) {
  const created = await http<ScheduleDto>(server.url, "POST", "/reception/schedules", {
    token: officer,
    body: { unitId: commune.id, title: "Tiếp công dân thường xuyên", kind: "regular", rule: "daily", startTime: "08:00", endTime: "11:00", slotMinutes: 30, capacityPerSlot: 2, ...body },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

/** Slots of a schedule on one future working day (a week from now, moved off the weekend). */
async function slotsOf(scheduleId: string, mode: "online" | "office" = "online") {
  let day = addDays(vietnamDateOf(new Date()), 7);
  while ([0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay())) day = addDays(day, 1);
  const generated = await http(server.url, "POST", `/reception/schedules/${scheduleId}/slots`, { token: officer, body: { from: day, to: day, mode } });
  expect(generated.status, JSON.stringify(generated.body)).toBe(201);
  const list = await http<{ items: SlotDto[] }>(server.url, "GET", `/reception/slots?unitId=${commune.id}&from=${day}&to=${day}`, { token: officer });
  return list.body.items.filter((slot) => slot.scheduleId === scheduleId && slot.mode === mode);
}

const counts = async (slotId: string) => ({
  bookings: await server.db.booking.count({ where: { slotId } }),
  booked: (await server.db.receptionSlot.findUniqueOrThrow({ where: { id: slotId } })).booked,
});

beforeAll(async () => {
  server = await startTestServer();
  reception = new ReceptionService(server.db, { cases: new CaseService(server.db, testCitizenSecrets), secrets: testCitizenSecrets, dataDir: server.dataDir });
  const province = await buildUnit(server.db, { name: "UBND tỉnh Thử" });
  commune = await buildUnit(server.db, { parent: province, name: "UBND xã Thử", kind: "commune" });
  officer = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: commune, roles: ["officer"] })).token;
  leaderId = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: commune, roles: ["leader"], displayName: "Chủ tịch xã Thử" })).user.id;
});

afterAll(async () => {
  await server?.close();
});

describe("schedules", () => {
  it("warn while the commune chair has no weekly periodic day, and stop warning once there is one", async () => {
    await schedule({});
    const before = await http<{ compliance: { status: string; problems: string[] } }>(server.url, "GET", `/reception/schedules?unitId=${commune.id}`, { token: officer });
    expect(before.body.compliance).toMatchObject({ status: "below", problems: ["no_periodic_schedule", "below_minimum"] });
    const weekly = await schedule({ title: "Chủ tịch xã tiếp định kỳ", kind: "periodic", rule: "weekly:3", leaderUserId: leaderId, startTime: "14:00", endTime: "17:00", slotMinutes: 60 });
    expect(weekly).toMatchObject({ kind: "periodic", leaderName: "Chủ tịch xã Thử", rule: "weekly:3" });
    const after = await http<{ compliance: { status: string; requirement: { per: string } } }>(server.url, "GET", `/reception/schedules?unitId=${commune.id}`, { token: officer });
    expect(after.body.compliance).toMatchObject({ status: "meets", requirement: { per: "week" } });
  });

  it("offer as day leaders the unit's active leaders only (not its officers, an inactive leader, or a leader of a unit below)", async () => {
    const inactive = await buildUser(server.db, { unit: commune, roles: ["leader"], active: false });
    const both = await buildUser(server.db, { unit: commune, roles: ["officer", "leader"] });
    const hamlet = await buildUnit(server.db, { parent: commune, name: "Thôn Thử" });
    const below = await buildUser(server.db, { unit: hamlet, roles: ["leader"] });
    const listed = await http<{ leaders: { id: string; name: string }[] }>(server.url, "GET", `/reception/schedules?unitId=${commune.id}`, { token: officer });
    const ids = listed.body.leaders.map((leader) => leader.id);
    expect(ids.sort()).toEqual([leaderId, both.id].sort());
    expect(ids).not.toContain(inactive.id);
    expect(ids).not.toContain(below.id);
  });

  it("refuse a periodic day without the leader, an ad-hoc day with a recurrence, and an end before the start", async () => {
    const post = (body: Record<string, unknown>) =>
      http<{ error: { code: string; details: { path: string }[] } }>(server.url, "POST", "/reception/schedules", {
        token: officer,
        body: { unitId: commune.id, title: "Lịch sai", kind: "regular", rule: "daily", startTime: "08:00", endTime: "11:00", slotMinutes: 30, capacityPerSlot: 2, ...body },
      });
    const before = await server.db.receptionSchedule.count();
    for (const [body, path] of [
      [{ kind: "periodic", rule: "weekly:1" }, "leaderUserId"],
      [{ kind: "adhoc", rule: "weekly:1", leaderUserId: leaderId }, "rule"],
      [{ startTime: "11:00", endTime: "08:00" }, "endTime"],
      [{ rule: "weekly:6" }, "rule"],
    ] as const) {
      const result = await post(body);
      expect(result.status, JSON.stringify(body)).toBe(400);
      expect(result.body.error.details.map((detail) => detail.path)).toContain(path);
    }
    expect(await server.db.receptionSchedule.count()).toBe(before);
  });

  it("generate slots once: a second run keeps the existing ones", async () => {
    const desk = await schedule({ title: "Bàn tiếp dân" });
    const day = addDays(localDate("2030-03-04"), 0);
    const first = await http(server.url, "POST", `/reception/schedules/${desk.id}/slots`, { token: officer, body: { from: day, to: addDays(day, 6), mode: "office" } });
    expect(first.body).toEqual({ created: 30, existing: 0 });
    const again = await http(server.url, "POST", `/reception/schedules/${desk.id}/slots`, { token: officer, body: { from: day, to: addDays(day, 6), mode: "office" } });
    expect(again.body).toEqual({ created: 0, existing: 30 });
  });
});

describe("booking", () => {
  let slots: SlotDto[];

  beforeAll(async () => {
    slots = await slotsOf((await schedule({ title: "Tiếp trực tuyến" })).id);
  });

  it("lists the unit and its slots to citizens, with the places left and no personal data", async () => {
    const units = await http<{ items: { id: string; upcomingSlots: number }[] }>(server.url, "GET", "/public/reception/units");
    expect(units.body.items.find((unit) => unit.id === commune.id)?.upcomingSlots).toBeGreaterThan(0);
    const listed = await http<{ items: { id: string; remaining: number; mode: string }[] }>(server.url, "GET", `/public/reception/slots?unitId=${commune.id}`);
    expect(listed.body.items.find((slot) => slot.id === slots[0]!.id)).toMatchObject({ remaining: 2, mode: "online" });
  });

  it("books a place: a readable code, a cancel code and a one-time join link; only hashes are stored", async () => {
    const result = await book(slots[0]!.id);
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    expect(result.body.code).toMatch(new RegExp(`^TD-${commune.code}-\\d{6}-\\d+$`));
    expect(result.body.cancelSecret).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    expect(result.body.joinPath).toBe(`/tiep-dan/vao?b=${result.body.bookingId}#t=${result.body.joinToken}`);
    const row = await server.db.booking.findUniqueOrThrow({ where: { id: result.body.bookingId } });
    // Keyed digests (auth/citizenSecrets.ts): a copy of the database alone cannot test guesses against them.
    expect(row.joinTokenHash).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(row.cancelSecretHash).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(row.cancelSecretHash).not.toContain(createHash("sha256").update(result.body.cancelSecret).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(result.body.joinToken!);
    expect(JSON.stringify(row)).not.toContain(result.body.cancelSecret);
    expect(row.createdIp).toMatch(/^10\.20\.\d+\.0\/24$/);
    expect(await counts(slots[0]!.id)).toEqual({ bookings: 1, booked: 1 });
  });

  it("refuses a bad CCCD, a bad phone, over-long content and a missing consent with field errors, saving nothing", async () => {
    const slotId = slots[1]!.id;
    const before = await counts(slotId);
    for (const [overrides, path] of [
      [{ cccd: "00108701234" }, "cccd"],
      [{ cccd: "00108701234X" }, "cccd"],
      [{ phone: "12345" }, "phone"],
      [{ phone: "0912 345 67" }, "phone"],
      [{ content: "x".repeat(2001) }, "content"],
      [{ consent: false }, "consent"],
    ] as const) {
      const result = await book(slotId, overrides);
      expect(result.status, JSON.stringify(overrides)).toBe(400);
      expect(result.body.error?.code).toBe("VALIDATION_FAILED");
      expect(result.body.error?.message).toBe("Dữ liệu gửi lên không hợp lệ.");
      expect(result.body.error?.details?.map((detail) => detail.path)).toEqual([path]);
    }
    expect(await counts(slotId)).toEqual(before);
  });

  it("refuses a full slot with SLOT_FULL, saving nothing", async () => {
    const slotId = slots[2]!.id;
    expect((await book(slotId)).status).toBe(201);
    expect((await book(slotId)).status).toBe(201);
    const full = await book(slotId);
    expect(full).toMatchObject({ status: 409, body: { error: { code: "SLOT_FULL" } } });
    expect(await counts(slotId)).toEqual({ bookings: 2, booked: 2 });
    const listed = await http<{ items: { id: string; remaining: number }[] }>(server.url, "GET", `/public/reception/slots?unitId=${commune.id}`);
    expect(listed.body.items.find((slot) => slot.id === slotId)?.remaining).toBe(0);
  });

  it("gives the last place to exactly one of several citizens booking at once", async () => {
    const slotId = slots[3]!.id;
    expect((await book(slotId)).status).toBe(201);
    const results = await Promise.all(Array.from({ length: 8 }, () => book(slotId)));
    expect(results.filter((result) => result.status === 201)).toHaveLength(1);
    expect(results.filter((result) => result.status === 409 && result.body.error?.code === "SLOT_FULL")).toHaveLength(7);
    expect(await counts(slotId)).toEqual({ bookings: 2, booked: 2 });
    const codes = await server.db.booking.findMany({ where: { slotId }, select: { code: true } });
    expect(new Set(codes.map((row) => row.code)).size).toBe(2);
  });

  it("refuses unknown and started slots", async () => {
    expect(await book("no-such-slot")).toMatchObject({ status: 404, body: { error: { code: "NOT_FOUND" } } });
    const past = await server.db.receptionSlot.create({
      data: { scheduleId: slots[0]!.scheduleId, unitId: commune.id, startsAt: new Date(Date.now() - 60_000), endsAt: new Date(Date.now() + 60_000), capacity: 5, mode: "online" },
    });
    expect(await book(past.id)).toMatchObject({ status: 409, body: { error: { code: "SLOT_CLOSED" } } });
    expect(await counts(past.id)).toEqual({ bookings: 0, booked: 0 });
  });
});

describe("abuse limits", () => {
  let slotId: string;

  beforeAll(async () => {
    slotId = (await slotsOf((await schedule({ title: "Tiếp đông người", capacityPerSlot: 100 })).id))[0]!.id;
  });

  it("three bookings per phone a day (+84 and 0 forms are one phone); the fourth is BOOKING_LIMIT and saves nothing", async () => {
    const phone = "0987654321";
    for (const form of [phone, "+84987654321", "098 765 4321"]) expect((await book(slotId, { phone: form })).status).toBe(201);
    const before = await counts(slotId);
    expect(await book(slotId, { phone })).toMatchObject({ status: 429, body: { error: { code: "BOOKING_LIMIT" } } });
    expect(await counts(slotId)).toEqual(before);
  });

  it("ten booking attempts per connection an hour; then RATE_LIMITED", async () => {
    const ip = "10.99.0.1";
    for (let attempt = 0; attempt < 10; attempt++) expect((await book(slotId, {}, ip)).status).toBe(201);
    const before = await counts(slotId);
    expect(await book(slotId, {}, ip)).toMatchObject({ status: 429, body: { error: { code: "RATE_LIMITED" } } });
    expect(await counts(slotId)).toEqual(before);
    expect((await book(slotId, {}, "10.99.0.2")).status).toBe(201);
  });
});

describe("cancel", () => {
  it("cancels with the code and cancel code, freeing the place; a wrong code says nothing; twice is refused", async () => {
    const slot = (await slotsOf((await schedule({ title: "Tiếp để hủy" })).id))[0]!;
    const receipt = (await book(slot.id)).body;
    expect(await counts(slot.id)).toEqual({ bookings: 1, booked: 1 });
    expect(await publicCall("POST", "/public/reception/bookings/cancel", { code: receipt.code, secret: "AAAA-AAAA" })).toMatchObject({ status: 404, body: { error: { code: "NOT_FOUND" } } });
    const cancelled = await publicCall("POST", "/public/reception/bookings/cancel", { code: receipt.code.toLowerCase(), secret: receipt.cancelSecret.toLowerCase() });
    expect(cancelled).toMatchObject({ status: 200, body: { code: receipt.code, status: "cancelled" } });
    expect(await counts(slot.id)).toEqual({ bookings: 1, booked: 0 });
    expect(await publicCall("POST", "/public/reception/bookings/cancel", { code: receipt.code, secret: receipt.cancelSecret })).toMatchObject({
      status: 409,
      body: { error: { code: "BOOKING_NOT_CANCELLABLE" } },
    });
  });

  it("pauses a connection that keeps guessing cancel codes", async () => {
    const ip = "10.98.0.1";
    for (let attempt = 0; attempt < 10; attempt++) expect((await publicCall("POST", "/public/reception/bookings/cancel", { code: "TD-NOPE-1", secret: "AAAA-AAAA" }, ip)).status).toBe(404);
    expect((await publicCall("POST", "/public/reception/bookings/cancel", { code: "TD-NOPE-1", secret: "AAAA-AAAA" }, ip)).status).toBe(429);
  });
});

describe("booking files", () => {
  it("takes a PDF with the cancel code, refuses a disguised executable, and lets the unit's officer download it", async () => {
    const slot = (await slotsOf((await schedule({ title: "Tiếp có tài liệu" })).id))[0]!;
    const receipt = (await book(slot.id)).body;
    const upload = (name: string, data: Uint8Array<ArrayBuffer>, secret: string) =>
      fetch(`${server.url}/api/public/reception/bookings/${receipt.bookingId}/attachments?name=${encodeURIComponent(name)}`, {
        method: "POST",
        headers: { "x-booking-secret": secret, "x-forwarded-for": freshIp() },
        body: data,
      });
    const pdf = new TextEncoder().encode("%PDF-1.4\n%%EOF\n");
    expect((await upload("don.pdf", pdf, "AAAA-AAAA")).status).toBe(404);
    expect((await upload("anh.pdf", new TextEncoder().encode("MZ\x90\x00not a pdf at all"), receipt.cancelSecret)).status).toBe(415);
    const stored = await upload("Đơn đề nghị.pdf", pdf, receipt.cancelSecret);
    expect(stored.status).toBe(201);
    const file = (await stored.json()) as { id: string; originalName: string };
    expect(file.originalName).toBe("Đơn đề nghị.pdf");
    const bookings = await http<{ items: { attachments: { id: string }[] }[] }>(server.url, "GET", `/reception/slots/${slot.id}/bookings`, { token: officer });
    expect(bookings.body.items[0]!.attachments.map((item) => item.id)).toEqual([file.id]);
    const download = await fetch(`${server.url}/api/reception/bookings/${receipt.bookingId}/attachments/${file.id}`, { headers: { authorization: `Bearer ${officer}` } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).toString("latin1")).toBe("%PDF-1.4\n%%EOF\n");
  });
});

describe("one-time join links (consumeJoinLink)", () => {
  let slot: SlotDto;
  const at = (offsetMinutes: number) => new Date(Date.parse(slot.startsAt) + offsetMinutes * 60_000);

  beforeAll(async () => {
    slot = (await slotsOf((await schedule({ title: "Tiếp qua điện thoại", capacityPerSlot: 20 })).id))[0]!;
  });

  it("admits once: the booking and its slot, then JOIN_LINK_USED", async () => {
    const receipt = (await book(slot.id)).body;
    const grant = await reception.bookings.consumeJoinLink(receipt.bookingId, receipt.joinToken!, at(-5));
    expect(grant.booking).toMatchObject({ id: receipt.bookingId, code: receipt.code, status: "booked", fullName: "Nguyễn Văn Đặt" });
    expect(grant.booking.joinTokenUsedAt?.toISOString()).toBe(at(-5).toISOString());
    expect(grant.booking).not.toHaveProperty("joinTokenHash");
    expect(grant.booking).not.toHaveProperty("cancelSecretHash");
    expect(grant.slot.id).toBe(slot.id);
    await expect(reception.bookings.consumeJoinLink(receipt.bookingId, receipt.joinToken!, at(-4))).rejects.toMatchObject({ code: "JOIN_LINK_USED" });
  });

  it("lets only one of two devices presenting the same link at once in", async () => {
    const receipt = (await book(slot.id)).body;
    const results = await Promise.allSettled([reception.bookings.consumeJoinLink(receipt.bookingId, receipt.joinToken!, at(0)), reception.bookings.consumeJoinLink(receipt.bookingId, receipt.joinToken!, at(0))]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect(results.find((result) => result.status === "rejected")).toMatchObject({ reason: { code: "JOIN_LINK_USED" } });
  });

  it("refuses an expired link (after the slot's end) and marks the booking expired", async () => {
    const receipt = (await book(slot.id)).body;
    const afterEnd = new Date(Date.parse(slot.endsAt) + 60_000);
    await expect(reception.bookings.consumeJoinLink(receipt.bookingId, receipt.joinToken!, afterEnd)).rejects.toMatchObject({ code: "JOIN_LINK_EXPIRED" });
    expect((await server.db.booking.findUniqueOrThrow({ where: { id: receipt.bookingId } })).status).toBe("expired");
    expect((await server.db.booking.findUniqueOrThrow({ where: { id: receipt.bookingId } })).joinTokenUsedAt).toBeNull();
  });

  it("refuses a cancelled booking's link", async () => {
    const receipt = (await book(slot.id)).body;
    expect((await publicCall("POST", "/public/reception/bookings/cancel", { code: receipt.code, secret: receipt.cancelSecret })).status).toBe(200);
    await expect(reception.bookings.consumeJoinLink(receipt.bookingId, receipt.joinToken!, at(0))).rejects.toMatchObject({ code: "BOOKING_CANCELLED" });
  });

  it("refuses a wrong token and an unknown booking alike, and does not spend a link opened too early", async () => {
    const receipt = (await book(slot.id)).body;
    await expect(reception.bookings.consumeJoinLink(receipt.bookingId, "wrong-token", at(0))).rejects.toMatchObject({ code: "JOIN_LINK_INVALID" });
    await expect(reception.bookings.consumeJoinLink("no-such-booking", receipt.joinToken!, at(0))).rejects.toMatchObject({ code: "JOIN_LINK_INVALID" });
    await expect(reception.bookings.consumeJoinLink(receipt.bookingId, receipt.joinToken!, at(-24 * 60))).rejects.toMatchObject({ code: "JOIN_LINK_NOT_YET" });
    await expect(reception.bookings.consumeJoinLink(receipt.bookingId, receipt.joinToken!, at(1))).resolves.toMatchObject({ booking: { id: receipt.bookingId } });
  });

  it("office bookings have no join link", async () => {
    const officeSlot = (await slotsOf((await schedule({ title: "Tiếp tại trụ sở" })).id, "office"))[0]!;
    const receipt = await book(officeSlot.id);
    expect(receipt.body).toMatchObject({ joinToken: null, joinPath: null, slot: { mode: "office" } });
    await expect(reception.bookings.consumeJoinLink(receipt.body.bookingId, "anything", new Date(Date.parse(officeSlot.startsAt)))).rejects.toMatchObject({ code: "JOIN_LINK_INVALID" });
  });
});
