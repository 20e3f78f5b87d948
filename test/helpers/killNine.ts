import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { signAccessToken } from "../../signaling/auth/tokens";
import { createDb, type Db, durabilitySettings } from "../../signaling/db/client";
import { verifyChain } from "../../signaling/domain/cases/hashChain";
import { repoRoot } from "../../signaling/paths";
import { buildUnit, buildUser } from "./factories";
import { templateDatabasePath } from "./paths";

/**
 * kill -9 during writes: the real server runs as a child process on its own database and data
 * directory; writers drive case intake, workflow steps, attachments and reception-book entries at full
 * speed; the server is SIGKILLed at a random moment, restarted, and the store is checked against every
 * request that got a 2xx. Used by test/integration/kill-nine.test.ts (a few kills) and `npm run chaos`.
 */

export interface KillNineOptions {
  kills: number;
  /** Reproducible kill moments and operation mix. */
  seed: number;
  /** Concurrent writers (each one request at a time, as fast as the server answers). */
  writers?: number;
  /** The server is killed this long (uniformly drawn) after the writers start. */
  killAfterMs?: { min: number; max: number };
  onProgress?: (line: string) => void;
}

export interface KillNineResult {
  seed: number;
  kills: number;
  acknowledged: { cases: number; steps: number; attachments: number; entries: number };
  /** Requests cut by the kill: their outcome is unknown to the client, so each may or may not be stored. */
  interrupted: number;
  stored: { cases: number; events: number; attachments: number; files: number; entries: number };
  /** Files without a row that the start-up sweep removed (an upload cut between file and row). */
  orphanFilesSwept: number;
  restartMs: number[];
  durability: { journalMode: string; synchronous: number; busyTimeoutMs: number };
  /** Empty when every check held. */
  problems: string[];
}

/** Small, seedable PRNG (mulberry32): the same seed gives the same kill moments and operation mix. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Acked {
  cases: Map<string, { code: string; events: number; state: string }>;
  attachments: Map<string, { caseId: string; sha256: string; size: number }>;
  entries: Map<string, { citizens: number }>;
  steps: number;
}

export interface ChildServer {
  child: ChildProcess;
  url: string;
  /** pino lines the server printed (warnings and errors). */
  log: string[];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function childPids(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

const ackedTotal = (acked: Acked) => acked.cases.size + acked.steps + acked.attachments.size + acked.entries.size;

const alive = (pid: number) => {
  try {
    // A zombie (reaped by init shortly) counts as gone.
    return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
};

export async function startChild(env: NodeJS.ProcessEnv): Promise<ChildServer> {
  // `node --import tsx` (not the tsx CLI): one process, so SIGKILL hits the server itself, not a wrapper.
  const child = spawn(process.execPath, ["--import", "tsx", path.join("signaling", "main.ts")], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
  const log: string[] = [];
  let buffered = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 120 s:\n${log.join("\n")}`)), 120_000);
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        log.push(line);
        const found = /is running:\s+(http:\/\/\S+)/.exec(line);
        if (found) {
          clearTimeout(timer);
          resolve(found[1]!);
        }
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before listening:\n${log.join("\n")}`));
    });
  });
  return { child, url, log };
}

export async function kill9(server: ChildServer): Promise<number[]> {
  const workers = childPids(server.child.pid!);
  const exited = new Promise<void>((resolve) => server.child.once("exit", () => resolve()));
  server.child.kill("SIGKILL");
  await exited;
  return workers;
}

/** A PDF-looking file of the given size with unique content, so each upload is a new stored file. */
function pdf(random: () => number, size: number): Buffer {
  const body = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4) body.writeUInt32LE(Math.floor(random() * 0xffffffff), Math.min(i, size - 4));
  return Buffer.concat([Buffer.from("%PDF-1.4\n"), body, Buffer.from("\n%%EOF\n")]);
}

export async function runKillNine(options: KillNineOptions): Promise<KillNineResult> {
  const random = seededRandom(options.seed);
  const writers = options.writers ?? 4;
  const killAfter = options.killAfterMs ?? { min: 150, max: 2500 };
  const progress = options.onProgress ?? (() => {});
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-kill9-"));
  const databaseFile = path.join(dir, "kill9.db");
  const dataDir = path.join(dir, "data");
  fs.copyFileSync(templateDatabasePath, databaseFile);
  // A real secret, as in production: start-up refuses the demo one (signaling/productionSafety.ts).
  const jwtSecret = randomBytes(48).toString("base64");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "test",
    JWT_SECRET: jwtSecret,
    LOOKUP_HMAC_KEY: randomBytes(48).toString("base64"),
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: `file:${databaseFile}`,
    DATA_DIR: dataDir,
    CLIENT_DIST: path.join(dir, "no-client"),
    LOG_LEVEL: "warn",
    MEDIASOUP_WORKERS: "1",
  };

  const db: Db = createDb(`file:${databaseFile}`);
  const problems: string[] = [];
  const acked: Acked = { cases: new Map(), attachments: new Map(), entries: new Map(), steps: 0 };
  let interrupted = 0;
  let orphanFilesSwept = 0;
  const restartMs: number[] = [];
  let server: ChildServer | undefined;
  try {
    const unit = await buildUnit(db);
    const officer = await buildUser(db, { unit, roles: ["officer"] });
    await db.$disconnect();
    // Long enough for a 20-kill run on a busy machine.
    const token = signAccessToken({ sub: officer.id, unitId: unit.id, roles: ["officer"], name: "Cán bộ thử" }, jwtSecret, 4 * 3600);
    const headers = { authorization: `Bearer ${token}`, "accept-language": "en" };

    const send = async (url: string, method: string, route: string, body: unknown, raw?: Buffer): Promise<{ status: number; body: Record<string, unknown> } | undefined> => {
      try {
        const response = await fetch(`${url}/api${route}`, {
          method,
          headers: raw ? headers : { ...headers, "content-type": "application/json" },
          body: raw ? new Uint8Array(raw) : JSON.stringify(body),
        });
        const text = await response.text();
        return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
      } catch {
        // The connection was cut (the kill): the client cannot know whether the write was committed.
        interrupted++;
        return undefined;
      }
    };
    const expect2xx = (what: string, result: { status: number; body: Record<string, unknown> } | undefined) => {
      if (result && (result.status < 200 || result.status > 299)) problems.push(`${what}: unexpected ${result.status} ${JSON.stringify(result.body).slice(0, 300)}`);
      return result && result.status >= 200 && result.status <= 299 ? result.body : undefined;
    };

    const operations = {
      async createCase(url: string) {
        const body = expect2xx("POST /cases", await send(url, "POST", "/cases", {
          unitId: unit.id,
          channel: "post",
          receivedDate: "2026-03-02",
          summary: "Đơn đề nghị kiểm tra độ bền dữ liệu",
          content: "Công dân đề nghị xem xét việc cấp giấy chứng nhận quyền sử dụng đất.",
          parties: [{ role: "petitioner", name: "Nguyễn Văn Bền" }],
        }));
        const created = body?.case as { id: string; code: string; state: string; events: unknown[] } | undefined;
        if (created) acked.cases.set(created.id, { code: created.code, events: created.events.length, state: created.state });
      },
      async step(url: string) {
        const candidates = [...acked.cases.entries()].filter(([, item]) => item.state === "received" || item.state === "classified");
        if (candidates.length === 0) return operations.createCase(url);
        const [caseId, item] = candidates[Math.floor(random() * candidates.length)]!;
        const [action, payload] = item.state === "received"
          ? ["classify", { kind: "complaint", eligible: true, withinCompetence: true }]
          : ["accept", { decisionNumber: `${Math.floor(random() * 1000)}/QĐ-UBND`, decisionDate: "2026-03-05", knewOfDecisionOn: "2026-02-20" }];
        const result = await send(url, "POST", `/cases/${caseId}/actions/${action}`, payload);
        // Two writers can race for the same step: the loser's 409 is the designed answer, not a defect.
        if (result?.status === 409) return;
        const detail = expect2xx(`POST /cases/:id/actions/${action}`, result) as { state: string; events: unknown[] } | undefined;
        if (!detail) return;
        acked.steps++;
        const known = acked.cases.get(caseId)!;
        // Concurrent steps may answer out of order: keep the furthest acknowledged history.
        if (detail.events.length > known.events) acked.cases.set(caseId, { ...known, events: detail.events.length, state: detail.state });
      },
      async attach(url: string) {
        const ids = [...acked.cases.keys()];
        if (ids.length === 0) return operations.createCase(url);
        const caseId = ids[Math.floor(random() * ids.length)]!;
        const file = pdf(random, 16_384 + Math.floor(random() * 262_144));
        const body = expect2xx("POST /cases/:id/attachments", await send(url, "POST", `/cases/${caseId}/attachments?name=ho-so.pdf`, undefined, file));
        if (!body) return;
        const sha256 = createHash("sha256").update(file).digest("hex");
        if (body.sha256 !== sha256) problems.push(`attachment ${String(body.id)}: server answered sha256 ${String(body.sha256)}, content is ${sha256}`);
        acked.attachments.set(String(body.id), { caseId, sha256, size: file.length });
      },
      async entry(url: string) {
        const citizens = 1 + Math.floor(random() * 3);
        const body = expect2xx("POST /reception/book", await send(url, "POST", "/reception/book", {
          unitId: unit.id,
          receivedAt: "2026-03-10T09:00:00+07:00",
          kind: "regular",
          peopleCount: citizens,
          content: "Công dân đề nghị hướng dẫn thủ tục đất đai.",
          handling: "huong_dan",
          citizens: Array.from({ length: citizens }, (_, index) => ({ fullName: `Công dân số ${index + 1}`, address: "Thôn Đông" })),
        }));
        if (body) acked.entries.set(String(body.id), { citizens });
      },
    };
    const pick = () => {
      const r = random();
      return r < 0.3 ? operations.createCase : r < 0.55 ? operations.step : r < 0.8 ? operations.attach : operations.entry;
    };

    let restartStarted = Date.now();
    server = await startChild(env);
    for (let kill = 1; kill <= options.kills; kill++) {
      const current = server;
      let stop = false;
      const loops = Array.from({ length: writers }, async () => {
        while (!stop) await pick()(current.url);
      });
      const ackedBefore = ackedTotal(acked);
      await sleep(killAfter.min + random() * (killAfter.max - killAfter.min));
      // Kill only once this round has had a write acknowledged (the first round: one of every kind), so a
      // slow, loaded machine exercises the same thing as a fast one instead of killing an idle server.
      const wroteEnough = () => ackedTotal(acked) > ackedBefore && (kill > 1 || (acked.cases.size > 0 && acked.steps > 0 && acked.attachments.size > 0 && acked.entries.size > 0));
      for (let waited = 0; !wroteEnough() && waited < 300_000; waited += 50) await sleep(50);
      if (!wroteEnough()) problems.push(`kill ${kill}: no write acknowledged within 300 s`);
      const workers = await kill9(current);
      stop = true;
      await Promise.all(loops);
      // The media workers notice their parent's pipe closing and exit; wait for that (bounded).
      for (let waited = 0; workers.some(alive) && waited < 15_000; waited += 100) await sleep(100);
      for (const pid of workers.filter(alive)) problems.push(`kill ${kill}: media worker ${pid} outlived the killed server`);

      restartStarted = Date.now();
      server = await startChild(env);
      restartMs.push(Date.now() - restartStarted);
      orphanFilesSwept += countSwept(server.log);
      const found = await checkStore(databaseFile, dataDir, acked);
      problems.push(...found.map((problem) => `after kill ${kill}: ${problem}`));
      progress(`kill ${kill}/${options.kills}: ${acked.cases.size} cases, ${acked.steps} steps, ${acked.attachments.size} files, ${acked.entries.size} entries acknowledged; ${interrupted} cut; ${found.length} problems`);
    }

    const checkDb = createDb(`file:${databaseFile}`);
    try {
      const durability = await durabilitySettings(checkDb);
      const stored = {
        cases: await checkDb.case.count(),
        events: await checkDb.caseEvent.count(),
        attachments: await checkDb.attachment.count(),
        files: listStoredFiles(dataDir).length,
        entries: await checkDb.receptionBookEntry.count(),
      };
      return {
        seed: options.seed,
        kills: options.kills,
        acknowledged: { cases: acked.cases.size, steps: acked.steps, attachments: acked.attachments.size, entries: acked.entries.size },
        interrupted,
        stored,
        orphanFilesSwept,
        restartMs,
        durability,
        problems,
      };
    } finally {
      await checkDb.$disconnect();
    }
  } finally {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      const exited = new Promise<void>((resolve) => server!.child.once("exit", () => resolve()));
      server.child.kill("SIGTERM");
      await exited;
    }
    await db.$disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function countSwept(log: readonly string[]): number {
  let files = 0;
  for (const line of log) {
    if (!line.includes("interrupted uploads")) continue;
    try {
      files += ((JSON.parse(line) as { files?: unknown[] }).files ?? []).length;
    } catch {
      // not a JSON log line
    }
  }
  return files;
}

function listStoredFiles(dataDir: string): string[] {
  const root = path.join(dataDir, "attachments");
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root).flatMap((shard) => fs.readdirSync(path.join(root, shard)).map((name) => path.join(root, shard, name)));
}

/**
 * Everything a crash must not break, read from the database file and the data directory while the
 * restarted server runs (after its start-up sweep, before the writers resume).
 */
async function checkStore(databaseFile: string, dataDir: string, acked: Acked): Promise<string[]> {
  const problems: string[] = [];
  const db = createDb(`file:${databaseFile}`);
  try {
    const [integrity] = await db.$queryRawUnsafe<{ integrity_check: string }[]>("PRAGMA integrity_check");
    if (integrity?.integrity_check !== "ok") problems.push(`integrity_check: ${JSON.stringify(integrity)}`);
    const { journalMode } = await durabilitySettings(db);
    if (journalMode !== "wal") problems.push(`journal_mode is ${journalMode}, not wal`);

    const cases = await db.case.findMany({ include: { events: { orderBy: { sequence: "asc" } } } });
    const byId = new Map(cases.map((row) => [row.id, row]));
    const audits = await db.auditLog.findMany({ where: { action: { in: ["case.create", "attachment.upload", "reception.entry.create"] } }, select: { action: true, subjectId: true, detail: true } });
    const audited = new Set(audits.map((audit) => `${audit.action}:${audit.action === "attachment.upload" ? (JSON.parse(audit.detail ?? "{}") as { attachmentId?: string }).attachmentId : audit.subjectId}`));

    for (const [id, expected] of acked.cases) {
      const row = byId.get(id);
      if (!row) problems.push(`acknowledged case ${expected.code} is missing`);
      else if (row.events.length < expected.events) problems.push(`case ${expected.code}: ${row.events.length} events stored, ${expected.events} acknowledged`);
    }
    const perCounter = new Map<string, number[]>();
    for (const row of cases) {
      const chain = verifyChain(row.events.map((event) => ({ ...event, at: event.at.toISOString() })));
      if (!chain.ok) problems.push(`case ${row.code}: history chain broken at ${chain.brokenAt.sequence} (${chain.problem})`);
      if (row.events[0]?.action !== "receive") problems.push(`case ${row.code}: no intake event (half-written case)`);
      if (row.events.at(-1)?.toState !== row.state) problems.push(`case ${row.code}: state ${row.state} but last event says ${row.events.at(-1)?.toState}`);
      if (!audited.has(`case.create:${row.id}`)) problems.push(`case ${row.code}: no case.create audit row`);
      const key = `${row.unitId}:${row.receivedDate.slice(0, 4)}`;
      perCounter.set(key, [...(perCounter.get(key) ?? []), Number(row.code.split("-").at(-1))]);
    }
    for (const counter of await db.caseCounter.findMany()) {
      const numbers = (perCounter.get(`${counter.unitId}:${counter.year}`) ?? []).sort((a, b) => a - b);
      const contiguous = numbers.every((number, index) => number === index + 1);
      if (!contiguous || counter.next !== numbers.length + 1) problems.push(`counter ${counter.unitId}/${counter.year}: next ${counter.next} for case numbers ${numbers.length ? `${numbers[0]}…${numbers.at(-1)} (${numbers.length})` : "none"}`);
    }

    const attachments = await db.attachment.findMany();
    const bookingFiles = await db.bookingAttachment.findMany({ select: { sha256: true } });
    const attachmentIds = new Set(attachments.map((row) => row.id));
    for (const [id, expected] of acked.attachments) if (!attachmentIds.has(id)) problems.push(`acknowledged attachment ${id} (case ${expected.caseId}) is missing`);
    for (const row of attachments) {
      const file = path.join(dataDir, "attachments", row.sha256.slice(0, 2), row.sha256);
      if (!fs.existsSync(file)) {
        problems.push(`attachment ${row.id}: row without its file`);
        continue;
      }
      const content = fs.readFileSync(file);
      if (content.length !== row.size || createHash("sha256").update(content).digest("hex") !== row.sha256) problems.push(`attachment ${row.id}: stored file does not match its row (torn write)`);
      if (!audited.has(`attachment.upload:${row.id}`)) problems.push(`attachment ${row.id}: no attachment.upload audit row`);
    }
    const named = new Set([...attachments, ...bookingFiles].map((row) => row.sha256));
    for (const file of listStoredFiles(dataDir)) if (!named.has(path.basename(file))) problems.push(`file ${path.basename(file)}: no row names it (not swept)`);

    const entries = await db.receptionBookEntry.findMany({ include: { _count: { select: { citizens: true } } } });
    const entriesById = new Map(entries.map((row) => [row.id, row]));
    for (const [id, expected] of acked.entries) {
      const row = entriesById.get(id);
      if (!row) problems.push(`acknowledged book entry ${id} is missing`);
      else if (row._count.citizens !== expected.citizens) problems.push(`book entry ${id}: ${row._count.citizens} citizens stored, ${expected.citizens} sent`);
    }
    for (const row of entries) {
      if (row._count.citizens === 0) problems.push(`book entry ${row.id}: no citizen (half-written entry)`);
      if (!audited.has(`reception.entry.create:${row.id}`)) problems.push(`book entry ${row.id}: no reception.entry.create audit row`);
    }
  } finally {
    await db.$disconnect();
  }
  return problems;
}
