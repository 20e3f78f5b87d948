import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnyRoute } from "../../signaling/api/route";
import { signGuestToken } from "../../signaling/auth/guestTokens";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import { verifyChain } from "../../signaling/domain/cases/hashChain";
import { repoRoot } from "../../signaling/paths";
import { type ClientRequestName, clientRequestNames, clientRequests, errorCodes, type Role, roles } from "../../signaling/protocol";
import { connect, rawRequest, type TestSocket } from "../helpers/client";
import { buildUnit, tokenFor } from "../helpers/factories";
import { hostileString, hostileValue, jsonSize, payloadFor, type ShapeOptions, sometimes } from "../helpers/fuzz";
import { http } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

/**
 * Generated input on every REST route (from the server's route registry) and every socket event (from
 * the protocol registry), as every role, a citizen's guest pass, no sign-in and a forged token: the
 * server never answers 5xx, never hangs, always names a known error code, stays up, and the next valid
 * request still works. Seeded: FUZZ_SEED=<seed> reproduces a run; FUZZ_SCALE multiplies its size
 * (`npm run fuzz` runs 10×); FUZZ_VERBOSE=1 lists how deep each route and event got, FUZZ_DEBUG=<route id>
 * prints its answers. The CI size is at least 10 000 payloads.
 */

const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const scale = Number(process.env.FUZZ_SCALE ?? 1);
const REST_BUDGET = 6_400 * scale;
const SOCKET_BUDGET = 4_000 * scale;
// The run's tokens must outlive it on a loaded machine (the REST part once took 516 s there).
const FUZZ_TOKEN_TTL_SECONDS = 4 * 3600;
/** socket.io's maxHttpBufferSize on the server: a bigger frame closes that connection by design. */
const SOCKET_FRAME_LIMIT = 64 * 1024;
const known = new Set<string>(errorCodes);
/** Each route and event its own stream of the run's seed: one seed for all would repeat the same choices everywhere. */
const seedFor = (name: string) => [...name].reduce((hash, char) => (Math.imul(hash, 31) + char.charCodeAt(0)) | 0, seed);

let server: TestServer;
const tokens = {} as Record<Role, string>;
let guestToken: string;
const shape: { ids: string[]; examples: Record<string, unknown> } = { ids: [], examples: {} };
const sent = { rest: 0, socket: 0 };
/** Per route or event: how many generated requests got past validation (2xx or a handler's refusal). */
const reached = new Map<string, { total: number; accepted: number; refusedByHandler: number }>();
function tally(name: string, outcome: "accepted" | "validation" | "handler") {
  const entry = reached.get(name) ?? { total: 0, accepted: 0, refusedByHandler: 0 };
  entry.total++;
  if (outcome === "accepted") entry.accepted++;
  if (outcome === "handler") entry.refusedByHandler++;
  reached.set(name, entry);
}
const outcomeOf = (ok: boolean, code: string | undefined) => (ok ? "accepted" : code === "VALIDATION_FAILED" || code === "UNAUTHENTICATED" || code === "PAYLOAD_TOO_LARGE" ? "validation" : "handler");

beforeAll(async () => {
  server = await startTestServer();
  const province = await buildUnit(server.db);
  const commune = await buildUnit(server.db, { parent: province });
  for (const role of roles) tokens[role] = (await tokenFor(server.db, DEMO_JWT_SECRET, { unit: province, roles: [role], ttlSeconds: FUZZ_TOKEN_TTL_SECONDS })).token;
  const filed = await http<{ case: { id: string } }>(server.url, "POST", "/cases", {
    token: tokens.officer,
    body: { unitId: commune.id, channel: "post", receivedDate: "2026-03-02", summary: "Đơn thử nghiệm ngẫu nhiên", content: "Nội dung đơn.", parties: [{ role: "petitioner", name: "Công dân A" }] },
  });
  expect(filed.status).toBe(201);
  const schedule = await server.db.receptionSchedule.create({
    data: { unitId: commune.id, title: "Tiếp dân", kind: "regular", startTime: "08:00", endTime: "11:00", slotMinutes: 30, capacityPerSlot: 2 },
  });
  const slot = await server.db.receptionSlot.create({
    data: { scheduleId: schedule.id, unitId: commune.id, startsAt: new Date(Date.now() + 600_000), endsAt: new Date(Date.now() + FUZZ_TOKEN_TTL_SECONDS * 1000), capacity: 2, mode: "online" },
  });
  const booking = await server.db.booking.create({
    data: { code: "TD-FUZZ-1", slotId: slot.id, unitId: commune.id, fullName: "Công dân thử", cccd: "001090012345", phone: "0912345678", address: "Thôn A", petitionKind: "complaint", content: "Nội dung thử", cancelSecretHash: "00" },
  });
  guestToken = signGuestToken({ sub: booking.id, name: booking.fullName, unitId: commune.id }, DEMO_JWT_SECRET, slot.endsAt);
  // Real ids for id-like fields, so generated requests also get past "not found" into the handlers.
  // Unit and user ids are left out on purpose: a generated "deactivate" would lock the fuzzing accounts out.
  shape.ids = [filed.body.case.id, schedule.id, slot.id, booking.id, "tiep-dan-1", "giao-ban"];
  const caseId = filed.body.case.id;
  // Valid requests, each mutated in one place: the rest stays valid, so the change reaches the handler.
  shape.examples = {
    "cases.create": { unitId: commune.id, channel: "post", receivedDate: "2026-03-02", summary: "Đơn thử nghiệm", content: "Nội dung đơn thử nghiệm.", parties: [{ role: "petitioner", name: "Công dân A", phone: "0912345678", address: "Thôn A" }] },
    "cases.act": { kind: "complaint", eligible: true, withinCompetence: true, note: "Ghi chú" },
    "cases.act:params": { id: caseId, action: "classify" },
    "cases.read:params": { id: caseId },
    "cases.assign": { assigneeId: "nobody" },
    "cases.assign:params": { id: caseId },
    "attachments.upload:params": { id: caseId },
    "attachments.upload": {},
    "public.submit": { unitId: commune.id, kind: "recommendation", summary: "Kiến nghị sửa đường thôn", content: "Đường liên thôn Đông bị hư hỏng nặng.", name: "Phạm Thị Dân", phone: "0987 654 321", address: "Thôn Đông", consent: true },
    "public.book": { slotId: slot.id, fullName: "Nguyễn Văn Đặt", cccd: "001087012345", phone: "0912345679", address: "Thôn Đông", petitionKind: "complaint", content: "Đề nghị được gặp cán bộ để trình bày việc đất đai.", consent: true },
    "reception.book.create": { unitId: commune.id, receivedAt: "2026-03-10T09:00:00+07:00", kind: "regular", peopleCount: 1, content: "Công dân đề nghị hướng dẫn thủ tục.", handling: "huong_dan", citizens: [{ fullName: "Phạm Văn Hỏi", address: "Thôn Nam" }] },
    "reception.schedules.create": { unitId: commune.id, title: "Lịch tiếp thử", kind: "regular", rule: "daily", startTime: "08:00", endTime: "10:00", slotMinutes: 30, capacityPerSlot: 2 },
    "holidays.create": { date: "2026-03-10", name: "Ngày nghỉ bù" },
    "units.create": { parentId: province.id, code: "FUZZ-1", name: "Đơn vị thử", kind: "ward" },
    "users.create": { username: "nguoi.fuzz", displayName: "Người thử", unitId: commune.id, roles: ["officer"], password: "mat khau rat dai" },
    "auth.login": { username: "nguoi.fuzz", password: "mat khau rat dai" },
    sendChat: { text: "Xin chào các điểm cầu" },
    issueCase: { summary: "Đơn từ phiên tiếp dân" },
    raiseHand: { raised: true },
  };
});

afterAll(async () => {
  for (const pool of socketPools.values()) pool.close();
  await server?.close();
});

/** A problem found by one generated request, or undefined when the answer is acceptable. */
function judgeHttp(status: number, contentType: string | null, text: string): string | undefined {
  if (status >= 500) return `answered ${status}: ${text.slice(0, 300)}`;
  if (status < 400) return undefined;
  if (!contentType?.includes("application/json")) return `answered ${status} without a JSON error body (${contentType ?? "no content type"})`;
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
    return typeof code === "string" && known.has(code) ? undefined : `answered ${status} with unknown error code ${JSON.stringify(code)}`;
  } catch {
    return `answered ${status} with a body that is not JSON`;
  }
}

async function stillServes(): Promise<void> {
  const health = await fetch(`${server.url}/api/health`);
  expect(health.status, "health after the batch").toBe(200);
  for (const role of roles) expect((await http(server.url, "GET", "/auth/me", { token: tokens[role] })).status, `GET /auth/me as ${role} after the batch`).toBe(200);
}

// ---------------------------------------------------------------- REST

type Auth = Role | "guest" | "anonymous" | "forged";
const bearerOf = (auth: Auth): string | undefined =>
  auth === "anonymous" ? undefined : auth === "forged" ? "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9." : auth === "guest" ? guestToken : tokens[auth];

/** A path segment: percent-encoded, or one of the raw encodings a hostile client sends. */
function segment(value: unknown, raw: string | null): string {
  if (raw !== null) return raw;
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? "";
  // "." and ".." (also as %2E) are dot segments: the URL parser would leave /api before the request is sent.
  if (/^(\.|%2e){1,2}$/i.test(text)) return "dot";
  try {
    return encodeURIComponent(text);
  } catch {
    return "%ED%A0%80"; // a lone surrogate cannot be encoded: send its (invalid) UTF-8 bytes instead
  }
}

function queryText(query: unknown, raw: string | null): string {
  if (raw !== null) return `?${raw}`;
  if (query === null || typeof query !== "object") return query === undefined ? "" : `?q=${segment(query, null)}`;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, typeof item === "string" ? item : JSON.stringify(item) ?? "");
  }
  return search.size > 0 ? `?${search.toString()}` : "";
}

const rawSegments = ["%", "%E0%A4%A", "%zz", "%C0%AF", "%00", "%ED%A0%80", "%FF%FE", "a%2Fb", "%25%32%65"];
const rawQueries = ["a=%&b=%E0%A4%A", "__proto__[x]=1&constructor[prototype][y]=2", "page=1&page=2&pageSize=-1", "q=%00%ED%A0%80", "=&&=", "page=1e309"];
const rawBodies = ["{", "[1,2]", "\"text\"", "nul", "{\"a\":1}{", "\u0000", "{\"__proto__\":{\"admin\":true}}", "{\"constructor\":{\"prototype\":{\"x\":1}}}"];

/** Upload bodies: random bytes, or a file that passes the content check with hostile bytes inside. */
const fileBody = fc.oneof(
  fc.uint8Array({ maxLength: 4096 }),
  fc.uint8Array({ maxLength: 4096 }).map((bytes) => new Uint8Array([...Buffer.from("%PDF-1.4\n"), ...bytes, ...Buffer.from("\n%%EOF\n")])),
);

function restRequest(route: AnyRoute, options: ShapeOptions) {
  return fc.record({
    // Staff roles weigh more: their requests get past sign-in into the handlers.
    auth: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...roles) }, { weight: 1, arbitrary: fc.constantFrom<Auth>("guest", "anonymous", "forged") }),
    params: route.params ? payloadFor(route.params, options, `${route.id}:params`) : fc.constant({}),
    rawSegment: sometimes(fc.constantFrom(...rawSegments), 1 / 8),
    query: route.query ? payloadFor(route.query, options) : sometimes(hostileValue, 1 / 8),
    rawQuery: sometimes(fc.constantFrom(...rawQueries), 1 / 8),
    body: route.method === "get" ? fc.constant(undefined) : route.rawBody ? fileBody : payloadFor(route.body, options, route.id),
    rawBody: sometimes(fc.constantFrom(...rawBodies), 1 / 12),
    lang: fc.constantFrom("vi", "en", "xx", "", "vi;q=abc,*", "en-US,en;q=0.9"),
    extraHeader: sometimes(hostileString, 1 / 6),
  });
}

type RestInput = ReturnType<typeof restRequest> extends fc.Arbitrary<infer T> ? T : never;

async function sendRest(route: AnyRoute, input: RestInput): Promise<string | undefined> {
  const params = (input.params ?? {}) as Record<string, unknown>;
  let first = true;
  const path = route.path.replace(/:(\w+)/g, (_match, name: string) => {
    const value = typeof params === "object" && params !== null ? params[name] : params;
    const text = segment(value, first ? input.rawSegment : null);
    first = false;
    return text;
  });
  const headers: Record<string, string> = { "accept-language": input.lang };
  const bearer = bearerOf(input.auth);
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (input.extraHeader !== null) headers["x-fuzz"] = encodeURIComponent(input.extraHeader.replace(/[\ud800-\udfff]/g, "?")).slice(0, 8_000);
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (route.method !== "get") {
    if (input.rawBody !== null) body = input.rawBody;
    else if (input.body instanceof Uint8Array) body = new Uint8Array(input.body);
    else body = JSON.stringify(input.body) ?? "null";
    headers["content-type"] = input.body instanceof Uint8Array && input.rawBody === null ? "application/octet-stream" : "application/json";
  }
  sent.rest++;
  const url = `${server.url}/api${path}${queryText(input.query, input.rawQuery)}`;
  try {
    const response = await fetch(url, { method: route.method.toUpperCase(), headers, ...(body !== undefined ? { body } : {}), signal: AbortSignal.timeout(20_000) });
    const text = await response.text();
    let code: string | undefined;
    try {
      code = response.status >= 400 ? (JSON.parse(text) as { error?: { code?: string } }).error?.code : undefined;
    } catch {
      code = undefined;
    }
    tally(route.id, outcomeOf(response.status < 400, code));
    if (process.env.FUZZ_DEBUG === route.id) console.log(`[fuzz-debug] ${input.auth} ${response.status} ${text.slice(0, 160)} ${typeof body === "string" ? body.slice(0, 100) : ""}`);
    return judgeHttp(response.status, response.headers.get("content-type"), text);
  } catch (error) {
    return `no answer (${error instanceof Error ? error.message : String(error)}) for ${route.method.toUpperCase()} ${url.slice(0, 200)}`;
  }
}

describe("fuzzing every REST route", () => {
  it("covers every route of the registry", () => {
    expect(server.routes.length).toBeGreaterThan(50);
  });

  it("a request line with bad percent-encoding → 400 JSON, not 500", async () => {
    for (const route of server.routes.filter((r) => r.path.includes(":"))) {
      const path = route.path.replace(/:(\w+)/, "%E0%A4%A").replace(/:(\w+)/g, "x");
      const response = await fetch(`${server.url}/api${path}`, { method: route.method.toUpperCase(), headers: { authorization: `Bearer ${tokens.admin}` } });
      const text = await response.text();
      expect(response.status, `${route.id}: ${text}`).toBe(400);
      expect(JSON.parse(text), route.id).toMatchObject({ error: { code: "VALIDATION_FAILED" } });
    }
  });

  it("headers too large → 431 with a JSON PAYLOAD_TOO_LARGE body", async () => {
    const response = await fetch(`${server.url}/api/health`, { headers: { "x-big": "a".repeat(40_000) } });
    expect(response.status).toBe(431);
    expect(await response.json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it("a lone surrogate in any text → 400 VALIDATION_FAILED naming the field (it used to reach the database: 500)", async () => {
    const login = await http<{ error: { code: string; details: { path: string }[] } }>(server.url, "POST", "/auth/login", { body: { username: "ngu\ud800oi", password: "mat khau rat dai" } });
    expect(login).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_FAILED", details: [{ path: "username" }] } } });
    const filed = await http(server.url, "POST", "/cases", { token: tokens.officer, body: { ...(shape.examples["cases.create"] as object), summary: "Đơn \udc00 thử" } });
    expect(filed).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_FAILED", details: [{ path: "summary" }] } } });
    const socket = await connect(server.url, { token: tokens.leader });
    expect(await rawRequest(socket, "sendChat", { text: "xin \ud83d chào" })).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", details: [{ path: "text" }] } });
    socket.disconnect();
    // Well-formed astral characters (a surrogate pair) are text like any other.
    expect((await http(server.url, "POST", "/cases", { token: tokens.officer, body: { ...(shape.examples["cases.create"] as object), summary: "Đơn 𝕏 🇻🇳 thử" } })).status).toBe(201);
  });

  it(`generated requests on every route, as every role (seed ${seed})`, { timeout: 900_000 }, async () => {
    const perRoute = Math.ceil(REST_BUDGET / server.routes.length);
    for (const route of server.routes) {
      await fc.assert(
        fc.asyncProperty(restRequest(route, shape), async (input) => {
          const problem = await sendRest(route, input);
          if (problem) throw new Error(`${route.id}: ${problem}`);
        }),
        { seed: seedFor(route.id), numRuns: perRoute, endOnFailure: true },
      );
      await stillServes();
    }
  });
});

// ---------------------------------------------------------------- sockets

type SocketAuth = Role | "guest";
const socketAuths: SocketAuth[] = [...roles, "guest"];

/** Sockets per identity, replaced before the per-socket rate limit (burst 200) would answer RATE_LIMITED. */
class SocketPool {
  #socket: TestSocket | undefined;
  #uses = 0;
  constructor(
    readonly token: string,
    readonly joinRoom: boolean,
  ) {}

  async get(): Promise<TestSocket> {
    if (!this.#socket || !this.#socket.connected || this.#uses >= 150) {
      this.#socket?.disconnect();
      this.#socket = await connect(server.url, { token: this.token });
      this.#uses = 0;
      // Staff sockets sit in a live room, so room events reach their handlers instead of NOT_JOINED.
      if (this.joinRoom) {
        const capabilities = await rawRequest(this.#socket, "getRouterRtpCapabilities", {});
        if (capabilities.ok) await rawRequest(this.#socket, "join", { roomId: "fuzz-room", rtpCapabilities: (capabilities.data as { rtpCapabilities: unknown }).rtpCapabilities });
      }
    }
    this.#uses++;
    return this.#socket;
  }

  close() {
    this.#socket?.disconnect();
  }
}
const socketPools = new Map<SocketAuth, SocketPool>();
const poolOf = (auth: SocketAuth) => {
  let pool = socketPools.get(auth);
  if (!pool) socketPools.set(auth, (pool = new SocketPool(auth === "guest" ? guestToken : tokens[auth], auth !== "guest")));
  return pool;
};

async function sendEvent(event: ClientRequestName, auth: SocketAuth, payload: unknown): Promise<string | undefined> {
  const socket = await poolOf(auth).get();
  const oversized = jsonSize(payload) > SOCKET_FRAME_LIMIT - 256;
  sent.socket++;
  const closed = new Promise<"closed">((resolve) => (socket as unknown as Socket).once("disconnect", () => resolve("closed")));
  try {
    const answer = await Promise.race([rawRequest(socket, event, payload), closed]);
    if (answer === "closed") return oversized ? undefined : `${event} as ${auth}: the server closed the connection`;
    if (typeof answer !== "object" || answer === null) return `${event} as ${auth}: ack ${JSON.stringify(answer)}`;
    tally(event, outcomeOf(answer.ok, answer.ok ? undefined : answer.error?.code));
    if (answer.ok) return undefined;
    const code = answer.error?.code;
    if (!known.has(code)) return `${event} as ${auth}: unknown error code ${JSON.stringify(code)}`;
    if (code === "INTERNAL") return `${event} as ${auth}: INTERNAL (${answer.error.message})`;
    return undefined;
  } catch (error) {
    return `${event} as ${auth}: no ack (${error instanceof Error ? error.message : String(error)})`;
  }
}

/** Events that would start real work (ffmpeg) or end the shared state for the rest of the run. */
const sideEffectEvents = new Set<ClientRequestName>(["startRecording", "stopRecording", "endMeeting"]);

describe("fuzzing every socket event", () => {
  it(`generated payloads on every event, as every role and a citizen (seed ${seed})`, { timeout: 900_000 }, async () => {
    const perEvent = Math.ceil(SOCKET_BUDGET / clientRequestNames.length);
    for (const event of clientRequestNames) {
      const payload = sideEffectEvents.has(event) ? hostileValue.filter((value) => typeof value !== "object" || value === null || Array.isArray(value)) : payloadFor(clientRequests[event].request, shape, event);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...socketAuths), payload, async (auth, value) => {
          const problem = await sendEvent(event, auth, value);
          if (problem) throw new Error(problem);
        }),
        { seed: seedFor(event), numRuns: perEvent, endOnFailure: true },
      );
      // The next valid request on a fresh connection still works.
      const probe = await connect(server.url, { token: tokens.leader });
      expect(await rawRequest(probe, "getRouterRtpCapabilities", {}), `after ${event}`).toMatchObject({ ok: true });
      probe.disconnect();
    }
    await stillServes();
  });

  it("every case history written during the run still verifies", async () => {
    const cases = await server.db.case.findMany({ include: { events: { orderBy: { sequence: "asc" } } } });
    expect(cases.length).toBeGreaterThan(0);
    for (const row of cases) expect(verifyChain(row.events.map((event) => ({ ...event, at: event.at.toISOString() }))), row.code).toMatchObject({ ok: true });
  });

  it(`at least 10 000 generated payloads in this run (seed ${seed})`, () => {
    expect(sent.rest + sent.socket).toBeGreaterThanOrEqual(10_000);
    console.log(`[fuzz] seed ${seed}: ${sent.rest} REST requests, ${sent.socket} socket events`);
    const shallow = [...reached].filter(([, entry]) => entry.accepted + entry.refusedByHandler === 0).map(([name]) => name);
    console.log(`[fuzz] got past validation: ${reached.size - shallow.length}/${reached.size} routes and events; only validation answered: ${shallow.join(", ") || "none"}`);
    if (process.env.FUZZ_VERBOSE) for (const [name, entry] of reached) console.log(`[fuzz]   ${name}: ${entry.total} sent, ${entry.accepted} accepted, ${entry.refusedByHandler} refused by the handler`);
    // The long run (`npm run fuzz`) keeps its figures beside the bench, chaos and soak results.
    if (process.env.FUZZ_RESULTS) {
      const directory = path.join(repoRoot, "test", "bench", "results");
      fs.mkdirSync(directory, { recursive: true });
      const report = { kind: "fuzz", at: new Date().toISOString(), seed, scale, sent, reachedTheHandler: reached.size - shallow.length, routesAndEvents: reached.size, onlyValidationAnswered: shallow, byRouteOrEvent: Object.fromEntries(reached) };
      const file = path.join(directory, `fuzz-${report.at.slice(0, 10)}-seed${seed}.json`);
      fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
      console.log(`[fuzz] figures written to ${path.relative(repoRoot, file)}`);
    }
  });
});
