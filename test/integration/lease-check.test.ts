import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role, RtpCapabilities } from "../../signaling/protocol";
import { connect, ok, request, type TestSocket } from "../helpers/client";
import { buildUnit, tokenFor } from "../helpers/factories";
import { startTestRedis, type TestRedis } from "../helpers/redis";
import { startTestServer, type TestServer } from "../helpers/server";

/**
 * The lease check before serving (README › Scaling out › Several signaling processes), on one process with
 * a real Redis and real mediasoup: it must neither wait on a room still being created nor refuse, through
 * a Redis outage, requests that act on no room this process holds (review of h17a, items 1 and 2).
 */
const TTL_MS = 3_000;
const JWT_SECRET = randomBytes(48).toString("base64");
let redis: TestRedis;
let a: TestServer;
let province: { id: string; path: string };
let caps: RtpCapabilities;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  a = await startTestServer({ JWT_SECRET, LOOKUP_HMAC_KEY: randomBytes(48).toString("base64"), REDIS_URL: redis.url, ROOM_OWNER_TTL_MS: String(TTL_MS) });
  province = await buildUnit(a.db, { name: "UBND tỉnh hợp đồng thuê" });
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await a?.close();
  await redis?.stop();
});

async function socketOf(roles: Role[], displayName: string): Promise<TestSocket> {
  const { token } = await tokenFor(a.db, JWT_SECRET, { unit: province, roles, displayName });
  const socket = await connect(a.url, { token });
  sockets.push(socket);
  caps ??= (await ok(socket, "getRouterRtpCapabilities", {})).rtpCapabilities;
  return socket;
}

async function ownerKey(roomId: string): Promise<string | null> {
  const probe = new Redis(redis.url);
  try {
    return await probe.get(`cau-noi:room-owner:${roomId}`);
  } finally {
    probe.disconnect();
  }
}

/** Lets the lease age past the TTL: the condition under test is the passing of time itself. */
const past = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the lease check before serving a request", () => {
  it("keeps serving a room's requests, and its key, while another room's creation waits for a worker (review of h17a item 1)", { timeout: 90_000 }, async () => {
    const chair = await socketOf(["leader"], "Chủ tịch phòng đang họp");
    await ok(chair, "join", { roomId: "phong-dang-hop", rtpCapabilities: caps });
    const owner = await ownerKey("phong-dang-hop");
    expect(owner).not.toBeNull();
    // The next room's creation waits on a worker (as through a worker restart) for four TTLs.
    const pool = a.pool as { pickWhenReady: typeof a.pool.pickWhenReady };
    const pick = a.pool.pickWhenReady.bind(a.pool);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    pool.pickWhenReady = async (timeoutMs?: number) => {
      await held;
      return pick(timeoutMs);
    };
    try {
      const late = await socketOf(["leader"], "Chủ tịch phòng chờ máy");
      const slowJoin = request(late, "join", { roomId: "phong-cho-may", rtpCapabilities: caps });
      await expect.poll(() => ownerKey("phong-cho-may"), { timeout: 20_000 }).toBe(owner);
      await past(2 * TTL_MS);
      // Renewals went on without the room being created: the lease is fresh, the request served, the key kept.
      expect(await request(chair, "getChat", {})).toMatchObject({ ok: true });
      expect(await ownerKey("phong-dang-hop")).toBe(owner);
      release();
      expect(await slowJoin).toMatchObject({ ok: true });
    } finally {
      pool.pickWhenReady = pick;
      release();
    }
  });

  it("serves requests acting on no room of this process through a Redis outage (review of h17a item 2)", { timeout: 90_000 }, async () => {
    const probe = new Redis(redis.url);
    const info = await probe.info("server");
    probe.disconnect();
    const pid = Number(/process_id:(\d+)/.exec(info)?.[1]);
    expect(pid).toBeGreaterThan(0);
    const site = await socketOf(["site"], "Xã Chưa Vào Phòng");
    process.kill(pid, "SIGSTOP");
    try {
      await past(2 * TTL_MS);
      // Its lease is older than the TTL and no renewal can confirm it: before the fix this was refused too.
      expect(await request(site, "getRouterRtpCapabilities", {})).toMatchObject({ ok: true });
    } finally {
      process.kill(pid, "SIGCONT");
    }
  });
});
