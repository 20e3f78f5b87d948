import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import { buildUnit, tokenFor } from "../helpers/factories";
import { http } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

/** Every route with a body, query or id is fed wrong types, missing fields and oversized input. */

let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  const unit = await buildUnit(server.db);
  token = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles: ["admin"] })).token;
});

afterAll(async () => {
  await server?.close();
});

const pathOf = (path: string, id = "some-id") => path.replace(":id", id);

describe("bad input on every route", () => {
  it("is checked for each route that takes a body", () => {
    expect(server.routes.filter((route) => route.body).length).toBeGreaterThan(5);
  });

  it("wrong types for every field → 400 VALIDATION_FAILED naming the fields", async () => {
    for (const route of server.routes.filter((r) => r.body)) {
      const properties = Object.keys((z.toJSONSchema(route.body!, { io: "input", unrepresentable: "any" }) as { properties?: object }).properties ?? {});
      const body = Object.fromEntries(properties.map((key) => [key, { wrong: [1, 2, 3] }]));
      const result = await http<{ error: { code: string; details?: { path: string }[] } }>(server.url, route.method.toUpperCase(), pathOf(route.path), { token, body });
      expect(result.status, route.id).toBe(400);
      expect(result.body.error.code, route.id).toBe("VALIDATION_FAILED");
      const reported = new Set(result.body.error.details?.map((detail) => detail.path.split(".")[0]));
      for (const key of properties) expect(reported.has(key), `${route.id}.${key}`).toBe(true);
    }
  });

  it("missing fields → 400 VALIDATION_FAILED", async () => {
    for (const route of server.routes.filter((r) => r.body)) {
      const result = await http(server.url, route.method.toUpperCase(), pathOf(route.path), { token, body: {} });
      expect(result, route.id).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_FAILED" } } });
    }
  });

  it("a body that is not an object, or not JSON → 400", async () => {
    for (const route of server.routes.filter((r) => r.body)) {
      expect((await http(server.url, route.method.toUpperCase(), pathOf(route.path), { token, rawBody: "[1,2]" })).status, route.id).toBe(400);
      expect((await http(server.url, route.method.toUpperCase(), pathOf(route.path), { token, rawBody: "{oops" })).status, route.id).toBe(400);
    }
  });

  it("an oversized body → 413 PAYLOAD_TOO_LARGE, before any handler runs", async () => {
    const huge = JSON.stringify({ name: "x".repeat(150_000) });
    for (const route of server.routes.filter((r) => r.method !== "get")) {
      const result = await http(server.url, route.method.toUpperCase(), pathOf(route.path), { token, rawBody: huge });
      expect(result, route.id).toMatchObject({ status: 413, body: { error: { code: "PAYLOAD_TOO_LARGE" } } });
    }
  });

  it("an oversized id in the path → 400", async () => {
    for (const route of server.routes.filter((r) => r.path.includes(":id"))) {
      const result = await http(server.url, route.method.toUpperCase(), pathOf(route.path, "x".repeat(200)), { token, ...(route.method === "get" ? {} : { body: {} }) });
      expect(result, route.id).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_FAILED" } } });
    }
  });

  it("bad query parameters → 400", async () => {
    expect(await http(server.url, "GET", "/users?page=0", { token })).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_FAILED" } } });
    expect(await http(server.url, "GET", "/users?pageSize=100000", { token })).toMatchObject({ status: 400 });
    expect(await http(server.url, "GET", "/units?includeInactive=maybe", { token })).toMatchObject({ status: 400 });
  });

  it("an unknown resource id → 404 NOT_FOUND", async () => {
    expect(await http(server.url, "GET", "/users/no-such-user", { token })).toMatchObject({ status: 404, body: { error: { code: "NOT_FOUND" } } });
    expect(await http(server.url, "PATCH", "/units/no-such-unit", { token, body: { name: "Tên mới" } })).toMatchObject({ status: 404 });
  });
});
