import dgram from "node:dgram";
import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { RecordingError } from "./errors";

export interface UdpPortRange {
  min: number;
  max: number;
}

/** Consecutive local UDP ports held for one track until `release()`. */
export interface PortLease {
  readonly ports: readonly number[];
  release(): void;
}

/**
 * Ports leased in this process. Shared by every recorder: two recordings with the same range must not
 * hand out the same port in the gap between "checked free" and "ffmpeg bound it".
 */
const leased = new Set<number>();
/** Where the next search starts, so a port just released is not reused at once (late packets). */
let cursor = 0;

function bindable(port: number, ip: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket(ip.includes(":") ? "udp6" : "udp4");
    socket.once("error", () => {
      socket.close();
      resolve(false);
    });
    socket.bind({ port, address: ip, exclusive: true }, () => socket.close(() => resolve(true)));
  });
}

/** `count` consecutive ports of the range, each free (checked by binding it) and not leased here. */
export async function leaseUdpPorts(range: UdpPortRange, count: number, ip = "0.0.0.0"): Promise<PortLease> {
  const span = range.max - range.min + 1;
  if (span < count) throw new RangeError(`port range ${range.min}-${range.max} cannot hold ${count} ports`);
  const bases = span - count + 1;
  for (let tried = 0; tried < bases; tried++) {
    const base = range.min + ((cursor + tried) % bases);
    const ports = Array.from({ length: count }, (_, offset) => base + offset);
    if (ports.some((port) => leased.has(port))) continue;
    // Lease before the asynchronous checks, so a concurrent search skips these ports.
    for (const port of ports) leased.add(port);
    const free = await Promise.all(ports.map((port) => bindable(port, ip)));
    if (free.every(Boolean)) {
      cursor = (base - range.min + count) % bases;
      let released = false;
      return {
        ports,
        release: () => {
          if (released) return;
          released = true;
          for (const port of ports) leased.delete(port);
        },
      };
    }
    for (const port of ports) leased.delete(port);
  }
  throw new RecordingError("NO_FREE_PORT", `no ${count} free consecutive UDP ports in ${range.min}-${range.max}`);
}

/** Local ports with a bound UDP socket, from the kernel's table (Linux); undefined where there is none. */
async function boundUdpPorts(): Promise<Set<number> | undefined> {
  const tables = await Promise.all(
    ["/proc/net/udp", "/proc/net/udp6"].map((file) => readFile(file, "utf8").catch(() => undefined)),
  );
  if (tables.every((table) => table === undefined)) return undefined;
  const ports = new Set<number>();
  for (const table of tables) {
    for (const line of table?.split("\n").slice(1) ?? []) {
      // "  sl  local_address rem_address ..." with local_address as HEXIP:HEXPORT.
      const local = line.trim().split(/\s+/)[1];
      const hexPort = local?.slice(local.lastIndexOf(":") + 1);
      if (hexPort) ports.add(Number.parseInt(hexPort, 16));
    }
  }
  return ports;
}

/**
 * Resolves once some process has bound `port`. Watching the kernel's socket table, rather than trying
 * to bind the port, cannot steal the port from the process that is about to bind it. Where the table
 * is unreadable it waits `fallbackMs` instead.
 */
export async function waitForUdpListener(
  port: number,
  options: { timeoutMs: number; fallbackMs?: number; abandoned?: () => boolean },
): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (options.abandoned?.()) return false;
    const bound = await boundUdpPorts();
    if (!bound) {
      await sleep(options.fallbackMs ?? 500);
      return !options.abandoned?.();
    }
    if (bound.has(port)) return true;
    await sleep(25);
  }
  return false;
}
