import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaseService } from "../../signaling/services/cases/cases";
import { ReceptionService } from "../../signaling/services/reception/reception";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import type { BookingReceipt, EntryDto, SessionDto, SlotDto } from "../../signaling/protocol";
import { buildUnit, staffAccounts, testCitizenSecrets } from "../helpers/factories";
import { pdfText, xlsxText } from "../helpers/documents";
import { http } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

/** Sessions, the reception book (sổ tiếp công dân), its exports, the denouncer rule and the figures. */

let server: TestServer;
let reception: ReceptionService;
let province: { id: string; path: string };
let commune: { id: string; path: string };
const tokens = {} as Record<Key, string>;
const ids = {} as Record<Key, string>;
type Key = "officer" | "communeLeader" | "provinceLeader" | "provinceOfficer" | "otherOfficer" | "viewer" | "inspector";

const PROTECTED = "Người tố cáo (được bảo mật)";
const DENOUNCER = { fullName: "Trần Thị Tố Giác", address: "Thôn Bắc, xã Thử", cccd: "001099012345", phone: "0912345678" };

async function entry(token: string, body: Record<string, unknown>) {
  const result = await http<EntryDto & { error?: { code: string } }>(server.url, "POST", "/reception/book", {
    token,
    body: {
      unitId: commune.id,
      receivedAt: "2026-03-10T09:00:00+07:00",
      kind: "regular",
      peopleCount: 1,
      content: "Công dân đề nghị hướng dẫn thủ tục cấp giấy chứng nhận quyền sử dụng đất.",
      dossier: "Bản sao CCCD",
      handling: "huong_dan",
      citizens: [{ fullName: "Phạm Văn Hỏi", address: "Thôn Nam, xã Thử" }],
      ...body,
    },
  });
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  return result.body;
}

async function download(token: string, query: string) {
  const response = await fetch(`${server.url}/api/reception/book-export?${query}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, type: response.headers.get("content-type") ?? "", disposition: response.headers.get("content-disposition") ?? "", data: Buffer.from(await response.arrayBuffer()) };
}

const identityReads = (entryId: string, actorId: string) =>
  server.db.auditLog.count({ where: { action: "reception.identity.read", subjectType: "receptionBookEntry", subjectId: entryId, actorId } });

beforeAll(async () => {
  server = await startTestServer();
  reception = new ReceptionService(server.db, { cases: new CaseService(server.db, testCitizenSecrets), secrets: testCitizenSecrets, dataDir: server.dataDir });
  province = await buildUnit(server.db, { name: "UBND tỉnh Thử" });
  commune = await buildUnit(server.db, { parent: province, name: "UBND xã Thử", kind: "commune" });
  const other = await buildUnit(server.db, { parent: province, name: "UBND xã Bên Cạnh", kind: "commune" });
  await staffAccounts(
    server.db,
    DEMO_JWT_SECRET,
    [
      ["officer", commune, "officer", "Lê Văn Cán"],
      ["communeLeader", commune, "leader", "Đỗ Chủ Tịch"],
      ["provinceLeader", province, "leader", "Hoàng Tỉnh Trưởng"],
      ["provinceOfficer", province, "officer", "Vũ Cán Bộ Tỉnh"],
      ["otherOfficer", other, "officer", "Ngô Xã Khác"],
      ["viewer", commune, "viewer", "Người Xem"],
      ["inspector", province, "inspector", "Thanh Tra Viên"],
    ],
    { tokens, ids },
  );
});

afterAll(async () => {
  await server?.close();
});

describe("reception book", () => {
  it("records a group visit with every citizen, and only staff in scope read it", async () => {
    const group = await entry(tokens.officer, {
      peopleCount: 6,
      kind: "regular",
      handling: "tiep_nhan_don",
      citizens: [
        { fullName: "Nguyễn Văn Một", address: "Thôn Một" },
        { fullName: "Nguyễn Văn Hai", address: "Thôn Hai", cccd: "001087000002", phone: "+84912000002" },
      ],
    });
    expect(group).toMatchObject({ receivingOfficerName: "Lê Văn Cán", peopleCount: 6, identityProtected: false, citizens: [{ fullName: "Nguyễn Văn Một" }, { fullName: "Nguyễn Văn Hai", phone: "0912000002" }] });
    expect((await http(server.url, "GET", `/reception/book/${group.id}`, { token: tokens.provinceOfficer })).status).toBe(200);
    for (const key of ["otherOfficer", "viewer", "inspector"] as const) {
      expect((await http(server.url, "GET", `/reception/book/${group.id}`, { token: tokens[key] })).status, key).toBe(403);
    }
  });

  it("refuses fewer people than the citizens listed, and a periodic visit without a leader, saving nothing", async () => {
    const before = await server.db.receptionBookEntry.count();
    const twoCitizens = [{ fullName: "Người Một", address: "Thôn Một" }, { fullName: "Người Hai", address: "Thôn Hai" }];
    const cases: [Record<string, unknown>, string][] = [
      [{ peopleCount: 1, citizens: twoCitizens }, "peopleCount"],
      [{ kind: "periodic" }, "leaderUserId"],
      [{ citizens: [{ fullName: "Người Ba", address: "Thôn Ba", cccd: "123" }] }, "citizens.0.cccd"],
    ];
    for (const [body, path] of cases) {
      const result = await http<{ error: { code: string; details: { path: string }[] } }>(server.url, "POST", "/reception/book", {
        token: tokens.officer,
        body: { unitId: commune.id, receivedAt: "2026-03-10T09:00:00+07:00", kind: "regular", peopleCount: 1, content: "Nội dung đủ dài.", handling: "khac", citizens: [{ fullName: "Người Một", address: "Thôn Một" }], ...body },
      });
      expect(result.status, JSON.stringify(body)).toBe(400);
      expect(result.body.error.details.map((detail) => detail.path)).toContain(path);
    }
    expect(await server.db.receptionBookEntry.count()).toBe(before);
  });

  it("takes corrections until the citizen confirms, then neither edits nor a second confirmation", async () => {
    const visit = await entry(tokens.officer, {});
    const corrected = await http<EntryDto>(server.url, "PATCH", `/reception/book/${visit.id}`, { token: tokens.officer, body: { dossier: "Bản sao CCCD, đơn đề nghị" } });
    expect(corrected.body.dossier).toBe("Bản sao CCCD, đơn đề nghị");
    const confirmed = await http<EntryDto>(server.url, "POST", `/reception/book/${visit.id}/confirm`, { token: tokens.officer, body: { method: "office_screen" } });
    expect(confirmed.body).toMatchObject({ confirmationMethod: "office_screen", citizenConfirmedAt: expect.any(String) });
    expect(await http(server.url, "POST", `/reception/book/${visit.id}/confirm`, { token: tokens.officer, body: { method: "office_screen" } })).toMatchObject({ status: 409, body: { error: { code: "ENTRY_CONFIRMED" } } });
    expect(await http(server.url, "PATCH", `/reception/book/${visit.id}`, { token: tokens.officer, body: { content: "Sửa sau khi xác nhận." } })).toMatchObject({ status: 409, body: { error: { code: "ENTRY_CONFIRMED" } } });
  });

  it("takes the citizen's own confirmation from the live session (confirmEntry)", async () => {
    const visit = await entry(tokens.officer, {});
    const at = new Date("2026-03-10T02:30:00Z");
    const row = await reception.entries.confirm(visit.id, at);
    expect(row).toMatchObject({ citizenConfirmedAt: at, confirmationMethod: "online_session" });
    await expect(reception.entries.confirm(visit.id, at)).rejects.toMatchObject({ code: "ENTRY_CONFIRMED" });
    await expect(reception.entries.confirm("no-such-entry", at)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("lets the leader issue the conclusion notice once, as a PDF; officers may not conclude", async () => {
    const visit = await entry(tokens.communeLeader, { kind: "periodic", citizens: [{ fullName: "Bùi Thị Gặp", address: "Thôn Tây" }] });
    expect(visit.leaderName).toBe("Đỗ Chủ Tịch");
    const conclusion = { conclusion: "Giao Phòng Kinh tế kiểm tra, trả lời công dân trong 15 ngày." };
    expect((await http(server.url, "POST", `/reception/book/${visit.id}/conclusion`, { token: tokens.officer, body: conclusion })).status).toBe(403);
    const concluded = await http<EntryDto>(server.url, "POST", `/reception/book/${visit.id}/conclusion`, { token: tokens.communeLeader, body: conclusion });
    expect(concluded.body).toMatchObject({ conclusion: conclusion.conclusion, conclusionIssuedAt: expect.any(String) });
    expect((await http(server.url, "POST", `/reception/book/${visit.id}/conclusion`, { token: tokens.communeLeader, body: conclusion })).status).toBe(409);
    const response = await fetch(`${server.url}/api/reception/book/${visit.id}/conclusion`, { headers: { authorization: `Bearer ${tokens.officer}` } });
    expect(response.headers.get("content-type")).toContain("application/pdf");
    const text = pdfText(Buffer.from(await response.arrayBuffer())).replace(/\s+/g, " ");
    expect(text).toContain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    expect(text).toContain("THÔNG BÁO");
    expect(text).toContain("Bùi Thị Gặp");
    expect(text).toContain("trả lời công dân trong 15 ngày");
    expect(text).toContain("Đỗ Chủ Tịch");
  });
});

describe("book exports", () => {
  let denunciation: EntryDto;

  beforeAll(async () => {
    await entry(tokens.officer, { receivedAt: "2026-04-02T08:15:00+07:00", citizens: [{ fullName: "Đinh Văn Xuất", address: "Thôn Giữa" }] });
    denunciation = await entry(tokens.officer, {
      receivedAt: "2026-04-03T10:00:00+07:00",
      petitionKind: "denunciation",
      handling: "tiep_nhan_don",
      content: "Tố cáo cán bộ địa chính nhận tiền khi làm thủ tục.",
      citizens: [DENOUNCER],
    });
  });

  it("PDF: the national-motto header and the visit with its citizen and receiving officer", async () => {
    const file = await download(tokens.officer, `unitId=${commune.id}&from=2026-04-01&to=2026-04-30&format=pdf`);
    expect(file.status).toBe(200);
    expect(file.type).toContain("application/pdf");
    expect(file.disposition).toContain("so-tiep-cong-dan-2026-04-01-2026-04-30.pdf");
    const text = pdfText(file.data).replace(/\s+/g, " ");
    expect(text).toContain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    expect(text).toContain("SỔ TIẾP CÔNG DÂN");
    expect(text).toContain("Từ ngày 01/04/2026 đến ngày 30/04/2026");
    expect(text).toContain("Đinh Văn Xuất");
    expect(text).toContain("Lê Văn Cán");
    expect(text).toContain("02/04/2026");
  });

  it("a denunciation: no officer's export names the denouncer, not even the receiving officer's (lists and exports are the leaders')", async () => {
    const own = pdfText((await download(tokens.officer, `unitId=${commune.id}&from=2026-04-01&to=2026-04-30&format=pdf`)).data);
    expect(own).not.toContain(DENOUNCER.fullName);
    expect(own.replace(/\s+/g, " ")).toContain(PROTECTED);

    const before = await server.db.auditLog.count({ where: { action: "reception.identity.read", actorId: ids.provinceOfficer } });
    const theirs = pdfText((await download(tokens.provinceOfficer, `unitId=${commune.id}&from=2026-04-01&to=2026-04-30&format=pdf`)).data);
    expect(theirs).not.toContain(DENOUNCER.fullName);
    expect(theirs).not.toContain(DENOUNCER.address);
    expect(theirs.replace(/\s+/g, " ")).toContain(PROTECTED);
    expect(theirs).toContain("Đinh Văn Xuất");
    expect(await server.db.auditLog.count({ where: { action: "reception.identity.read", actorId: ids.provinceOfficer } })).toBe(before);

    const xlsx = await xlsxText((await download(tokens.provinceOfficer, `unitId=${commune.id}&from=2026-04-01&to=2026-04-30&format=xlsx`)).data);
    expect(xlsx).not.toContain(DENOUNCER.fullName);
    expect(xlsx).toContain(PROTECTED);
    const read = await http<EntryDto>(server.url, "GET", `/reception/book/${denunciation.id}`, { token: tokens.provinceOfficer });
    expect(read.body).toMatchObject({ identityProtected: true, citizens: [{ fullName: PROTECTED, address: null, cccd: null, phone: null }] });
    const list = await http<{ items: EntryDto[] }>(server.url, "GET", `/reception/book?unitId=${commune.id}&from=2026-04-01&to=2026-04-30`, { token: tokens.provinceOfficer });
    expect(JSON.stringify(list.body)).not.toContain(DENOUNCER.fullName);
  });

  it("a denunciation: the leader over the unit reads the identity, and each read is audited", async () => {
    const before = await identityReads(denunciation.id, ids.provinceLeader);
    const read = await http<EntryDto>(server.url, "GET", `/reception/book/${denunciation.id}`, { token: tokens.provinceLeader });
    expect(read.body).toMatchObject({ identityProtected: false, citizens: [{ fullName: DENOUNCER.fullName, cccd: DENOUNCER.cccd }] });
    expect(await identityReads(denunciation.id, ids.provinceLeader)).toBe(before + 1);
    const text = pdfText((await download(tokens.provinceLeader, `unitId=${commune.id}&from=2026-04-01&to=2026-04-30&format=pdf`)).data);
    expect(text).toContain(DENOUNCER.fullName);
    expect(await identityReads(denunciation.id, ids.provinceLeader)).toBe(before + 2);
    const audit = await server.db.auditLog.findFirstOrThrow({ where: { action: "reception.identity.read", actorId: ids.provinceLeader }, orderBy: { at: "desc" } });
    expect(audit.detail ?? "").not.toContain(DENOUNCER.cccd);
  });

  it("XLSX read back: headings, one row per visit, citizens, people and officer", async () => {
    const file = await download(tokens.communeLeader, `unitId=${commune.id}&from=2026-04-01&to=2026-04-30&format=xlsx`);
    expect(file.type).toContain("spreadsheetml");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.data.buffer.slice(file.data.byteOffset, file.data.byteOffset + file.data.byteLength) as ArrayBuffer);
    const sheet = workbook.getWorksheet("Sổ tiếp công dân");
    expect(sheet).toBeDefined();
    const rows: unknown[][] = [];
    sheet!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows[1]?.[0]).toBe("SỔ TIẾP CÔNG DÂN");
    const headings = rows.find((row) => row[0] === "STT");
    expect(headings).toEqual(["STT", "Ngày tiếp", "Họ tên, địa chỉ công dân", "Số người", "Nội dung", "Hồ sơ, tài liệu", "Cán bộ tiếp", "Hướng xử lý", "Công dân xác nhận"]);
    const visits = rows.filter((row) => typeof row[0] === "number");
    expect(visits).toHaveLength(2);
    expect(visits[0]).toEqual([1, "08:15 02/04/2026", "Đinh Văn Xuất — Thôn Giữa", 1, expect.stringContaining("hướng dẫn thủ tục"), "Bản sao CCCD", "Lê Văn Cán", "Hướng dẫn", "Chưa xác nhận"]);
    expect(visits[1]?.[2]).toBe(`${DENOUNCER.fullName} — ${DENOUNCER.address}`);
    expect(visits[1]?.[7]).toBe("Tiếp nhận đơn");
  });

  it("refuses readers outside the unit and bad periods", async () => {
    expect((await download(tokens.otherOfficer, `unitId=${commune.id}&from=2026-04-01&to=2026-04-30&format=pdf`)).status).toBe(403);
    expect((await download(tokens.viewer, `unitId=${commune.id}&from=2026-04-01&to=2026-04-30&format=pdf`)).status).toBe(403);
    expect((await download(tokens.officer, `unitId=${commune.id}&from=2026-04-30&to=2026-04-01&format=pdf`)).status).toBe(400);
    expect((await download(tokens.officer, `unitId=${commune.id}&from=2026-04-01&to=2026-04-30&format=doc`)).status).toBe(400);
  });
});

describe("reception statistics", () => {
  it("count visits, people and group visits by kind and by unit for a period", async () => {
    // May 2026: a regular visit of 1, a periodic group of 7, an ad-hoc visit of 2 in the commune; 1 at the province.
    await entry(tokens.officer, { receivedAt: "2026-05-04T08:00:00+07:00" });
    await entry(tokens.communeLeader, { receivedAt: "2026-05-06T14:00:00+07:00", kind: "periodic", peopleCount: 7 });
    await entry(tokens.communeLeader, { receivedAt: "2026-05-07T15:00:00+07:00", kind: "adhoc", peopleCount: 2 });
    await entry(tokens.provinceOfficer, { unitId: province.id, receivedAt: "2026-05-08T09:00:00+07:00" });
    // Outside the period: the last day of May ends at midnight Vietnam time.
    await entry(tokens.officer, { receivedAt: "2026-06-01T00:30:00+07:00" });
    const stats = await http<Record<string, unknown>>(server.url, "GET", "/reception/stats?from=2026-05-01&to=2026-05-31", { token: tokens.provinceLeader });
    expect(stats.body).toMatchObject({
      visits: 4,
      people: 11,
      groupVisits: 1,
      byKind: { regular: 2, periodic: 1, adhoc: 1 },
      byUnit: [
        { unitId: province.id, visits: 1, people: 1, groupVisits: 0 },
        { unitId: commune.id, visits: 3, people: 10, groupVisits: 1 },
      ],
    });
    const communeView = await http<{ visits: number; byUnit: unknown[] }>(server.url, "GET", "/reception/stats?from=2026-05-01&to=2026-05-31", { token: tokens.officer });
    expect(communeView.body.visits).toBe(3);
    expect((await http(server.url, "GET", "/reception/stats?from=2026-05-01&to=2026-05-31", { token: tokens.inspector })).status).toBe(200);
    expect((await http(server.url, "GET", "/reception/stats?from=2026-05-01&to=2026-05-31", { token: tokens.viewer })).status).toBe(403);
  });
});

describe("sessions", () => {
  let slot: SlotDto;

  async function bookSlot(petitionKind = "complaint") {
    const response = await fetch(`${server.url}/api/public/reception/bookings`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": `10.30.0.${Math.floor(Math.random() * 250)}` },
      body: JSON.stringify({ slotId: slot.id, fullName: "Cao Văn Hẹn", cccd: "001087054321", phone: `09${Math.floor(10_000_000 + Math.random() * 89_999_999)}`, address: "Thôn Hẹn, xã Thử", petitionKind, content: "Khiếu nại việc thu hồi đất không bồi thường thỏa đáng.", consent: true }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as BookingReceipt;
  }

  beforeAll(async () => {
    const schedule = await http<{ id: string }>(server.url, "POST", "/reception/schedules", {
      token: tokens.officer,
      body: { unitId: commune.id, title: "Tiếp trực tuyến", kind: "regular", rule: null, startTime: "08:00", endTime: "09:00", slotMinutes: 60, capacityPerSlot: 10 },
    });
    expect(schedule.status).toBe(400); // a regular desk needs a recurrence
    const desk = await http<{ id: string }>(server.url, "POST", "/reception/schedules", {
      token: tokens.officer,
      body: { unitId: commune.id, title: "Tiếp trực tuyến", kind: "regular", rule: "daily", startTime: "08:00", endTime: "09:00", slotMinutes: 60, capacityPerSlot: 10 },
    });
    await http(server.url, "POST", `/reception/schedules/${desk.body.id}/slots`, { token: tokens.officer, body: { from: "2030-03-04", to: "2030-03-04" } });
    slot = (await http<{ items: SlotDto[] }>(server.url, "GET", `/reception/slots?unitId=${commune.id}&from=2030-03-04&to=2030-03-04`, { token: tokens.officer })).body.items[0]!;
  });

  it("opens a direct session for a booking with a reception room, and only once per booking", async () => {
    const receipt = await bookSlot();
    const opened = await http<SessionDto>(server.url, "POST", "/reception/sessions", { token: tokens.officer, body: { unitId: commune.id, shape: "direct", kind: "regular", bookingId: receipt.bookingId } });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body).toMatchObject({ shape: "direct", status: "open", bookingCode: receipt.code, hostUserId: ids.officer, petitionKind: "complaint" });
    expect(opened.body.roomId).toMatch(/^tiep-dan-[0-9a-f]{16}$/);
    expect((await http(server.url, "POST", "/reception/sessions", { token: tokens.officer, body: { unitId: commune.id, shape: "direct", kind: "regular", bookingId: receipt.bookingId } })).status).toBe(409);
    expect(await reception.sessions.findByRoom(opened.body.roomId)).toMatchObject({ id: opened.body.id });
  });

  it("leaves periodic and ad-hoc sessions to the leader, and refuses a direct session without a booking", async () => {
    expect((await http(server.url, "POST", "/reception/sessions", { token: tokens.officer, body: { unitId: commune.id, shape: "office", kind: "periodic", units: [{ unitId: commune.id, role: "office" }] } })).status).toBe(403);
    const office = await http<SessionDto>(server.url, "POST", "/reception/sessions", {
      token: tokens.communeLeader,
      body: { unitId: commune.id, shape: "office", kind: "periodic", units: [{ unitId: province.id, role: "agency" }, { unitId: commune.id, role: "office" }] },
    });
    expect(office.status).toBe(201);
    expect(office.body.units).toEqual([
      { unitId: province.id, name: "UBND tỉnh Thử", role: "agency" },
      { unitId: commune.id, name: "UBND xã Thử", role: "office" },
    ]);
    expect((await http(server.url, "POST", "/reception/sessions", { token: tokens.officer, body: { unitId: commune.id, shape: "direct", kind: "regular" } })).status).toBe(400);
  });

  it("records consent, links a recording only with it, and never for a denunciation", async () => {
    const receipt = await bookSlot();
    const session = await reception.sessions.open({ id: ids.officer, roles: ["officer"], unitId: commune.id, unitPath: commune.path }, { unitId: commune.id, shape: "direct", kind: "regular", bookingId: receipt.bookingId, units: [] }, { ip: "127.0.0.1" });
    const meeting = await server.db.meeting.create({ data: { roomId: session.roomId, title: "Tiếp công dân" } });
    const recording = await server.db.recording.create({ data: { meetingId: meeting.id } });
    await expect(reception.sessions.linkRecording(session.id, recording.id)).rejects.toMatchObject({ code: "CONSENT_REQUIRED" });
    const at = new Date();
    expect(await reception.sessions.recordConsent(session.id, true, at)).toMatchObject({ consentGiven: true, consentAt: at.toISOString() });
    expect(await reception.sessions.recordingRefusal(session.id)).toBeNull();
    expect(await reception.sessions.linkRecording(session.id, recording.id)).toMatchObject({ recordingId: recording.id });
    await expect(reception.sessions.linkRecording(session.id, "no-such-recording")).rejects.toMatchObject({ code: "NOT_FOUND" });

    const secret = await bookSlot("denunciation");
    const protectedSession = await reception.sessions.open({ id: ids.officer, roles: ["officer"], unitId: commune.id, unitPath: commune.path }, { unitId: commune.id, shape: "direct", kind: "regular", bookingId: secret.bookingId, units: [] }, { ip: "127.0.0.1" });
    await reception.sessions.recordConsent(protectedSession.id, true, at);
    await expect(reception.sessions.linkRecording(protectedSession.id, recording.id)).rejects.toMatchObject({ code: "RECORDING_NOT_ALLOWED" });

    // An office session has no booking: a denunciation written in its book entry counts the same.
    const office = (
      await http<SessionDto>(server.url, "POST", "/reception/sessions", { token: tokens.officer, body: { unitId: commune.id, shape: "office", kind: "regular", units: [{ unitId: commune.id, role: "office" }] } })
    ).body;
    await reception.sessions.recordConsent(office.id, true, at, "recommendation");
    expect(await reception.sessions.recordingRefusal(office.id)).toBeNull();
    await entry(tokens.officer, { sessionId: office.id, petitionKind: "denunciation", citizens: [DENOUNCER] });
    expect(await reception.sessions.recordingRefusal(office.id)).toBe("RECORDING_NOT_ALLOWED");
  });

  it("files a case from the session through the case intake, prefilled from the booking; the citizen can look it up", async () => {
    const receipt = await bookSlot();
    const session = (await http<SessionDto>(server.url, "POST", "/reception/sessions", { token: tokens.officer, body: { unitId: commune.id, shape: "direct", kind: "regular", bookingId: receipt.bookingId } })).body;
    const filed = await http<{ caseId: string; code: string; lookupSecret: string }>(server.url, "POST", `/reception/sessions/${session.id}/case`, { token: tokens.officer, body: { summary: "Khiếu nại thu hồi đất" } });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    const stored = await server.db.case.findUniqueOrThrow({ where: { id: filed.body.caseId }, include: { parties: true } });
    expect(stored).toMatchObject({ channel: "reception", kind: "complaint", unitId: commune.id, summary: "Khiếu nại thu hồi đất" });
    expect(stored.parties).toEqual([expect.objectContaining({ role: "petitioner", name: "Cao Văn Hẹn", idNumber: "001087054321", address: "Thôn Hẹn, xã Thử" })]);
    expect((await http<SessionDto>(server.url, "GET", `/reception/sessions/${session.id}`, { token: tokens.officer })).body.caseId).toBe(filed.body.caseId);
    const lookup = await http<{ state: string }>(server.url, "POST", "/public/lookup", { body: { code: filed.body.code, secret: filed.body.lookupSecret } });
    expect(lookup.body.state).toBe("received");
    expect((await http(server.url, "POST", `/reception/sessions/${session.id}/case`, { token: tokens.officer, body: { summary: "Lần hai" } })).status).toBe(409);
  });

  it("a case filed from a session that was about a denunciation stays protected whatever kind the officer picks (review finding)", async () => {
    const officeSession = async () =>
      (await http<SessionDto>(server.url, "POST", "/reception/sessions", { token: tokens.officer, body: { unitId: commune.id, shape: "office", kind: "regular", units: [{ unitId: commune.id, role: "office" }] } })).body;
    // (a) The officer declared a denunciation with the consent; the book entry was then written as a complaint.
    const declared = await officeSession();
    await reception.sessions.recordConsent(declared.id, true, new Date(), "denunciation");
    await entry(tokens.officer, { sessionId: declared.id, petitionKind: "complaint", citizens: [DENOUNCER] });
    // (b) The entry was written as a denunciation, then corrected to a complaint.
    const corrected = await officeSession();
    const visit = await entry(tokens.officer, { sessionId: corrected.id, petitionKind: "denunciation", citizens: [DENOUNCER] });
    expect((await http(server.url, "PATCH", `/reception/book/${visit.id}`, { token: tokens.officer, body: { petitionKind: "complaint" } })).status).toBe(200);

    for (const session of [declared, corrected]) {
      const filed = await http<{ caseId: string }>(server.url, "POST", `/reception/sessions/${session.id}/case`, { token: tokens.officer, body: { summary: "Kiến nghị sau buổi tiếp", kind: "complaint" } });
      expect(filed.status, JSON.stringify(filed.body)).toBe(201);
      expect(await server.db.case.findUniqueOrThrow({ where: { id: filed.body.caseId }, select: { kind: true, wasDenunciation: true } })).toEqual({ kind: "complaint", wasDenunciation: true });
      // An officer of the unit above reads the case without the denouncer.
      const page = await http<{ parties: { name: string | null }[] }>(server.url, "GET", `/cases/${filed.body.caseId}`, { token: tokens.provinceOfficer });
      expect(page.status).toBe(200);
      expect(JSON.stringify(page.body)).not.toContain(DENOUNCER.fullName);
      expect(JSON.stringify(page.body)).not.toContain(DENOUNCER.cccd);
    }
  });

  it("ends once: the admitted citizen counts as received; ending again changes nothing", async () => {
    const receipt = await bookSlot();
    const session = (await http<SessionDto>(server.url, "POST", "/reception/sessions", { token: tokens.officer, body: { unitId: commune.id, shape: "direct", kind: "regular", bookingId: receipt.bookingId } })).body;
    await reception.sessions.markLive(session.id, new Date());
    expect(await reception.bookings.mark(receipt.bookingId, "admitted")).toMatchObject({ status: "admitted" });
    const ended = await http<SessionDto>(server.url, "POST", `/reception/sessions/${session.id}/end`, { token: tokens.officer });
    expect(ended.body).toMatchObject({ status: "ended", endedAt: expect.any(String), startedAt: expect.any(String) });
    expect((await server.db.booking.findUniqueOrThrow({ where: { id: receipt.bookingId } })).status).toBe("received");
    const again = await http<SessionDto>(server.url, "POST", `/reception/sessions/${session.id}/end`, { token: tokens.officer });
    expect(again.body.endedAt).toBe(ended.body.endedAt);
    await expect(reception.sessions.recordConsent(session.id, true, new Date())).rejects.toMatchObject({ code: "SESSION_ENDED" });
    const listed = await http<{ items: SessionDto[] }>(server.url, "GET", `/reception/sessions?unitId=${commune.id}&status=ended`, { token: tokens.officer });
    expect(listed.body.items.map((item) => item.id)).toContain(session.id);
  });

  it("shows a denouncer's booking to the leaders over the unit and the desk officer handling it only (audited)", async () => {
    const receipt = await bookSlot("denunciation");
    await http(server.url, "POST", "/reception/sessions", { token: tokens.officer, body: { unitId: commune.id, shape: "direct", kind: "regular", bookingId: receipt.bookingId } });
    const asOfficer = await http<{ items: { id: string; fullName: string }[] }>(server.url, "GET", `/reception/slots/${slot.id}/bookings`, { token: tokens.officer });
    expect(asOfficer.body.items.find((item) => item.id === receipt.bookingId)?.fullName).toBe("Cao Văn Hẹn");
    const asProvinceOfficer = await http<{ items: { id: string; fullName: string; phone: string | null }[] }>(server.url, "GET", `/reception/slots/${slot.id}/bookings`, { token: tokens.provinceOfficer });
    expect(asProvinceOfficer.body.items.find((item) => item.id === receipt.bookingId)).toMatchObject({ fullName: PROTECTED, phone: null });
    expect(await server.db.auditLog.count({ where: { action: "reception.identity.read", subjectType: "booking", subjectId: receipt.bookingId, actorId: ids.officer } })).toBe(1);
  });
});
