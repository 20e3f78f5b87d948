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

beforeAll(async () => {
  server = await startTestServer();
  await server.db.holiday.createMany({ data: calendarSeeds.map((day) => ({ date: day.date, name: day.name, kind: day.kind })) });
  const unit = await buildUnit(server.db, { name: "UBND xã Thời Hạn" });
  unitId = unit.id;
  token = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles: ["leader"] })).token;
});

afterAll(async () => {
  await server?.close();
});

const act = (caseId: string, action: string, body: Record<string, unknown>) => http<CaseDetail>(server.url, "POST", `/cases/${caseId}/actions/${action}`, { token, body });

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
