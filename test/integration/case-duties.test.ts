import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import { eventHash } from "../../signaling/domain/cases/hashChain";
import { calendarSeeds } from "../../signaling/domain/deadlines";
import type { CaseDetail } from "../../signaling/protocol";
import { buildUnit, tokenFor } from "../helpers/factories";
import { http } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
let token: string;
let unitId: string;
/** A province with two communes: the denunciation is forwarded from A to B, round 2 goes up to the province. */
const tree = {} as Record<"province" | "communeA" | "communeB", { id: string; path: string; code: string }>;
const staff = {} as Record<"leaderA" | "officerB" | "provinceLeader", string>;

beforeAll(async () => {
  server = await startTestServer();
  await server.db.holiday.createMany({ data: calendarSeeds.map((day) => ({ date: day.date, name: day.name, kind: day.kind })) });
  const unit = await buildUnit(server.db, { name: "UBND xã Thời Hạn" });
  unitId = unit.id;
  token = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles: ["leader"] })).token;
  tree.province = await buildUnit(server.db, { name: "UBND tỉnh Hạn Định" });
  tree.communeA = await buildUnit(server.db, { parent: tree.province, name: "UBND xã Nhận Nhầm" });
  tree.communeB = await buildUnit(server.db, { parent: tree.province, name: "UBND xã Có Thẩm Quyền" });
  staff.leaderA = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: tree.communeA, roles: ["leader"] })).token;
  staff.officerB = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: tree.communeB, roles: ["officer"] })).token;
  staff.provinceLeader = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: tree.province, roles: ["leader"] })).token;
});

afterAll(async () => {
  await server?.close();
});

type Answer = CaseDetail & { error?: { code: string; details?: { path: string }[] } };
const act = (caseId: string, action: string, body: Record<string, unknown>, as = token) => http<Answer>(server.url, "POST", `/cases/${caseId}/actions/${action}`, { token: as, body });
const dutyDates = (detail: CaseDetail) => detail.duties.map((duty) => `${duty.ruleId} ${duty.due ?? "-"}`);
const denouncer = { role: "petitioner", name: "Ngô Văn Tố Giác", phone: "0912345678", address: "Xóm Bến Đò, xã Nhận Nhầm" };

async function file(as: string, unit: string, body: Record<string, unknown>) {
  const created = await http<{ case: CaseDetail }>(server.url, "POST", "/cases", {
    token: as,
    body: { unitId: unit, channel: "post", summary: "Đơn thư kiểm tra thời hạn", content: "Nội dung đơn thư đủ dài để kiểm tra các thời hạn luật định.", ...body },
  });
  expect(created.status).toBe(201);
  return created.body.case.id;
}

describe("a stored history the law now refuses (issue 13: the case page still opens)", () => {
  it("lists the broken duty with its refusal instead of failing, and later steps still apply", async () => {
    const created = await http<{ case: CaseDetail }>(server.url, "POST", "/cases", {
      token,
      body: {
        unitId,
        channel: "post",
        receivedDate: "2026-03-02",
        summary: "Tố cáo vi phạm trong quản lý đất đai",
        content: "Nội dung tố cáo chi tiết về vi phạm trong quản lý đất đai ở xã.",
        parties: [{ role: "petitioner", name: "Ngô Văn Tố" }],
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.case.id;
    await act(id, "classify", { kind: "denunciation", eligible: true, withinCompetence: true, complexity: "complex" });
    await act(id, "accept", { decisionNumber: "5/QĐ", decisionDate: "2026-03-05" });
    await act(id, "notify", { document: "acceptance", sentOn: "2026-03-06" });
    expect((await act(id, "startVerification", {})).body.state).toBe("verifying");

    // An extension recorded as granted on 1 May, after the 30 days ran out on Mon 6 Apr: what a calendar edit
    // or an older version could have left stored. Written with a valid link so only the law is broken.
    const last = await server.db.caseEvent.findFirstOrThrow({ where: { caseId: id }, orderBy: { sequence: "desc" } });
    const at = new Date("2026-05-01T02:00:00Z");
    const content = { caseId: id, sequence: last.sequence + 1, at: at.toISOString(), actorId: null, action: "extend", fromState: "verifying", toState: "verifying", reason: "Gia hạn", data: JSON.stringify({ days: 30, grantedOn: "2026-05-01" }) };
    await server.db.caseEvent.create({ data: { ...content, at, previousHash: last.hash, hash: eventHash(last.hash, content) } });

    const page = await http<CaseDetail>(server.url, "GET", `/cases/${id}`, { token });
    expect(page.status).toBe(200);
    expect(page.body.duties).toEqual([expect.objectContaining({ ruleId: "denunciation.resolve", due: null, problem: "EXTENSION_TOO_LATE" })]);

    // A new extension is still checked strictly; a decision is not blocked by the stored irregularity.
    expect(await act(id, "extend", { days: 10, reason: "Cần thêm thời gian", decisionNumber: "6/QĐ", decisionDate: "2026-05-02" })).toMatchObject({ status: 422 });
    const concluded = await act(id, "conclude", { decisionNumber: "7/KL", decisionDate: "2026-05-10", outcome: "right", summary: "Tố cáo đúng; kiến nghị xử lý vi phạm." });
    expect(concluded).toMatchObject({ status: 200, body: { state: "concluded", duties: [] } });
  });
});

describe("forwarding a denunciation is a duty with a notice to the denouncer (Luật TC Art. 24(1)(b))", () => {
  it("opens forward + notice (5 working days), refuses the forward until the notice is recorded, and the receiving unit never sees who denounced", async () => {
    const id = await file(staff.leaderA, tree.communeA.id, { receivedDate: "2026-03-02", parties: [denouncer] });
    const classified = await act(id, "classify", { kind: "denunciation", eligible: true, withinCompetence: false }, staff.leaderA);
    // Mon 2 Mar + 5 working days = Mon 9 Mar, for both
    expect(dutyDates(classified.body)).toEqual(["denunciation.forward 2026-03-09", "denunciation.notifyForwarding 2026-03-09"]);

    const early = await act(id, "forward", { toUnitId: tree.communeB.id, reason: "Không thuộc thẩm quyền" }, staff.leaderA);
    expect(early).toMatchObject({ status: 409, body: { error: { code: "DENOUNCER_NOTICE_REQUIRED" } } });

    const noticed = await act(id, "notify", { document: "forwarding", sentOn: "2026-03-05", note: "Gửi ông Ngô Văn Tố Giác, Xóm Bến Đò" }, staff.leaderA);
    expect(noticed.status).toBe(200);
    expect(dutyDates(noticed.body)).toEqual(["denunciation.forward 2026-03-09"]);

    // The clerk names the denouncer in the reason, as letters often do.
    const forwarded = await act(id, "forward", { toUnitId: tree.communeB.id, reason: "Ông Ngô Văn Tố Giác gửi nhầm nơi, chuyển đơn" }, staff.leaderA);
    expect(forwarded.status).toBe(403); // done; the sibling commune's leader no longer has the case in reach

    const atReceiver = await http<CaseDetail>(server.url, "GET", `/cases/${id}`, { token: staff.officerB });
    expect(atReceiver.status).toBe(200);
    expect(atReceiver.body).toMatchObject({ state: "received", unit: { id: tree.communeB.id } });
    // The receiving unit's own clock; none of the forwarding unit's duties travels with the case.
    expect(atReceiver.body.duties.map((duty) => duty.ruleId)).toEqual(["denunciation.initialCheck"]);
    const text = JSON.stringify(atReceiver.body);
    for (const secret of ["Ngô Văn Tố Giác", "0912345678", "Xóm Bến Đò"]) expect(text).not.toContain(secret);
  });

  it("an anonymous denunciation is forwarded without a notice (nobody to tell)", async () => {
    const id = await file(staff.leaderA, tree.communeA.id, { receivedDate: "2026-03-02", anonymous: true });
    const classified = await act(id, "classify", { kind: "denunciation", eligible: true, withinCompetence: false }, staff.leaderA);
    expect(dutyDates(classified.body)).toEqual(["denunciation.forward 2026-03-09"]);
    expect((await act(id, "forward", { toUnitId: tree.communeB.id, reason: "Không thuộc thẩm quyền" }, staff.leaderA)).status).toBe(403); // done, out of reach
    expect(await server.db.case.findUniqueOrThrow({ where: { id } })).toMatchObject({ unitId: tree.communeB.id, state: "received" });
  });

  it("a denunciation to check in several places has 10 working days (Art. 24(1)(a)): Mon 2 Mar → Mon 16 Mar", async () => {
    const id = await file(staff.leaderA, tree.communeA.id, { receivedDate: "2026-03-02", parties: [denouncer] });
    const classified = await act(id, "classify", { kind: "denunciation", eligible: true, withinCompetence: true, checkInSeveralPlaces: true }, staff.leaderA);
    expect(classified.body.deadline).toMatchObject({ ruleId: "denunciation.initialCheckSeveralPlaces", due: "2026-03-16" });
  });
});

describe("complaints: filing limit at acceptance (Luật KN Art. 9) and the acceptance notice (Art. 27)", () => {
  const complainant = { role: "petitioner", name: "Lê Thị Khiếu" };

  it("refuses an acceptance without the day the complainant knew of the decision, or after the 90 days; a recorded obstacle moves the limit", async () => {
    const id = await file(staff.leaderA, tree.communeA.id, { receivedDate: "2026-04-13", kind: "complaint", parties: [complainant] });
    await act(id, "classify", { kind: "complaint", eligible: true, withinCompetence: true }, staff.leaderA);
    const decision = { decisionNumber: "8/QĐ-UBND", decisionDate: "2026-04-14" };

    const missing = await act(id, "accept", decision, staff.leaderA);
    expect(missing).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_FAILED", details: [{ path: "knewOfDecisionOn" }] } } });
    // Knew Sat 10 Jan: 90 days end Fri 10 Apr; filed Mon 13 Apr.
    const late = await act(id, "accept", { ...decision, knewOfDecisionOn: "2026-01-10" }, staff.leaderA);
    expect(late).toMatchObject({ status: 422, body: { error: { code: "FILING_LIMIT_PASSED" } } });

    // In hospital 1 → 11 Feb: 10 days not counted, the limit ends Mon 20 Apr.
    const obstacle = await act(id, "filingObstacle", { obstacle: "illness", from: "2026-02-01", resumedOn: "2026-02-11", reason: "Nằm viện điều trị" }, staff.leaderA);
    expect(obstacle.body.state).toBe("classified");
    const accepted = await act(id, "accept", { ...decision, knewOfDecisionOn: "2026-01-10" }, staff.leaderA);
    expect(accepted.status).toBe(200);
    // Resolve: Tue 14 Apr + 30 = Thu 14 May; notice: Mon 13 Apr + 10 = Thu 23 Apr, the nearest.
    expect(dutyDates(accepted.body)).toEqual(["complaint.resolveFirstRound 2026-05-14", "complaint.notifyAcceptanceFirstRound 2026-04-23"]);
    expect(accepted.body.deadline).toMatchObject({ ruleId: "complaint.notifyAcceptanceFirstRound", due: "2026-04-23" });
    const noticed = await act(id, "notify", { document: "acceptance", sentOn: "2026-04-15" }, staff.leaderA);
    expect(dutyDates(noticed.body)).toEqual(["complaint.resolveFirstRound 2026-05-14"]);
  });

  it("a refusal to accept still owes the complainant the written reasons, closed by the non-acceptance notice", async () => {
    const id = await file(staff.leaderA, tree.communeA.id, { receivedDate: "2026-03-02", kind: "complaint", parties: [complainant] });
    await act(id, "classify", { kind: "complaint", eligible: false, withinCompetence: true }, staff.leaderA);
    const rejected = await act(id, "reject", { reason: "Khiếu nại đã quá thời hiệu" }, staff.leaderA);
    expect(rejected.body).toMatchObject({ state: "notAccepted", deadline: { ruleId: "complaint.notifyAcceptanceFirstRound", due: "2026-03-12" } });
    const noticed = await act(id, "notify", { document: "nonAcceptance", sentOn: "2026-03-06" }, staff.leaderA);
    expect(noticed.body).toMatchObject({ state: "notAccepted", duties: [] });
  });

  it("a disciplinary complaint uses chapter IV's limits: accept in 10 days, filed within 15 days of receiving the decision", async () => {
    const id = await file(staff.leaderA, tree.communeA.id, { receivedDate: "2026-03-02", kind: "complaint", parties: [complainant] });
    const classified = await act(id, "classify", { kind: "complaint", eligible: true, withinCompetence: true, disciplinary: true }, staff.leaderA);
    expect(classified.body.deadline).toMatchObject({ ruleId: "disciplinary.acceptFirstRound", due: "2026-03-12" });
    // Received the disciplinary decision Tue 10 Feb: 15 days end Wed 25 Feb; filed 2 Mar.
    const late = await act(id, "accept", { decisionNumber: "2/QĐ", decisionDate: "2026-03-04", knewOfDecisionOn: "2026-02-10" }, staff.leaderA);
    expect(late).toMatchObject({ status: 422, body: { error: { code: "FILING_LIMIT_PASSED" } } });
    const accepted = await act(id, "accept", { decisionNumber: "2/QĐ", decisionDate: "2026-03-04", knewOfDecisionOn: "2026-02-20" }, staff.leaderA);
    // Wed 4 Mar + 30 = Fri 3 Apr
    expect(dutyDates(accepted.body)).toEqual(["disciplinary.resolveFirstRound 2026-04-03"]);
  });
});

describe("round 2 has a mandatory dialogue (Luật KN Art. 39)", () => {
  it("refuses the round-2 decision with DIALOGUE_REQUIRED until the dialogue is recorded, which closes its duty", async () => {
    const id = await file(staff.leaderA, tree.communeA.id, { receivedDate: "2026-03-02", kind: "complaint", parties: [{ role: "petitioner", name: "Đỗ Văn Hai" }] });
    await act(id, "classify", { kind: "complaint", eligible: true, withinCompetence: true }, staff.leaderA);
    await act(id, "accept", { decisionNumber: "3/QĐ", decisionDate: "2026-03-05", knewOfDecisionOn: "2026-02-20" }, staff.leaderA);
    await act(id, "notify", { document: "acceptance", sentOn: "2026-03-06" }, staff.leaderA);
    await act(id, "startVerification", {}, staff.leaderA);
    // Round 1 decides without a dialogue.
    const decided = await act(id, "conclude", { decisionNumber: "4/QĐ", decisionDate: "2026-03-25", outcome: "wrong", summary: "Khiếu nại sai, giữ nguyên quyết định." }, staff.leaderA);
    expect(decided.body.state).toBe("concluded");
    await act(id, "notify", { document: "decision", sentOn: "2026-03-26" }, staff.leaderA);
    await act(id, "secondRound", { reason: "Không đồng ý với quyết định lần đầu", receivedDate: "2026-04-06" }, staff.leaderA);
    expect((await server.db.case.findUniqueOrThrow({ where: { id } })).unitId).toBe(tree.province.id);
    // Round 2 is the province's; its acceptance needs no knowing date (Art. 33 was checked when it was filed).
    await act(id, "classify", { kind: "complaint", eligible: true, withinCompetence: true }, staff.provinceLeader);
    const accepted = await act(id, "accept", { decisionNumber: "9/QĐ-UBND", decisionDate: "2026-04-08" }, staff.provinceLeader);
    // Wed 8 Apr + 45 = Sat 23 May → Mon 25 May for the resolution and the dialogue; notice: Mon 6 Apr + 10 = Thu 16 Apr
    expect(dutyDates(accepted.body)).toEqual([
      "complaint.resolveSecondRound 2026-05-25",
      "complaint.secondRoundDialogue 2026-05-25",
      "complaint.notifyAcceptanceSecondRound 2026-04-16",
    ]);
    await act(id, "startVerification", {}, staff.provinceLeader);
    const verifying = await http<CaseDetail>(server.url, "GET", `/cases/${id}`, { token: staff.provinceLeader });
    expect(verifying.body.allowedActions).toContain("dialogue");
    expect(verifying.body.allowedActions).not.toContain("conclude");

    const conclusion = { decisionNumber: "10/QĐ-UBND", decisionDate: "2026-04-30", outcome: "wrong", summary: "Khiếu nại lần hai sai, công nhận quyết định lần đầu." };
    expect(await act(id, "conclude", conclusion, staff.provinceLeader)).toMatchObject({ status: 409, body: { error: { code: "DIALOGUE_REQUIRED" } } });
    const met = await act(id, "dialogue", { heldOn: "2026-04-20", minutesNumber: "BB-01" }, staff.provinceLeader);
    expect(met.body).toMatchObject({ state: "verifying" });
    expect(met.body.duties.map((duty) => duty.ruleId)).toEqual(["complaint.resolveSecondRound", "complaint.notifyAcceptanceSecondRound"]);
    expect(met.body.allowedActions).toContain("conclude");
    expect((await act(id, "conclude", conclusion, staff.provinceLeader)).body.state).toBe("concluded");
  });
});

describe("a re-filed denunciation (tố cáo tiếp, Luật TC Art. 37) goes to the superior authority", () => {
  it("is refused while the first resolution still runs or without a resolution to contest; once overdue, the province reviews it in 7 working days, then resolves it in Art. 30's 30 days, without exposing the denouncer", async () => {
    const id = await file(staff.leaderA, tree.communeA.id, { receivedDate: "2026-03-02", parties: [denouncer] });
    await act(id, "classify", { kind: "denunciation", eligible: true, withinCompetence: true }, staff.leaderA);
    // Thu 5 Mar + 30 = Sat 4 Apr → Mon 6 Apr
    const accepted = await act(id, "accept", { decisionNumber: "11/QĐ", decisionDate: "2026-03-05" }, staff.leaderA);
    expect(dutyDates(accepted.body)).toContain("denunciation.resolve 2026-04-06");
    await act(id, "notify", { document: "acceptance", sentOn: "2026-03-06" }, staff.leaderA);
    await act(id, "startVerification", {}, staff.leaderA);

    const refile = (body: Record<string, unknown>) => act(id, "refile", { reason: "Ông Ngô Văn Tố Giác tố cáo tiếp", ...body }, staff.leaderA);
    expect(await refile({ grounds: "overdue", receivedDate: "2026-03-20" })).toMatchObject({ status: 409, body: { error: { code: "INVALID_TRANSITION" } } });
    expect(await refile({ grounds: "unlawful", receivedDate: "2026-04-08" })).toMatchObject({ status: 409, body: { error: { code: "INVALID_TRANSITION" } } });
    expect(await refile({ grounds: "late", receivedDate: "2026-04-08" })).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_FAILED" } } });
    await refile({ grounds: "overdue", receivedDate: "2026-04-08" });

    expect(await server.db.case.findUniqueOrThrow({ where: { id } })).toMatchObject({ unitId: tree.province.id, state: "received", receivedDate: "2026-04-08", acceptedDate: null });
    const provinceOfficer = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: tree.province, roles: ["officer"] })).token;
    const atSuperior = await http<CaseDetail>(server.url, "GET", `/cases/${id}`, { token: provinceOfficer });
    expect(atSuperior.status).toBe(200);
    // Wed 8 Apr: Thu 9 (1), Fri 10 (2), Mon 13 (3), 14 (4), 15 (5), 16 (6), Fri 17 Apr (7); the commune's clocks are closed.
    expect(dutyDates(atSuperior.body)).toEqual(["denunciation.reviewRefiled 2026-04-17"]);
    const text = JSON.stringify(atSuperior.body);
    for (const secret of ["Ngô Văn Tố Giác", "0912345678", "Xóm Bến Đò"]) expect(text).not.toContain(secret);

    const classified = await act(id, "classify", { kind: "denunciation", eligible: true, withinCompetence: true }, staff.provinceLeader);
    expect(dutyDates(classified.body)).toEqual(["denunciation.reviewRefiled 2026-04-17"]);
    const taken = await act(id, "accept", { decisionNumber: "12/QĐ-UBND", decisionDate: "2026-04-15" }, staff.provinceLeader);
    // Wed 15 Apr + 30 = Fri 15 May; notice: Thu 16 (1), Fri 17 (2), Mon 20 (3), Tue 21 (4), Wed 22 Apr (5)
    expect(dutyDates(taken.body)).toEqual(["denunciation.resolveRefiled 2026-05-15", "denunciation.notifyAcceptance 2026-04-22"]);
  });
});
