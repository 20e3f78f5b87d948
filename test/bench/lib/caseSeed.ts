import { CitizenSecrets } from "../../../signaling/auth/citizenSecrets";
import { DEMO_LOOKUP_HMAC_KEY } from "../../../signaling/config";
import { type Client, createClient, type InValue } from "@libsql/client";
import { storedDuties } from "../../../signaling/services/cases/cases";
import { formatCaseCode } from "../../../signaling/domain/cases/caseCode";
import { eventHash, GENESIS } from "../../../signaling/domain/cases/hashChain";
import type { CaseKind, CaseState } from "../../../signaling/domain/cases/workflow";
import { addDays, calendarSeeds, type LocalDate, openDuties, vietnamDateOf, WorkingCalendar } from "../../../signaling/domain/deadlines";

/**
 * Bulk seeding of cases straight into SQLite (multi-row INSERTs in large transactions through the
 * libsql client), shaped like the product's own rows: valid case codes, hash-chained events built with
 * the product's `eventHash`, duties from the product's `openDuties`, one petitioner per case.
 */

/** The citizen's lookup secret of every seeded case (the product hashes it upper-cased). */
export const SEED_LOOKUP_SECRET = "BENC-HSEC";
/** How the seeded lookup code is stored; services reading the seeded cases are built with the same key. */
export const SEED_SECRETS = new CitizenSecrets(DEMO_LOOKUP_HMAC_KEY);
const LOOKUP_HASH = SEED_SECRETS.digest(SEED_LOOKUP_SECRET.toUpperCase());

export const ROOT_UNIT_ID = "u-root";
export const LEADER_ID = "bench-leader";

export interface SeededUnit {
  id: string;
  code: string;
  path: string;
  kind: string;
}

export interface SeedResult {
  cases: number;
  events: number;
  parties: number;
  seconds: number;
  units: SeededUnit[];
  /** A spread sample of case codes, for lookups. */
  sampleCodes: string[];
}

/** Deterministic PRNG (mulberry32), so every run seeds the same data. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"];
const MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Ngọc", "Hữu", "Quang", "Thanh", "Xuân", "Thu"];
const GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Linh", "Mai", "Nam", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vân", "Yến", "Khoa", "Long", "Nga"];
const TOPICS = [
  "bồi thường giải phóng mặt bằng", "cấp giấy chứng nhận quyền sử dụng đất", "tranh chấp ranh giới đất", "xây dựng trái phép", "ô nhiễm môi trường",
  "chế độ chính sách người có công", "thu hồi đất nông nghiệp", "trật tự đô thị", "tiếng ồn cơ sở sản xuất", "chậm giải quyết hồ sơ",
  "thái độ cán bộ tiếp dân", "hỗ trợ tái định cư", "giá đền bù", "lấn chiếm hành lang giao thông", "khai thác cát trái phép",
  "bảo hiểm xã hội", "trợ cấp hộ nghèo", "cấp phép xây dựng", "thu phí chợ", "quản lý nghĩa trang",
];
const PLACES = ["thôn Đông", "thôn Tây", "thôn Nam", "thôn Bắc", "khu phố 1", "khu phố 2", "khu phố 3", "xóm Chùa", "xóm Giữa", "xóm Bãi", "tổ dân phố 5", "tổ dân phố 7"];
const KIND_LABEL: Record<CaseKind, string> = { complaint: "Khiếu nại", denunciation: "Tố cáo", recommendation: "Kiến nghị", feedback: "Phản ánh" };
const CHANNELS = ["post", "inPerson", "online", "reception"];

type Step = { action: string; to: CaseState };
/** Life paths with their share of all cases: the state a case is in and the events that led there. */
const PATHS: { weight: number; open: boolean; kinds: CaseKind[] | null; steps: Step[] }[] = [
  { weight: 6, open: true, kinds: null, steps: [] },
  { weight: 5, open: true, kinds: ["complaint", "denunciation", "recommendation", "feedback"], steps: [{ action: "classify", to: "classified" }] },
  { weight: 7, open: true, kinds: ["complaint", "denunciation"], steps: [{ action: "classify", to: "classified" }, { action: "accept", to: "accepted" }] },
  {
    weight: 8,
    open: true,
    kinds: ["complaint", "denunciation"],
    steps: [{ action: "classify", to: "classified" }, { action: "accept", to: "accepted" }, { action: "startVerification", to: "verifying" }],
  },
  {
    weight: 6,
    open: false,
    kinds: ["complaint", "denunciation"],
    steps: [{ action: "classify", to: "classified" }, { action: "accept", to: "accepted" }, { action: "startVerification", to: "verifying" }, { action: "conclude", to: "concluded" }],
  },
  { weight: 38, open: false, kinds: ["recommendation", "feedback", "complaint"], steps: [{ action: "classify", to: "classified" }, { action: "guide", to: "guided" }, { action: "close", to: "closed" }] },
  { weight: 12, open: false, kinds: ["complaint", "denunciation", "feedback"], steps: [{ action: "classify", to: "classified" }, { action: "archive", to: "archived" }, { action: "close", to: "closed" }] },
  {
    weight: 18,
    open: false,
    kinds: ["complaint", "denunciation"],
    steps: [
      { action: "classify", to: "classified" },
      { action: "accept", to: "accepted" },
      { action: "startVerification", to: "verifying" },
      { action: "conclude", to: "concluded" },
      { action: "publish", to: "published" },
      { action: "enforce", to: "enforced" },
      { action: "close", to: "closed" },
    ],
  },
];
const TOTAL_WEIGHT = PATHS.reduce((sum, path) => sum + path.weight, 0);

const CASE_COLUMNS = [
  "id", "code", "lookupSecretHash", "kind", "state", "round", "unitId", "assigneeId", "channel", "summary", "content", "receivedDate", "acceptedDate",
  "complexity", "remoteArea", "anonymous", "eligible", "withinCompetence", "dueDate", "deadlineRule", "publishedAnswer", "createdAt", "updatedAt",
  "openDuties",
];
const EVENT_COLUMNS = ["id", "caseId", "sequence", "at", "actorId", "action", "fromState", "toState", "reason", "data", "previousHash", "hash"];
const PARTY_COLUMNS = ["id", "caseId", "role", "name", "idNumber", "phone", "address", "organization"];

class BatchInserter {
  readonly #rows: InValue[][] = [];
  readonly #prefix: string;
  readonly #tuple: string;
  inserted = 0;

  constructor(
    readonly client: Client,
    table: string,
    readonly columns: string[],
    readonly batchRows: number,
    /**
     * The table these rows refer to, flushed first, as the product writes them: the conclusion-count
     * triggers on CaseEvent (migration 20261207070000_report_conclusions) update the event's case, and the
     * protected-identity index's CaseParty triggers (20261207050000_search_privacy) index a party of a
     * protected case only when the case is there (a party flushed before its case left the case out).
     */
    readonly parent?: BatchInserter,
  ) {
    this.#prefix = `INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(", ")}) VALUES `;
    this.#tuple = `(${columns.map(() => "?").join(", ")})`;
  }

  async add(row: InValue[]): Promise<void> {
    this.#rows.push(row);
    if (this.#rows.length >= this.batchRows) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#rows.length === 0) return;
    await this.parent?.flush();
    const rows = this.#rows.splice(0);
    const sql = this.#prefix + rows.map(() => this.#tuple).join(", ");
    await this.client.execute({ sql, args: rows.flat() });
    this.inserted += rows.length;
  }
}

const isoInstant = (date: string, minutes: number) => new Date(Date.parse(`${date}T01:00:00Z`) + minutes * 60_000).toISOString();
/** Prisma (libsql adapter) stores DateTime as ISO text with "+00:00". */
const prismaTime = (iso: string) => iso.replace("Z", "+00:00");

/** Seeds `count` cases (and their events and parties) into the SQLite file at `file`. */
export async function seedCases(file: string, count: number, options: { log?: (line: string) => void; seed?: number } = {}): Promise<SeedResult> {
  const started = performance.now();
  const random = prng(options.seed ?? 20261201);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const client = createClient({ url: `file:${file}` });
  const today = vietnamDateOf(new Date());
  const calendar = WorkingCalendar.of(calendarSeeds);
  try {
    await client.execute("PRAGMA synchronous = OFF");
    // Rows are consistent by construction; batches of events may reach the disk before their case.
    await client.execute("PRAGMA foreign_keys = OFF");
    await client.execute("PRAGMA cache_size = -262144");
    // Indexes are rebuilt once at the end (same definitions): much faster than updating them per row.
    const indexes = await client.execute(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('Case', 'CaseEvent', 'CaseParty')`);
    // Except CaseParty(caseId): the search index's triggers (migration 20261206235000_case_search) read a
    // case's parties on every party insert, which without it is a scan of every party seeded so far.
    const indexSql = indexes.rows.map((row) => ({ name: String(row.name), sql: String(row.sql) })).filter((index) => index.name !== "CaseParty_caseId_idx");
    for (const index of indexSql) await client.execute(`DROP INDEX "${index.name}"`);

    // Units: the province, 20 departments, 100 communes; a leader at the top; officers as assignees.
    const now = prismaTime(new Date().toISOString());
    const units: SeededUnit[] = [{ id: ROOT_UNIT_ID, code: "BN", path: `/${ROOT_UNIT_ID}/`, kind: "province" }];
    for (let i = 1; i <= 20; i++) units.push({ id: `u-s${i}`, code: `BN-S${String(i).padStart(2, "0")}`, path: `/${ROOT_UNIT_ID}/u-s${i}/`, kind: "department" });
    for (let i = 1; i <= 100; i++) units.push({ id: `u-x${i}`, code: `BN-X${String(i).padStart(3, "0")}`, path: `/${ROOT_UNIT_ID}/u-x${i}/`, kind: "commune" });
    await client.execute("BEGIN");
    for (const unit of units) {
      await client.execute({
        sql: `INSERT INTO "Unit" (id, code, name, kind, parentId, path, active, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)`,
        args: [unit.id, unit.code, `Đơn vị ${unit.code}`, unit.kind, unit.id === ROOT_UNIT_ID ? null : ROOT_UNIT_ID, unit.path, now, now],
      });
    }
    const officers: string[] = [];
    const addUser = async (id: string, unitId: string, role: string) => {
      await client.execute({
        sql: `INSERT INTO "User" (id, username, displayName, passwordHash, unitId, active, passwordChangedAt, createdAt, updatedAt) VALUES (?, ?, ?, 'scrypt$bench', ?, 1, ?, ?, ?)`,
        args: [id, id, `Cán bộ ${id}`, unitId, now, now, now],
      });
      await client.execute({ sql: `INSERT INTO "UserRole" (userId, role) VALUES (?, ?)`, args: [id, role] });
    };
    await addUser(LEADER_ID, ROOT_UNIT_ID, "leader");
    for (let i = 1; i <= 60; i++) {
      const id = `bench-officer-${i}`;
      officers.push(id);
      await addUser(id, units[1 + ((i * 7) % (units.length - 1))]!.id, i % 3 === 0 ? "inspector" : "officer");
    }
    for (const holiday of calendarSeeds) {
      await client.execute({ sql: `INSERT OR IGNORE INTO "Holiday" (id, date, name, kind, createdAt) VALUES (?, ?, ?, ?, ?)`, args: [`h-${holiday.date}`, holiday.date, holiday.name, holiday.kind, now] });
    }
    await client.execute("COMMIT");

    const cases = new BatchInserter(client, "Case", CASE_COLUMNS, 400);
    const events = new BatchInserter(client, "CaseEvent", EVENT_COLUMNS, 800, cases);
    const parties = new BatchInserter(client, "CaseParty", PARTY_COLUMNS, 1000, cases);
    const counters = new Map<string, number>();
    const sampleCodes: string[] = [];
    const sampleEvery = Math.max(1, Math.floor(count / 1000));
    const transactionRows = 20_000;
    // Units carry different loads: communes get most petitions, departments some.
    const caseUnits = units.slice(1);
    const unitWeights = caseUnits.map((unit, index) => (unit.kind === "commune" ? 1 + (index % 5) : 2));
    const unitTotal = unitWeights.reduce((a, b) => a + b, 0);
    const pickUnit = () => {
      let r = random() * unitTotal;
      for (const [index, weight] of unitWeights.entries()) {
        r -= weight;
        if (r <= 0) return caseUnits[index]!;
      }
      return caseUnits.at(-1)!;
    };

    await client.execute("BEGIN");
    for (let i = 0; i < count; i++) {
      if (i > 0 && i % transactionRows === 0) {
        await cases.flush();
        await events.flush();
        await parties.flush();
        await client.execute("COMMIT");
        await client.execute("BEGIN");
        if (i % 100_000 === 0) options.log?.(`  seeded ${i} cases…`);
      }
      let r = random() * TOTAL_WEIGHT;
      const path = PATHS.find((candidate) => (r -= candidate.weight) <= 0) ?? PATHS[0]!;
      const unit = pickUnit();
      const kind: CaseKind | null = path.kinds ? pick(path.kinds) : null;
      // Closed cases spread over three years; open ones are recent (a backlog of months, not years).
      const ageDays = path.open ? Math.floor(random() * 150) : 60 + Math.floor(random() * (3 * 365 - 60));
      const receivedDate = addDays(today, -ageDays);
      const year = Number(receivedDate.slice(0, 4));
      const counterKey = `${unit.id}:${year}`;
      const sequence = (counters.get(counterKey) ?? 0) + 1;
      counters.set(counterKey, sequence);
      const id = `c${String(i).padStart(8, "0")}`;
      const code = formatCaseCode(unit.code, year, sequence);
      if (i % sampleEvery === 0) sampleCodes.push(code);
      const channel = pick(CHANNELS);
      const topic = pick(TOPICS);
      const petitioner = `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)}`;
      const summary = `${KIND_LABEL[kind ?? "feedback"]} về ${topic} tại ${pick(PLACES)}, ${unit.code}`;
      const content = `Ông/bà ${petitioner} trình bày về việc ${topic}. Đề nghị cơ quan có thẩm quyền xem xét, giải quyết theo quy định của pháp luật. Hồ sơ kèm theo gồm đơn và các giấy tờ liên quan (bản sao).`;
      const assigneeId = path.steps.length >= 2 && random() < 0.7 ? pick(officers) : null;
      let acceptedDate: LocalDate | null = null;
      const state: CaseState = path.steps.at(-1)?.to ?? "received";

      // Events: receive, then the path's steps, days apart, hash-chained as the product does.
      const chain: { action: string; to: CaseState; day: string; data: Record<string, unknown> }[] = [{ action: "receive", to: "received", day: receivedDate, data: { channel, receivedDate } }];
      for (const step of path.steps) {
        const previousDay = chain.at(-1)!.day as LocalDate;
        // Never in the future: a recent case has had its steps in the days since it arrived.
        const proposed = addDays(previousDay, 1 + Math.floor(random() * 15));
        const day = proposed > today ? today : proposed;
        if (step.action === "accept") acceptedDate = day;
        const data: Record<string, unknown> =
          step.action === "classify"
            ? { kind, eligible: true, withinCompetence: true, complexity: "normal", remoteArea: false }
            : step.action === "accept"
              ? { decisionNumber: `${sequence}/QĐ-${unit.code}`, decisionDate: acceptedDate }
              : step.action === "conclude"
                ? {
                    decisionNumber: `${sequence}/KL-${unit.code}`,
                    decisionDate: day,
                    outcome: pick(["right", "partlyRight", "wrong"]),
                    summary: "Kết luận nội dung đơn sau khi xác minh.",
                    // Most are concluded in time; about one in five late.
                    dueAtConclusion: addDays(day, random() < 0.8 ? Math.floor(random() * 20) : -1 - Math.floor(random() * 20)),
                  }
                : step.action === "guide"
                  ? { guidance: "Hướng dẫn công dân gửi đơn đến cơ quan có thẩm quyền." }
                  : step.action === "archive"
                    ? { reason: "Đơn trùng nội dung đã giải quyết." }
                    : step.action === "publish"
                      ? { publishedAnswer: "Cơ quan đã giải quyết và công khai kết quả theo quy định." }
                      : {};
        chain.push({ action: step.action, to: step.to, day, data });
      }
      let previousHash = GENESIS;
      let previousState: CaseState | null = null;
      // Added after the case's row, which the events' triggers update (BatchInserter's parent).
      const eventRows: InValue[][] = [];
      for (const [index, event] of chain.entries()) {
        const at = isoInstant(event.day, index * 7);
        const content = {
          caseId: id,
          sequence: index + 1,
          at,
          actorId: index === 0 ? null : (assigneeId ?? LEADER_ID),
          action: event.action,
          fromState: previousState,
          toState: event.to,
          reason: typeof event.data.reason === "string" ? event.data.reason : null,
          data: JSON.stringify(event.data),
        };
        const hash = eventHash(previousHash, content);
        eventRows.push([`${id}-e${index + 1}`, id, index + 1, prismaTime(at), content.actorId, event.action, content.fromState, event.to, content.reason, content.data, previousHash, hash]);
        previousHash = hash;
        previousState = event.to;
      }

      // The product's own duty replay: the stored nearest duty is what the work queue sorts by.
      const duties = storedDuties(
        openDuties(
          { kind, receivedDate, complexity: "normal", remoteArea: false },
          chain.map((event, index) => ({ sequence: index + 1, action: event.action, data: event.data, at: new Date(isoInstant(event.day, index * 7)) })),
          calendar,
        ),
      );
      const createdAt = prismaTime(isoInstant(receivedDate, 0));
      const updatedAt = prismaTime(isoInstant(chain.at(-1)!.day, 0));
      await cases.add([
        id, code, LOOKUP_HASH, kind, state, 1, unit.id, assigneeId, channel, summary, content, receivedDate, acceptedDate,
        "normal", 0, 0, kind ? 1 : null, kind ? 1 : null, duties.dueDate, duties.deadlineRule,
        state === "published" || state === "closed" ? "Cơ quan đã giải quyết và công khai kết quả theo quy định." : null,
        createdAt, updatedAt, duties.openDuties,
      ]);
      await parties.add([`${id}-p1`, id, "petitioner", petitioner, String(10 ** 11 + Math.floor(random() * 9 * 10 ** 11)), `09${Math.floor(random() * 10 ** 8)}`, `${pick(PLACES)}, ${unit.code}`, null]);
      for (const row of eventRows) await events.add(row);
    }
    await cases.flush();
    await events.flush();
    await parties.flush();
    for (const [key, last] of counters) {
      const [unitId, year] = key.split(":");
      await client.execute({ sql: `INSERT OR REPLACE INTO "CaseCounter" (unitId, year, next) VALUES (?, ?, ?)`, args: [unitId!, Number(year), last + 1] });
    }
    await client.execute("COMMIT");
    options.log?.(`  rebuilding ${indexSql.length} indexes…`);
    for (const index of indexSql) await client.execute(index.sql);
    return {
      cases: cases.inserted,
      events: events.inserted,
      parties: parties.inserted,
      seconds: (performance.now() - started) / 1000,
      units,
      sampleCodes,
    };
  } finally {
    client.close();
  }
}

