import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import { addDays, vietnamDateOf } from "../../signaling/domain/deadlines";
import type { BookingReceipt, ScheduleDto, SlotDto } from "../../signaling/protocol";
import { buildUnit, buildUser, TEST_PASSWORD, tokenFor } from "../helpers/factories";
import { http } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

/**
 * The log canary: a realistic run against the real server with its log captured to a file at the most
 * talkative level — sign-in and refresh, a citizen's booking with its file and cancel code, a petition
 * and its lookup, searches by name and CCCD (also by a role that is refused), a download whose file name
 * carries the citizen's name, a failed sign-in with a secret typed as the username — then every secret
 * and canary created along the way is looked for in the whole log, as typed and as a URL would carry it.
 */

const SUFFIX = Date.now().toString(36).slice(-5);
/** An ASCII token in every canary, so it is found whatever the encoding of the rest (JSON, URL, RFC 5987). */
const MARK = `Canaryq${SUFFIX}`;
const canary = {
  name: `Trần Thị ${MARK} Hoà`,
  cccd: `0010${String(Date.now()).slice(-8)}`,
  phone: `09${String(Date.now()).slice(-8)}`,
  fileName: `Đơn của ${MARK} Hoà.pdf`,
  /** A password typed into the username box by mistake. */
  typedUsername: `matkhau-${MARK.toLowerCase()}-bimat`,
};

const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

let server: TestServer;
let logFile: string;
/** Every secret the run produced or presented; filled as the run goes. */
const secrets: Record<string, string> = {};

async function post<T>(urlPath: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/api${urlPath}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as T };
}

async function runRealisticFlow(): Promise<void> {
  const province = await buildUnit(server.db, { name: "UBND tỉnh Nhật Ký" });
  const commune = await buildUnit(server.db, { parent: province, name: "UBND xã Nhật Ký", kind: "commune" });

  // Sign-in: the refresh cookie (Set-Cookie) and the access token.
  const officerUser = await buildUser(server.db, { unit: commune, roles: ["officer"], username: `can.bo.${SUFFIX}` });
  const login = await http<{ accessToken: string }>(server.url, "POST", "/auth/login", { body: { username: officerUser.username, password: TEST_PASSWORD } });
  expect(login.status).toBe(200);
  secrets.password = TEST_PASSWORD;
  secrets.accessToken = login.body.accessToken;
  secrets.refreshCookie = login.refreshCookie!;
  const refreshed = await http<{ accessToken: string }>(server.url, "POST", "/auth/refresh", { refreshCookie: login.refreshCookie! });
  expect(refreshed.status).toBe(200);
  secrets.refreshedCookie = refreshed.refreshCookie!;
  secrets.refreshedAccessToken = refreshed.body.accessToken;
  const officer = refreshed.body.accessToken;

  // A citizen books a slot with the canary identity, sends a file with the cancel code, then cancels.
  const created = await http<ScheduleDto>(server.url, "POST", "/reception/schedules", {
    token: officer,
    body: { unitId: commune.id, title: "Tiếp công dân", kind: "regular", rule: "daily", startTime: "08:00", endTime: "11:00", slotMinutes: 30, capacityPerSlot: 5 },
  });
  expect(created.status).toBe(201);
  let day = addDays(vietnamDateOf(new Date()), 7);
  while ([0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay())) day = addDays(day, 1);
  expect((await http(server.url, "POST", `/reception/schedules/${created.body.id}/slots`, { token: officer, body: { from: day, to: day, mode: "online" } })).status).toBe(201);
  const slots = await http<{ items: SlotDto[] }>(server.url, "GET", `/reception/slots?unitId=${commune.id}&from=${day}&to=${day}`, { token: officer });
  const slot = slots.body.items[0]!;
  const booking = await post<BookingReceipt>("/public/reception/bookings", {
    slotId: slot.id,
    fullName: canary.name,
    cccd: canary.cccd,
    phone: canary.phone,
    address: `Thôn ${MARK}, xã Nhật Ký`,
    petitionKind: "complaint",
    content: `Tôi là ${canary.name}, đề nghị được gặp cán bộ để trình bày việc đất đai.`,
    consent: true,
  });
  expect(booking.status).toBe(201);
  secrets.bookingCancelCode = booking.body.cancelSecret;
  secrets.bookingJoinToken = booking.body.joinToken!;
  const sent = await fetch(`${server.url}/api/public/reception/bookings/${booking.body.bookingId}/attachments?name=${encodeURIComponent(canary.fileName)}`, {
    method: "POST",
    headers: { "x-booking-secret": booking.body.cancelSecret },
    body: new Uint8Array(PDF),
  });
  expect(sent.status).toBe(201);
  const bookingFile = (await sent.json()) as { id: string };
  // The join link is tried before its time (refused, not spent): its token travels in the body.
  expect((await post("/public/reception/join", { bookingId: booking.body.bookingId, token: booking.body.joinToken })).status).toBe(425);
  // Staff read the booking (the name in the answer) and download its file (the name in Content-Disposition).
  expect((await http(server.url, "GET", `/reception/slots/${slot.id}/bookings`, { token: officer })).status).toBe(200);
  const bookingDownload = await fetch(`${server.url}/api/reception/bookings/${booking.body.bookingId}/attachments/${bookingFile.id}`, { headers: { authorization: `Bearer ${officer}` } });
  expect(bookingDownload.status).toBe(200);
  expect(decodeURIComponent(bookingDownload.headers.get("content-disposition") ?? "")).toContain(MARK);
  expect((await post("/public/reception/bookings/cancel", { code: booking.body.code, secret: booking.body.cancelSecret })).status).toBe(200);

  // A petition filed online with the canary identity, and its lookup with the secret.
  const submitted = await post<{ code: string; lookupSecret: string }>("/public/cases", {
    unitId: commune.id,
    kind: "complaint",
    summary: `Khiếu nại của ${MARK}`,
    content: `Tôi là ${canary.name}, khiếu nại quyết định thu hồi đất của xã.`,
    name: canary.name,
    idNumber: canary.cccd,
    phone: canary.phone,
    address: `Thôn ${MARK}, xã Nhật Ký`,
    consent: true,
  });
  expect(submitted.status).toBe(201);
  secrets.caseLookupSecret = submitted.body.lookupSecret;
  expect((await post("/public/lookup", { code: submitted.body.code, secret: submitted.body.lookupSecret })).status).toBe(200);

  // Searches by name and CCCD: by an officer (answered) and by an administrator (refused, still logged).
  const admin = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: commune, roles: ["admin"] })).token;
  secrets.adminToken = admin;
  for (const q of [canary.name, canary.cccd, canary.phone]) {
    const found = await http<{ items: { id: string }[] }>(server.url, "GET", `/cases?q=${encodeURIComponent(q)}`, { token: officer });
    expect(found.status).toBe(200);
    expect((await http(server.url, "GET", `/cases?q=${encodeURIComponent(q)}`, { token: admin })).status).toBe(403);
  }
  const caseId = (await server.db.case.findFirstOrThrow({ where: { code: submitted.body.code } })).id;

  // A case file named after the citizen, uploaded and downloaded.
  const uploaded = await fetch(`${server.url}/api/cases/${caseId}/attachments?name=${encodeURIComponent(canary.fileName)}`, {
    method: "POST",
    headers: { authorization: `Bearer ${officer}` },
    body: new Uint8Array(PDF),
  });
  expect(uploaded.status).toBe(201);
  const caseFile = (await uploaded.json()) as { id: string };
  const download = await fetch(`${server.url}/api/cases/${caseId}/attachments/${caseFile.id}`, { headers: { authorization: `Bearer ${officer}` } });
  expect(download.status).toBe(200);
  expect(decodeURIComponent(download.headers.get("content-disposition") ?? "")).toContain(MARK);

  // A failed sign-in with a secret typed as the username, and one with a wrong password.
  expect((await http(server.url, "POST", "/auth/login", { body: { username: canary.typedUsername, password: `sai-${MARK}-matkhau` } })).status).toBe(401);
  secrets.wrongPassword = `sai-${MARK}-matkhau`;
  expect((await http(server.url, "POST", "/auth/login", { body: { username: officerUser.username, password: secrets.wrongPassword } })).status).toBe(401);

  // Sign out with the refresh cookie.
  expect((await http(server.url, "POST", "/auth/logout", { refreshCookie: refreshed.refreshCookie!, token: officer })).status).toBeLessThan(300);
}

/** A value as it may appear in a log line: as typed, percent-encoded (a URL), and JSON-escaped. */
function formsOf(value: string): string[] {
  return [...new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1), value.replace(/ /g, "+")])];
}

beforeAll(async () => {
  logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-log-")), "server.log");
  server = await startTestServer({ LOG_LEVEL: "trace", LOG_FORMAT: "json" }, { logFile });
  await runRealisticFlow();
});

afterAll(async () => {
  await server?.close();
  if (!process.env.KEEP_CANARY_LOG) fs.rmSync(path.dirname(logFile), { recursive: true, force: true });
});

describe("the server log of a realistic run", () => {
  it("logged the run (one line per request, with the URL's path)", () => {
    const log = fs.readFileSync(logFile, "utf8");
    // Not vacuous: the requests are there, with their paths and the NAMES of their query keys.
    expect(log).toContain("/api/auth/login");
    expect(log).toContain("/api/public/reception/bookings/");
    expect(log).toMatch(/\/api\/cases\?q[^=]/);
    expect(log.split("\n").filter((line) => line.includes('"statusCode":403')).length).toBeGreaterThanOrEqual(3);
  });

  it("holds none of the secrets and canaries the run created", () => {
    // Case-insensitive: a value may be logged lower-cased (usernames are) or upper-cased (codes are).
    const log = fs.readFileSync(logFile, "utf8").toLowerCase();
    const canaries: Record<string, string> = { mark: MARK, cccd: canary.cccd, phone: canary.phone, name: canary.name, fileName: canary.fileName, typedUsername: canary.typedUsername };
    expect(Object.keys(secrets).length).toBeGreaterThanOrEqual(10);
    for (const [what, value] of Object.entries({ ...secrets, ...canaries })) {
      expect(value.length, what).toBeGreaterThan(5);
      for (const form of formsOf(value)) expect(log.includes(form.toLowerCase()), `${what} (${form.slice(0, 12)}…) is in the log`).toBe(false);
    }
  });

  it("the failed-login audit keeps no typed username", async () => {
    const rows = await server.db.auditLog.findMany({ where: { action: { startsWith: "auth.login" } } });
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(JSON.stringify(row).toLowerCase()).not.toContain(MARK.toLowerCase());
  });
});
