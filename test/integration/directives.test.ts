import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import { addDays, type LocalDate, vietnamDateOf, WorkingCalendar } from "../../signaling/domain/deadlines";
import type { Actor } from "../../signaling/policies";
import type { DirectiveDto, DirectiveMatrix, DirectiveTaskDetail, DirectiveTaskDto, MeetingMinutes, RtpCapabilities, CarriedOver } from "../../signaling/protocol";
import { type DirectiveEvent, DirectiveEvents } from "../../signaling/services/directives/events";
import { DirectiveTasks } from "../../signaling/services/directives/tasks";
import { connect, nextEvent, ok, rawRequest, type TestSocket } from "../helpers/client";
import { pdfText } from "../helpers/documents";
import { buildUnit, tokenFor } from "../helpers/factories";
import { http } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

/**
 * Issue 19, items 1, 2 and 4 end to end on the real server: a briefing's minutes kept by the chair and
 * the secretary the chair named, directives issued in the room to the communes (due dates from the working
 * calendar), the sites told of those addressed to them, the units' tasks, their reports, the province's
 * matrix on the day and on later days, the reminders, the conclusion notice read back from the PDF, and the
 * next briefing opening with what is still open.
 */

let server: TestServer;
const sockets: TestSocket[] = [];
const assigned: DirectiveEvent[] = [];
let caps: RtpCapabilities;

interface Account {
  token: string;
  actor: Actor;
}
const people = {} as Record<"chair" | "secretary" | "siteA" | "siteB" | "officerA" | "officerB", Account>;
const units = {} as Record<"province" | "communeA" | "communeB" | "department", { id: string; path: string; name: string }>;
let meetingId: string;
const roomId = "giao-ban-chi-dao";
const today = vietnamDateOf(new Date());

async function account(unit: { id: string; path: string }, role: "leader" | "officer" | "site", displayName: string): Promise<Account> {
  const { user, token } = await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles: [role], displayName });
  return { token, actor: { id: user.id, roles: [role], unitId: unit.id, unitPath: unit.path } };
}

async function join(who: Account) {
  const socket = await connect(server.url, { token: who.token });
  sockets.push(socket);
  caps ??= (await ok(socket, "getRouterRtpCapabilities", {})).rtpCapabilities;
  const joined = await ok(socket, "join", { roomId, rtpCapabilities: caps });
  return { socket, peerId: joined.peerId };
}

const calendarNow = async () => WorkingCalendar.fromStored(await server.db.holiday.findMany({ select: { date: true, kind: true } }));
const get = <T>(who: Account, path: string) => http<T>(server.url, "GET", path, { token: who.token });

beforeAll(async () => {
  server = await startTestServer();
  server.directives.events.on((event) => void assigned.push(event));
  const province = await buildUnit(server.db, { name: "UBND tỉnh Thử Nghiệm", kind: "province" });
  units.province = province;
  units.communeA = await buildUnit(server.db, { parent: province, name: "Xã An Bình", kind: "commune" });
  units.communeB = await buildUnit(server.db, { parent: province, name: "Phường Bắc Sơn", kind: "ward" });
  units.department = await buildUnit(server.db, { parent: province, name: "Sở Nội vụ", kind: "department" });
  people.chair = await account(province, "leader", "Nguyễn Văn Chủ");
  people.secretary = await account(province, "officer", "Trần Thị Thư");
  people.siteA = await account(units.communeA, "site", "Điểm cầu An Bình");
  people.siteB = await account(units.communeB, "site", "Điểm cầu Bắc Sơn");
  people.officerA = await account(units.communeA, "officer", "Cán bộ An Bình");
  people.officerB = await account(units.communeB, "officer", "Cán bộ Bắc Sơn");
  const meeting = await server.db.meeting.create({
    data: {
      roomId,
      title: "Giao ban trực tuyến tháng 12",
      status: "scheduled",
      hostUnitId: province.id,
      chairUserId: people.chair.actor.id,
      scheduledStart: new Date(Date.now() - 3_600_000),
      scheduledEnd: new Date(Date.now() + 3_600_000),
      sites: { create: [{ unitId: units.communeA.id }, { unitId: units.communeB.id }] },
    },
  });
  meetingId = meeting.id;
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server?.close();
});

describe("minutes, directives and their follow-up", () => {
  let chair: { socket: TestSocket; peerId: string };
  let secretary: { socket: TestSocket; peerId: string };
  let siteA: { socket: TestSocket; peerId: string };
  let siteB: { socket: TestSocket; peerId: string };
  let allCommunes: DirectiveDto;
  let onlyB: DirectiveDto;
  const seenByA: DirectiveDto[] = [];

  it("only the chair, or the officer the chair names, keeps the minutes", async () => {
    chair = await join(people.chair);
    secretary = await join(people.secretary);
    siteA = await join(people.siteA);
    siteB = await join(people.siteB);
    siteA.socket.on("directiveIssued", (directive) => void seenByA.push(directive));

    expect((await ok(secretary.socket, "getMinutes", {})).keeper).toBe(false);
    const refused = await rawRequest(secretary.socket, "addConclusion", { text: "Kết luận thử trước khi được giao" });
    expect(refused).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    // Naming a secretary is the chair's: another account gets FORBIDDEN before anything is stored.
    expect(await rawRequest(secretary.socket, "setSecretary", { peerId: secretary.peerId })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    // A site account writes no official record.
    expect(await rawRequest(chair.socket, "setSecretary", { peerId: siteA.peerId })).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });

    const told = nextEvent(secretary.socket, "minutes");
    const named = await ok(chair.socket, "setSecretary", { peerId: secretary.peerId });
    expect(named).toMatchObject({ secretaryUserId: people.secretary.actor.id, secretaryName: "Trần Thị Thư" });
    expect((await told).keeper).toBe(true);

    await ok(secretary.socket, "saveMinutesNotes", { notes: "Các xã báo cáo tình hình thu ngân sách." });
    const conclusion = await ok(secretary.socket, "addConclusion", { text: "Tập trung hoàn thành chỉ tiêu thu ngân sách năm 2026." });
    expect(conclusion.seq).toBe(1);
    // What the secretary wrote is not shown to the sites: they see only directives addressed to them.
    const forSite = await ok(siteA.socket, "getMinutes", {});
    expect(forSite).toMatchObject({ keeper: false, notes: "", directives: [] });
  });

  it("a directive to all communes becomes one task per commune, due after five working days of the calendar, and each addressed site sees it", async () => {
    const toA = nextEvent(siteA.socket, "directiveIssued");
    const toB = nextEvent(siteB.socket, "directiveIssued");
    allCommunes = await ok(chair.socket, "addDirective", {
      text: "Rà soát, báo cáo số hộ nghèo phát sinh trong năm.",
      allCommunes: true,
      due: { kind: "working", days: 5 },
      expectedReport: "Báo cáo bằng văn bản về Văn phòng UBND tỉnh",
    });
    const expected = (await calendarNow()).addWorkingDays(today, 5);
    expect(allCommunes.dueDate).toBe(expected);
    // "All communes" are the communes and wards under the province, not its department.
    expect(allCommunes.units.map((unit) => unit.unitName).sort()).toEqual(["Phường Bắc Sơn", "Xã An Bình"]);
    expect((await toA).units.map((unit) => unit.unitName)).toEqual(["Xã An Bình"]);
    expect((await toB).units.map((unit) => unit.unitName)).toEqual(["Phường Bắc Sơn"]);
    const rows = await server.db.directiveTask.findMany({ where: { directiveId: allCommunes.id } });
    expect(rows.map((row) => row.dueDate)).toEqual([expected, expected]);
  });

  it("a day off declared on that due date moves the next directive's due date past it; a commune not addressed is not told", async () => {
    const firstDue = allCommunes.dueDate;
    await server.db.holiday.create({ data: { date: firstDue, name: "Ngày nghỉ thử", kind: "dayOff" } });
    const toB = nextEvent(siteB.socket, "directiveIssued");
    onlyB = await ok(secretary.socket, "addDirective", {
      text: "Phường Bắc Sơn kiểm tra công trình chậm tiến độ.",
      unitIds: [units.communeB.id],
      due: { kind: "working", days: 5 },
      expectedReport: "Báo cáo kết quả kiểm tra",
    });
    expect(onlyB.dueDate > firstDue).toBe(true);
    expect(onlyB.dueDate).toBe((await calendarNow()).onOrAfter(addDays(firstDue as LocalDate, 1)));
    await toB;
    expect(seenByA.map((directive) => directive.id)).toEqual([allCommunes.id]);
    const forA = await ok(siteA.socket, "getMinutes", {});
    expect(forA.directives.map((directive) => directive.id)).toEqual([allCommunes.id]);
    // Units outside the issuing unit's tree, and a date before today, are refused.
    const outsider = await buildUnit(server.db, { name: "Tỉnh khác", kind: "province" });
    expect(await rawRequest(chair.socket, "addDirective", { text: "Chỉ đạo sai đơn vị", unitIds: [outsider.id], due: { kind: "calendar", days: 3 }, expectedReport: "Báo cáo" })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED" },
    });
    expect(await rawRequest(chair.socket, "addDirective", { text: "Chỉ đạo hạn đã qua", unitIds: [units.communeA.id], due: { kind: "date", date: addDays(today, -1) }, expectedReport: "Báo cáo" })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED" },
    });
    // Announced once per task, after the commit, for the mail queue to pick up.
    expect(assigned.filter((event) => event.type === "directiveAssigned").map((event) => event.unitId).sort()).toEqual([units.communeA.id, units.communeB.id, units.communeB.id].sort());
  });

  it("each commune's officers see their tasks and report progress and completion with a file; not another commune's", async () => {
    const mineA = await get<{ items: DirectiveTaskDto[] }>(people.officerA, "/directive-tasks");
    expect(mineA.status).toBe(200);
    expect(mineA.body.items.map((task) => task.directive.id)).toEqual([allCommunes.id]);
    const taskA = mineA.body.items[0]!;
    expect(taskA).toMatchObject({ unitName: "Xã An Bình", status: "open", standing: "open", mayReport: true });
    const mineB = await get<{ items: DirectiveTaskDto[] }>(people.officerB, "/directive-tasks");
    expect(mineB.body.items.map((task) => task.directive.id).sort()).toEqual([allCommunes.id, onlyB.id].sort());
    const taskB = mineB.body.items.find((task) => task.directive.id === allCommunes.id)!;

    expect((await http(server.url, "POST", `/directive-tasks/${taskB.id}/reports`, { token: people.officerA.token, body: { kind: "done", text: "Báo cáo thay xã khác" } })).status).toBe(403);
    expect((await get(people.officerA, `/directive-tasks/${taskB.id}`)).status).toBe(403);

    const progress = await http<DirectiveTaskDetail>(server.url, "POST", `/directive-tasks/${taskA.id}/reports`, { token: people.officerA.token, body: { kind: "progress", text: "Đã rà soát 3/5 thôn." } });
    expect(progress.status).toBe(201);
    expect(progress.body.status).toBe("inProgress");
    const upload = await fetch(`${server.url}/api/directive-tasks/${taskA.id}/attachments?name=bao-cao.pdf`, {
      method: "POST",
      headers: { authorization: `Bearer ${people.officerA.token}` },
      body: new TextEncoder().encode("%PDF-1.4\n%%EOF\n"),
    });
    expect(upload.status).toBe(201);
    const done = await http<DirectiveTaskDetail>(server.url, "POST", `/directive-tasks/${taskA.id}/reports`, { token: people.officerA.token, body: { kind: "done", text: "Đã hoàn thành rà soát, có 2 hộ phát sinh." } });
    expect(done.body).toMatchObject({ status: "done", completedOn: today, standing: "done" });
    expect(done.body.reports.map((report) => report.kind)).toEqual(["progress", "done"]);
    expect(done.body.attachments.map((file) => file.originalName)).toEqual(["bao-cao.pdf"]);
    const again = await http(server.url, "POST", `/directive-tasks/${taskA.id}/reports`, { token: people.officerA.token, body: { kind: "done", text: "Báo cáo lại lần nữa" } });
    expect(again.status).toBe(409);
    // The province reads the commune's report and its file.
    const file = await fetch(`${server.url}/api/directive-tasks/${taskA.id}/attachments/${done.body.attachments[0]!.id}`, { headers: { authorization: `Bearer ${people.chair.token}` } });
    expect(file.status).toBe(200);
  });

  it("the province's matrix shows each unit × directive; a commune sees only its own row", async () => {
    const matrix = await get<DirectiveMatrix>(people.chair, `/directives/matrix?meetingId=${meetingId}`);
    expect(matrix.status).toBe(200);
    const cell = (directive: string, unit: string) => matrix.body.cells.find((item) => item.directiveId === directive && item.unitId === unit)?.standing;
    expect(cell(allCommunes.id, units.communeA.id)).toBe("done");
    expect(cell(allCommunes.id, units.communeB.id)).toBe("open");
    expect(cell(onlyB.id, units.communeB.id)).toBe("open");
    expect(cell(onlyB.id, units.communeA.id)).toBeUndefined();
    expect(matrix.body.totals).toEqual({ done: 1, late: 0, overdue: 0, open: 2 });
    const forB = await get<DirectiveMatrix>(people.officerB, "/directives/matrix");
    expect(new Set(forB.body.cells.map((item) => item.unitId))).toEqual(new Set([units.communeB.id]));
    expect((await get(people.siteA, "/directives/matrix")).status).toBe(403);
  });

  it("reminders are due three working days before, on the day and after it while a task stays open", async () => {
    const due = allCommunes.dueDate as LocalDate;
    const tasks = server.directives.tasks;
    const forDirective = async (day: LocalDate) => (await tasks.dueReminders(day)).filter((reminder) => reminder.directiveId === allCommunes.id);
    // The working day with three working days left (exact dates: test/unit/directives.test.ts).
    const calendar = WorkingCalendar.fromStored(await server.db.holiday.findMany({ select: { date: true, kind: true } }));
    let d3 = addDays(due, -3);
    while (!(calendar.isWorkingDay(d3) && calendar.workingDaysIn(d3, due) === 3)) d3 = addDays(d3, -1);
    expect((await forDirective(addDays(d3, -1))).length).toBe(0);
    // Commune A is done: only B is reminded.
    expect((await forDirective(d3)).map((reminder) => [reminder.kind, reminder.unitName])).toEqual([["d3", "Phường Bắc Sơn"]]);
    expect((await forDirective(due)).map((reminder) => reminder.kind)).toEqual(["dDay"]);
    expect((await forDirective(addDays(due, 2))).map((reminder) => reminder.kind)).toEqual(["overdue"]);
  });

  it("the conclusion notice reads back with the national header, number, place, conclusions, directives, recipients, signer and the attendance annex", async () => {
    expect((await http(server.url, "PATCH", `/meetings/${meetingId}/minutes`, { token: people.officerA.token, body: { noticeNumber: "1/TB-X" } })).status).toBe(403);
    const saved = await http<MeetingMinutes>(server.url, "PATCH", `/meetings/${meetingId}/minutes`, {
      token: people.secretary.token,
      body: { noticeNumber: "15/TB-UBND", place: "Thử Nghiệm", signerName: "Nguyễn Văn Chủ", signerTitle: "Phó Chủ tịch" },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ noticeNumber: "15/TB-UBND", mayEdit: true, conclusions: [{ seq: 1 }] });
    // The annex lists who attended: the stays are written in the background.
    await server.attendance.flush();
    const response = await fetch(`${server.url}/api/meetings/${meetingId}/conclusion-notice`, { headers: { authorization: `Bearer ${people.chair.token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/pdf");
    const text = pdfText(Buffer.from(await response.arrayBuffer()));
    for (const expected of [
      "UBND TỈNH THỬ NGHIỆM",
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc",
      "Số: 15/TB-UBND",
      `Thử Nghiệm, ngày ${today.slice(8, 10)} tháng ${today.slice(5, 7)} năm ${today.slice(0, 4)}`,
      "THÔNG BÁO",
      "Tập trung hoàn thành chỉ tiêu thu ngân sách năm 2026.",
      "Rà soát, báo cáo số hộ nghèo phát sinh trong năm.",
      `Thời hạn: ${allCommunes.dueDate.split("-").reverse().join("/")}`,
      "Nơi nhận:",
      "- Xã An Bình;",
      "- Phường Bắc Sơn;",
      "PHÓ CHỦ TỊCH",
      "PHỤ LỤC",
      "DANH SÁCH ĐIỂM CẦU THAM DỰ",
      "Trần Thị Thư",
    ]) {
      expect(text, expected).toContain(expected);
    }
    // A site account reads no record, so no notice either.
    expect((await fetch(`${server.url}/api/meetings/${meetingId}/conclusion-notice`, { headers: { authorization: `Bearer ${people.siteA.token}` } })).status).toBe(403);
  });

  it("on later days the matrix shows overdue and late, and the next briefing of the chair opens with what is still open", async () => {
    const later = new Date(`${addDays(onlyB.dueDate as LocalDate, 1)}T05:00:00Z`);
    const onLaterDay = new DirectiveTasks(server.db, server.dataDir, new DirectiveEvents(), () => later);
    const before = await onLaterDay.matrix(people.chair.actor, { meetingId });
    expect(before.totals).toEqual({ done: 1, late: 0, overdue: 2, open: 0 });
    const taskB = (await onLaterDay.mine(people.officerB.actor, "open")).find((task) => task.directive.id === allCommunes.id)!;
    expect(taskB).toMatchObject({ standing: "overdue", reminder: "overdue" });
    await onLaterDay.report(people.officerB.actor, taskB.id, { kind: "done", text: "Hoàn thành muộn do thiếu số liệu." }, { ip: "127.0.0.1" });
    const after = await onLaterDay.matrix(people.chair.actor, { meetingId });
    expect(after.cells.find((item) => item.taskId === taskB.id)?.standing).toBe("late");
    expect(after.totals).toEqual({ done: 1, late: 1, overdue: 1, open: 0 });

    const next = await server.db.meeting.create({
      data: { roomId: "giao-ban-thang-sau", title: "Giao ban tháng 1", status: "scheduled", hostUnitId: units.province.id, chairUserId: people.chair.actor.id, scheduledStart: new Date(Date.now() + 30 * 86_400_000), sites: { create: [{ unitId: units.communeA.id }] } },
    });
    const carried = await get<CarriedOver>(people.chair, `/meetings/${next.id}/carried-over`);
    expect(carried.status).toBe(200);
    expect(carried.body.previous?.id).toBe(meetingId);
    // The all-communes directive is done everywhere now; only Bắc Sơn's own one is still open.
    expect(carried.body.directives.map((directive) => directive.id)).toEqual([onlyB.id]);
  });

  it("carries over only a previous briefing the reader may read (review finding: another meeting's directives leaked)", async () => {
    // The same chair's earlier briefing, hosted by and for commune A only, with a directive still open.
    const earlier = await server.db.meeting.create({
      data: { roomId: "giao-ban-rieng-an-binh", title: "Giao ban riêng An Bình", status: "ended", hostUnitId: units.communeA.id, chairUserId: people.chair.actor.id, scheduledStart: new Date(Date.now() + 40 * 86_400_000), sites: { create: [{ unitId: units.communeA.id }] } },
    });
    await server.db.directive.create({
      data: {
        meetingId: earlier.id, seq: 1, text: "Nội dung chỉ đạo riêng của An Bình", expectedReport: "Báo cáo", issuerUnitId: units.communeA.id, addressedTo: JSON.stringify({ allCommunes: false, unitIds: [units.communeA.id] }),
        dueKind: "date", issuedOn: "2027-01-10", dueDate: "2027-01-20", createdById: people.chair.actor.id, tasks: { create: [{ unitId: units.communeA.id, dueDate: "2027-01-20" }] },
      },
    });
    // The chair's next briefing, hosted by the province, invites commune B.
    const later = await server.db.meeting.create({
      data: { roomId: "giao-ban-sau-rieng", title: "Giao ban có Bắc Sơn", status: "scheduled", hostUnitId: units.province.id, chairUserId: people.chair.actor.id, scheduledStart: new Date(Date.now() + 50 * 86_400_000), sites: { create: [{ unitId: units.communeB.id }] } },
    });
    expect((await get(people.officerB, `/meetings/${earlier.id}`)).status).toBe(403);
    const seenByB = await get<CarriedOver>(people.officerB, `/meetings/${later.id}/carried-over`);
    expect(seenByB.status).toBe(200);
    expect(seenByB.body).toEqual({ previous: null, directives: [] });
    expect(JSON.stringify(seenByB.body)).not.toContain("riêng của An Bình");
    // The chair, who reads both, still gets it.
    expect((await get<CarriedOver>(people.chair, `/meetings/${later.id}/carried-over`)).body.previous?.id).toBe(earlier.id);
  });
});
