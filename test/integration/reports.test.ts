import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import { buildUnit, tokenFor } from "../helpers/factories";
import { http } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
let leader: string;
let clerk: string;

/** Seeds a quarter's casework through the real API: 3 complaints, 2 denunciations, 1 outside the quarter. */
async function seedCases(commune: { id: string }) {
  const file = async (kind: string, receivedDate: string) => {
    const created = await http<{ case: { id: string } }>(server.url, "POST", "/cases", {
      token: clerk,
      body: { unitId: commune.id, channel: "post", receivedDate, summary: `Đơn ${kind}`, content: "Nội dung đơn để thống kê.", parties: [{ role: "petitioner", name: "Công dân" }] },
    });
    const id = created.body.case.id;
    await http(server.url, "POST", `/cases/${id}/actions/classify`, { token: clerk, body: { kind, eligible: true, withinCompetence: kind !== "denunciation" } });
    return id;
  };
  const step = (id: string, action: string, body: Record<string, unknown>) => http(server.url, "POST", `/cases/${id}/actions/${action}`, { token: leader, body });
  const first = await file("complaint", "2026-01-05");
  await file("complaint", "2026-02-02");
  await file("complaint", "2026-03-02");
  await file("denunciation", "2026-02-10");
  await file("denunciation", "2026-03-20");
  await file("complaint", "2026-04-02");
  await step(first, "accept", { decisionNumber: "1/QĐ", decisionDate: "2026-01-08", knewOfDecisionOn: "2025-12-29" });
  await step(first, "startVerification", {});
  const concluded = await step(first, "conclude", { decisionNumber: "2/QĐ", decisionDate: "2026-01-30", outcome: "right", summary: "Khiếu nại đúng, hủy quyết định." });
  expect(concluded.status).toBe(200);
}

/** Seeds the quarter's reception book: a group of 6 and a single citizen in Q1, one visit in April. */
async function seedReceptions(commune: { id: string }) {
  const visit = async (receivedAt: string, peopleCount: number) => {
    const created = await http(server.url, "POST", "/reception/book", {
      token: clerk,
      body: { unitId: commune.id, receivedAt, kind: "regular", peopleCount, content: "Công dân trình bày việc đền bù đất.", handling: "tiep_nhan_don", citizens: [{ fullName: "Công dân", address: "Thôn Đông" }] },
    });
    expect(created.status).toBe(201);
  };
  await visit("2026-02-03T09:00:00+07:00", 6);
  await visit("2026-03-31T16:00:00+07:00", 1);
  await visit("2026-04-01T08:00:00+07:00", 2);
}

beforeAll(async () => {
  server = await startTestServer();
  const province = await buildUnit(server.db, { name: "UBND tỉnh Bắc Ninh" });
  const commune = await buildUnit(server.db, { parent: province, name: "UBND xã Đông Tiến" });
  leader = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: province, roles: ["leader"] })).token;
  clerk = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: province, roles: ["officer"] })).token;
  await seedCases(commune);
  await seedReceptions(commune);
});

afterAll(async () => {
  await server?.close();
});

describe("statistics", () => {
  it("count a quarter's petitions by kind, competence, acceptance and timeliness", async () => {
    const stats = await http<Record<string, unknown>>(server.url, "GET", "/stats/cases?period=2026-Q1", { token: leader });
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({
      period: { from: "2026-01-01", to: "2026-03-31", label: "Quý I năm 2026" },
      received: 5,
      byKind: { complaint: 3, denunciation: 2, recommendation: 0, feedback: 0 },
      withinCompetence: 3,
      accepted: 1,
      resolved: 1,
      resolvedOnTime: 1,
      resolvedLate: 0,
      outcomes: { right: 1, partlyRight: 0, wrong: 0 },
      receptions: { visits: 2, people: 7, groupVisits: 1 },
    });
    expect((stats.body.byUnit as { name: string; receptionVisits: number }[]).find((unit) => unit.name === "UBND xã Đông Tiến")?.receptionVisits).toBe(2);
    const year = await http<{ received: number; receptions: { visits: number } }>(server.url, "GET", "/stats/cases?period=2026", { token: leader });
    expect(year.body.received).toBe(6);
    expect(year.body.receptions.visits).toBe(3);
  });

  it("refuse a bad period and readers without a case role", async () => {
    expect((await http(server.url, "GET", "/stats/cases?period=2026-Q5", { token: leader })).status).toBe(400);
    const viewer = await tokenFor(server.db, DEMO_JWT_SECRET, { unit: await buildUnit(server.db), roles: ["viewer"] });
    expect((await http(server.url, "GET", "/stats/cases?period=2026", { token: viewer.token })).status).toBe(403);
  });
});

describe("periodic reports", () => {
  async function download(format: "xlsx" | "pdf") {
    const response = await fetch(`${server.url}/api/reports/cases?period=2026-Q1&format=${format}`, { headers: { authorization: `Bearer ${leader}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toContain(`bao-cao-don-thu-2026-Q1.${format}`);
    return Buffer.from(await response.arrayBuffer());
  }

  it("XLSX read back holds the headings and counts", async () => {
    const workbook = new ExcelJS.Workbook();
    const data = await download("xlsx");
    await workbook.xlsx.load(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer);
    const sheet = workbook.getWorksheet("Báo cáo");
    const rows = new Map<string, unknown>();
    sheet?.eachRow((row) => rows.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(rows.get("Tổng số đơn tiếp nhận")).toBe(5);
    expect(rows.get("— Tố cáo")).toBe(2);
    expect(rows.get("— Giải quyết đúng hạn")).toBe(1);
    expect(rows.get("UBND xã Đông Tiến")).toBe(5);
    expect(rows.get("Số lượt tiếp công dân")).toBe(2);
    expect(rows.get("— Số người được tiếp")).toBe(7);
    expect(rows.get("— Số đoàn đông người")).toBe(1);
  });

  it("PDF text has the Vietnamese headings, unit names and counts", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-report-")), "report.pdf");
    fs.writeFileSync(file, await download("pdf"));
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    expect(text).toContain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    expect(text).toContain("QUÝ I NĂM 2026");
    expect(text).toContain("UBND xã Đông Tiến");
    expect(text).toMatch(/Tổng số đơn tiếp nhận\s+5/);
    expect(text).toMatch(/Tố cáo\s+2/);
    expect(text).toMatch(/Số lượt tiếp công dân\s+2/);
    expect(text).toMatch(/Số người được tiếp\s+7/);
  });
});
