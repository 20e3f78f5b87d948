import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import { holidays2026, localDate, vietnamDateOf, WorkingCalendar } from "../../signaling/domain/deadlines";
import type { CaseDetail } from "../../signaling/protocol";
import { buildUnit, tokenFor } from "../helpers/factories";
import { http } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
let province: { id: string; path: string; code: string };
let commune: { id: string; path: string; code: string };
let otherCommune: { id: string; path: string; code: string };
const tokens = {} as Record<Key, string>;
const ids = {} as Record<Key, string>;
type Key = "clerk" | "inspector" | "inspector2" | "leader" | "provinceLeader" | "otherClerk" | "viewer";

const denouncer = { role: "petitioner" as const, name: "Trần Thị Bí Mật", idNumber: "001099012345", phone: "0912345678", address: "Thôn Đông, xã Thử" };
const respondent = { role: "respondent" as const, name: "Ông Nguyễn Văn Bị", organization: "UBND xã Thử" };

async function act(token: string, caseId: string, action: string, body: Record<string, unknown>) {
  return http<CaseDetail & { error?: { code: string } }>(server.url, "POST", `/cases/${caseId}/actions/${action}`, { token, body });
}

beforeAll(async () => {
  server = await startTestServer();
  await server.db.holiday.createMany({ data: holidays2026.map((holiday) => ({ date: holiday.date, name: holiday.name })) });
  province = await buildUnit(server.db, { name: "UBND tỉnh Thử" });
  commune = await buildUnit(server.db, { parent: province, name: "UBND xã Thử" });
  otherCommune = await buildUnit(server.db, { parent: province, name: "UBND xã Bên Cạnh" });
  for (const [key, unit, roles] of [
    ["clerk", commune, ["officer"]],
    ["inspector", commune, ["inspector"]],
    ["inspector2", commune, ["inspector"]],
    ["leader", commune, ["leader"]],
    ["provinceLeader", province, ["leader"]],
    ["otherClerk", otherCommune, ["officer"]],
    ["viewer", commune, ["viewer"]],
  ] as const) {
    const { user, token } = await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles: [...roles] });
    tokens[key] = token;
    ids[key] = user.id;
  }
});

afterAll(async () => {
  await server?.close();
});

async function intake(body: Record<string, unknown> = {}) {
  const result = await http<{ case: CaseDetail; lookupSecret: string }>(server.url, "POST", "/cases", {
    token: tokens.clerk,
    body: {
      unitId: commune.id,
      channel: "post",
      receivedDate: "2026-03-02",
      summary: "Tố cáo sai phạm trong cấp phép xây dựng",
      content: "Nội dung đơn tố cáo chi tiết về việc cấp phép xây dựng sai quy định.",
      parties: [denouncer, respondent],
      ...body,
    },
  });
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  return result.body;
}

describe("intake", () => {
  it("gives each petition a readable code and a lookup secret, and starts its history", async () => {
    const first = await intake();
    const second = await intake();
    expect(first.case.code).toBe(`${commune.code}-2026-000001`);
    expect(second.case.code).toBe(`${commune.code}-2026-000002`);
    expect(first.lookupSecret).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect(first.case.state).toBe("received");
    expect(first.case.events).toEqual([expect.objectContaining({ sequence: 1, action: "receive", toState: "received" })]);
  });

  it("validates CCCD, phone and the need for a petitioner", async () => {
    const bad = (body: Record<string, unknown>) => http(server.url, "POST", "/cases", { token: tokens.clerk, body: { unitId: commune.id, channel: "post", receivedDate: "2026-03-02", summary: "Đơn thử", content: "Nội dung đơn đủ dài.", ...body } });
    expect(await bad({ parties: [{ ...denouncer, idNumber: "12345" }] })).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_FAILED", details: [{ path: "parties.0.idNumber" }] } } });
    expect((await bad({ parties: [{ ...denouncer, phone: "12" }] })).status).toBe(400);
    expect((await bad({ parties: [respondent] })).status).toBe(400);
    expect((await bad({ anonymous: true, parties: [respondent] })).status).toBe(201);
  });

  it("refuses a day that does not exist with VALIDATION_FAILED, in intake, list filters and workflow steps", async () => {
    const validation = { status: 400, body: { error: { code: "VALIDATION_FAILED" } } };
    const body = { unitId: commune.id, channel: "post", summary: "Đơn thử", content: "Nội dung đơn đủ dài.", parties: [denouncer] };
    for (const receivedDate of ["2026-02-30", "2026-13-01", "0000-99-99", "2026-3-2"]) {
      expect(await http(server.url, "POST", "/cases", { token: tokens.clerk, body: { ...body, receivedDate } }), receivedDate).toMatchObject(validation);
    }
    expect(await http(server.url, "GET", "/cases?receivedFrom=2026-02-30", { token: tokens.clerk })).toMatchObject(validation);
    expect(await http(server.url, "GET", "/cases?receivedTo=2026-04-31", { token: tokens.clerk })).toMatchObject(validation);
    // A cleared date field in the list's URL means no bound, as on the other lists.
    expect((await http(server.url, "GET", "/cases?receivedFrom=&receivedTo=", { token: tokens.clerk })).status).toBe(200);
    const { case: created } = await intake();
    expect(await act(tokens.leader, created.id, "classify", { kind: "complaint", eligible: true, withinCompetence: true })).toMatchObject({ status: 200 });
    expect(await act(tokens.leader, created.id, "accept", { decisionNumber: "1/QĐ", decisionDate: "2026-02-30", knewOfDecisionOn: "2026-02-01" })).toMatchObject(validation);
  });

  it("is refused outside the clerk's units and to viewers", async () => {
    expect((await http(server.url, "POST", "/cases", { token: tokens.otherClerk, body: { unitId: commune.id, channel: "post", receivedDate: "2026-03-02", summary: "Đơn thử", content: "Nội dung đơn đủ dài.", parties: [denouncer] } })).status).toBe(403);
    expect((await http(server.url, "GET", "/cases", { token: tokens.viewer })).status).toBe(403);
  });
});

describe("a denunciation from intake to publication", () => {
  it("runs classify → accept → assign → verify → extend → conclude → publish, with deadlines, and the citizen sees the answer", async () => {
    const { case: created, lookupSecret } = await intake();
    const id = created.id;
    // Kind not yet known: a clock runs all the same — classify and decide within 10 working days (Mon 2 → Mon 16 Mar).
    expect(created.deadline).toMatchObject({ ruleId: "petition.process", due: "2026-03-16" });
    expect(created.duties).toEqual([expect.objectContaining({ ruleId: "petition.process", due: "2026-03-16", nature: "act" })]);

    const classified = await act(tokens.clerk, id, "classify", { kind: "denunciation", eligible: true, withinCompetence: true, complexity: "complex" });
    expect(classified.body).toMatchObject({ state: "classified", kind: "denunciation", deadline: { ruleId: "denunciation.initialCheck", due: "2026-03-11" } });

    // An inspector may not record acceptance: that is the head's decision, entered by them or their clerk.
    expect(await act(tokens.inspector, id, "accept", { decisionNumber: "12/QĐ-UBND", decisionDate: "2026-03-05" })).toMatchObject({ status: 403 });
    // Required fields are enforced.
    expect(await act(tokens.leader, id, "accept", { decisionDate: "2026-03-05" })).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_FAILED" } } });
    const accepted = await act(tokens.leader, id, "accept", { decisionNumber: "12/QĐ-UBND", decisionDate: "2026-03-05" });
    // Two clocks now run in parallel (issue 13 item 2): resolve in 30 days (→ Mon 6 Apr) and notify the denouncer
    // in 5 working days (Thu 5 Mar → Thu 12 Mar, Luật TC Art. 29); the badge shows the nearest.
    expect(accepted.body).toMatchObject({ state: "accepted", deadline: { ruleId: "denunciation.notifyAcceptance", due: "2026-03-12", basis: "Luật Tố cáo 2018, Điều 29" } });
    expect(accepted.body.duties.map((duty) => [duty.ruleId, duty.due])).toEqual([
      ["denunciation.resolve", "2026-04-06"],
      ["denunciation.notifyAcceptance", "2026-03-12"],
    ]);
    expect((await server.db.case.findUniqueOrThrow({ where: { id } })).dueDate).toBe("2026-03-12");
    const notified = await act(tokens.clerk, id, "notify", { document: "acceptance", sentOn: "2026-03-09" });
    expect(notified.body).toMatchObject({ state: "accepted", deadline: { ruleId: "denunciation.resolve", due: "2026-04-06", basis: "Luật Tố cáo 2018, Điều 30" } });
    expect((await server.db.case.findUniqueOrThrow({ where: { id } })).dueDate).toBe("2026-04-06");

    const assigned = await http<CaseDetail>(server.url, "POST", `/cases/${id}/assign`, { token: tokens.leader, body: { assigneeId: ids.inspector } });
    expect(assigned.body).toMatchObject({ assigneeId: ids.inspector, assigneeName: "Người dùng thử" });
    expect((await act(tokens.inspector, id, "startVerification", {})).body.state).toBe("verifying");

    // An extension decided after the period ran out (6 April) is refused (issue 13, item 5).
    expect(await act(tokens.leader, id, "extend", { days: 30, reason: "Cần xác minh thêm tại hiện trường", decisionNumber: "14/QĐ-UBND", decisionDate: "2026-04-07" })).toMatchObject({
      status: 422,
      body: { error: { code: "DEADLINE_RULE" } },
    });
    // Complex: one extension of at most 30 days; a second is refused (Luật TC Art. 30).
    const extended = await act(tokens.leader, id, "extend", { days: 30, reason: "Cần xác minh thêm tại hiện trường", decisionNumber: "15/QĐ-UBND", decisionDate: "2026-04-01" });
    expect(extended.body).toMatchObject({ state: "verifying", deadline: { due: "2026-05-04" } });
    expect(await act(tokens.leader, id, "extend", { days: 10, reason: "Cần thêm thời gian", decisionNumber: "16/QĐ-UBND" })).toMatchObject({
      status: 422,
      body: { error: { code: "DEADLINE_RULE" } },
    });

    const concluded = await act(tokens.leader, id, "conclude", {
      decisionNumber: "20/KL-UBND",
      decisionDate: "2026-04-20",
      outcome: "partlyRight",
      summary: "Tố cáo đúng một phần; yêu cầu thu hồi giấy phép.",
    });
    expect(concluded.body).toMatchObject({ state: "concluded", deadline: { status: "none" } });
    await act(tokens.clerk, id, "publish", { publishedAnswer: "Kết luận: tố cáo đúng một phần. Giấy phép xây dựng bị thu hồi." });

    const lookup = await http<Record<string, unknown>>(server.url, "POST", "/public/lookup", { body: { code: created.code.toLowerCase(), secret: lookupSecret.toLowerCase() } });
    expect(lookup.status).toBe(200);
    expect(lookup.body).toMatchObject({ code: created.code, state: "published", unitName: "UBND xã Thử", publishedAnswer: expect.stringContaining("thu hồi") });
    const text = JSON.stringify(lookup.body);
    for (const secret of [denouncer.name, denouncer.idNumber, denouncer.phone, respondent.name]) expect(text).not.toContain(secret);

    const history = await http<{ ok: boolean; events: number }>(server.url, "GET", `/cases/${id}/verify`, { token: tokens.leader });
    expect(history.body).toEqual({ ok: true, events: 9 });
  });

  it("suspension stops the clock and resumption continues it", async () => {
    const { case: created } = await intake({ receivedDate: "2026-03-02" });
    await act(tokens.clerk, created.id, "classify", { kind: "complaint", eligible: true, withinCompetence: true });
    await act(tokens.leader, created.id, "accept", { decisionNumber: "1/QĐ", decisionDate: "2026-03-02", knewOfDecisionOn: "2026-02-20" });
    // The acceptance notice (Luật KN Art. 27) is its own duty; sent, only the resolution's clock is left.
    await act(tokens.clerk, created.id, "notify", { document: "acceptance", sentOn: "2026-03-03" });
    const suspended = await act(tokens.leader, created.id, "suspend", { reason: "Chờ kết quả giám định", effectiveDate: "2026-03-12" });
    expect(suspended.body.deadline).toMatchObject({ status: "suspended", due: null });
    const resumed = await act(tokens.leader, created.id, "resume", { reason: "Đã có kết quả giám định", effectiveDate: "2026-03-20" });
    // 30 days from 2 Mar end 1 Apr; suspended 12 → resumed 20 Mar moves it by 20 − 12 = 8 days (Luật TC Art. 34)
    expect(resumed.body).toMatchObject({ state: "verifying", deadline: { ruleId: "complaint.resolveFirstRound", due: "2026-04-09" } });
  });
});

describe("a second-round complaint (issue 13, item 3)", () => {
  it("opens when round 1 is overdue without a decision, within Art. 33's limit, at the superior unit, accepted under Art. 36", async () => {
    const { case: created } = await intake({ summary: "Khiếu nại quyết định thu hồi đất" });
    await act(tokens.clerk, created.id, "classify", { kind: "complaint", eligible: true, withinCompetence: true });
    await act(tokens.leader, created.id, "accept", { decisionNumber: "30/QĐ-UBND", decisionDate: "2026-03-02", knewOfDecisionOn: "2026-02-20" });
    await act(tokens.inspector, created.id, "startVerification", {});
    const reason = "Quá hạn giải quyết lần đầu mà chưa có quyết định";
    // Round 1 (accepted Mon 2 Mar) may be decided until Wed 1 Apr: no round 2 yet.
    expect(await act(tokens.provinceLeader, created.id, "secondRound", { reason, receivedDate: "2026-04-01" })).toMatchObject({ status: 409, body: { error: { code: "INVALID_TRANSITION" } } });
    // 30 days from 1 Apr end on Fri 1 May (holiday) → Mon 4 May; filed 5 May is too late.
    expect(await act(tokens.provinceLeader, created.id, "secondRound", { reason, receivedDate: "2026-05-05" })).toMatchObject({ status: 422, body: { error: { code: "DEADLINE_RULE" } } });
    const opened = await act(tokens.provinceLeader, created.id, "secondRound", { reason, receivedDate: "2026-04-02" });
    // At the province (the commune's superior): 10 days from Thu 2 Apr = Sun 12 Apr → Mon 13 Apr (Luật KN Art. 36).
    expect(opened.body).toMatchObject({
      state: "received",
      round: 2,
      unit: { id: province.id },
      deadline: { ruleId: "complaint.acceptSecondRound", due: "2026-04-13", basis: "Luật Khiếu nại 2011, Điều 36" },
    });
  });
});

describe("withdrawal of a denunciation (Luật Tố cáo 2018, Art. 33)", () => {
  it("does not end it when the authority decides to continue; a complaint cannot be continued that way", async () => {
    const { case: created } = await intake();
    await act(tokens.clerk, created.id, "classify", { kind: "denunciation", eligible: true, withinCompetence: true });
    await act(tokens.leader, created.id, "accept", { decisionNumber: "40/QĐ-UBND", decisionDate: "2026-03-05" });
    const continued = await act(tokens.clerk, created.id, "withdraw", { reason: "Người tố cáo rút đơn nhưng có dấu hiệu vi phạm", continueHandling: true });
    expect(continued.body).toMatchObject({ state: "accepted", deadline: { ruleId: "denunciation.notifyAcceptance", due: "2026-03-12" } });
    expect(continued.body.duties.map((duty) => duty.ruleId)).toEqual(["denunciation.resolve", "denunciation.notifyAcceptance"]);
    expect(continued.body.events.at(-1)).toMatchObject({ action: "withdraw", fromState: "accepted", toState: "accepted" });
    expect((await act(tokens.clerk, created.id, "withdraw", { reason: "Người tố cáo rút đơn, không có dấu hiệu vi phạm" })).body.state).toBe("withdrawn");

    const { case: complaint } = await intake({ summary: "Khiếu nại rút đơn" });
    await act(tokens.clerk, complaint.id, "classify", { kind: "complaint", eligible: true, withinCompetence: true });
    expect(await act(tokens.clerk, complaint.id, "withdraw", { reason: "Người khiếu nại rút đơn", continueHandling: true })).toMatchObject({
      status: 400,
      body: { error: { code: "VALIDATION_FAILED" } },
    });
  });
});

describe("workflow", () => {
  it("rejects every step not allowed from the current state with INVALID_TRANSITION", async () => {
    const { case: created } = await intake();
    for (const action of ["accept", "reject", "startVerification", "extend", "suspend", "resume", "conclude", "publish", "enforce", "close", "secondRound"]) {
      const result = await act(tokens.leader, created.id, action, {});
      expect(result.status, action).toBe(409);
      expect(result.body.error?.code, action).toBe("INVALID_TRANSITION");
    }
  });

  it("refuses an unknown action and a malformed body as validation errors", async () => {
    const { case: created } = await intake();
    expect((await act(tokens.leader, created.id, "delete", {})).status).toBe(400);
    expect((await act(tokens.clerk, created.id, "classify", { kind: "gossip", eligible: "yes" })).status).toBe(400);
  });

  it("forwarding moves the case to the other unit, which then sees it and the first unit no longer does", async () => {
    const { case: created } = await intake();
    await act(tokens.clerk, created.id, "classify", { kind: "recommendation", eligible: true, withinCompetence: false });
    const forwarded = await act(tokens.clerk, created.id, "forward", { toUnitId: otherCommune.id, reason: "Thuộc thẩm quyền xã bên cạnh" });
    expect(forwarded.status).toBe(403); // the clerk no longer has the case in scope after the move
    const asOther = await http<CaseDetail>(server.url, "GET", `/cases/${created.id}`, { token: tokens.otherClerk });
    expect(asOther.body).toMatchObject({ state: "received", unit: { id: otherCommune.id }, code: created.code });
    expect(asOther.body.events.at(-1)).toMatchObject({ action: "forward", fromState: "classified", toState: "received" });
    expect((await http(server.url, "GET", `/cases/${created.id}`, { token: tokens.clerk })).status).toBe(403);
    const list = await http<{ items: { id: string }[] }>(server.url, "GET", "/cases?pageSize=200", { token: tokens.otherClerk });
    expect(list.body.items.map((item) => item.id)).toContain(created.id);
  });

  it("a forwarded denunciation's clock starts at the receiving unit on the day it receives it (issue 13, item 4)", async () => {
    // Received by the wrong unit on 2 March 2026; forwarded months later.
    const { case: created } = await intake();
    await act(tokens.clerk, created.id, "classify", { kind: "denunciation", eligible: true, withinCompetence: false });
    // The denouncer is told of the forwarding first (Luật TC Art. 24(1)(b)).
    await act(tokens.clerk, created.id, "notify", { document: "forwarding", sentOn: "2026-03-04" });
    await act(tokens.clerk, created.id, "forward", { toUnitId: otherCommune.id, reason: "Thuộc thẩm quyền xã bên cạnh" });
    const forward = await server.db.caseEvent.findFirstOrThrow({ where: { caseId: created.id, action: "forward" } });
    const receivedByTargetOn = (JSON.parse(forward.data) as { receivedByTargetOn: string }).receivedByTargetOn;
    expect(receivedByTargetOn).toBe(vietnamDateOf(forward.at));
    const asOther = await http<CaseDetail>(server.url, "GET", `/cases/${created.id}`, { token: tokens.otherClerk });
    // 7 working days (Luật TC Art. 24) from the receiving unit's day of receipt, not from 2 March.
    const expected = WorkingCalendar.of(holidays2026).addWorkingDays(localDate(receivedByTargetOn), 7);
    expect(asOther.body.deadline).toMatchObject({ ruleId: "denunciation.initialCheck", due: expected });
    expect((await server.db.case.findUniqueOrThrow({ where: { id: created.id } })).dueDate).toBe(expected);
  });

  it("lists the work queue nearest deadline first and filters overdue cases", async () => {
    const { case: old } = await intake({ receivedDate: "2025-01-06", summary: "Khiếu nại cũ quá hạn" });
    await act(tokens.clerk, old.id, "classify", { kind: "complaint", eligible: true, withinCompetence: true });
    const overdue = await http<{ items: { id: string; deadline: { status: string } }[] }>(server.url, "GET", "/cases?deadline=overdue", { token: tokens.leader });
    expect(overdue.body.items.map((item) => item.id)).toContain(old.id);
    expect(overdue.body.items.every((item) => item.deadline.status === "overdue")).toBe(true);
    const alerts = await http<{ items: { caseId: string; status: string; assignedToMe: boolean }[] }>(server.url, "GET", "/notifications", { token: tokens.clerk });
    expect(alerts.body.items).toContainEqual(expect.objectContaining({ caseId: old.id, status: "overdue", assignedToMe: false }));
    const inRange = await http<{ items: { id: string }[] }>(server.url, "GET", "/cases?receivedFrom=2025-01-01&receivedTo=2025-12-31&pageSize=200", { token: tokens.leader });
    expect(inRange.body.items.map((item) => item.id)).toEqual([old.id]);
    const all = await http<{ items: { deadline: { due: string | null } }[] }>(server.url, "GET", "/cases?pageSize=200", { token: tokens.leader });
    const dues = all.body.items.map((item) => item.deadline.due).filter((due): due is string => due !== null);
    expect(dues).toEqual([...dues].sort());
  });

  it("pages the default work queue over HTTP with its cursor: the same cases as one long page, none twice", async () => {
    type QueuePage = { items: { id: string }[]; total: number; nextCursor?: string | null };
    for (let made = 0; made < 5; made++) await intake({ summary: `Hồ sơ phân trang ${made}` });
    const whole = await http<QueuePage>(server.url, "GET", "/cases?pageSize=200", { token: tokens.leader });
    expect(whole.body.total).toBeGreaterThan(4);
    const seen: string[] = [];
    let cursor: string | null | undefined;
    let pages = 0;
    do {
      const query = cursor ? `?pageSize=4&after=${encodeURIComponent(cursor)}` : "?pageSize=4";
      const page = await http<QueuePage>(server.url, "GET", `/cases${query}`, { token: tokens.leader });
      expect(page.status).toBe(200);
      // The route's page and pageSize are not filters: the default queue answers with its cursor.
      expect(page.body).toHaveProperty("nextCursor");
      expect(page.body.total).toBe(whole.body.total);
      seen.push(...page.body.items.map((item) => item.id));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    expect(seen).toEqual(whole.body.items.map((item) => item.id));
    // A cursor belongs to the unfiltered queue: with a filter it is refused, not silently ignored.
    const first = await http<QueuePage>(server.url, "GET", "/cases?pageSize=4", { token: tokens.leader });
    const filtered = await http<{ error: { code: string } }>(server.url, "GET", `/cases?state=received&after=${encodeURIComponent(first.body.nextCursor!)}`, { token: tokens.leader });
    expect(filtered.status).toBe(400);
    expect(filtered.body.error.code).toBe("VALIDATION_FAILED");
  });
});

describe("denouncer protection", () => {
  it("shows the identity only to the assigned inspector and the leaders in charge, and audits those reads", async () => {
    const { case: created } = await intake();
    await act(tokens.clerk, created.id, "classify", { kind: "denunciation", eligible: true, withinCompetence: true });
    await http(server.url, "POST", `/cases/${created.id}/assign`, { token: tokens.leader, body: { assigneeId: ids.inspector } });

    for (const reader of ["clerk", "inspector2"] as const) {
      const seen = await http<CaseDetail>(server.url, "GET", `/cases/${created.id}`, { token: tokens[reader] });
      expect(seen.status).toBe(200);
      const text = JSON.stringify(seen.body);
      for (const secret of [denouncer.name, denouncer.idNumber, denouncer.phone, denouncer.address]) expect(text, reader).not.toContain(secret);
      expect(seen.body.parties.find((party) => party.role === "petitioner")).toMatchObject({ name: "Người tố cáo (được bảo mật)", protected: true });
      expect(seen.body.parties.find((party) => party.role === "respondent")?.name).toBe(respondent.name);
    }
    for (const reader of ["inspector", "leader", "provinceLeader"] as const) {
      const seen = await http<CaseDetail>(server.url, "GET", `/cases/${created.id}`, { token: tokens[reader] });
      expect(seen.body.parties.find((party) => party.role === "petitioner"), reader).toMatchObject({ name: denouncer.name, idNumber: denouncer.idNumber, protected: false });
    }
    const audits = await server.db.auditLog.findMany({ where: { action: "case.identity.read", subjectId: created.id } });
    // The leader's own assign response carried the identity too, so that read is logged as well.
    expect(new Set(audits.map((entry) => entry.actorId))).toEqual(new Set([ids.inspector, ids.leader, ids.provinceLeader]));
    expect((await http(server.url, "GET", `/cases/${created.id}`, { token: tokens.otherClerk })).status).toBe(403);
    expect((await http(server.url, "GET", `/cases/${created.id}`, { token: tokens.viewer })).status).toBe(403);
  });

  it("lets an inspector of another unit work on a case once a leader over both assigns it", async () => {
    const { case: created } = await intake();
    await act(tokens.clerk, created.id, "classify", { kind: "denunciation", eligible: true, withinCompetence: true });
    const { user: outsider, token } = await tokenFor(server.db, DEMO_JWT_SECRET, { unit: otherCommune, roles: ["inspector"] });
    expect((await http(server.url, "GET", `/cases/${created.id}`, { token })).status).toBe(403);
    expect((await http(server.url, "POST", `/cases/${created.id}/assign`, { token: tokens.provinceLeader, body: { assigneeId: outsider.id } })).status).toBe(200);
    const seen = await http<CaseDetail>(server.url, "GET", `/cases/${created.id}`, { token });
    expect(seen.body.parties.find((party) => party.role === "petitioner")).toMatchObject({ name: denouncer.name, protected: false });
    const queue = await http<{ items: { id: string }[] }>(server.url, "GET", "/cases?mine=true", { token });
    expect(queue.body.items.map((item) => item.id)).toEqual([created.id]);
  });

  it("never matches a denouncer's name in search", async () => {
    const { case: created } = await intake({ summary: "Tố cáo tìm kiếm" });
    await act(tokens.clerk, created.id, "classify", { kind: "denunciation", eligible: true, withinCompetence: true });
    const found = await http<{ items: { id: string }[] }>(server.url, "GET", `/cases?q=${encodeURIComponent("Bí Mật")}&pageSize=200`, { token: tokens.leader });
    expect(found.body.items.map((item) => item.id)).not.toContain(created.id);
  });

  // Issue 11 item 2: reclassifying a denunciation must not hand its identity to everyone in the unit.
  it("keeps a denouncer protected after reclassification, and audits the change of kind", async () => {
    const { case: created } = await intake({ summary: "Tố cáo rồi đổi loại" });
    await act(tokens.clerk, created.id, "classify", { kind: "denunciation", eligible: true, withinCompetence: true });
    // Forwarding restarts intake at the other unit, where the case may be classified again.
    // (The answer is 403: once forwarded, the case is out of the clerk's reach.) The denouncer is told first.
    await act(tokens.clerk, created.id, "notify", { document: "forwarding", sentOn: "2026-03-03" });
    await act(tokens.clerk, created.id, "forward", { toUnitId: otherCommune.id, reason: "Không thuộc thẩm quyền" });
    expect(await server.db.case.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ unitId: otherCommune.id, state: "received" });
    const reclassified = await act(tokens.otherClerk, created.id, "classify", { kind: "complaint", eligible: true, withinCompetence: true });
    expect(reclassified.status, JSON.stringify(reclassified.body)).toBe(200);
    for (const response of [reclassified, await http<CaseDetail>(server.url, "GET", `/cases/${created.id}`, { token: tokens.otherClerk })]) {
      const text = JSON.stringify(response.body);
      for (const secret of [denouncer.name, denouncer.idNumber, denouncer.phone]) expect(text).not.toContain(secret);
    }
    const found = await http<{ items: { id: string }[] }>(server.url, "GET", `/cases?q=${encodeURIComponent("Bí Mật")}&pageSize=200`, { token: tokens.provinceLeader });
    expect(found.body.items.map((item) => item.id)).not.toContain(created.id);
    const audit = await server.db.auditLog.findFirst({ where: { action: "case.reclassify", subjectId: created.id } });
    expect(audit).toMatchObject({ actorId: ids.otherClerk });
    expect(JSON.parse(audit?.detail ?? "{}")).toMatchObject({ from: "denunciation", to: "complaint" });
  });

  it("protects the identity while the kind is not yet known", async () => {
    const { case: created } = await intake({ summary: "Đơn chưa phân loại" });
    expect(created.kind).toBeNull();
    const seen = await http<CaseDetail>(server.url, "GET", `/cases/${created.id}`, { token: tokens.clerk });
    expect(seen.body.parties.find((party) => party.role === "petitioner")).toMatchObject({ name: "Người tố cáo (được bảo mật)", protected: true });
    const leaderView = await http<CaseDetail>(server.url, "GET", `/cases/${created.id}`, { token: tokens.leader });
    expect(leaderView.body.parties.find((party) => party.role === "petitioner")).toMatchObject({ name: denouncer.name, protected: false });
    expect(await server.db.auditLog.count({ where: { action: "case.identity.read", subjectId: created.id, actorId: ids.leader } })).toBeGreaterThan(0);
  });

});

describe("history", () => {
  it("detects an event edited directly in SQLite and points at it", async () => {
    const { case: created } = await intake();
    await act(tokens.clerk, created.id, "classify", { kind: "complaint", eligible: true, withinCompetence: true });
    await act(tokens.leader, created.id, "accept", { decisionNumber: "3/QĐ", decisionDate: "2026-03-03", knewOfDecisionOn: "2026-02-20" });
    expect((await http(server.url, "GET", `/cases/${created.id}/verify`, { token: tokens.leader })).body).toEqual({ ok: true, events: 3 });
    await server.db.$executeRaw`UPDATE "CaseEvent" SET "reason" = 'sửa lén' WHERE "caseId" = ${created.id} AND "sequence" = 2`;
    const check = await http<{ ok: boolean; brokenAt: { sequence: number }; problem: string }>(server.url, "GET", `/cases/${created.id}/verify`, { token: tokens.leader });
    expect(check.body).toMatchObject({ ok: false, brokenAt: { sequence: 2 }, problem: "hash mismatch" });
    const sweep = await http<{ checked: number; damaged: { code: string; sequence: number }[] }>(server.url, "GET", "/cases-integrity", { token: tokens.leader });
    expect(sweep.body.damaged).toEqual([expect.objectContaining({ code: created.code, sequence: 2 })]);
    expect(sweep.body.checked).toBeGreaterThan(1);
  });
});

describe("online submission by a citizen", () => {
  const submission = () => ({
    unitId: commune.id,
    kind: "recommendation",
    summary: "Kiến nghị sửa đường thôn",
    content: "Đường liên thôn Đông bị hư hỏng nặng sau mưa lũ, đề nghị sửa chữa sớm.",
    name: "Phạm Thị Dân",
    phone: "0987 654 321",
    address: "Thôn Đông, xã Thử",
    consent: true,
  });

  it("files a case in the chosen unit with a code and lookup code, visible to its clerks", async () => {
    const units = await http<{ items: { id: string; name: string }[] }>(server.url, "GET", "/public/units");
    expect(units.body.items.map((unit) => unit.name)).toContain("UBND xã Thử");
    expect(JSON.stringify(units.body)).not.toContain("path");

    const filed = await http<{ code: string; lookupSecret: string }>(server.url, "POST", "/public/cases", { body: submission() });
    expect(filed.status).toBe(201);
    expect(filed.body.code).toMatch(new RegExp(`^${commune.code}-\\d{4}-\\d{6}$`));
    const found = await http<{ items: { code: string; summary: string }[] }>(server.url, "GET", `/cases?q=${filed.body.code}`, { token: tokens.clerk });
    expect(found.body.items).toEqual([expect.objectContaining({ code: filed.body.code, summary: "Kiến nghị sửa đường thôn" })]);
    const lookup = await http(server.url, "POST", "/public/lookup", { body: { code: filed.body.code, secret: filed.body.lookupSecret } });
    expect(lookup).toMatchObject({ status: 200, body: { state: "received" } });
  });

  it("requires consent and valid contact data, and limits submissions per connection", async () => {
    expect(await http(server.url, "POST", "/public/cases", { body: { ...submission(), consent: false } })).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_FAILED" } } });
    expect((await http(server.url, "POST", "/public/cases", { body: { ...submission(), phone: "123" } })).status).toBe(400);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) statuses.push((await http(server.url, "POST", "/public/cases", { body: submission() })).status);
    expect(statuses).toContain(429);
  });
});

// Last: it leaves this connection blocked from further lookups.
describe("public lookup guessing", () => {
  it("does not reveal whether a code exists to a wrong secret, and slows down guessing", async () => {
    const { case: created } = await intake();
    const wrong = await http(server.url, "POST", "/public/lookup", { body: { code: created.code, secret: "AAAA-AAAA" } });
    const unknown = await http(server.url, "POST", "/public/lookup", { body: { code: "XX-2026-000001", secret: "AAAA-AAAA" } });
    expect(wrong.status).toBe(404);
    expect(unknown.body).toEqual(wrong.body);
    let last = 0;
    for (let attempt = 0; attempt < 10; attempt++) last = (await http(server.url, "POST", "/public/lookup", { body: { code: created.code, secret: "BBBB-BBBB" } })).status;
    expect(last).toBe(429);
  });
});
