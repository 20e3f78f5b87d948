import fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { request } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import { addDays, vietnamDateOf } from "../../signaling/domain/deadlines";
import type { BookingReceipt, ScheduleDto, SlotDto } from "../../signaling/protocol";
import { buildUnit, tokenFor } from "../helpers/factories";
import { http } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

/**
 * Uploads are authenticated and authorized BEFORE their body is read, streamed to disk with the size
 * limit enforced while streaming, and citizens' (anonymous) uploads are capped per unit and per address
 * per day. What the server did is read from its side of the connection: how many bytes its socket had
 * read when it answered, and what is left in the file store.
 */

let server: TestServer;
let officer: string;
let outsider: string;
let caseId: string;
const units: { id: string; path: string }[] = [];
let province: { id: string; path: string };
const KB = 1024;

/** What the server's socket had read when the response to a request with this marker in its URL finished. */
const bytesReadAtAnswer = new Map<string, number>();

function watchServer(): void {
  server.io.httpServer.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const marker = /[?&]marker=([\w-]+)/.exec(req.url ?? "")?.[1];
    // The socket is taken now: by the time the answer is flushed, a closed connection has let go of it.
    const { socket } = req;
    if (marker) res.on("finish", () => bytesReadAtAnswer.set(marker, socket.bytesRead));
  });
}

/**
 * Offers a body of `totalBytes` (chunked, with back-pressure) and stops sending as soon as the answer
 * arrives, like a browser does. Resolves with the status, the error code and how much was offered.
 */
function offerLargeUpload(urlPath: string, headers: Record<string, string>, totalBytes: number): Promise<{ status: number; code: string | undefined; offered: number }> {
  return new Promise((resolve, reject) => {
    const url = new URL(`${server.url}${urlPath}`);
    let answered = false;
    let offered = 0;
    // A fresh connection each time (agent: false), so its byte count is this request's alone.
    const req = request({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: "POST", agent: false, headers: { "content-type": "application/pdf", ...headers } }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let code: string | undefined;
        try {
          code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
        } catch {
          code = undefined;
        }
        resolve({ status: res.statusCode ?? 0, code, offered });
        req.destroy();
      });
    });
    // The server may close the connection while we are still sending: that is the point, not a failure.
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    const chunk = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(64 * KB - 9, 0x20)]);
    const pump = () => {
      while (!answered && offered < totalBytes) {
        offered += chunk.length;
        if (!req.write(chunk)) {
          req.once("drain", pump);
          return;
        }
      }
      if (!answered) req.end();
    };
    pump();
  });
}

const incomingFiles = () => {
  const directory = path.join(server.dataDir, "attachments", "incoming");
  return fs.existsSync(directory) ? fs.readdirSync(directory) : [];
};

const pdfOf = (bytes: number) => Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(bytes - 16, 0x41), Buffer.from("\n%%EOF\n")]);

beforeAll(async () => {
  server = await startTestServer({ MAX_ATTACHMENT_MB: "20", PUBLIC_UPLOAD_MB_PER_UNIT_DAY: "1", PUBLIC_UPLOAD_MB_PER_ADDRESS_DAY: "1.5" });
  watchServer();
  province = await buildUnit(server.db, { name: "UBND tỉnh Tải" });
  units.push(await buildUnit(server.db, { parent: province, name: "UBND xã Tải Một", kind: "commune" }));
  units.push(await buildUnit(server.db, { parent: province, name: "UBND xã Tải Hai", kind: "commune" }));
  officer = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: units[0]!, roles: ["officer"] })).token;
  outsider = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: units[1]!, roles: ["officer"] })).token;
  const created = await http<{ case: { id: string } }>(server.url, "POST", "/cases", {
    token: officer,
    body: { unitId: units[0]!.id, channel: "post", receivedDate: "2026-03-02", summary: "Đơn có tệp", content: "Nội dung đơn có tệp đính kèm.", parties: [{ role: "petitioner", name: "Người gửi" }] },
  });
  expect(created.status).toBe(201);
  caseId = created.body.case.id;
});

afterAll(async () => {
  await server?.close();
});

describe("a staff upload is refused before its body is read", () => {
  const large = 16 * 1024 * KB;

  it("without a sign-in: 401 while the client is still sending, the body left unread, no file", async () => {
    const answer = await offerLargeUpload(`/api/cases/${caseId}/attachments?name=x.pdf&marker=anon`, {}, large);
    expect(answer).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
    // The answer came from the headers alone: far less than the offered body had reached the server.
    expect(bytesReadAtAnswer.get("anon")).toBeLessThan(1024 * KB);
    expect(incomingFiles()).toEqual([]);
  });

  it("with a forged token: 401, body unread", async () => {
    const answer = await offerLargeUpload(`/api/cases/${caseId}/attachments?name=x.pdf&marker=forged`, { authorization: "Bearer not.a.token" }, large);
    expect(answer).toMatchObject({ status: 401 });
    expect(bytesReadAtAnswer.get("forged")).toBeLessThan(1024 * KB);
  });

  it("signed in but outside the case's unit: 403 before the body is read", async () => {
    const answer = await offerLargeUpload(`/api/cases/${caseId}/attachments?name=x.pdf&marker=outsider`, { authorization: `Bearer ${outsider}` }, large);
    expect(answer).toMatchObject({ status: 403, code: "FORBIDDEN" });
    expect(bytesReadAtAnswer.get("outsider")).toBeLessThan(1024 * KB);
    expect(incomingFiles()).toEqual([]);
  });

  it("a declared length over the limit: 413 before the body is read", async () => {
    const answer = await offerLargeUpload(`/api/cases/${caseId}/attachments?name=x.pdf&marker=declared`, { authorization: `Bearer ${officer}`, "content-length": String(21 * 1024 * KB) }, 21 * 1024 * KB);
    expect(answer).toMatchObject({ status: 413, code: "PAYLOAD_TOO_LARGE" });
    expect(bytesReadAtAnswer.get("declared")).toBeLessThan(1024 * KB);
  });

  it("an undeclared (chunked) body over the limit: 413 once the limit is passed, the partial file removed", async () => {
    const answer = await offerLargeUpload(`/api/cases/${caseId}/attachments?name=x.pdf&marker=chunked`, { authorization: `Bearer ${officer}` }, 24 * 1024 * KB);
    expect(answer).toMatchObject({ status: 413, code: "PAYLOAD_TOO_LARGE" });
    // Read up to the limit (20 MB) and not to the end of what was offered.
    expect(bytesReadAtAnswer.get("chunked")).toBeLessThan(22 * 1024 * KB);
    expect(incomingFiles()).toEqual([]);
    expect(await server.db.attachment.count({ where: { caseId } })).toBe(0);
  });

  it("cut off by the client mid-way: the partial file is removed", async () => {
    const url = new URL(`${server.url}/api/cases/${caseId}/attachments?name=cut.pdf`);
    const req = request({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: "POST", agent: false, headers: { authorization: `Bearer ${officer}`, "content-length": String(4 * 1024 * KB) } });
    req.on("error", () => undefined);
    req.write(Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(256 * KB, 0x20)]));
    // The server has started writing the upload to a temporary file…
    await vi.waitFor(() => expect(incomingFiles()).toHaveLength(1), { timeout: 30_000 });
    req.destroy();
    // …and removes it when the client goes away; no row names it.
    await vi.waitFor(() => expect(incomingFiles()).toEqual([]), { timeout: 30_000 });
    expect(await server.db.attachment.count({ where: { caseId } })).toBe(0);
  });

  it("an allowed upload is streamed to the store and kept", async () => {
    const file = pdfOf(300 * KB);
    const response = await fetch(`${server.url}/api/cases/${caseId}/attachments?name=don.pdf`, { method: "POST", headers: { authorization: `Bearer ${officer}` }, body: new Uint8Array(file) });
    expect(response.status).toBe(201);
    const { sha256, size } = (await response.json()) as { sha256: string; size: number };
    expect(size).toBe(file.length);
    expect(fs.readFileSync(path.join(server.dataDir, "attachments", sha256.slice(0, 2), sha256)).equals(file)).toBe(true);
    expect(incomingFiles()).toEqual([]);
  });
});

// ── Citizens' files with a booking ──

let phoneCounter = 0;

async function bookingIn(unit: { id: string }): Promise<BookingReceipt> {
  const token = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles: ["officer"] })).token;
  const created = await http<ScheduleDto>(server.url, "POST", "/reception/schedules", {
    token,
    body: { unitId: unit.id, title: "Tiếp công dân", kind: "regular", rule: "daily", startTime: "08:00", endTime: "11:00", slotMinutes: 30, capacityPerSlot: 5 },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  let day = addDays(vietnamDateOf(new Date()), 7);
  while ([0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay())) day = addDays(day, 1);
  expect((await http(server.url, "POST", `/reception/schedules/${created.body.id}/slots`, { token, body: { from: day, to: day, mode: "office" } })).status).toBe(201);
  const slots = await http<{ items: SlotDto[] }>(server.url, "GET", `/reception/slots?unitId=${unit.id}&from=${day}&to=${day}`, { token });
  const slot = slots.body.items.find((item) => item.scheduleId === created.body.id)!;
  const response = await fetch(`${server.url}/api/public/reception/bookings`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": `10.77.0.${++phoneCounter}` },
    body: JSON.stringify({
      slotId: slot.id,
      fullName: "Nguyễn Văn Gửi",
      cccd: "001087012345",
      phone: `09${String(20_000_000 + phoneCounter).padStart(8, "0")}`,
      address: "Thôn Đông",
      petitionKind: "complaint",
      content: "Đề nghị được gặp cán bộ để trình bày việc cấp giấy chứng nhận.",
      consent: true,
    }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as BookingReceipt;
}

async function sendBookingFile(receipt: BookingReceipt, bytes: number, ip: string) {
  const response = await fetch(`${server.url}/api/public/reception/bookings/${receipt.bookingId}/attachments?name=giay-to.pdf`, {
    method: "POST",
    headers: { "x-booking-secret": receipt.cancelSecret, "x-forwarded-for": ip },
    body: new Uint8Array(pdfOf(bytes)),
  });
  const body = (await response.json()) as { error?: { code: string; message: string } };
  return { status: response.status, code: body.error?.code };
}

describe("a citizen's booking upload", () => {
  it("with a wrong cancel code: refused before the body is read", async () => {
    const receipt = await bookingIn(units[0]!);
    const answer = await offerLargeUpload(`/api/public/reception/bookings/${receipt.bookingId}/attachments?name=x.pdf&marker=wrong-secret`, { "x-booking-secret": "AAAA-AAAA" }, 16 * 1024 * KB);
    expect(answer).toMatchObject({ status: 404 });
    expect(bytesReadAtAnswer.get("wrong-secret")).toBeLessThan(1024 * KB);
    expect(incomingFiles()).toEqual([]);
  });

  it("beyond the unit's daily allowance: UPLOAD_QUOTA_EXCEEDED, while another unit still takes files", async () => {
    const first = await bookingIn(units[0]!);
    // 1 MB per unit per day: two files of 400 KB pass, the third does not, from any address.
    expect(await sendBookingFile(first, 400 * KB, "10.88.0.1")).toMatchObject({ status: 201 });
    expect(await sendBookingFile(first, 400 * KB, "10.88.0.2")).toMatchObject({ status: 201 });
    const refused = await sendBookingFile(first, 400 * KB, "10.88.0.3");
    expect(refused).toMatchObject({ status: 429, code: "UPLOAD_QUOTA_EXCEEDED" });
    // A refused upload does not use up the allowance: a small file still fits.
    expect(await sendBookingFile(first, 100 * KB, "10.88.0.3")).toMatchObject({ status: 201 });
    expect(await server.db.bookingAttachment.count({ where: { bookingId: first.bookingId } })).toBe(3);
  });

  it("beyond one address's daily allowance: UPLOAD_QUOTA_EXCEEDED, while another address still may", async () => {
    // 1.5 MB per address per day, spread over two fresh units so neither unit's allowance (1 MB) is the limit.
    const one = await bookingIn(await buildUnit(server.db, { parent: province, name: "UBND xã Tải Ba", kind: "commune" }));
    const two = await bookingIn(await buildUnit(server.db, { parent: province, name: "UBND xã Tải Bốn", kind: "commune" }));
    expect(await sendBookingFile(one, 700 * KB, "10.99.0.1")).toMatchObject({ status: 201 });
    expect(await sendBookingFile(two, 700 * KB, "10.99.0.1")).toMatchObject({ status: 201 });
    // 1 700 KB from this address would pass 1.5 MB; the unit (1 000 KB) would still be within its 1 MB.
    expect(await sendBookingFile(two, 300 * KB, "10.99.0.1")).toMatchObject({ status: 429, code: "UPLOAD_QUOTA_EXCEEDED" });
    expect(await sendBookingFile(two, 300 * KB, "10.99.0.3")).toMatchObject({ status: 201 });
  });
});
