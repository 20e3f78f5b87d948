import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import { connect, type TestSocket } from "../helpers/client";
import { buildUnit, buildUser, TEST_PASSWORD, tokenFor } from "../helpers/factories";
import { http } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
let province: { id: string; path: string };
let adminToken: string;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  server = await startTestServer();
  province = await buildUnit(server.db, { name: "UBND tỉnh thu hồi" });
  adminToken = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: province, roles: ["admin"] })).token;
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server?.close();
});

/** A real sign-in (the token carries the account's version) with an open socket. */
async function signedIn(roles: ("leader" | "officer" | "inspector")[]) {
  const user = await buildUser(server.db, { unit: province, roles });
  const login = await http<{ accessToken: string }>(server.url, "POST", "/auth/login", { body: { username: user.username, password: TEST_PASSWORD } });
  expect(login.status).toBe(200);
  const socket = await connect(server.url, { token: login.body.accessToken });
  sockets.push(socket);
  const disconnected = new Promise<string>((resolve) => socket.once("disconnect", (reason) => resolve(reason)));
  return { user, token: login.body.accessToken, socket, disconnected };
}

describe("an account that changes loses its live authority at once", () => {
  it.each([
    ["deactivated", (id: string) => http(server.url, "PATCH", `/users/${id}`, { token: adminToken, body: { active: false } })],
    ["re-roled", (id: string) => http(server.url, "PATCH", `/users/${id}`, { token: adminToken, body: { roles: ["officer"] } })],
    ["password reset", (id: string) => http(server.url, "POST", `/users/${id}/password`, { token: adminToken, body: { newPassword: "mot mat khau moi han" } })],
  ])("%s: its socket is disconnected by the server and its unexpired access token is refused", async (_name, change) => {
    const { user, token, socket, disconnected } = await signedIn(["officer"]);
    expect((await http(server.url, "GET", "/auth/me", { token })).status).toBe(200);
    expect((await change(user.id)).status).toBe(200);
    expect(await disconnected).toBe("io server disconnect");
    expect(socket.connected).toBe(false);
    expect(await http(server.url, "GET", "/auth/me", { token })).toMatchObject({ status: 401, body: { error: { code: "UNAUTHENTICATED" } } });
    // Nor can the old token open a new socket.
    await expect(connect(server.url, { token })).rejects.toThrow();
  });

  it("leaves other accounts' sockets and tokens alone", async () => {
    const bystander = await signedIn(["leader"]);
    const target = await signedIn(["officer"]);
    await http(server.url, "PATCH", `/users/${target.user.id}`, { token: adminToken, body: { active: false } });
    await target.disconnected;
    expect(bystander.socket.connected).toBe(true);
    expect((await http(server.url, "GET", "/auth/me", { token: bystander.token })).status).toBe(200);
  });

  it("a renamed account keeps its session (nothing it may do changed)", async () => {
    const { user, token } = await signedIn(["officer"]);
    await http(server.url, "PATCH", `/users/${user.id}`, { token: adminToken, body: { displayName: "Tên mới" } });
    expect((await http(server.url, "GET", "/auth/me", { token })).status).toBe(200);
  });
});
