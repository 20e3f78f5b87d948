import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import { buildUnit, buildUser, TEST_PASSWORD, tokenFor } from "../helpers/factories";
import { http } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
let province: { id: string; path: string };
let token: string;
let adminId: string;

beforeAll(async () => {
  server = await startTestServer();
  province = await buildUnit(server.db, { name: "UBND tỉnh thử" });
  const admin = await tokenFor(server.db, DEMO_JWT_SECRET, { unit: province, roles: ["admin"] });
  token = admin.token;
  adminId = admin.user.id;
});

afterAll(async () => {
  await server?.close();
});

type UnitBody = { id: string; code: string; parentId: string | null; depth: number; active: boolean };

describe("units", () => {
  it("creates, renames and moves a subtree, keeping descendants under it", async () => {
    const district = await http<UnitBody>(server.url, "POST", "/units", { token, body: { parentId: province.id, code: "td-1", name: "Huyện Thử", kind: "district" } });
    expect(district).toMatchObject({ status: 201, body: { code: "TD-1", parentId: province.id, depth: 1 } });
    const commune = await http<UnitBody>(server.url, "POST", "/units", { token, body: { parentId: district.body.id, code: "TX-1", name: "Xã Thử", kind: "commune" } });
    expect(commune.body.depth).toBe(2);
    const hamlet = await http<UnitBody>(server.url, "POST", "/units", { token, body: { parentId: commune.body.id, code: "TH-1", name: "Thôn Thử", kind: "other" } });

    // The 2025 reform: the district disappears, its commune moves under the province.
    const moved = await http<UnitBody>(server.url, "PATCH", `/units/${commune.body.id}`, { token, body: { parentId: province.id, name: "Xã Thử (mới)" } });
    expect(moved).toMatchObject({ status: 200, body: { parentId: province.id, depth: 1 } });
    const hamletRow = await server.db.unit.findUniqueOrThrow({ where: { id: hamlet.body.id } });
    expect(hamletRow.path).toBe(`${province.path}${commune.body.id}/${hamlet.body.id}/`);

    // A unit cannot move under its own descendant.
    expect((await http(server.url, "PATCH", `/units/${commune.body.id}`, { token, body: { parentId: hamlet.body.id } })).status).toBe(403);

    const deactivated = await http<UnitBody>(server.url, "PATCH", `/units/${district.body.id}`, { token, body: { active: false } });
    expect(deactivated.body.active).toBe(false);
    const listed = await http<{ items: UnitBody[] }>(server.url, "GET", "/units", { token });
    expect(listed.body.items.map((unit) => unit.code)).not.toContain("TD-1");
    const all = await http<{ items: UnitBody[] }>(server.url, "GET", "/units?includeInactive=true", { token });
    expect(all.body.items.map((unit) => unit.code)).toContain("TD-1");
  });

  it("refuses a duplicate code and deactivating a unit with active sub-units (CONFLICT)", async () => {
    const parent = await http<UnitBody>(server.url, "POST", "/units", { token, body: { parentId: province.id, code: "DUP-1", name: "Đơn vị A", kind: "department" } });
    expect(await http(server.url, "POST", "/units", { token, body: { parentId: province.id, code: "dup-1", name: "Đơn vị B", kind: "department" } })).toMatchObject({
      status: 409,
      body: { error: { code: "CONFLICT" } },
    });
    await http(server.url, "POST", "/units", { token, body: { parentId: parent.body.id, code: "DUP-1-C", name: "Đơn vị con", kind: "other" } });
    expect((await http(server.url, "PATCH", `/units/${parent.body.id}`, { token, body: { active: false } })).status).toBe(409);
  });

  it("writes an audit entry for every change", async () => {
    const created = await http<UnitBody>(server.url, "POST", "/units", { token, body: { parentId: province.id, code: "AUD-1", name: "Đơn vị kiểm tra", kind: "ward" } });
    const entries = await server.db.auditLog.findMany({ where: { subjectId: created.body.id } });
    expect(entries).toEqual([expect.objectContaining({ actorId: adminId, action: "unit.create" })]);
  });
});

describe("users", () => {
  type UserBody = { id: string; username: string; roles: string[]; active: boolean; unit: { id: string } };

  it("creates an account that can sign in, and refuses a taken username", async () => {
    const body = { username: "Nguoi.Moi", displayName: "Người mới", unitId: province.id, roles: ["officer", "officer"], password: "mat khau rat dai" };
    const created = await http<UserBody>(server.url, "POST", "/users", { token, body });
    expect(created).toMatchObject({ status: 201, body: { username: "nguoi.moi", roles: ["officer"], active: true } });
    expect(JSON.stringify(created.body)).not.toMatch(/password/i);
    expect((await http(server.url, "POST", "/auth/login", { body: { username: "nguoi.moi", password: "mat khau rat dai" } })).status).toBe(200);
    expect((await http(server.url, "POST", "/users", { token, body })).status).toBe(409);
  });

  it("changing roles or locking an account ends its sessions", async () => {
    const user = await buildUser(server.db, { unit: province, roles: ["officer"] });
    const login = await http<{ accessToken: string }>(server.url, "POST", "/auth/login", { body: { username: user.username, password: TEST_PASSWORD } });
    const updated = await http<UserBody>(server.url, "PATCH", `/users/${user.id}`, { token, body: { roles: ["leader", "officer"] } });
    expect(updated.body.roles.sort()).toEqual(["leader", "officer"]);
    expect((await http(server.url, "POST", "/auth/refresh", { refreshCookie: login.refreshCookie! })).status).toBe(401);
    await http(server.url, "PATCH", `/users/${user.id}`, { token, body: { active: false } });
    expect((await http(server.url, "POST", "/auth/login", { body: { username: user.username, password: TEST_PASSWORD } })).status).toBe(401);
  });

  it("resets another account's password but not the admin's own, nor deactivates the admin", async () => {
    const user = await buildUser(server.db, { unit: province, roles: ["site"] });
    expect((await http(server.url, "POST", `/users/${user.id}/password`, { token, body: { newPassword: "mot mat khau moi" } })).status).toBe(200);
    expect((await http(server.url, "POST", "/auth/login", { body: { username: user.username, password: "mot mat khau moi" } })).status).toBe(200);
    expect((await http(server.url, "POST", `/users/${adminId}/password`, { token, body: { newPassword: "mot mat khau moi" } })).status).toBe(403);
    expect((await http(server.url, "PATCH", `/users/${adminId}`, { token, body: { active: false } })).status).toBe(403);
  });

  it("refuses an admin granting themself a role, and resetting the password of a leader in their own unit", async () => {
    const selfGrant = await http(server.url, "PATCH", `/users/${adminId}`, { token, body: { roles: ["admin", "leader"] } });
    expect(selfGrant).toMatchObject({ status: 403, body: { error: { code: "ROLE_GRANT_REFUSED" } } });
    const me = await server.db.userRole.findMany({ where: { userId: adminId } });
    expect(me.map((row) => row.role)).toEqual(["admin"]);
    const leader = await buildUser(server.db, { unit: province, roles: ["leader"] });
    const takeover = await http(server.url, "POST", `/users/${leader.id}/password`, { token, body: { newPassword: "mat khau chiem quyen" } });
    expect(takeover).toMatchObject({ status: 403, body: { error: { code: "PASSWORD_RESET_REFUSED" } } });
    expect((await http(server.url, "POST", "/auth/login", { body: { username: leader.username, password: "mat khau chiem quyen" } })).status).toBe(401);
  });

  it("lists accounts in scope, paginated", async () => {
    for (let i = 0; i < 3; i++) await buildUser(server.db, { unit: province, roles: ["viewer"] });
    const firstPage = await http<{ items: UserBody[]; total: number; pageSize: number }>(server.url, "GET", "/users?pageSize=2", { token });
    expect(firstPage.body.items).toHaveLength(2);
    expect(firstPage.body.total).toBeGreaterThanOrEqual(4);
    const secondPage = await http<{ items: UserBody[] }>(server.url, "GET", "/users?pageSize=2&page=2", { token });
    expect(secondPage.body.items[0]?.id).not.toBe(firstPage.body.items[0]?.id);
  });
});

describe("audit log", () => {
  it("never stores secrets, whatever a caller passes", async () => {
    const { recordAudit } = await import("../../signaling/audit");
    await recordAudit(server.db, {
      actorId: adminId,
      action: "test.secret",
      subjectType: "user",
      subjectId: adminId,
      detail: { newPassword: "hunter2-hunter2", refreshToken: "abc", idNumber: "001099012345", name: "Nguyễn Văn A" },
    });
    const entry = await server.db.auditLog.findFirstOrThrow({ where: { action: "test.secret" } });
    expect(JSON.parse(entry.detail ?? "{}")).toEqual({ newPassword: "[redacted]", refreshToken: "[redacted]", idNumber: "[redacted]", name: "Nguyễn Văn A" });
  });
});

describe("holidays", () => {
  it("are edited by the top unit's admin and move working-day deadlines at once", async () => {
    const added = await http<{ id: string; date: string }>(server.url, "POST", "/holidays", { token, body: { date: "2026-03-10", name: "Ngày nghỉ bù (thử)" } });
    expect(added).toMatchObject({ status: 201, body: { date: "2026-03-10" } });
    expect((await http(server.url, "POST", "/holidays", { token, body: { date: "2026-03-10", name: "Trùng" } })).status).toBe(409);
    expect((await http(server.url, "POST", "/holidays", { token, body: { date: "2026-02-30", name: "Không có ngày này" } })).status).toBe(400);
    const listed = await http<{ items: { date: string }[] }>(server.url, "GET", "/holidays?year=2026", { token });
    expect(listed.body.items.map((item) => item.date)).toContain("2026-03-10");

    // A denunciation's initial check (7 working days from Mon 2 March) now skips 10 March.
    const clerk = await tokenFor(server.db, DEMO_JWT_SECRET, { unit: province, roles: ["officer"] });
    const created = await http<{ case: { id: string } }>(server.url, "POST", "/cases", {
      token: clerk.token,
      body: { unitId: province.id, channel: "post", receivedDate: "2026-03-02", summary: "Đơn thử lịch nghỉ", content: "Nội dung đơn thử lịch nghỉ.", parties: [{ role: "petitioner", name: "Công dân" }] },
    });
    const classified = await http<{ deadline: { due: string } }>(server.url, "POST", `/cases/${created.body.case.id}/actions/classify`, {
      token: clerk.token,
      body: { kind: "denunciation", eligible: true, withinCompetence: true },
    });
    expect(classified.body.deadline.due).toBe("2026-03-12");
    expect((await http(server.url, "DELETE", `/holidays/${added.body.id}`, { token })).status).toBe(200);
  });

  it("include make-up working Saturdays, which working-day deadlines count (issue 13, item 6)", async () => {
    // A weekday cannot be "worked in exchange"; a Saturday can.
    const weekday = await http<{ code: string }>(server.url, "POST", "/holidays", { token, body: { date: "2026-03-06", name: "Không phải cuối tuần", kind: "workingDay" } });
    expect(weekday.status).toBe(400);
    const saturday = await http<{ id: string; kind: string }>(server.url, "POST", "/holidays", { token, body: { date: "2026-03-07", name: "Làm bù (thử)", kind: "workingDay" } });
    expect(saturday).toMatchObject({ status: 201, body: { kind: "workingDay" } });
    const listed = await http<{ items: { date: string; kind: string }[] }>(server.url, "GET", "/holidays?year=2026", { token });
    expect(listed.body.items).toContainEqual(expect.objectContaining({ date: "2026-03-07", kind: "workingDay" }));

    // 7 working days from Mon 2 March now count Sat 7: 3, 4, 5, 6, 7, 9, 10 → Tue 10 March (not Wed 11).
    const clerk = await tokenFor(server.db, DEMO_JWT_SECRET, { unit: province, roles: ["officer"] });
    const created = await http<{ case: { id: string } }>(server.url, "POST", "/cases", {
      token: clerk.token,
      body: { unitId: province.id, channel: "post", receivedDate: "2026-03-02", summary: "Đơn thử ngày làm bù", content: "Nội dung đơn thử ngày làm bù.", parties: [{ role: "petitioner", name: "Công dân" }] },
    });
    const classified = await http<{ deadline: { due: string } }>(server.url, "POST", `/cases/${created.body.case.id}/actions/classify`, {
      token: clerk.token,
      body: { kind: "denunciation", eligible: true, withinCompetence: true },
    });
    expect(classified.body.deadline.due).toBe("2026-03-10");
    expect((await http(server.url, "DELETE", `/holidays/${saturday.body.id}`, { token })).status).toBe(200);
  });

  it("cannot be edited by a commune's admin", async () => {
    const commune = await buildUnit(server.db, { parent: province });
    const communeAdmin = await tokenFor(server.db, DEMO_JWT_SECRET, { unit: commune, roles: ["admin"] });
    expect((await http(server.url, "POST", "/holidays", { token: communeAdmin.token, body: { date: "2026-03-11", name: "Không được" } })).status).toBe(403);
  });
});
