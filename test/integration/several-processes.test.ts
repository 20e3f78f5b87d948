import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import type { RtpCapabilities } from "../../signaling/protocol";
import { connect, nextEvent, ok, request, type TestSocket } from "../helpers/client";
import { buildUnit, buildUser, TEST_PASSWORD, tokenFor } from "../helpers/factories";
import { http } from "../helpers/http";
import { startTestRedis, type TestRedis } from "../helpers/redis";
import { startTestServer, type TestServer } from "../helpers/server";

/**
 * Two signaling processes (two servers on two ports) sharing one SQLite database file, one data directory
 * and one throw-away Redis (README › Scaling out › Several signaling processes): what a sign-in, a
 * citizen's link or an administrator's change does on one must hold on the other.
 */
let redis: TestRedis;
let a: TestServer;
let b: TestServer;
let province: { id: string; path: string };
let adminToken: string;
let caps: RtpCapabilities;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  a = await startTestServer({ REDIS_URL: redis.url, RESUME_GRACE_SECONDS: "30" });
  b = await startTestServer({ REDIS_URL: redis.url, RESUME_GRACE_SECONDS: "30", DATABASE_URL: a.databaseUrl, DATA_DIR: a.dataDir });
  province = await buildUnit(a.db, { name: "UBND tỉnh hai tiến trình" });
  adminToken = (await tokenFor(a.db, DEMO_JWT_SECRET, { unit: province, roles: ["admin"] })).token;
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await b?.close();
  await a?.close();
  await redis?.stop();
});

async function loginFrom(server: TestServer, address: string, username: string, password: string) {
  const response = await fetch(`${server.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": address, "accept-language": "vi" },
    body: JSON.stringify({ username, password }),
  });
  return { status: response.status, body: (await response.json()) as { error?: { code: string; message: string } } };
}

async function socketOn(server: TestServer, token: string): Promise<TestSocket> {
  const socket = await connect(server.url, { token });
  sockets.push(socket);
  return socket;
}

describe("sign-in throttle", () => {
  it("counts a username's failures at one address on both processes: the sixth try is refused on either", async () => {
    const user = await buildUser(a.db, { unit: province, roles: ["officer"] });
    for (const server of [a, b, a, b, a]) expect((await loginFrom(server, "203.0.113.77", user.username, "wrong password")).status).toBe(401);
    const refused = await loginFrom(b, "203.0.113.77", user.username, TEST_PASSWORD);
    expect(refused).toEqual({ status: 429, body: { error: { code: "RATE_LIMITED", message: "Quá nhiều yêu cầu, vui lòng thử lại sau." } } });
    expect((await loginFrom(a, "203.0.113.77", user.username, TEST_PASSWORD)).status).toBe(429);
    // The same account from another address is untouched, on either process.
    expect((await loginFrom(b, "203.0.113.78", user.username, TEST_PASSWORD)).status).toBe(200);
  });

  it("keeps no username or address in Redis, only keyed hashes", async () => {
    const user = await buildUser(a.db, { unit: province, roles: ["officer"] });
    expect((await loginFrom(a, "198.51.100.99", user.username, "wrong password")).status).toBe(401);
    const { Redis } = await import("ioredis");
    const probe = new Redis(redis.url);
    try {
      const keys = await probe.keys("*");
      expect(keys.some((key) => key.startsWith("cau-noi:throttle:login.accountAtAddress"))).toBe(true);
      expect(keys.join("\n")).not.toContain(user.username);
      expect(keys.join("\n")).not.toContain("198.51.100.99");
    } finally {
      probe.disconnect();
    }
  });
});

describe("citizen lookup throttle", () => {
  it("counts wrong codes from one address on both processes: ten, then RATE_LIMITED on either", async () => {
    const guess = (server: TestServer, i: number) =>
      fetch(`${server.url}/api/public/lookup`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": "192.0.2.44" },
        body: JSON.stringify({ code: `KHONG-CO-${i}`, secret: "ZZZZ-ZZZZ" }),
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as { error?: { code: string } } }));
    for (let i = 0; i < 10; i++) expect((await guess(i % 2 === 0 ? a : b, i)).status).toBe(404);
    expect(await guess(a, 10)).toMatchObject({ status: 429, body: { error: { code: "RATE_LIMITED" } } });
    expect(await guess(b, 11)).toMatchObject({ status: 429, body: { error: { code: "RATE_LIMITED" } } });
  });
});

describe("a citizen's one-time join link", () => {
  it("spent on one process is refused on the other", async () => {
    const now = Date.now();
    const unit = await buildUnit(a.db, { parent: province });
    const schedule = await a.db.receptionSchedule.create({
      data: { unitId: unit.id, title: "Tiếp dân thường xuyên", kind: "regular", rule: null, startTime: "00:00", endTime: "23:59", slotMinutes: 60, capacityPerSlot: 5 },
    });
    const slot = await a.db.receptionSlot.create({
      data: { scheduleId: schedule.id, unitId: unit.id, startsAt: new Date(now + 10 * 60_000), endsAt: new Date(now + 70 * 60_000), capacity: 5, mode: "online" },
    });
    const receipt = await http<{ bookingId: string; joinToken: string }>(a.url, "POST", "/public/reception/bookings", {
      body: { slotId: slot.id, fullName: "Trần Thị Hai Nơi", cccd: "001090077124", phone: "0912377124", address: "Thôn Nam", petitionKind: "complaint", content: "Khiếu nại về đất.", consent: true },
    });
    expect(receipt.status, JSON.stringify(receipt.body)).toBe(201);
    const link = { bookingId: receipt.body.bookingId, token: receipt.body.joinToken };
    expect((await http(a.url, "POST", "/public/reception/join", { body: link })).status).toBe(200);
    expect(await http(b.url, "POST", "/public/reception/join", { body: link })).toMatchObject({ status: 409, body: { error: { code: "JOIN_LINK_USED" } } });
  });
});

describe("an administrator's change made on one process", () => {
  it("disconnects the account's socket on the other at once, and its peer leaves the room there (not held to resume)", async () => {
    const target = await buildUser(a.db, { unit: province, roles: ["officer"] });
    const login = await http<{ accessToken: string }>(b.url, "POST", "/auth/login", { body: { username: target.username, password: TEST_PASSWORD } });
    expect(login.status).toBe(200);
    const socket = await socketOn(b, login.body.accessToken);
    caps ??= (await ok(socket, "getRouterRtpCapabilities", {})).rtpCapabilities;
    const watcher = await socketOn(b, (await tokenFor(a.db, DEMO_JWT_SECRET, { unit: province, roles: ["leader"] })).token);
    await ok(watcher, "join", { roomId: "hai-tien-trinh-thu-hoi", rtpCapabilities: caps });
    const joined = await ok(socket, "join", { roomId: "hai-tien-trinh-thu-hoi", rtpCapabilities: caps });
    const disconnected = new Promise<string>((resolve) => socket.once("disconnect", (reason) => resolve(reason)));
    const left = nextEvent(watcher, "peerLeft");

    expect((await http(a.url, "PATCH", `/users/${target.id}`, { token: adminToken, body: { active: false } })).status).toBe(200);
    expect(await disconnected).toBe("io server disconnect");
    expect(await left).toEqual({ peerId: joined.peerId });
    expect(watcher.connected).toBe(true);
  });
});

describe("a dropped site's resumption", () => {
  it("resumes through another process too: the request is forwarded to the process owning its room", async () => {
    const roomId = "hai-tien-trinh-noi-lai";
    const { token } = await tokenFor(a.db, DEMO_JWT_SECRET, { unit: province, roles: ["site"] });
    const first = await socketOn(a, token);
    caps ??= (await ok(first, "getRouterRtpCapabilities", {})).rtpCapabilities;
    const joined = await ok(first, "join", { roomId, rtpCapabilities: caps });
    first.disconnect();

    const elsewhere = await socketOn(b, token);
    // B finds the room once A has seen the socket go and noted the held peer's room (until then: NOT_JOINED).
    await expect.poll(async () => (await request(elsewhere, "resume", { peerId: joined.peerId, resumeToken: joined.resumeToken })).ok).toBe(true);
    expect(await b.rooms.get(roomId)).toBeUndefined();
    expect((await a.rooms.get(roomId))?.peer(joined.peerId)?.closed).toBe(false);
  });
});

describe("a Redis that does not answer", () => {
  it("stops the start with the reason, before anything listens", async () => {
    await expect(startTestServer({ REDIS_URL: "redis://127.0.0.1:1" })).rejects.toThrow(/^REDIS_URL: cannot connect to Redis \(.*ECONNREFUSED/);
  });
});
