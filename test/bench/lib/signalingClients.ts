/**
 * Child process of the signaling-load scenario: many socket.io clients, driven over IPC, so their own
 * CPU does not show up as event-loop lag or memory in the server process being measured.
 * Run as `node --import tsx test/bench/lib/signalingClients.ts`.
 */
import { io, type Socket } from "socket.io-client";

export type ClientCommand =
  | { type: "connect"; url: string; tokens: string[]; roomId: string; concurrency: number }
  | { type: "load"; durationMs: number; intervalMs: number; event: string }
  | { type: "close" };

export type ClientReport =
  | { type: "joined"; connectMs: number[]; joinAckMs: number[]; failures: string[]; elapsedMs: number }
  | { type: "loadDone"; latenciesMs: number[]; failures: number; requests: number }
  | { type: "closed" };

interface Ack {
  ok: boolean;
  data?: { rtpCapabilities?: unknown };
  error?: { code: string };
}

const sockets: Socket[] = [];
const send = (report: ClientReport) => process.send?.(report);

async function connectOne(url: string, token: string, roomId: string, caps: { value?: unknown }) {
  const started = performance.now();
  const socket = io(url, { transports: ["websocket"], auth: { token, lang: "en" }, reconnection: false, forceNew: true });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  const connected = performance.now();
  // As the browser client does: the router's capabilities, then join with them.
  const capabilities = (await socket.timeout(30_000).emitWithAck("getRouterRtpCapabilities", {})) as Ack;
  caps.value ??= capabilities.data?.rtpCapabilities;
  const joinStarted = performance.now();
  const joined = (await socket.timeout(30_000).emitWithAck("join", { roomId, rtpCapabilities: caps.value })) as Ack;
  if (!joined.ok) throw new Error(`join refused: ${joined.error?.code}`);
  return { connectMs: connected - started, joinAckMs: performance.now() - joinStarted };
}

async function onConnect(command: Extract<ClientCommand, { type: "connect" }>) {
  const started = performance.now();
  const connectMs: number[] = [];
  const joinAckMs: number[] = [];
  const failures: string[] = [];
  const caps: { value?: unknown } = {};
  let next = 0;
  await Promise.all(
    Array.from({ length: command.concurrency }, async () => {
      while (next < command.tokens.length) {
        const token = command.tokens[next++]!;
        try {
          const result = await connectOne(command.url, token, command.roomId, caps);
          connectMs.push(result.connectMs);
          joinAckMs.push(result.joinAckMs);
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    }),
  );
  send({ type: "joined", connectMs, joinAckMs, failures: failures.slice(0, 20), elapsedMs: performance.now() - started });
}

async function onLoad(command: Extract<ClientCommand, { type: "load" }>) {
  const latenciesMs: number[] = [];
  let failures = 0;
  let requests = 0;
  const end = performance.now() + command.durationMs;
  // Every client sends one request per interval, at its own random phase.
  await Promise.all(
    sockets
      .filter((socket) => socket.connected)
      .map(async (socket) => {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * command.intervalMs));
        while (performance.now() < end) {
          const started = performance.now();
          requests++;
          try {
            const ack = (await socket.timeout(10_000).emitWithAck(command.event, {})) as Ack;
            if (ack.ok) latenciesMs.push(performance.now() - started);
            else failures++;
          } catch {
            failures++;
          }
          const wait = command.intervalMs - (performance.now() - started);
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        }
      }),
  );
  send({ type: "loadDone", latenciesMs, failures, requests });
}

process.on("message", (command: ClientCommand) => {
  if (command.type === "connect") void onConnect(command);
  else if (command.type === "load") void onLoad(command);
  else if (command.type === "close") {
    for (const socket of sockets) socket.disconnect();
    send({ type: "closed" });
    setTimeout(() => process.exit(0), 100);
  }
});
