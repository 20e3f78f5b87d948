import type { Worker } from "node:worker_threads";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Nearest-rank percentile of a sample (p in 0–100); NaN for an empty sample. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
}

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(values: readonly number[]): Summary {
  return {
    n: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: values.length ? Math.max(...values) : Number.NaN,
    mean: mean(values),
  };
}

/** Rounds for reports: keeps 3 significant digits below 100, integers above. */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value)) return value;
  if (Math.abs(value) >= 100) return Math.round(value);
  return Number(value.toPrecision(digits));
}

/** Runs `fn` over `items` with at most `limit` calls in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  });
  await Promise.all(runners);
  return results;
}

/** Whole-machine CPU counters from /proc/stat (jiffies): busy and total. */
export function hostCpuTicks(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/** Busy share of the whole machine (0–100 % of all cores) between two readings. */
export function hostBusyPercent(before: { busy: number; total: number }, after: { busy: number; total: number }): number {
  const total = after.total - before.total;
  return total > 0 ? ((after.busy - before.busy) / total) * 100 : Number.NaN;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system, in ms) a process used so far, from /proc/<pid>/stat; NaN once it is gone. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may contain spaces: count fields after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) / CLOCK_TICKS_PER_SECOND) * 1000;
  } catch {
    return Number.NaN;
  }
}

/** Kernel drop counters of local UDP sockets by port (/proc/net/udp "drops" column). */
export function udpDropsByPort(): Map<number, number> {
  const drops = new Map<number, number>();
  for (const file of ["/proc/net/udp", "/proc/net/udp6"]) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 13) continue;
      const port = Number.parseInt(fields[1]!.split(":")[1] ?? "", 16);
      const dropped = Number(fields.at(-1));
      if (Number.isFinite(port) && Number.isFinite(dropped)) drops.set(port, (drops.get(port) ?? 0) + dropped);
    }
  }
  return drops;
}

/** Every figure finite (numbers only, recursively): what the smoke test checks. */
export function finiteNumbers(value: unknown, path = "result"): string[] {
  const problems: string[] = [];
  if (typeof value === "number") {
    if (!Number.isFinite(value)) problems.push(`${path} = ${value}`);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => problems.push(...finiteNumbers(item, `${path}[${index}]`)));
  } else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) problems.push(...finiteNumbers(item, `${path}.${key}`));
  }
  return problems;
}

/** Asks a bench thread to close its sockets (it answers "closed"), then ends it; at most 2 s of waiting. */
export async function closeWorker(worker: Worker): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2_000);
    worker.on("message", (message: { type: string }) => {
      if (message.type === "closed") {
        clearTimeout(timer);
        resolve();
      }
    });
    worker.postMessage({ type: "close" });
  });
  await worker.terminate();
}

/** `<dir>/<base>.json`, or `<base>-2.json`, `-3`… when taken: a second run on the same day keeps the first's figures. */
export function unusedResultFile(dir: string, base: string): string {
  mkdirSync(dir, { recursive: true });
  let file = path.join(dir, `${base}.json`);
  for (let n = 2; existsSync(file); n++) file = path.join(dir, `${base}-${n}.json`);
  return file;
}
