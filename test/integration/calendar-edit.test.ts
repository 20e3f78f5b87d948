import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import { calendarSeeds } from "../../signaling/domain/deadlines";
import type { CaseDetail } from "../../signaling/protocol";
import { buildUnit, tokenFor } from "../helpers/factories";
import { http } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

/**
 * The stored due dates follow an edit of the days-off calendar. The work queue, its overdue filter, the
 * bell, the deadline mails and the reports read a case's stored duties (`dueDate`, `openDuties`), not
 * its page's recomputation: before this, a day off added for the coming week left every stored deadline
 * across it one working day early until the case's next step.
 */
let server: TestServer;
let admin: string;
let leader: string;
let commune: { id: string; path: string };

beforeAll(async () => {
  server = await startTestServer();
  await server.db.holiday.createMany({ data: calendarSeeds.map((day) => ({ date: day.date, name: day.name, kind: day.kind })) });
  const province = await buildUnit(server.db, { name: "UBND tỉnh Lịch Nghỉ" });
  commune = await buildUnit(server.db, { parent: province, name: "UBND xã Ngày Nghỉ" });
  admin = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: province, roles: ["admin"] })).token;
  leader = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: commune, roles: ["leader"] })).token;
});

afterAll(async () => {
  await server?.close();
});

async function denunciationCheckedInSeveralPlaces(receivedDate: string) {
  const created = await http<{ case: CaseDetail }>(server.url, "POST", "/cases", {
    token: leader,
    body: { unitId: commune.id, channel: "post", receivedDate, summary: "Tố cáo cần xác minh nhiều nơi", content: "Nội dung tố cáo đủ dài để kiểm tra thời hạn khi lịch nghỉ thay đổi.", parties: [{ role: "petitioner", name: "Người Tố Cáo Lịch" }] },
  });
  expect(created.status).toBe(201);
  const id = created.body.case.id;
  const classified = await http<CaseDetail>(server.url, "POST", `/cases/${id}/actions/classify`, { token: leader, body: { kind: "denunciation", eligible: true, withinCompetence: true, checkInSeveralPlaces: true } });
  expect(classified.status).toBe(200);
  return id;
}

async function stored(id: string) {
  const row = await server.db.case.findUniqueOrThrow({ where: { id }, select: { dueDate: true, openDuties: true } });
  const duties = JSON.parse(row.openDuties ?? "null") as { ruleId: string; due: string | null }[] | null;
  return { dueDate: row.dueDate, duties: duties?.map((duty) => `${duty.ruleId} ${duty.due ?? "-"}`) ?? null };
}

describe("editing the days-off calendar", () => {
  it("moves the stored due dates of open periods across the edited day, leaves later ones as they were, and moves them back when the day is removed", async () => {
    // 10 working days from Mon 2 Mar: Mon 16 Mar. From Mon 6 Apr: Mon 20 Apr (the 10 Mar edit is before it).
    const across = await denunciationCheckedInSeveralPlaces("2026-03-02");
    const later = await denunciationCheckedInSeveralPlaces("2026-04-06");
    expect(await stored(across)).toEqual({ dueDate: "2026-03-16", duties: ["denunciation.initialCheckSeveralPlaces 2026-03-16"] });
    expect((await stored(later)).dueDate).toBe("2026-04-20");

    const added = await http<{ id: string }>(server.url, "POST", "/holidays", { token: admin, body: { date: "2026-03-10", name: "Nghỉ đột xuất (thử)" } });
    expect(added.status).toBe(201);
    // Answered once the stored duties are recomputed: the queue the clerk opens next is already right.
    expect(await stored(across)).toEqual({ dueDate: "2026-03-17", duties: ["denunciation.initialCheckSeveralPlaces 2026-03-17"] });
    expect(await stored(later)).toEqual({ dueDate: "2026-04-20", duties: ["denunciation.initialCheckSeveralPlaces 2026-04-20"] });

    // The list (what the work queue reads) shows the moved date.
    const list = await http<{ items: { id: string; deadline: { due: string | null } }[] }>(server.url, "GET", `/cases?unitId=${commune.id}`, { token: leader });
    expect(list.status).toBe(200);
    expect(list.body.items.find((item) => item.id === across)?.deadline.due).toBe("2026-03-17");

    const removed = await http(server.url, "DELETE", `/holidays/${added.body.id}`, { token: admin });
    expect(removed.status).toBe(200);
    expect(await stored(across)).toEqual({ dueDate: "2026-03-16", duties: ["denunciation.initialCheckSeveralPlaces 2026-03-16"] });
  });

  it("a case left with its duties marked stale (the server stopped mid-way) gets them back from the start-up back-fill", async () => {
    const id = await denunciationCheckedInSeveralPlaces("2026-03-02");
    await server.db.case.update({ where: { id }, data: { openDuties: null } });
    await server.cases.backfillDuties();
    expect(await stored(id)).toEqual({ dueDate: "2026-03-16", duties: ["denunciation.initialCheckSeveralPlaces 2026-03-16"] });
  });
});
