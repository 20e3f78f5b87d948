import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

/**
 * A real coturn `turnserver` (Debian package `coturn`, installed by scripts/setup.mjs) owned by one test:
 * its own config, ports and database under the test's temp directory, no systemd, stopped after. It runs
 * with `use-auth-secret` like production (deploy/turnserver.conf), but listens and relays on loopback
 * only, and lets relayed media reach loopback peers because the test's mediasoup listens on 127.0.0.1.
 */
export interface TurnServer {
  port: number;
  /** Only with the production file: its `turns:` port. */
  tlsPort?: number;
  secret: string;
  realm: string;
  /** The ports coturn allocates relayed addresses from. */
  relayPorts: { min: number; max: number };
  log: string[];
  stop(): Promise<void>;
}

export const TURNSERVER_BIN = process.env.TURNSERVER_PATH ?? "/usr/bin/turnserver";
export const TURN_UCLIENT_BIN = process.env.TURNUTILS_UCLIENT_PATH ?? "/usr/bin/turnutils_uclient";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export function turnConfig(options: { port: number; secret: string; realm: string; dir: string; relayPorts: { min: number; max: number } }): string {
  return [
    `listening-port=${options.port}`,
    "listening-ip=127.0.0.1",
    "relay-ip=127.0.0.1",
    `min-port=${options.relayPorts.min}`,
    `max-port=${options.relayPorts.max}`,
    "use-auth-secret",
    `static-auth-secret=${options.secret}`,
    `realm=${options.realm}`,
    "fingerprint",
    // Production denies loopback and private peers (deploy/turnserver.conf); here mediasoup is on 127.0.0.1.
    "allow-loopback-peers",
    "no-multicast-peers",
    "no-cli",
    "no-tls",
    "no-dtls",
    "log-file=stdout",
    "simple-log",
    `pidfile=${path.join(options.dir, "turnserver.pid")}`,
    `userdb=${path.join(options.dir, "turndb")}`,
    "",
  ].join("\n");
}

/**
 * The shipped deploy/turnserver.conf moved onto loopback and this test's ports, secret and certificate;
 * every other line (peer restrictions, TLS versions, quotas) stays as an IT officer would install it.
 */
function fromProductionFile(file: string, o: { port: number; tlsPort: number; secret: string; dir: string; relayPorts: { min: number; max: number }; cert: { cert: string; key: string } }): string {
  const replaced: Record<string, string> = {
    "listening-ip": "127.0.0.1",
    "relay-ip": "127.0.0.1",
    "listening-port": String(o.port),
    "tls-listening-port": String(o.tlsPort),
    "min-port": String(o.relayPorts.min),
    "max-port": String(o.relayPorts.max),
    "static-auth-secret": o.secret,
    cert: o.cert.cert,
    pkey: o.cert.key,
  };
  const lines = fs
    .readFileSync(file, "utf8")
    .split("\n")
    .map((line) => {
      const key = /^([a-z0-9-]+)(=|$)/.exec(line)?.[1];
      if (key === "syslog") return "log-file=stdout";
      return key !== undefined && key in replaced ? `${key}=${replaced[key]}` : line;
    });
  return [...lines, `pidfile=${path.join(o.dir, "turnserver.pid")}`, `userdb=${path.join(o.dir, "turndb")}`, ""].join("\n");
}

export async function startTurnServer(dir: string, secret: string, production?: { file: string; cert: { cert: string; key: string } }): Promise<TurnServer> {
  if (!fs.existsSync(TURNSERVER_BIN)) throw new Error(`${TURNSERVER_BIN} is missing: install the Debian package coturn (npm run setup does)`);
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const tlsPort = production ? await freePort() : undefined;
  // A relay range of its own, away from mediasoup's (40000–49999) and the recorder's (50000–50999).
  const base = 55_000 + (process.pid % 20) * 200 + (production ? 100 : 0);
  const realm = "cau-noi.test";
  const relayPorts = { min: base, max: base + 99 };
  const configFile = path.join(dir, "turnserver.conf");
  const text = production && tlsPort !== undefined
    ? fromProductionFile(production.file, { port, tlsPort, secret, dir, relayPorts, cert: production.cert })
    : turnConfig({ port, secret, realm, dir, relayPorts });
  fs.writeFileSync(configFile, text, { mode: 0o600 });
  const child: ChildProcess = spawn(TURNSERVER_BIN, ["-c", configFile], { stdio: ["ignore", "pipe", "pipe"] });
  const log: string[] = [];
  const collect = (chunk: Buffer) => log.push(...chunk.toString("utf8").split("\n").filter(Boolean));
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
  };
  // Ready when its TCP listener answers (it opens UDP on the same port at the same time).
  for (let tries = 0; !(await accepts(port)); tries++) {
    if (child.exitCode !== null || tries > 200) {
      await stop();
      throw new Error(`turnserver did not start:\n${log.slice(-30).join("\n")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { port, ...(tlsPort !== undefined ? { tlsPort } : {}), secret, realm, relayPorts, log, stop };
}

/**
 * Allocates a relay on the turnserver with `turnutils_uclient` (coturn's own test client) and sends a few
 * packets through it: true when the server accepted the credential. Loopback peers as above.
 */
export function relayWorks(turn: TurnServer, username: string, password: string, extraArgs: string[] = ["-y"]): { ok: boolean; output: string } {
  const result = spawnSync(TURN_UCLIENT_BIN, ["-u", username, "-w", password, "-n", "2", "-c", "-p", String(turn.port), ...extraArgs, "127.0.0.1"], {
    encoding: "utf8",
    timeout: 60_000,
  });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  return { ok: result.status === 0 && /tot_recv_msgs=[1-9]/.test(output), output: output.split("\n").slice(-15).join("\n") };
}
