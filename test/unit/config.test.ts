import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../signaling/config";
import { loadMediaNodeConfig } from "../../signaling/mediaNodes/config";
import { errorBody, pickLocale, AppError } from "../../signaling/errors";

describe("loadConfig", () => {
  it("has safe embedded defaults: loopback only, SQLite under data/", () => {
    const config = loadConfig({});
    expect(config.http).toMatchObject({ host: "127.0.0.1", port: 3000 });
    expect(config.databaseUrl).toMatch(/^file:.*data\/cau-noi\.db$/);
    expect(config.mediasoup.network.listenIp).toBe("127.0.0.1");
    expect(config.mediasoup.portRange).toEqual({ min: 40000, max: 49999 });
  });

  it("reads overrides", () => {
    const config = loadConfig({ PORT: "8080", MEDIASOUP_WORKERS: "3", MEDIASOUP_ENABLE_TCP: "false", MEDIASOUP_LISTEN_IP: "0.0.0.0", MEDIASOUP_ANNOUNCED_ADDRESS: "10.1.2.3" });
    expect(config.http.port).toBe(8080);
    expect(config.mediasoup.workers).toBe(3);
    expect(config.mediasoup.network).toMatchObject({ enableTcp: false, listenIp: "0.0.0.0", announcedAddress: "10.1.2.3" });
  });

  it("lists every bad variable at once", () => {
    try {
      loadConfig({ PORT: "http", MEDIASOUP_MIN_PORT: "50000", MEDIASOUP_MAX_PORT: "40000", MEDIASOUP_LISTEN_IP: "0.0.0.0" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join("\n");
      expect(problems).toContain("PORT");
    }
  });

  it("REDIS_URL is optional: without it nothing is shared (one process); with it, only a redis:// or rediss:// URL", () => {
    expect(loadConfig({}).redis).toBeUndefined();
    expect(loadConfig({ REDIS_URL: "" }).redis).toBeUndefined();
    expect(loadConfig({ REDIS_URL: "redis://10.0.0.5:6379/2" }).redis).toEqual({ url: "redis://10.0.0.5:6379/2", roomOwnerTtlMs: 6_000 });
    expect(loadConfig({ REDIS_URL: "rediss://cache.tinh.local:6380" }).redis).toEqual({ url: "rediss://cache.tinh.local:6380", roomOwnerTtlMs: 6_000 });
    // How long a dead process keeps its rooms: seconds, not minutes or milliseconds.
    expect(loadConfig({ REDIS_URL: "redis://10.0.0.5:6379", ROOM_OWNER_TTL_MS: "3000" }).redis?.roomOwnerTtlMs).toBe(3_000);
    expect(() => loadConfig({ REDIS_URL: "redis://10.0.0.5:6379", ROOM_OWNER_TTL_MS: "50" })).toThrow(/ROOM_OWNER_TTL_MS/);
    expect(() => loadConfig({ REDIS_URL: "http://10.0.0.5:6379" })).toThrow(/REDIS_URL must be redis:\/\//);
    expect(() => loadConfig({ REDIS_URL: "10.0.0.5:6379" })).toThrow(/REDIS_URL/);
  });

  it("media nodes need a long MEDIA_NODE_SECRET and REDIS_URL; the pipes listen on MEDIASOUP_LISTEN_IP unless MEDIASOUP_PIPE_IP says otherwise", () => {
    expect(loadConfig({}).mediaNodes).toBeUndefined();
    const secret = "s".repeat(32);
    expect(() => loadConfig({ MEDIA_NODE_SECRET: secret })).toThrow(/MEDIA_NODE_SECRET needs REDIS_URL/);
    expect(() => loadConfig({ MEDIA_NODE_SECRET: "short", REDIS_URL: "redis://10.0.0.5:6379" })).toThrow(/at least 32 characters/);
    expect(loadConfig({ MEDIA_NODE_SECRET: secret, REDIS_URL: "redis://10.0.0.5:6379", MEDIASOUP_LISTEN_IP: "10.0.0.7" }).mediaNodes).toEqual({ secret, heartbeatMs: 1_000, remoteFirst: false, pipeListenIp: "10.0.0.7" });
    expect(loadConfig({ MEDIA_NODE_SECRET: secret, REDIS_URL: "redis://10.0.0.5:6379", MEDIASOUP_PIPE_IP: "10.1.0.7", MEDIASOUP_REMOTE_FIRST: "1" }).mediaNodes).toMatchObject({ remoteFirst: true, pipeListenIp: "10.1.0.7" });
    // Review: pipes announced on 0.0.0.0 carried no media and said nothing.
    expect(() => loadConfig({ MEDIA_NODE_SECRET: secret, REDIS_URL: "redis://10.0.0.5:6379", MEDIASOUP_LISTEN_IP: "0.0.0.0", MEDIASOUP_ANNOUNCED_ADDRESS: "203.0.113.7" })).toThrow(/MEDIASOUP_PIPE_IP/);
    expect(loadConfig({ MEDIA_NODE_SECRET: secret, REDIS_URL: "redis://10.0.0.5:6379", MEDIASOUP_LISTEN_IP: "0.0.0.0", MEDIASOUP_ANNOUNCED_ADDRESS: "203.0.113.7", MEDIASOUP_PIPE_IP: "10.1.0.7" }).mediaNodes).toMatchObject({ pipeListenIp: "10.1.0.7" });
  });

  it("MEDIA_NODE_IDS, when set, is the list of node ids signaling accepts (third review, finding 5: a stolen key could not be revoked)", () => {
    const base = { MEDIA_NODE_SECRET: "s".repeat(32), REDIS_URL: "redis://10.0.0.5:6379" };
    expect(loadConfig(base).mediaNodes).not.toHaveProperty("allowedIds");
    expect(loadConfig({ ...base, MEDIA_NODE_IDS: " media-2, media-3 ,media_4" }).mediaNodes).toMatchObject({ allowedIds: ["media-2", "media-3", "media_4"] });
    expect(() => loadConfig({ ...base, MEDIA_NODE_IDS: "media-2,bad id!" })).toThrow(/MEDIA_NODE_IDS/);
    expect(() => loadConfig({ ...base, MEDIA_NODE_IDS: "media-2,,media-3" })).toThrow(/MEDIA_NODE_IDS/);
  });

  it("a media node (--role=media) needs its own key and Redis, nothing of the web server", () => {
    const key = "ab".repeat(32);
    expect(loadMediaNodeConfig({})).toEqual({ problems: expect.arrayContaining([expect.stringMatching(/^MEDIA_NODE_KEY/), expect.stringMatching(/^REDIS_URL/)]) });
    const config = loadMediaNodeConfig({ MEDIA_NODE_KEY: key, REDIS_URL: "redis://10.0.0.5:6379", MEDIA_NODE_ID: "media-2", MEDIASOUP_LISTEN_IP: "10.0.0.12", NODE_ENV: "production" });
    expect(config).toMatchObject({ id: "media-2", port: 4500, pipeListenIp: "10.0.0.12", network: { listenIp: "10.0.0.12" }, certificateLifetimeMs: 365 * 24 * 3600 * 1000 });
    expect("key" in config && config.key.toString("hex")).toBe(key);
    expect(loadMediaNodeConfig({ MEDIA_NODE_KEY: key, REDIS_URL: "redis://x:1", MEDIA_NODE_ID: "bad id!" })).toEqual({ problems: [expect.stringMatching(/^MEDIA_NODE_ID/)] });
    expect(loadMediaNodeConfig({ MEDIA_NODE_KEY: "not-hex", REDIS_URL: "redis://x:1" })).toEqual({ problems: [expect.stringMatching(/^MEDIA_NODE_KEY: .*media-node-key/)] });
    // The signaling hosts' master is refused on a node, even beside its key (second review, finding 5).
    expect(loadMediaNodeConfig({ MEDIA_NODE_KEY: key, MEDIA_NODE_SECRET: "s".repeat(32), REDIS_URL: "redis://x:1" })).toEqual({ problems: [expect.stringMatching(/^MEDIA_NODE_SECRET: .*signaling hosts only/)] });
    expect(loadMediaNodeConfig({ MEDIA_NODE_KEY: key, REDIS_URL: "redis://x:1", MEDIA_NODE_CERT_LIFETIME_S: "30" })).toMatchObject({ certificateLifetimeMs: 30_000 });
    expect(loadMediaNodeConfig({ MEDIA_NODE_KEY: key, REDIS_URL: "redis://x:1", MEDIA_NODE_CERT_LIFETIME_S: "5" })).toEqual({ problems: [expect.stringMatching(/^MEDIA_NODE_CERT_LIFETIME_S/)] });
    // TLS unless a lab opts out, on both sides; a URL in clear without the opt-out is refused (review).
    expect(config).toMatchObject({ allowPlain: false });
    const node = { MEDIA_NODE_KEY: key, REDIS_URL: "redis://x:1" };
    expect(loadMediaNodeConfig({ ...node, MEDIA_NODE_URL: "http://10.0.0.12:4500" })).toEqual({ problems: [expect.stringMatching(/^MEDIA_NODE_URL: .*https/)] });
    expect(loadMediaNodeConfig({ ...node, MEDIA_NODE_URL: "http://10.0.0.12:4500", MEDIA_NODE_ALLOW_PLAIN: "1" })).toMatchObject({ allowPlain: true, url: "http://10.0.0.12:4500" });
    expect(loadMediaNodeConfig({ ...node, MEDIA_NODE_URL: "https://10.0.0.12:4500", MEDIA_NODE_ALLOW_PLAIN: "1" })).toEqual({ problems: [expect.stringMatching(/^MEDIA_NODE_URL/)] });
    expect(loadConfig({ MEDIA_NODE_SECRET: "s".repeat(32), REDIS_URL: "redis://10.0.0.5:6379", MEDIA_NODE_ALLOW_PLAIN: "1" }).mediaNodes).toMatchObject({ allowPlain: true });
  });

  it("refuses 0.0.0.0 without an announced address, which browsers could not reach", () => {
    expect(() => loadConfig({ MEDIASOUP_LISTEN_IP: "0.0.0.0" })).toThrow(/MEDIASOUP_ANNOUNCED_ADDRESS/);
  });
});

describe("error messages", () => {
  it("speak Vietnamese unless English is asked for", () => {
    expect(pickLocale(undefined)).toBe("vi");
    expect(pickLocale("en-US,en;q=0.9")).toBe("en");
    expect(pickLocale("vi-VN,vi;q=0.9,en;q=0.8")).toBe("vi");
    expect(errorBody(new AppError("NOT_JOINED"), "vi").message).toBe("Bạn chưa tham gia phòng họp.");
    expect(errorBody(new AppError("NOT_JOINED"), "en")).toEqual({ code: "NOT_JOINED", message: "You have not joined a room." });
  });
});

describe("empty variables", () => {
  it("fall back to defaults, as when an env file lists them without values", () => {
    const config = loadConfig({ PORT: "", MEDIASOUP_WORKERS: " ", MEDIASOUP_ANNOUNCED_ADDRESS: "" });
    expect(config.http.port).toBe(3000);
    expect(config.mediasoup.workers).toBeGreaterThanOrEqual(1);
    expect(config.mediasoup.network.announcedAddress).toBeUndefined();
  });
});

describe("production", () => {
  it("refuses to start with the demo JWT secret", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ NODE_ENV: "production", JWT_SECRET: "short" })).toThrow(/JWT_SECRET/);
    const config = loadConfig({ NODE_ENV: "production", JWT_SECRET: "x".repeat(48) });
    expect(config.auth.cookieSecure).toBe(true);
  });
});
