import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import { addDays, localDate } from "../../signaling/domain/deadlines";
import { childPath } from "../../signaling/domain/unitTree";
import type { Actor } from "../../signaling/policies";
import type { CaseDetail, CaseNotification } from "../../signaling/protocol";
import { CaseService } from "../../signaling/services/cases/cases";
import { buildUnit, testCitizenSecrets, tokenFor } from "../helpers/factories";
import { http } from "../helpers/http";
import { postgresPass } from "../helpers/postgres";
import { startTestServer, type TestServer } from "../helpers/server";

/**
 * The notification bell is kept between polls (issue 15 item 2: every staff page polls it). What it shows
 * must still change right after any write that changes it — on this process, on a second process sharing
 * the database, in PostgreSQL mode (this file is in test/postgres-pass.json) — and at Vietnam's midnight.
 * Each test polls first, so a kept answer exists before the write it must not survive.
 */
let a: TestServer;
let b: TestServer;
let province: { id: string; path: string; code: string };
let commune: { id: string; path: string; code: string };
let otherCommune: { id: string; path: string; code: string };
type Key = "clerk" | "inspector" | "leader" | "otherClerk" | "provinceLeader";
const tokens = {} as Record<Key, string>;
const ids = {} as Record<Key, string>;

const denouncer = { role: "petitioner" as const, name: "Lê Thị Chuông Kín", idNumber: "001099054321", phone: "0987654321", address: "Xóm Chuông, xã Thử" };
const respondent = { role: "respondent" as const, name: "Ông Phạm Văn Bị", organization: "UBND xã Thử" };


beforeAll(async () => {
  a = await startTestServer();
  // A second signaling process on the same database (README › Scaling out): its kept answers must follow
  // writes made through the first.
  b = await startTestServer({ DATABASE_URL: a.databaseUrl, DATA_DIR: a.dataDir });
  province = await buildUnit(a.db, { name: "UBND tỉnh Chuông" });
  commune = await buildUnit(a.db, { parent: province, name: "UBND xã Chuông" });
  otherCommune = await buildUnit(a.db, { parent: province, name: "UBND xã Bên Chuông" });
  for (const [key, unit, roles] of [
    ["clerk", commune, ["officer"]],
    ["inspector", commune, ["inspector"]],
    ["leader", commune, ["leader"]],
    ["otherClerk", otherCommune, ["officer"]],
    ["provinceLeader", province, ["leader"]],
  ] as const) {
    const { user, token } = await tokenFor(a.db, DEMO_JWT_SECRET, { unit, roles: [...roles] });
    tokens[key] = token;
    ids[key] = user.id;
  }
}, 120_000);

afterAll(async () => {
  await b?.close();
  await a?.close();
});

async function bell(server: TestServer, key: Key): Promise<CaseNotification[]> {
  const result = await http<{ items: CaseNotification[] }>(server.url, "GET", "/notifications", { token: tokens[key] });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body.items;
}

/** A petition received long ago: its first duty is overdue, so it is in the bell at once. */
async function intake(server: TestServer, by: "clerk" | "otherClerk" = "clerk") {
  const result = await http<{ case: CaseDetail }>(server.url, "POST", "/cases", {
    token: tokens[by],
    body: {
      unitId: (by === "clerk" ? commune : otherCommune).id,
      channel: "post",
      receivedDate: "2026-03-02",
      // A clerk's summary that names the denouncer: the bell must mask it while the case is protected.
      summary: `Bà ${denouncer.name} phản ánh sai phạm đất đai`,
      content: "Nội dung đơn chi tiết về việc sử dụng đất sai quy định.",
      parties: [denouncer, respondent],
    },
  });
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  return result.body.case;
}

async function act(server: TestServer, key: Key, caseId: string, action: string, body: Record<string, unknown>) {
  const result = await http<CaseDetail>(server.url, "POST", `/cases/${caseId}/actions/${action}`, { token: tokens[key], body });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
}

async function assign(server: TestServer, caseId: string, assigneeId: string) {
  const result = await http<CaseDetail>(server.url, "POST", `/cases/${caseId}/assign`, { token: tokens.leader, body: { assigneeId } });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
}

const find = (items: readonly CaseNotification[], caseId: string) => items.find((item) => item.caseId === caseId);

describe("the bell follows every write at once", () => {
  it("on the same process: intake, a step, an assignment and a forwarding each show in the next poll", async () => {
    await bell(a, "clerk");
    await bell(a, "inspector");
    await bell(a, "otherClerk");
    const created = await intake(a);

    // Intake: unassigned in the clerk's unit, overdue; not yet classified, so protected: the summary is masked.
    const afterIntake = await bell(a, "clerk");
    expect(find(afterIntake, created.id)).toMatchObject({ code: created.code, status: "overdue", assignedToMe: false });
    expect(JSON.stringify(afterIntake)).not.toContain(denouncer.name);
    expect(find(await bell(a, "otherClerk"), created.id), "another commune's clerk").toBeUndefined();

    // A step that changes what the bell says: classified as a complaint, the petitioner is no longer protected.
    await act(a, "clerk", created.id, "classify", { kind: "complaint", eligible: true, withinCompetence: true });
    expect(find(await bell(a, "clerk"), created.id)?.summary).toContain(denouncer.name);

    // Assigned to the inspector: theirs now, and no longer the clerk's (the bell shows unassigned ones only).
    expect(find(await bell(a, "inspector"), created.id)).toMatchObject({ assignedToMe: false });
    await assign(a, created.id, ids.inspector);
    expect(find(await bell(a, "inspector"), created.id)).toMatchObject({ assignedToMe: true });
    expect(find(await bell(a, "clerk"), created.id)).toBeUndefined();

    // Forwarded to the other commune: the assignment ends and the case leaves this unit.
    const forwarded = await http(a.url, "POST", `/cases/${created.id}/actions/forward`, { token: tokens.inspector, body: { toUnitId: otherCommune.id, reason: "Không thuộc thẩm quyền" } });
    expect(forwarded.status, "taken, then out of the inspector's reach (as in cases.test.ts)").toBe(403);
    expect((await a.db.case.findUniqueOrThrow({ where: { id: created.id } })).unitId).toBe(otherCommune.id);
    expect(find(await bell(a, "inspector"), created.id)).toBeUndefined();
  });

  it("on a second process sharing the database: a write through one shows in the other's next poll", async () => {
    await bell(b, "clerk");
    await bell(b, "inspector");
    const created = await intake(a);
    expect(find(await bell(b, "clerk"), created.id)).toMatchObject({ status: "overdue", assignedToMe: false });
    await assign(a, created.id, ids.inspector);
    expect(find(await bell(b, "clerk"), created.id)).toBeUndefined();
    expect(find(await bell(b, "inspector"), created.id)).toMatchObject({ assignedToMe: true });
    // And the other way round.
    const second = await intake(b);
    expect(find(await bell(a, "clerk"), second.id)).toMatchObject({ status: "overdue" });
  });

  it("follows a unit's move in the tree: its cases leave the old province leader's bell", async () => {
    const created = await intake(a, "otherClerk");
    expect(find(await bell(a, "provinceLeader"), created.id)).toMatchObject({ assignedToMe: false });
    // As UnitService.update moves a unit (its path and its subtree's), in one transaction.
    const elsewhere = await buildUnit(a.db, { name: "UBND tỉnh Khác" });
    await a.db.unit.update({ where: { id: otherCommune.id }, data: { parentId: elsewhere.id, path: childPath(elsewhere.path, otherCommune.id) } });
    try {
      expect(find(await bell(b, "provinceLeader"), created.id)).toBeUndefined();
      expect(find(await bell(a, "provinceLeader"), created.id)).toBeUndefined();
    } finally {
      await a.db.unit.update({ where: { id: otherCommune.id }, data: { parentId: province.id, path: otherCommune.path } });
    }
    expect(find(await bell(a, "provinceLeader"), created.id)).toBeDefined();
  });
});

describe("the case clock under concurrent writers (PostgreSQL)", () => {
  // A transaction that writes several cases (a calendar edit's recomputation, retention) and a clerk's
  // single step on one of them. Were the clock row locked from a writer's first statement, the step would
  // wait for the clock while holding its case, and the long transaction would wait for that case: a
  // deadlock, one of them aborted. The clock's row is taken before any row of the statement (a BEFORE statement trigger), so a writer
  // waits for it holding no case, and both go through.
  it.runIf(postgresPass)("a long transaction and a single step on the same cases both commit", async () => {
    const [x, y] = [await intake(a), await intake(a)];
    let firstWrote!: () => void;
    const firstHasWritten = new Promise<void>((resolve) => (firstWrote = resolve));
    let secondWrote!: () => void;
    const secondHasWritten = new Promise<void>((resolve) => (secondWrote = resolve));
    const someoneWaits = async () => {
      for (;;) {
        const [row] = await a.db.$queryRaw<{ n: number }[]>`SELECT COUNT(*)::int AS n FROM pg_locks WHERE NOT granted`;
        if ((row?.n ?? 0) > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const long = a.db.$transaction(
      async (tx) => {
        await tx.case.update({ where: { id: x.id }, data: { summary: "Ghi lại trích yếu (giao dịch dài) 1" } });
        firstWrote();
        // The step has written its case, or is stuck waiting for something this transaction holds.
        await Promise.race([secondHasWritten, someoneWaits()]);
        await tx.case.update({ where: { id: y.id }, data: { summary: "Ghi lại trích yếu (giao dịch dài) 2" } });
      },
      { timeout: 60_000, maxWait: 60_000 },
    );
    await firstHasWritten;
    const step = a.db.$transaction(
      async (tx) => {
        await tx.case.update({ where: { id: y.id }, data: { summary: "Bước xử lý của cán bộ" } });
        secondWrote();
      },
      { timeout: 60_000, maxWait: 60_000 },
    );
    const outcomes = await Promise.allSettled([long, step]);
    expect(outcomes.map((outcome) => (outcome.status === "rejected" ? String(outcome.reason) : "committed"))).toEqual(["committed", "committed"]);
  }, 90_000);
});

describe("the bell at Vietnam's midnight", () => {
  it("a case enters the bell when its due date comes within 5 days, and turns overdue the day after it, with no write", async () => {
    const created = await intake(a);
    // Due in the future, so it can be watched coming near: a fresh deadline, stored as every step stores it.
    const stored = await a.db.case.findUniqueOrThrow({ where: { id: created.id }, select: { dueDate: true } });
    expect(stored.dueDate).not.toBeNull();
    const due = addDays(localDate(stored.dueDate!), 40);
    await a.db.case.update({ where: { id: created.id }, data: { dueDate: due } });

    let now = new Date(`${addDays(localDate(due), -6)}T16:59:59.000Z`); // 23:59:59 in Vietnam, six days before
    const service = new CaseService(a.db, testCitizenSecrets, { clock: () => now });
    const actor: Actor = { id: ids.clerk, roles: ["officer"], unitId: commune.id, unitPath: commune.path };
    const notices = async () => (await service.notifications(actor)).find((item) => item.caseId === created.id);

    expect(await notices()).toBeUndefined();
    now = new Date(now.getTime() + 2_000); // 00:00:01 in Vietnam: five days before
    expect(await notices()).toMatchObject({ due, status: "dueSoon" });
    now = new Date(`${due}T16:59:59.000Z`); // the due day's last second
    expect(await notices()).toMatchObject({ status: "dueSoon" });
    now = new Date(now.getTime() + 2_000); // the day after
    expect(await notices()).toMatchObject({ status: "overdue" });
  });
});
