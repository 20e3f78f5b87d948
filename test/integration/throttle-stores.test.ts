import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ByteQuota, type LimiterStore, memoryLimiterStore, redisLimiterStore, Throttle } from "../../signaling/auth/throttle";
import { startTestRedis, type TestRedis } from "../helpers/redis";

/**
 * The throttles answer the same from either store (this process's memory, or a real redis-server shared
 * by processes), and the Redis store degrades to per-process counting, without hanging or failing, while
 * Redis is down.
 */
let redis: TestRedis;
const clients: Redis[] = [];
const SECRET = "throttle-test-key";

/** Connected before use, as the server's is: a client not ready yet would send every count to memory. */
async function redisClient(url = redis.url): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true });
  client.on("error", () => undefined);
  clients.push(client);
  await client.connect();
  return client;
}

beforeAll(async () => {
  redis = await startTestRedis();
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await redis?.stop();
});

const stores: [string, () => Promise<LimiterStore>][] = [
  ["memory", async () => memoryLimiterStore()],
  ["redis", async () => redisLimiterStore(await redisClient(), SECRET)],
];

describe.each(stores)("%s store", (_kind, makeStore) => {
  it("allows the attempts, then RATE_LIMITED (or the caller's code) with the wait in the detail", async () => {
    const store = await makeStore();
    const throttle = new Throttle(store, "t.basic", { attempts: 3, windowSeconds: 600 });
    for (let i = 0; i < 3; i++) await throttle.consume("10.0.0.1");
    await expect(throttle.consume("10.0.0.1")).rejects.toMatchObject({ code: "RATE_LIMITED", message: expect.stringMatching(/^retry in (59\d|600) s$/) as unknown });
    // Another key is counted apart.
    await throttle.consume("10.0.0.2");
    const phones = new Throttle(store, "t.phone", { attempts: 1, windowSeconds: 600 });
    await phones.consume("0912000111", "BOOKING_LIMIT");
    await expect(phones.consume("0912000111", "BOOKING_LIMIT")).rejects.toMatchObject({ code: "BOOKING_LIMIT" });
  });

  it("gives an attempt back on refund, forgets a key on reset, and pauses a key that used its last attempt", async () => {
    const throttle = new Throttle(await makeStore(), "t.pause", { attempts: 2, windowSeconds: 600, firstPauseSeconds: 120, maxPauseSeconds: 3600 });
    await throttle.consume("user\u000010.0.0.3");
    await throttle.refund("user\u000010.0.0.3");
    await throttle.consume("user\u000010.0.0.3");
    await throttle.consume("user\u000010.0.0.3");
    // The window is 600 s, but the pause it earned is 120 s.
    await expect(throttle.consume("user\u000010.0.0.3")).rejects.toMatchObject({ code: "RATE_LIMITED", message: expect.stringMatching(/^retry in 1[12]\d s$/) as unknown });
    await throttle.reset("user\u000010.0.0.3");
    await throttle.consume("user\u000010.0.0.3");
  });

  it("reserves bytes under every key or none, and gives back what was not stored", async () => {
    const quota = new ByteQuota(await makeStore(), "t.bytes", { bytes: 1000, windowSeconds: 600 });
    await quota.reserve(["unit:u1", "address:a1"], 800);
    await expect(quota.reserve(["unit:u2", "address:a1"], 300)).rejects.toMatchObject({ code: "UPLOAD_QUOTA_EXCEEDED" });
    // unit:u2 was given back when address:a1 refused: it still has its whole allowance.
    await quota.reserve(["unit:u2"], 1000);
    await quota.release(["address:a1"], 500);
    await quota.reserve(["address:a1"], 700);
  });

  it("refuses two throttles under one name in one store (they would add up each other's counts)", async () => {
    const store = await makeStore();
    new Throttle(store, "t.same", { attempts: 1, windowSeconds: 60 });
    expect(() => new Throttle(store, "t.same", { attempts: 1, windowSeconds: 60 })).toThrow(/two throttles named t\.same/);
  });
});

describe("redis store", () => {
  it("shares counts between stores of different processes (same Redis, same name), which memory stores never do", async () => {
    const first = new Throttle(redisLimiterStore(await redisClient(), SECRET), "t.shared", { attempts: 2, windowSeconds: 600 });
    const second = new Throttle(redisLimiterStore(await redisClient(), SECRET), "t.shared", { attempts: 2, windowSeconds: 600 });
    await first.consume("10.0.0.9");
    await second.consume("10.0.0.9");
    await expect(first.consume("10.0.0.9")).rejects.toMatchObject({ code: "RATE_LIMITED" });
    await expect(second.consume("10.0.0.9")).rejects.toMatchObject({ code: "RATE_LIMITED" });

    const apartA = new Throttle(memoryLimiterStore(), "t.shared", { attempts: 1, windowSeconds: 600 });
    const apartB = new Throttle(memoryLimiterStore(), "t.shared", { attempts: 1, windowSeconds: 600 });
    await apartA.consume("10.0.0.9");
    await apartB.consume("10.0.0.9");
  });

  it("stores an HMAC of the key, never the phone number or address itself", async () => {
    const client = await redisClient();
    const throttle = new Throttle(redisLimiterStore(client, SECRET), "t.private", { attempts: 5, windowSeconds: 600 });
    await throttle.consume("0987654321");
    const keys = await client.keys("cau-noi:throttle:t.private*");
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toContain("0987654321");
  });

  it("while Redis is down, counts in this process's memory instead of failing or waiting", async () => {
    const own = await startTestRedis();
    const client = await redisClient(own.url);
    const throttle = new Throttle(redisLimiterStore(client, SECRET), "t.down", { attempts: 2, windowSeconds: 600 });
    await throttle.consume("10.0.0.10");
    await own.stop();
    // ioredis notices the closed connection and reconnects in the background; from then on the store
    // answers from memory (the insurance limiter).
    while (client.status === "ready") await new Promise((resolve) => setTimeout(resolve, 10));
    await throttle.consume("10.0.0.10");
    await throttle.consume("10.0.0.10");
    await expect(throttle.consume("10.0.0.10")).rejects.toMatchObject({ code: "RATE_LIMITED" });
  });
});
