import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import type { CaseSummary, UnitDto, UserDto } from "../../signaling/protocol";
import { buildUnit, buildUser, tokenFor } from "../helpers/factories";
import { xlsxRows } from "../helpers/documents";
import { http } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

/**
 * The list contract of docs/list-endpoints.md (issue 18 item 7): search, sort and filters on the unit,
 * user, meeting and case lists, and the two XLSX exports that take the same parameters as their list.
 */

let server: TestServer;
let province: { id: string; path: string };
let commune: { id: string; path: string };
let elsewhere: { id: string; path: string };
const tokens = {} as Record<"admin" | "leader" | "officer" | "inspector" | "otherLeader" | "site", string>;
let inspectorId: string;

interface Page<T> {
  items: T[];
  total: number;
}
interface MeetingRow {
  id: string;
  title: string;
  roomId: string;
  status: string;
}

const get = <T>(token: string, path: string) => http<T>(server.url, "GET", path, { token });

async function download(token: string, path: string) {
  const response = await fetch(`${server.url}/api${path}`, { headers: { authorization: `Bearer ${token}`, "accept-language": "vi" } });
  return { status: response.status, type: response.headers.get("content-type") ?? "", disposition: response.headers.get("content-disposition") ?? "", data: Buffer.from(await response.arrayBuffer()) };
}

async function fileCase(receivedDate: string, summary: string) {
  const created = await http<{ case: { id: string; code: string } }>(server.url, "POST", "/cases", {
    token: tokens.officer,
    body: { unitId: commune.id, channel: "post", receivedDate, summary, content: `${summary}: nội dung đủ dài để thụ lý.`, kind: "complaint", parties: [{ role: "petitioner", name: "Công dân Thử" }] },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.case;
}

beforeAll(async () => {
  server = await startTestServer();
  province = await buildUnit(server.db, { name: "UBND tỉnh Danh Sách" });
  commune = await buildUnit(server.db, { parent: province, name: "UBND xã Yên Phong Thử", kind: "commune" });
  await buildUnit(server.db, { parent: province, name: "Sở Đào tạo Thử", kind: "department" });
  elsewhere = await buildUnit(server.db, { name: "UBND tỉnh Khác" });
  tokens.admin = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: province, roles: ["admin"] })).token;
  tokens.leader = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: province, roles: ["leader"], displayName: "Lãnh đạo Danh Sách" })).token;
  tokens.officer = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: commune, roles: ["officer"] })).token;
  const inspector = await tokenFor(server.db, DEMO_JWT_SECRET, { unit: province, roles: ["inspector"], displayName: "Thanh tra Được Giao" });
  tokens.inspector = inspector.token;
  inspectorId = inspector.user.id;
  tokens.otherLeader = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: elsewhere, roles: ["leader"] })).token;
  tokens.site = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: commune, roles: ["site"] })).token;
});

afterAll(async () => {
  await server?.close();
});

describe("units list: q and sort", () => {
  it("finds a unit without typing its diacritics, and sorts by name both ways", async () => {
    const found = await get<{ items: UnitDto[] }>(tokens.admin, "/units?q=yen%20phong%20thu");
    expect(found.status).toBe(200);
    expect(found.body.items.map((unit) => unit.id)).toEqual([commune.id]);

    const mine = (items: UnitDto[]) => items.filter((unit) => unit.name.endsWith("Thử") || unit.name === "UBND tỉnh Danh Sách").map((unit) => unit.name);
    const asc = await get<{ items: UnitDto[] }>(tokens.admin, "/units?sort=name");
    const desc = await get<{ items: UnitDto[] }>(tokens.admin, "/units?sort=name&dir=desc");
    expect(mine(asc.body.items)).toEqual(["Sở Đào tạo Thử", "UBND tỉnh Danh Sách", "UBND xã Yên Phong Thử"]);
    expect(mine(desc.body.items)).toEqual([...mine(asc.body.items)].reverse());
  });

  it("refuses a sort field that is not on the whitelist, naming the parameter", async () => {
    const refused = await get<{ error: { code: string; details: { path: string }[] } }>(tokens.admin, "/units?sort=passwordHash");
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.map((detail) => detail.path)).toContain("sort");
  });
});

describe("users list: q and sort", () => {
  it("searches username and display name, and sorts by display name", async () => {
    const found = await get<Page<UserDto>>(tokens.admin, "/users?q=Thanh%20tra%20Được");
    expect(found.body.items.map((user) => user.displayName)).toEqual(["Thanh tra Được Giao"]);
    const sorted = await get<Page<UserDto>>(tokens.admin, "/users?sort=displayName&dir=desc&pageSize=200");
    const names = sorted.body.items.map((user) => user.displayName);
    // SQLite orders text by its bytes (code points), as JavaScript compares strings.
    expect(names).toEqual([...names].sort().reverse());
  });
});

describe("users list: search without diacritics (issue 14 item 3)", () => {
  it("finds an account by its display name, username or unit without the marks, in the sort asked, paged with the matches' total", async () => {
    // "Nguyễn Thị Được": ễ, ị and the letter đ; typed as a reader types on an English keyboard.
    const first = await buildUser(server.db, { unit: commune, roles: ["officer"], username: "nguyen.duoc" });
    await server.db.user.update({ where: { id: first.id }, data: { displayName: "Nguyễn Thị Được" } });
    const second = await buildUser(server.db, { unit: commune, roles: ["officer"], username: "tran.an" });
    await server.db.user.update({ where: { id: second.id }, data: { displayName: "Trần Nguyên An" } });

    const byName = await get<Page<UserDto>>(tokens.admin, "/users?q=nguyen%20thi%20duoc");
    expect(byName.status).toBe(200);
    expect(byName.body.items.map((user) => user.id)).toEqual([first.id]);
    expect(byName.body.total).toBe(1);
    // Upper case and marks typed the other way find it too.
    expect((await get<Page<UserDto>>(tokens.admin, "/users?q=NGUYÊN")).body.items.map((user) => user.displayName).sort()).toEqual(["Nguyễn Thị Được", "Trần Nguyên An"]);
    // The unit's name, without marks: every account of the commune (the officer and the site of the fixture too).
    const byUnit = await get<Page<UserDto>>(tokens.admin, "/users?q=yen%20phong%20thu&sort=displayName&pageSize=2");
    expect(byUnit.body.total).toBe(4);
    expect(byUnit.body.items).toHaveLength(2);
    const rest = await get<Page<UserDto>>(tokens.admin, "/users?q=yen%20phong%20thu&sort=displayName&pageSize=2&page=2");
    const both = [...byUnit.body.items, ...rest.body.items];
    const names = both.map((user) => user.displayName);
    expect(names).toEqual([...names].sort());
    expect(new Set(both.map((user) => user.id)).size).toBe(4); // no account on both pages
    // Out of the actor's scope nothing is found, marks or not.
    expect((await get<Page<UserDto>>(tokens.otherLeader, "/users?q=nguyen")).body.total ?? 0).toBe(0);
  });
});

describe("meetings list: filters, sort, paging in the query, export", () => {
  beforeAll(async () => {
    for (const [index, title] of ["Giao ban tuần Một", "Giao ban tuần Hai", "Họp chuyên đề Ba"].entries()) {
      const scheduled = await http(server.url, "POST", "/meetings", {
        token: tokens.leader,
        body: { title, roomId: `danh-sach-${index}`, start: `2030-01-0${index + 1}T08:00:00+07:00`, end: `2030-01-0${index + 1}T10:00:00+07:00`, unitIds: [commune.id] },
      });
      expect(scheduled.status).toBe(201);
    }
  });

  it("pages the meetings the caller may read, with a total that counts only those", async () => {
    const first = await get<Page<MeetingRow>>(tokens.leader, "/meetings?pageSize=2&sort=title");
    const second = await get<Page<MeetingRow>>(tokens.leader, "/meetings?pageSize=2&page=2&sort=title");
    expect(first.body.total).toBe(3);
    expect([...first.body.items, ...second.body.items].map((row) => row.title)).toEqual(["Giao ban tuần Hai", "Giao ban tuần Một", "Họp chuyên đề Ba"]);
    // A leader of another province reads none of them.
    expect((await get<Page<MeetingRow>>(tokens.otherLeader, "/meetings")).body.total).toBe(0);
  });

  it("filters by text, status and the scheduled day", async () => {
    expect((await get<Page<MeetingRow>>(tokens.leader, "/meetings?q=Giao%20ban")).body.total).toBe(2);
    expect((await get<Page<MeetingRow>>(tokens.leader, "/meetings?status=ended")).body.total).toBe(0);
    const day = await get<Page<MeetingRow>>(tokens.leader, "/meetings?from=2030-01-02&to=2030-01-02");
    expect(day.body.items.map((row) => row.title)).toEqual(["Giao ban tuần Hai"]);
  });

  it("exports the same rows as the list, in Vietnamese, audited; others get an empty file or 403", async () => {
    const file = await download(tokens.leader, "/meetings/export.xlsx?q=Giao%20ban&sort=title");
    expect(file.status).toBe(200);
    expect(file.type).toContain("spreadsheetml");
    expect(file.disposition).toMatch(/cuoc-hop-\d{8}\.xlsx/);
    const rows = await xlsxRows(file.data);
    const heading = rows.findIndex((row) => row[0] === "Tiêu đề");
    expect(rows[heading]).toEqual(["Tiêu đề", "Phòng họp", "Trạng thái", "Bắt đầu", "Kết thúc", "Số điểm cầu tham dự"]);
    expect(rows.slice(heading + 1).map((row) => [row[0], row[2]])).toEqual([
      ["Giao ban tuần Hai", "Đã lên lịch"],
      ["Giao ban tuần Một", "Đã lên lịch"],
    ]);
    const leader = await server.db.auditLog.findFirst({ where: { action: "meeting.export" }, orderBy: { at: "desc" } });
    const detail = JSON.parse(leader?.detail ?? "{}") as { rows: number; searched: boolean; filters: Record<string, string> };
    // The search text stays out of the audit row and the file (it is often a name or a CCCD).
    expect(detail).toMatchObject({ rows: 2, searched: true, filters: { sort: "title" } });
    expect(detail.filters).not.toHaveProperty("q");
    expect(rows[1]![0]).toBe("Lọc: tìm kiếm theo từ khóa; sort=title");

    const other = await xlsxRows((await download(tokens.otherLeader, "/meetings/export.xlsx")).data);
    expect(other.some((row) => row[0]?.startsWith("Giao ban"))).toBe(false);
    expect((await download(tokens.site, "/meetings/export.xlsx")).status).toBe(403);
  });
});

describe("cases list: sort, assignee, export", () => {
  let codes: string[];

  beforeAll(async () => {
    codes = [];
    for (const [date, summary] of [["2026-03-02", "Đơn thứ nhất"], ["2026-03-05", "Đơn thứ hai"], ["2026-03-01", "Đơn thứ ba"]] as const) codes.push((await fileCase(date, summary)).code);
    const cases = await server.db.case.findMany({ where: { code: { in: codes } }, select: { id: true, code: true } });
    const second = cases.find((row) => row.code === codes[1])!;
    const assigned = await http(server.url, "POST", `/cases/${second.id}/assign`, { token: tokens.leader, body: { assigneeId: inspectorId } });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
  });

  it("sorts by received date both ways and shows each case's assignee", async () => {
    const oldest = await get<Page<CaseSummary>>(tokens.leader, `/cases?unitId=${commune.id}&sort=received&dir=asc`);
    expect(oldest.body.items.map((row) => row.summary)).toEqual(["Đơn thứ ba", "Đơn thứ nhất", "Đơn thứ hai"]);
    const newest = await get<Page<CaseSummary>>(tokens.leader, `/cases?unitId=${commune.id}&sort=received`);
    expect(newest.body.items.map((row) => row.summary)).toEqual(["Đơn thứ hai", "Đơn thứ nhất", "Đơn thứ ba"]);
    expect(newest.body.items.map((row) => row.assignee?.displayName ?? null)).toEqual(["Thanh tra Được Giao", null, null]);
  });

  it("a search sorted by code keeps the sort instead of the ranking", async () => {
    const found = await get<Page<CaseSummary>>(tokens.leader, `/cases?q=${encodeURIComponent("Đơn thứ")}&sort=code&dir=desc`);
    expect(found.body.items.map((row) => row.code)).toEqual([...codes].sort().reverse());
  });

  it("exports the list's rows with Vietnamese headings and dd/mm/yyyy dates, audited; 403 for a role without the list", async () => {
    const file = await download(tokens.leader, `/cases/export.xlsx?unitId=${commune.id}&sort=received&dir=asc`);
    expect(file.status).toBe(200);
    expect(file.disposition).toMatch(/don-thu-\d{8}\.xlsx/);
    const rows = await xlsxRows(file.data);
    const heading = rows.findIndex((row) => row[0] === "Mã hồ sơ");
    expect(rows[heading]).toEqual(["Mã hồ sơ", "Loại đơn", "Trạng thái", "Đơn vị", "Nội dung tóm tắt", "Ngày nhận", "Hạn xử lý", "Còn (ngày)", "Người được giao"]);
    const body = rows.slice(heading + 1);
    expect(body.map((row) => [row[4], row[5], row[8]])).toEqual([
      ["Đơn thứ ba", "01/03/2026", "—"],
      ["Đơn thứ nhất", "02/03/2026", "—"],
      ["Đơn thứ hai", "05/03/2026", "Thanh tra Được Giao"],
    ]);
    expect(body[0]![1]).toBe("Khiếu nại");
    const audit = await server.db.auditLog.findFirst({ where: { action: "case.export" }, orderBy: { at: "desc" } });
    expect(JSON.parse(audit?.detail ?? "{}")).toMatchObject({ rows: 3, filters: { unitId: commune.id, sort: "received" } });

    expect((await download(tokens.admin, "/cases/export.xlsx")).status).toBe(403);
    const refused = await download(tokens.leader, "/cases/export.xlsx?sort=secret");
    expect(refused.status).toBe(400);
  });
});
