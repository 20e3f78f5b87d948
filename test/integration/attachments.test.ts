import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import { buildUnit, tokenFor } from "../helpers/factories";
import { http } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
const tokens: Record<"clerk" | "leader" | "other", string> = { clerk: "", leader: "", other: "" };
let caseId: string;
let denunciationId: string;

const pdf = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);

async function upload(token: string, id: string, name: string, data: Buffer, contentType = "application/octet-stream") {
  const response = await fetch(`${server.url}/api/cases/${id}/attachments?name=${encodeURIComponent(name)}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": contentType },
    body: new Uint8Array(data),
  });
  return { status: response.status, body: (await response.json()) as { id: string; sha256: string; mimeType: string; originalName: string; error?: { code: string } } };
}

async function fileCase(kind?: string) {
  const created = await http<{ case: { id: string } }>(server.url, "POST", "/cases", {
    token: tokens.clerk,
    body: { unitId: unit.id, channel: "post", receivedDate: "2026-03-02", summary: "Đơn có tệp", content: "Nội dung đơn có tệp đính kèm.", parties: [{ role: "petitioner", name: "Người gửi" }] },
  });
  const id = created.body.case.id;
  if (kind) await http(server.url, "POST", `/cases/${id}/actions/classify`, { token: tokens.clerk, body: { kind, eligible: true, withinCompetence: true } });
  return id;
}

let unit: { id: string; path: string };

beforeAll(async () => {
  server = await startTestServer({ MAX_ATTACHMENT_MB: "1" });
  const province = await buildUnit(server.db);
  unit = await buildUnit(server.db, { parent: province });
  const other = await buildUnit(server.db, { parent: province });
  tokens.clerk = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles: ["officer"] })).token;
  tokens.leader = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles: ["leader"] })).token;
  tokens.other = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: other, roles: ["officer"] })).token;
  caseId = await fileCase("complaint");
  denunciationId = await fileCase("denunciation");
});

afterAll(async () => {
  await server?.close();
});

describe("attachments", () => {
  it("stores a PDF by its content hash and gives it back byte for byte", async () => {
    const uploaded = await upload(tokens.clerk, caseId, "Đơn khiếu nại.pdf", pdf, "application/pdf");
    expect(uploaded.status).toBe(201);
    const sha256 = createHash("sha256").update(pdf).digest("hex");
    expect(uploaded.body).toMatchObject({ sha256, mimeType: "application/pdf", originalName: "Đơn khiếu nại.pdf" });
    expect(fs.existsSync(path.join(server.dataDir, "attachments", sha256.slice(0, 2), sha256))).toBe(true);

    const response = await fetch(`${server.url}/api/cases/${caseId}/attachments/${uploaded.body.id}`, { headers: { authorization: `Bearer ${tokens.clerk}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toContain("UTF-8''");
    expect(Buffer.from(await response.arrayBuffer()).equals(pdf)).toBe(true);
  });

  it("judges files by content: a PNG named .pdf is a PNG, an executable is refused", async () => {
    const disguised = await upload(tokens.clerk, caseId, "evil.pdf", png, "application/pdf");
    expect(disguised.body).toMatchObject({ mimeType: "image/png", originalName: "evil.png" });
    const exe = await upload(tokens.clerk, caseId, "tai-lieu.pdf", Buffer.concat([Buffer.from("MZ"), Buffer.alloc(100)]), "application/pdf");
    expect(exe).toMatchObject({ status: 415, body: { error: { code: "UNSUPPORTED_FILE" } } });
  });

  it("recognises a real Excel workbook", async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet("Bảng kê").addRow(["Số tiền", 1000]);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    expect((await upload(tokens.clerk, caseId, "bang-ke.xlsx", xlsx)).body.mimeType).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  });

  it("keeps identical content once on disk", async () => {
    const first = await upload(tokens.clerk, caseId, "a.png", png);
    const second = await upload(tokens.clerk, caseId, "b.png", png);
    expect(first.body.sha256).toBe(second.body.sha256);
    expect(first.body.id).not.toBe(second.body.id);
  });

  it("refuses files over the size limit and empty ones", async () => {
    expect((await upload(tokens.clerk, caseId, "big.pdf", Buffer.concat([pdf, Buffer.alloc(1_200_000)]))).status).toBe(413);
    expect((await upload(tokens.clerk, caseId, "empty.pdf", Buffer.alloc(0))).status).toBe(400);
  });

  it("are out of reach of other units", async () => {
    const uploaded = await upload(tokens.clerk, caseId, "x.pdf", pdf);
    expect((await upload(tokens.other, caseId, "y.pdf", pdf)).status).toBe(403);
    expect((await http(server.url, "GET", `/cases/${caseId}/attachments/${uploaded.body.id}`, { token: tokens.other })).status).toBe(403);
  });

  it("of a denunciation are withheld from readers without the identity right, and reads are audited", async () => {
    const uploaded = await upload(tokens.clerk, denunciationId, "don-to-cao.pdf", pdf);
    expect(uploaded.status).toBe(201);
    expect((await http<{ items: unknown[] }>(server.url, "GET", `/cases/${denunciationId}/attachments`, { token: tokens.clerk })).body.items).toEqual([]);
    expect((await http(server.url, "GET", `/cases/${denunciationId}/attachments/${uploaded.body.id}`, { token: tokens.clerk })).status).toBe(403);
    const asLeader = await fetch(`${server.url}/api/cases/${denunciationId}/attachments/${uploaded.body.id}`, { headers: { authorization: `Bearer ${tokens.leader}` } });
    expect(asLeader.status).toBe(200);
    expect(await server.db.auditLog.count({ where: { action: "attachment.read", subjectId: denunciationId } })).toBe(1);
  });
});
