/**
 * Child process of `npm run soak`: the signaling-only sites (join, consume, chat, raise hands, leave or
 * drop, come back), a second chair moderating, and a clerk writing cases and reception-book entries.
 * A separate process, so its sockets and memory do not show up in the server being measured.
 * Run as `node --import tsx test/reliability/soakLoad.ts` with an IPC channel.
 */
import { io, type Socket } from "socket.io-client";

export type LoadCommand =
  | { type: "start"; url: string; roomId: string; siteTokens: string[]; secretaryToken: string; officerToken: string; unitId: string }
  | { type: "stop" };

export interface LoadCounts {
  joins: number;
  leaves: number;
  drops: number;
  consumers: number;
  chats: number;
  hands: number;
  moderation: number;
  cases: number;
  steps: number;
  entries: number;
  /** Requests that answered an error (code → count); RATE_LIMITED and refusals from a racing state included. */
  errors: Record<string, number>;
  failures: string[];
}

export type LoadReport = { type: "counts"; counts: LoadCounts } | { type: "done"; counts: LoadCounts };

interface Ack {
  ok: boolean;
  data?: Record<string, unknown>;
  error?: { code: string; message: string };
}

const counts: LoadCounts = { joins: 0, leaves: 0, drops: 0, consumers: 0, chats: 0, hands: 0, moderation: 0, cases: 0, steps: 0, entries: 0, errors: {}, failures: [] };
let stopping = false;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const between = (min: number, max: number) => min + Math.random() * (max - min);
const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(Math.random() * items.length)];

function failed(what: string, error: unknown) {
  if (counts.failures.length < 50) counts.failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
}

async function request(socket: Socket, event: string, payload: unknown): Promise<Ack> {
  const ack = (await socket.timeout(20_000).emitWithAck(event, payload)) as Ack;
  if (!ack.ok && ack.error) counts.errors[ack.error.code] = (counts.errors[ack.error.code] ?? 0) + 1;
  return ack;
}

async function connect(url: string, token: string): Promise<Socket> {
  const socket = io(url, { transports: ["websocket"], auth: { token, lang: "vi" }, reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return socket;
}

/** Peers the site knows of (from join and later arrivals), for consuming and for the chair's moderation. */
const knownPeers = new Set<string>();
const knownProducers = new Map<string, string>();

/** Connects, joins the room and remembers the peers and producers already in it. */
async function joinedSocket(url: string, roomId: string, token: string, who: string): Promise<Socket> {
  const socket = await connect(url, token);
  const caps = await request(socket, "getRouterRtpCapabilities", {});
  const joined = await request(socket, "join", { roomId, rtpCapabilities: caps.data?.rtpCapabilities });
  if (!joined.ok) {
    socket.disconnect();
    throw new Error(`${who} join refused: ${joined.error?.code}`);
  }
  for (const peer of (joined.data?.peers ?? []) as { id: string; producers: { id: string }[] }[]) {
    knownPeers.add(peer.id);
    for (const producer of peer.producers) knownProducers.set(producer.id, peer.id);
  }
  return socket;
}

/** One signaling-only site: joins, receives up to 3 streams (consumers on an unconnected transport), chats, leaves. */
async function siteLoop(url: string, roomId: string, token: string): Promise<void> {
  await sleep(between(0, 20_000));
  while (!stopping) {
    let socket: Socket | undefined;
    try {
      socket = await joinedSocket(url, roomId, token, "site");
      counts.joins++;
      const transport = await request(socket, "createWebRtcTransport", { direction: "recv" });
      const transportId = transport.data?.id as string | undefined;
      const producers = [...knownProducers.keys()].sort(() => Math.random() - 0.5).slice(0, 3);
      for (const producerId of producers) {
        if (!transportId) break;
        const consumed = await request(socket, "consume", { transportId, producerId, spatialLayer: 0 });
        if (consumed.ok) counts.consumers++;
        else if (consumed.error?.code === "PRODUCER_NOT_FOUND") knownProducers.delete(producerId);
      }
      const stayUntil = Date.now() + between(5_000, 60_000);
      while (!stopping && Date.now() < stayUntil) {
        await sleep(between(2_000, 8_000));
        const roll = Math.random();
        if (roll < 0.3) {
          if ((await request(socket, "sendChat", { text: `Điểm cầu báo cáo lúc ${new Date().toISOString().slice(11, 19)}` })).ok) counts.chats++;
        } else if (roll < 0.5) {
          if ((await request(socket, "raiseHand", { raised: Math.random() < 0.5 })).ok) counts.hands++;
        }
      }
      // Half leave properly; the others drop (socket closed), which the server holds for the resume grace.
      if (Math.random() < 0.5) {
        await request(socket, "leave", {});
        counts.leaves++;
      } else {
        counts.drops++;
      }
    } catch (error) {
      failed("site", error);
    } finally {
      socket?.disconnect();
    }
    await sleep(between(1_000, 10_000));
  }
}

/**
 * A second chair (a leader) moderating the sites it knows of: mute, spotlight, floor, camera, hands.
 * Like a real chair on a busy server it retries: a join that times out or a dropped connection is
 * followed by a new attempt, so one slow moment at the start cannot silence moderation for the whole run.
 */
async function secretaryLoop(url: string, roomId: string, token: string): Promise<void> {
  while (!stopping) {
    let socket: Socket | undefined;
    try {
      socket = await joinedSocket(url, roomId, token, "secretary");
      socket.on("peerJoined", (event: { peer: { id: string; producers: { id: string }[] } }) => {
        knownPeers.add(event.peer.id);
        for (const producer of event.peer.producers) knownProducers.set(producer.id, event.peer.id);
      });
      socket.on("peerLeft", (event: { peerId: string }) => knownPeers.delete(event.peerId));
      socket.on("newProducer", (event: { peerId: string; producer: { id: string } }) => knownProducers.set(event.producer.id, event.peerId));
      socket.on("producerClosed", (event: { producerId: string }) => knownProducers.delete(event.producerId));
      while (!stopping && socket.connected) {
        await sleep(between(3_000, 10_000));
        const peerId = pick([...knownPeers]);
        if (!peerId) continue;
        const action = pick(["muteSite", "unmute", "spotlight", "grantFloor", "takeFloor", "stopCamera"] as const)!;
        const payload =
          action === "muteSite" ? { peerId, muted: true } : action === "unmute" ? { peerId, muted: false } : action === "takeFloor" ? { peerId: null } : { peerId };
        const event = action === "unmute" ? "muteSite" : action === "takeFloor" ? "grantFloor" : action;
        const ack = await request(socket, event, payload);
        if (ack.ok) counts.moderation++;
        // A peer that left is forgotten (its id will not come back).
        else if (ack.error?.code === "NOT_FOUND") knownPeers.delete(peerId);
      }
    } catch (error) {
      failed("secretary", error);
    } finally {
      socket?.disconnect();
    }
    if (!stopping) await sleep(between(1_000, 5_000));
  }
}

/** A clerk filing a case, taking a workflow step and writing a book entry, about once a second. */
async function clerkLoop(url: string, token: string, unitId: string): Promise<void> {
  const call = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${url}/api${path}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    const parsed = (await response.json()) as Record<string, unknown> & { error?: { code: string } };
    if (!response.ok) counts.errors[parsed.error?.code ?? String(response.status)] = (counts.errors[parsed.error?.code ?? String(response.status)] ?? 0) + 1;
    return response.ok ? parsed : undefined;
  };
  while (!stopping) {
    try {
      const filed = await call("POST", "/cases", {
        unitId,
        channel: "post",
        receivedDate: "2026-03-02",
        summary: "Đơn đề nghị trong phiên thử tải dài",
        content: "Công dân đề nghị xem xét việc cấp giấy chứng nhận quyền sử dụng đất.",
        parties: [{ role: "petitioner", name: "Nguyễn Văn Thử" }],
      });
      const caseId = (filed?.case as { id?: string } | undefined)?.id;
      if (caseId) {
        counts.cases++;
        if (await call("POST", `/cases/${caseId}/actions/classify`, { kind: "complaint", eligible: true, withinCompetence: true })) counts.steps++;
      }
      const entry = await call("POST", "/reception/book", {
        unitId,
        receivedAt: new Date().toISOString(),
        kind: "regular",
        peopleCount: 1,
        content: "Công dân đề nghị hướng dẫn thủ tục đất đai.",
        handling: "huong_dan",
        citizens: [{ fullName: "Trần Thị Thử", address: "Thôn Đông" }],
      });
      if (entry) counts.entries++;
    } catch (error) {
      failed("clerk", error);
    }
    await sleep(1_000);
  }
}

process.on("message", (message: LoadCommand) => {
  if (message.type === "stop") {
    stopping = true;
    return;
  }
  void (async () => {
    const loops = [
      secretaryLoop(message.url, message.roomId, message.secretaryToken),
      ...message.siteTokens.map((token) => siteLoop(message.url, message.roomId, token)),
      clerkLoop(message.url, message.officerToken, message.unitId),
    ];
    const timer = setInterval(() => process.send?.({ type: "counts", counts } satisfies LoadReport), 10_000);
    await Promise.all(loops);
    clearInterval(timer);
    process.send?.({ type: "done", counts } satisfies LoadReport, () => process.exit(0));
  })();
});
