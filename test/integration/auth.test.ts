import { randomBytes, scryptSync } from "node:crypto";
import jwt from "jsonwebtoken";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import { buildUnit, buildUser, TEST_PASSWORD } from "../helpers/factories";
import { http } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
let unit: { id: string; path: string; code: string };

beforeAll(async () => {
  server = await startTestServer();
  unit = await buildUnit(server.db);
});

afterAll(async () => {
  await server?.close();
});

type Session = { accessToken: string; expiresIn: number; user: { username: string; roles: string[]; unit: { code: string } } };

async function login(username: string, password = TEST_PASSWORD) {
  return http<Session>(server.url, "POST", "/auth/login", { body: { username, password } });
}

/** A sign-in as if from another address: the server trusts X-Forwarded-For from the loopback proxy. */
async function loginFrom(address: string, username: string, password = TEST_PASSWORD): Promise<number> {
  const response = await fetch(`${server.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": address },
    body: JSON.stringify({ username, password }),
  });
  await response.arrayBuffer();
  return response.status;
}

describe("sign-in", () => {
  it("returns an access token and sets an httpOnly refresh cookie scoped to /api/auth", async () => {
    const user = await buildUser(server.db, { unit, roles: ["officer"] });
    const result = await login(user.username);
    expect(result.status).toBe(200);
    expect(result.body.user).toMatchObject({ username: user.username, roles: ["officer"], unit: { code: unit.code } });
    expect(result.body.expiresIn).toBe(600);
    const cookie = result.setCookie.find((value) => value.startsWith("cau_noi_refresh="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Path=\/api\/auth/);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const me = await http<{ username: string }>(server.url, "GET", "/auth/me", { token: result.body.accessToken });
    expect(me).toMatchObject({ status: 200, body: { username: user.username } });
    expect(JSON.stringify(me.body)).not.toContain("passwordHash");
  });

  it("treats usernames case-insensitively", async () => {
    const user = await buildUser(server.db, { unit, roles: ["viewer"] });
    expect((await login(user.username.toUpperCase())).status).toBe(200);
  });

  it("refuses a wrong password and an unknown user with the same answer, and audits both without what was typed", async () => {
    const user = await buildUser(server.db, { unit, roles: ["viewer"] });
    const wrong = await login(user.username, "not the password");
    // Someone typing their password into the username box: it must not land in the audit table.
    const unknown = await login("Typed-Password-Canary-7731", "whatever1234");
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: "INVALID_CREDENTIALS", message: "Wrong username or password." } } });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    const audits = await server.db.auditLog.findMany({ where: { action: "auth.login.failed" } });
    expect(audits.some((entry) => entry.actorId === user.id)).toBe(true);
    expect(audits.some((entry) => entry.actorId === null)).toBe(true);
    expect(JSON.stringify(audits).toLowerCase()).not.toContain("typed-password-canary-7731");
  });

  it("refuses a deactivated account", async () => {
    const user = await buildUser(server.db, { unit, roles: ["officer"], active: false });
    expect((await login(user.username)).status).toBe(401);
  });

  it("pauses a username at one address after 5 failures, even for the right password, but not at another address", async () => {
    const user = await buildUser(server.db, { unit, roles: ["officer"] });
    for (let attempt = 0; attempt < 5; attempt++) expect(await loginFrom("203.0.113.5", user.username, "wrong password")).toBe(401);
    expect(await loginFrom("203.0.113.5", user.username)).toBe(429);
    // The chair at the office is not locked out by someone guessing elsewhere.
    expect(await loginFrom("203.0.113.6", user.username)).toBe(200);
  });

  it("counts parallel guesses before the password check: of 20 at once, at most 5 reach it", async () => {
    const user = await buildUser(server.db, { unit, roles: ["leader"] });
    const before = await server.db.auditLog.count({ where: { action: "auth.login.failed", actorId: user.id } });
    const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => loginFrom("198.51.100.7", user.username, `guess number ${i}`)));
    const checked = (await server.db.auditLog.count({ where: { action: "auth.login.failed", actorId: user.id } })) - before;
    expect(statuses.filter((status) => status === 401).length).toBe(checked);
    expect(checked).toBeLessThanOrEqual(5);
    expect(statuses.filter((status) => status === 429).length).toBe(20 - checked);
    expect(await loginFrom("198.51.100.8", user.username)).toBe(200);
  });
});

describe("password hash cost (issue 11 item 13)", { timeout: 120_000 }, () => {
  it("an account hashed at the older N = 2^15 signs in, and its hash is replaced by one at N = 2^17", async () => {
    const user = await buildUser(server.db, { unit, roles: ["officer"] });
    const salt = randomBytes(16);
    const key = scryptSync(TEST_PASSWORD, salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    const legacy = ["scrypt", 2 ** 15, 8, 1, salt.toString("base64url"), key.toString("base64url")].join("$");
    await server.db.user.update({ where: { id: user.id }, data: { passwordHash: legacy } });

    expect((await login(user.username)).status).toBe(200);
    const upgraded = await server.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(upgraded.passwordHash.split("$").slice(0, 4)).toEqual(["scrypt", "131072", "8", "1"]);
    // The same password, so the sessions it already has stay valid.
    expect(upgraded.passwordChangedAt).toEqual(user.passwordChangedAt);
    expect((await login(user.username)).status).toBe(200);
  });
});

describe("access tokens", () => {
  it("rejects a missing, tampered or expired token with UNAUTHENTICATED", async () => {
    const user = await buildUser(server.db, { unit, roles: ["officer"] });
    const { body } = await login(user.username);
    expect((await http(server.url, "GET", "/auth/me")).status).toBe(401);
    const tampered = `${body.accessToken.slice(0, -3)}abc`;
    expect(await http(server.url, "GET", "/auth/me", { token: tampered })).toMatchObject({ status: 401, body: { error: { code: "UNAUTHENTICATED" } } });
    const expired = jwt.sign({ sub: user.id, unitId: unit.id, roles: ["officer"], name: "x", exp: Math.floor(Date.now() / 1000) - 60 }, DEMO_JWT_SECRET, {
      algorithm: "HS256",
      issuer: "cau-noi",
      audience: "cau-noi-api",
    });
    expect(await http(server.url, "GET", "/auth/me", { token: expired, lang: "vi" })).toMatchObject({
      status: 401,
      body: { error: { code: "UNAUTHENTICATED", message: "Vui lòng đăng nhập." } },
    });
    const forged = jwt.sign({ sub: user.id, unitId: unit.id, roles: ["admin"], name: "x" }, "another-secret-another-secret-another", {
      algorithm: "HS256",
      issuer: "cau-noi",
      audience: "cau-noi-api",
    });
    expect((await http(server.url, "GET", "/auth/me", { token: forged })).status).toBe(401);
  });
});

describe("refresh tokens", () => {
  it("rotate on every refresh, and a reused one revokes the whole family", async () => {
    const user = await buildUser(server.db, { unit, roles: ["leader"] });
    const first = await login(user.username);
    const second = await http<Session>(server.url, "POST", "/auth/refresh", { refreshCookie: first.refreshCookie! });
    expect(second.status).toBe(200);
    expect(second.refreshCookie).toBeTruthy();
    expect(second.refreshCookie).not.toBe(first.refreshCookie);
    expect((await http(server.url, "GET", "/auth/me", { token: second.body.accessToken })).status).toBe(200);

    // The first token was replaced: presenting it again is a replay.
    const replay = await http(server.url, "POST", "/auth/refresh", { refreshCookie: first.refreshCookie! });
    expect(replay).toMatchObject({ status: 401, body: { error: { code: "UNAUTHENTICATED" } } });
    // …and the legitimate newest token died with its family.
    expect((await http(server.url, "POST", "/auth/refresh", { refreshCookie: second.refreshCookie! })).status).toBe(401);
    expect(await server.db.auditLog.count({ where: { action: "auth.refresh.reuse", actorId: user.id } })).toBe(1);
  });

  it("end with logout", async () => {
    const user = await buildUser(server.db, { unit, roles: ["site"] });
    const session = await login(user.username);
    const logout = await http(server.url, "POST", "/auth/logout", { refreshCookie: session.refreshCookie! });
    expect(logout.status).toBe(200);
    expect(logout.setCookie.some((cookie) => cookie.startsWith("cau_noi_refresh=;"))).toBe(true);
    expect((await http(server.url, "POST", "/auth/refresh", { refreshCookie: session.refreshCookie! })).status).toBe(401);
  });

  it("are refused without a cookie or with garbage", async () => {
    expect((await http(server.url, "POST", "/auth/refresh")).status).toBe(401);
    expect((await http(server.url, "POST", "/auth/refresh", { refreshCookie: "garbage" })).status).toBe(401);
  });
});

describe("password change", () => {
  it("needs the current password, signs other sessions out and takes the new one", async () => {
    const user = await buildUser(server.db, { unit, roles: ["officer"] });
    const session = await login(user.username);
    const otherDevice = await login(user.username);
    const refused = await http(server.url, "POST", "/auth/password", {
      token: session.body.accessToken,
      body: { currentPassword: "not it", newPassword: "a much longer passphrase" },
    });
    expect(refused.status).toBe(401);
    const tooShort = await http(server.url, "POST", "/auth/password", {
      token: session.body.accessToken,
      body: { currentPassword: TEST_PASSWORD, newPassword: "short" },
    });
    expect(tooShort).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_FAILED", details: [{ path: "newPassword" }] } } });
    const changed = await http(server.url, "POST", "/auth/password", {
      token: session.body.accessToken,
      body: { currentPassword: TEST_PASSWORD, newPassword: "a much longer passphrase" },
    });
    expect(changed.status).toBe(200);
    expect((await http(server.url, "POST", "/auth/refresh", { refreshCookie: otherDevice.refreshCookie! })).status).toBe(401);
    expect((await login(user.username)).status).toBe(401);
    expect((await login(user.username, "a much longer passphrase")).status).toBe(200);
  });
});

describe("bad input", () => {
  it.each([
    ["wrong types", { username: 42, password: ["x"] }],
    ["missing fields", {}],
    ["unknown fields", { username: "a", password: "b", role: "admin" }],
    ["oversized strings", { username: "a".repeat(500), password: "b" }],
  ])("login with %s → 400 VALIDATION_FAILED", async (_name, body) => {
    expect(await http(server.url, "POST", "/auth/login", { body })).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_FAILED" } } });
  });

  it("malformed JSON → 400, oversized body → 413, both with stable codes", async () => {
    expect(await http(server.url, "POST", "/auth/login", { rawBody: "{not json" })).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_FAILED" } } });
    const huge = JSON.stringify({ username: "a", password: "x".repeat(200_000) });
    expect(await http(server.url, "POST", "/auth/login", { rawBody: huge })).toMatchObject({ status: 413, body: { error: { code: "PAYLOAD_TOO_LARGE" } } });
  });
});

describe("API description", () => {
  it("serves an OpenAPI document generated from the route schemas, and security headers", async () => {
    const response = await fetch(`${server.url}/api/openapi.json`);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
    const doc = (await response.json()) as { openapi: string; paths: Record<string, Record<string, { operationId: string }>> };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.paths["/api/auth/login"]?.post?.operationId).toBe("auth.login");
    expect(doc.paths["/api/units/{id}"]?.patch?.operationId).toBe("units.update");
    expect((await fetch(`${server.url}/api/docs`)).status).toBe(200);
  });
});
