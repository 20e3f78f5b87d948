import { once } from "node:events";
import https from "node:https";
import { X509Certificate, createHash } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { type ChildProcess, spawn } from "node:child_process";
import type { types } from "mediasoup";
import { pino } from "pino";
import { Redis } from "ioredis";
import { Server } from "socket.io";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Room, WorkerPool } from "../../sfu";
import type { Peer } from "../../sfu";
import type { PeerTransport } from "../../sfu/mediaObjects";
import { MediaNodeClient, MediaNodeRefused } from "../../signaling/mediaNodes/MediaNodeClient";
import { MAX_ENTRY_BYTES, type NodeEntry } from "../../signaling/mediaNodes/protocol";
import { MediaNodeDirectory, listNodeEntries } from "../../signaling/mediaNodes/registry";
import { deriveNodeKey, nodeAuth, signNodeEntry } from "../../signaling/mediaNodes/secret";
import { nodeCertificate, pinnedTlsOptions } from "../../signaling/mediaNodes/tls";
import { repoRoot } from "../../signaling/paths";
import { videoProducerParameters } from "../helpers/media";
import { TEST_MEDIA_NODE_SECRET, type TestMediaNode, startTestMediaNode, testNodeKey } from "../helpers/mediaNode";
import { type TestRedis, startTestRedis } from "../helpers/redis";

/**
 * A room spanning two hosts (issue 17 item 2), with two loopback addresses standing for them: this process
 * is host A (127.0.0.2: the home router, the producers), a media node started as its own process
 * (`--role=media`) is host B (127.0.0.3). Real Redis, real mediasoup on both sides, real RTP (ffmpeg's VP8)
 * crossing the SRTP pipe. The browser side is test/e2e/media-nodes.spec.ts.
 */
const HOST_A = "127.0.0.2";
const HOST_B = "127.0.0.3";
const logger = pino({ level: "silent" });

let redis: TestRedis;
let redisClient: Redis;
let node: TestMediaNode;
let pool: WorkerPool;
let directory: MediaNodeDirectory;
const network = { listenIp: HOST_A, enableTcp: false, initialAvailableOutgoingBitrate: 600_000 };

beforeAll(async () => {
  redis = await startTestRedis();
  redisClient = new Redis(redis.url);
  node = await startTestMediaNode({ id: "node-b", redisUrl: redis.url, listenIp: HOST_B, ports: { min: 43_600, max: 43_699 } });
  pool = await WorkerPool.create({ size: 1, portRange: { min: 43_700, max: 43_799 } });
  directory = await MediaNodeDirectory.open({ redisUrl: redis.url, secret: TEST_MEDIA_NODE_SECRET, heartbeatMs: 300, first: true, pipeListenIp: HOST_A, allowPlain: false, logger });
}, 90_000);

/** Node B's entry as it signed it in Redis (its URL and the certificate it serves). */
async function nodeEntry(): Promise<NodeEntry> {
  const entry = (await listNodeEntries(redisClient, TEST_MEDIA_NODE_SECRET)).find((listed) => listed.id === node.id);
  if (!entry) throw new Error("node B is not listed");
  return entry;
}

/**
 * A control channel that is not node B: TLS with a certificate of its own, socket.io, and a record of
 * every proof it was sent and every call. `calls` answers FAILED ("fail") or never ("silent").
 */
async function fakeNode(mode: "fail" | "silent"): Promise<{ url: string; certificate: string; proofs: unknown[]; calls: string[]; close(): Promise<void> }> {
  const tls = nodeCertificate("fake");
  const server = https.createServer({ cert: tls.certPem, key: tls.keyPem });
  const ioServer = new Server(server, { transports: ["websocket"], serveClient: false });
  const proofs: unknown[] = [];
  const calls: string[] = [];
  ioServer.use((socket, next) => {
    proofs.push(socket.handshake.auth);
    next();
  });
  ioServer.on("connection", (socket) => {
    socket.on("call", (raw: { method?: string }, ack: (reply: unknown) => void) => {
      calls.push(String(raw?.method));
      if (mode === "fail") ack({ ok: false, error: { code: "FAILED", message: "this node is broken" } });
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `https://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    certificate: tls.certPem,
    proofs,
    calls,
    close: async () => {
      await ioServer.close();
    },
  };
}

afterAll(async () => {
  await directory?.close();
  pool?.close();
  await node?.stop();
  redisClient?.disconnect();
  await redis?.stop();
});

/** The room and its home router (caught as mediasoup creates it, to attach a plain RTP input the way the bench does). */
async function roomOnHostA(id: string, remote: MediaNodeDirectory = directory): Promise<{ room: Room; home: types.Router }> {
  const worker = pool.workers[0]!;
  const created = new Promise<types.Router>((resolve) => worker.worker.observer.once("newrouter", resolve));
  const room = await Room.create({ id, worker, network, spread: { pool, afterConsumers: 0, remote } });
  return { room, home: await created };
}

function join(room: Room, name: string): Peer {
  return room.join({ id: `${name}-${Math.random().toString(36).slice(2, 8)}`, displayName: name, rtpCapabilities: room.rtpCapabilities });
}

/** A camera with no browser: ffmpeg sends VP8 RTP into a plain transport of the home router, produced through the room. */
async function ffmpegCamera(room: Room, home: types.Router, chair: Peer, ssrc: number): Promise<{ producerId: string; ffmpeg: ChildProcess }> {
  const input = await home.createPlainTransport({ listenInfo: { protocol: "udp", ip: HOST_A, portRange: pool.workers[0]!.portRange }, rtcpMux: true, comedia: true, appData: { direction: "send" } });
  chair.addTransport(input as unknown as PeerTransport);
  const producer = await room.produce(chair, { transportId: input.id, kind: "video", source: "webcam", rtpParameters: videoProducerParameters(ssrc) as types.RtpParameters });
  const ffmpeg = spawn(
    process.env.FFMPEG_PATH ?? "ffmpeg",
    ["-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=15", "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k", "-g", "15", "-an",
      "-payload_type", "101", "-ssrc", String(ssrc), "-f", "rtp", `rtp://${HOST_A}:${input.tuple.localPort}?pkt_size=1200`],
    { stdio: "ignore" },
  );
  return { producerId: producer.id, ffmpeg };
}

/** A chair whose camera (ffmpeg) feeds the home router, and a site "far" receiving it on node B. */
async function chairAndFarSite(roomId: string, ssrc: number): Promise<{ room: Room; chair: Peer; producerId: string; ffmpeg: ChildProcess }> {
  const { room, home } = await roomOnHostA(roomId);
  const chair = join(room, "chair");
  const { producerId, ffmpeg } = await ffmpegCamera(room, home, chair, ssrc);
  const far = join(room, "far");
  const farRecv = await room.createWebRtcTransport(far, "recv");
  await room.consume(far, { transportId: farRecv.id, producerId });
  return { room, chair, producerId, ffmpeg };
}

/**
 * A TCP relay to Redis that records what its clients send: `commands()` is each request's name (with the
 * subcommand for CLIENT), read from the RESP arrays on the wire.
 */
async function recordingRelay(redisPort: number): Promise<{ port: number; commands(): string[]; close(): void }> {
  const sent: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(redisPort, "127.0.0.1");
    sockets.add(client).add(upstream);
    client.on("data", (chunk: Buffer) => void sent.push(chunk));
    client.pipe(upstream).pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    port: (server.address() as net.AddressInfo).port,
    commands: () => {
      const wire = Buffer.concat(sent).toString("latin1");
      const names: string[] = [];
      let at = 0;
      const line = () => {
        const end = wire.indexOf("\r\n", at);
        const text = wire.slice(at, end);
        at = end + 2;
        return text;
      };
      while (at < wire.length && wire[at] === "*") {
        const args: string[] = [];
        for (let count = Number(line().slice(1)); count > 0; count--) {
          const length = Number(line().slice(1));
          args.push(wire.slice(at, at + length));
          at += length + 2;
        }
        names.push(args[0]!.toUpperCase() === "CLIENT" ? `CLIENT ${args[1]!.toUpperCase()}` : args[0]!.toUpperCase());
      }
      return names;
    },
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

/** What Redis refused the user since the last ACL LOG RESET, as "reason context object" (e.g. "command toplevel client|setinfo"). */
async function deniedFor(user: string): Promise<string[]> {
  const log = (await redisClient.call("ACL", "LOG")) as unknown[];
  const fields = (entry: unknown) => {
    if (!Array.isArray(entry)) return entry as Record<string, unknown>;
    const pairs: Record<string, unknown> = {};
    for (let i = 0; i + 1 < entry.length; i += 2) pairs[String(entry[i])] = entry[i + 1];
    return pairs;
  };
  return log.map(fields).filter((entry) => entry.username === user).map((entry) => `${String(entry.reason)} ${String(entry.context)} ${String(entry.object)}`);
}

function nodeClient(): MediaNodeClient {
  const picked = directory.pick();
  if (!(picked instanceof MediaNodeClient)) throw new Error("no media node connected");
  return picked;
}

describe("a room over two hosts (a media node)", () => {
  it("refuses a control connection without the shared secret", async () => {
    await expect(MediaNodeClient.connect(await nodeEntry(), deriveNodeKey("a-wrong-secret-of-enough-length-0123456789", "node-b"), logger, { allowPlain: false })).rejects.toThrow(/unauthorized/);
    expect(node.log.join("\n")).not.toContain(TEST_MEDIA_NODE_SECRET);
    expect(node.log.join("\n")).not.toContain(testNodeKey(node.id).toString("hex"));
  });

  it("speaks TLS only with the certificate the node's signed entry names: another one is refused before any proof is sent (review: ws:// in clear carried the SRTP keys)", async () => {
    const entry = await nodeEntry();
    expect(node.url).toMatch(/^https:\/\//);
    expect(entry.certificate).toContain("BEGIN CERTIFICATE");
    // Someone in the path answers at the node's address with a certificate of their own (a TLS proxy).
    const impostor = await fakeNode("fail");
    try {
      await expect(MediaNodeClient.connect({ id: "node-b", url: impostor.url, certificate: entry.certificate! }, testNodeKey("node-b"), logger, { allowPlain: false })).rejects.toThrow();
      // The same through Redis: a signed entry naming node B's certificate at the impostor's address.
      await redisClient.set("media-node:node-m", JSON.stringify(signNodeEntry(testNodeKey("node-m"), { id: "node-m", instance: "0".repeat(32), url: impostor.url, certificate: entry.certificate!, consumers: 0, workers: 8 })), "PX", 10_000);
      await directory.refresh();
      await directory.refresh();
      expect(directory.nodeIds).toEqual(["node-b"]);
      expect(impostor.proofs).toEqual([]);
      // A channel in clear is refused without being opened, unless this side opted out too (a lab).
      await expect(MediaNodeClient.connect({ id: "node-p", url: "http://127.0.0.1:9" }, testNodeKey("node-p"), logger, { allowPlain: false })).rejects.toBeInstanceOf(MediaNodeRefused);
      await expect(MediaNodeClient.connect({ id: "node-p", url: impostor.url }, testNodeKey("node-p"), logger, { allowPlain: false })).rejects.toMatchObject({ code: "NO_CERTIFICATE" });
      // Node B itself, over TLS with its own certificate, is connected.
      const client = await MediaNodeClient.connect(entry, testNodeKey("node-b"), logger, { allowPlain: false });
      expect((await client.call("createRouter", {})).routerId).toEqual(expect.any(String));
      client.close();
    } finally {
      await redisClient.del("media-node:node-m");
      await impostor.close();
    }
  });

  it.each(["fail", "silent"] as const)("keeps a node that answers errors or never answers (%s) out of placement after its first failure; receivers go to this host (review)", async (mode) => {
    const broken = await fakeNode(mode);
    // A Redis database of its own, so the directory sees only the broken node (no load to compare with B's).
    const db = `${redis.url}/${mode === "fail" ? 1 : 2}`;
    const writer = new Redis(db);
    await writer.set("media-node:broken", JSON.stringify(signNodeEntry(testNodeKey("broken"), { id: "broken", instance: "0".repeat(32), url: broken.url, certificate: broken.certificate, consumers: 0, workers: 64 })), "PX", 50_000);
    const brokenDirectory = await MediaNodeDirectory.open({
      redisUrl: db,
      secret: TEST_MEDIA_NODE_SECRET,
      heartbeatMs: 300,
      first: true,
      pipeListenIp: HOST_A,
      allowPlain: false,
      callTimeoutMs: 1_500,
      backoff: { baseMs: 120_000, maxMs: 120_000 },
      logger,
    });
    const { room } = await roomOnHostA(`giao-ban-nut-hong-${mode}`, brokenDirectory);
    try {
      expect(brokenDirectory.nodeIds).toEqual(["broken"]);
      expect(brokenDirectory.usable("broken")).toBe(true);
      // First receiver: the node is tried, fails (or says nothing), the receiver is placed here all the same.
      const first = await room.createWebRtcTransport(join(room, "site-1"), "recv");
      expect(first.iceCandidates.map((candidate) => candidate.address)).toEqual([HOST_A]);
      expect(broken.calls).toEqual(["createRouter"]);
      expect(brokenDirectory.usable("broken")).toBe(false);
      // Next receivers: the node, still connected and with no load at all, is not asked again.
      for (const name of ["site-2", "site-3"]) {
        const next = await room.createWebRtcTransport(join(room, name), "recv");
        expect(next.iceCandidates.map((candidate) => candidate.address)).toEqual([HOST_A]);
      }
      expect(broken.calls).toEqual(["createRouter"]);
      expect(brokenDirectory.nodeIds).toEqual(["broken"]);
      expect(room.mediaNodeIds).toEqual([]);
    } finally {
      room.close();
      await brokenDirectory.close();
      await writer.del("media-node:broken");
      writer.disconnect();
      await broken.close();
    }
  });

  it("ignores an entry in Redis that no node holding the secret signed, and refuses a replayed proof (review)", async () => {
    // Whoever can write to Redis lists a node of their own with no load: it must never be connected or picked.
    const rogue = net.createServer().listen(0, "127.0.0.1");
    await once(rogue, "listening");
    let connections = 0;
    rogue.on("connection", (socket) => {
      connections++;
      socket.destroy();
    });
    try {
      const port = (rogue.address() as net.AddressInfo).port;
      await redisClient.set("media-node:rogue", JSON.stringify({ id: "rogue", url: `http://127.0.0.1:${port}`, consumers: 0, workers: 8 }), "PX", 10_000);
      await redisClient.set("media-node:rogue2", JSON.stringify({ id: "rogue2", instance: "0".repeat(32), url: `http://127.0.0.1:${port}`, consumers: 0, workers: 8, signedAt: Date.now(), sig: "0".repeat(64) }), "PX", 10_000);
      // A node taken over (node-b's key) lists a server of its own under another id (second review, finding 5).
      await redisClient.set("media-node:rogue3", JSON.stringify(signNodeEntry(testNodeKey("node-b"), { id: "rogue3", instance: "0".repeat(32), url: `http://127.0.0.1:${port}`, consumers: 0, workers: 8 })), "PX", 10_000);
      await directory.refresh();
      await directory.refresh();
      expect(directory.nodeIds).toEqual(["node-b"]);
      expect(connections).toBe(0);
    } finally {
      await redisClient.del("media-node:rogue", "media-node:rogue2", "media-node:rogue3");
      rogue.close();
    }
    const proof = nodeAuth(testNodeKey(node.id), node.id);
    const tls = pinnedTlsOptions((await nodeEntry()).certificate!);
    const connect = (auth: unknown) =>
      new Promise<string>((resolve) => {
        const socket = io(node.url, { transports: ["websocket"], reconnection: false, ...tls, auth: auth as Record<string, unknown> });
        socket.once("connect", () => {
          socket.close();
          resolve("connected");
        });
        socket.once("connect_error", (error) => resolve(error.message));
      });
    expect(await connect(proof)).toBe("connected");
    expect(await connect(proof)).toBe("unauthorized");
    expect(await connect(nodeAuth(testNodeKey(node.id), "another-node"))).toBe("unauthorized");
    // Another node's key (what a compromised node-c holds) opens nothing on node B.
    expect(await connect(nodeAuth(testNodeKey("node-c"), node.id))).toBe("unauthorized");
  });

  it("refuses (and reports) an entry whose Redis key names another node than its id: a copied entry does not list a node twice (second review, finding 6)", async () => {
    const original = await redisClient.get("media-node:node-b");
    expect(original).not.toBeNull();
    const refused: string[] = [];
    try {
      await redisClient.set("media-node:node-b-copy", original!, "PX", 10_000);
      const listed = await listNodeEntries(redisClient, TEST_MEDIA_NODE_SECRET, (key, why) => refused.push(`${key}: ${why}`));
      expect(listed.map((entry) => entry.id)).toEqual(["node-b"]);
      expect(refused).toEqual([expect.stringMatching(/^media-node:node-b-copy: .*node-b/)]);
      // A directory logs it, once while it stays, and connects node B once.
      const lines: { msg?: string; key?: string }[] = [];
      const watching = await MediaNodeDirectory.open({
        redisUrl: redis.url,
        secret: TEST_MEDIA_NODE_SECRET,
        heartbeatMs: 60_000,
        first: true,
        pipeListenIp: HOST_A,
        allowPlain: false,
        logger: pino({ level: "warn" }, { write: (line: string) => void lines.push(JSON.parse(line) as { msg?: string; key?: string }) }),
      });
      try {
        await watching.refresh();
        await watching.refresh();
        expect(watching.nodeIds).toEqual(["node-b"]);
        expect(lines.filter((line) => line.key === "media-node:node-b-copy").map((line) => line.msg)).toEqual(["ignored an entry in Redis that is not a media node of ours"]);
      } finally {
        await watching.close();
      }
    } finally {
      await redisClient.del("media-node:node-b-copy");
    }
  });

  it("with an allow-list of node ids (MEDIA_NODE_IDS), refuses a well-signed entry of an id left off it and never connects that node (third review, finding 5: a stolen key could not be revoked)", async () => {
    const refused: string[] = [];
    expect((await listNodeEntries(redisClient, TEST_MEDIA_NODE_SECRET, undefined, new Set(["node-b", "media-9"]))).map((entry) => entry.id)).toEqual(["node-b"]);
    expect(await listNodeEntries(redisClient, TEST_MEDIA_NODE_SECRET, (key, why) => refused.push(`${key}: ${why}`), new Set(["media-9"]))).toEqual([]);
    expect(refused).toEqual(["media-node:node-b: node node-b is not in MEDIA_NODE_IDS"]);
    // A directory told of node-b only: connected to it; one whose list leaves node-b out never connects it.
    const options = { redisUrl: redis.url, secret: TEST_MEDIA_NODE_SECRET, heartbeatMs: 60_000, first: true, pipeListenIp: HOST_A, allowPlain: false, logger };
    const allowing = await MediaNodeDirectory.open({ ...options, allowedIds: ["node-b"] });
    const revoking = await MediaNodeDirectory.open({ ...options, allowedIds: ["media-9"] });
    try {
      expect(allowing.nodeIds).toEqual(["node-b"]);
      expect(revoking.nodeIds).toEqual([]);
    } finally {
      await allowing.close();
      await revoking.close();
    }
  });

  it("refuses, without fetching it, an entry over 16 KB (third review, finding 3: a node could SET up to 512 MB that every signaling process fetched and parsed each beat)", async () => {
    // A well-signed entry padded past the bound, and 8 MB of junk, each under a key a node may write.
    const padded = JSON.stringify(signNodeEntry(testNodeKey("node-pad"), { id: "node-pad", instance: "0".repeat(32), url: "https://127.0.0.1:9", consumers: 0, workers: 1 })).replace("{", `{${" ".repeat(MAX_ENTRY_BYTES)}`);
    const refused: string[] = [];
    const sentByRedis = async () => Number(/total_net_output_bytes:(\d+)/.exec(await redisClient.info("stats"))![1]);
    try {
      await redisClient.set("media-node:node-pad", padded, "PX", 30_000);
      await redisClient.set("media-node:node-huge", "x".repeat(8 * 1024 * 1024), "PX", 30_000);
      const before = await sentByRedis();
      // Seen failing before the bound: node-pad was listed, and the 8 MB went out to each reader.
      const listed = await listNodeEntries(redisClient, TEST_MEDIA_NODE_SECRET, (key, why) => refused.push(`${key}: ${why}`));
      await directory.refresh();
      await directory.refresh();
      expect(listed.map((entry) => entry.id)).toEqual(["node-b"]);
      expect(refused.sort()).toEqual([`media-node:node-huge: larger than ${MAX_ENTRY_BYTES} bytes`, `media-node:node-pad: larger than ${MAX_ENTRY_BYTES} bytes`]);
      expect(directory.nodeIds).toEqual(["node-b"]);
      // Neither value left Redis: this test's reads and every other client's together stay far below one of them.
      expect((await sentByRedis()) - before).toBeLessThan(1024 * 1024);
    } finally {
      await redisClient.del("media-node:node-pad", "media-node:node-huge");
    }
  });

  it("renews a node's certificate while it runs: the entry names the new one, a connected process keeps its channel and what it opened there, new connections get the new one (second review, finding 7)", async () => {
    // A Redis database of its own; a certificate of 24 s, renewed a third of its life before its end.
    const db = `${redis.url}/3`;
    const renewing = await startTestMediaNode({ id: "node-r", redisUrl: db, listenIp: HOST_B, ports: { min: 43_800, max: 43_849 }, env: { MEDIA_NODE_CERT_LIFETIME_S: "24" } });
    const reader = new Redis(db);
    const renewingDirectory = await MediaNodeDirectory.open({ redisUrl: db, secret: TEST_MEDIA_NODE_SECRET, heartbeatMs: 300, first: true, pipeListenIp: HOST_A, allowPlain: false, logger });
    try {
      const listed = async () => (await listNodeEntries(reader, TEST_MEDIA_NODE_SECRET)).find((entry) => entry.id === "node-r");
      const before = (await listed())!;
      expect(new Date(new X509Certificate(before.certificate!).validTo).getTime() - Date.now()).toBeLessThan(30_000);
      expect(renewingDirectory.nodeIds).toEqual(["node-r"]);
      const client = renewingDirectory.pick() as MediaNodeClient;
      const { routerId } = await client.call("createRouter", {});
      const losses: string[] = [];
      client.onLost((reason) => losses.push(reason));

      await expect.poll(async () => (await listed())?.certificate, { timeout: 60_000, interval: 500 }).not.toBe(before.certificate);
      const after = (await listed())!;
      expect(new Date(new X509Certificate(after.certificate!).validTo).getTime()).toBeGreaterThan(new Date(new X509Certificate(before.certificate!).validTo).getTime());
      await renewingDirectory.refresh();
      await renewingDirectory.refresh();
      // The channel opened under the old certificate goes on, and the node still holds the router made over it.
      expect(renewingDirectory.pick()).toBe(client);
      expect(losses).toEqual([]);
      expect(await client.call("createPipeTransport", { routerId })).toMatchObject({ id: expect.any(String) });
      // A new connection: the node shows the new certificate, so the old pin is refused and the new one works.
      await expect(MediaNodeClient.connect(before, testNodeKey("node-r"), logger, { allowPlain: false })).rejects.toThrow();
      const fresh = await MediaNodeClient.connect(after, testNodeKey("node-r"), logger, { allowPlain: false });
      fresh.close();
      // A new start id, though, is another start of the node (a restart): that channel is taken out. The node
      // is held still meanwhile, so its own beat does not overwrite the entry standing for its restart.
      process.kill(renewing.child.pid!, "SIGSTOP");
      try {
        // A beat already on its way when the node stopped would still land after ours: wait until Redis shows no
        // write for about a heartbeat (1 s; the entry's time to live, 3 s, set anew by each beat, below 1.8 s).
        await expect.poll(() => reader.pttl("media-node:node-r"), { timeout: 30_000, interval: 100 }).toBeLessThan(1_800);
        // Still listed then (not lapsed, 3 s): what takes the channel out below is the new start id alone.
        expect(client.closed).toBe(false);
        await reader.set("media-node:node-r", JSON.stringify(signNodeEntry(testNodeKey("node-r"), { ...after, instance: "f".repeat(32) })), "PX", 10_000);
        await renewingDirectory.refresh();
        expect(client.closed).toBe(true);
        expect(losses).toHaveLength(1);
      } finally {
        process.kill(renewing.child.pid!, "SIGCONT");
      }
    } finally {
      await renewingDirectory.close();
      reader.disconnect();
      await renewing.stop();
    }
  }, 120_000);

  it("runs with a Redis user of its own that may touch nothing but its entry (deploy/redis-media-node.acl)", async () => {
    // The example line of deploy/ as written, for node-acl, with the hash of this test's password in place of its
    // zeros. The user exists already, with an older password and every right (a node's former user): loading
    // the line must leave neither (third review, finding 6: without `reset` the old password still opened it).
    await redisClient.call("ACL", "SETUSER", "media-node-node-acl", "on", ">old-password-of-this-user", "~*", "&*", "+@all");
    const line = fs.readFileSync(path.join(repoRoot, "deploy", "redis-media-node.acl"), "utf8").split("\n").find((text) => text.startsWith("user "))!;
    const hash = createHash("sha256").update("acl-test-password-0123456789").digest("hex");
    const [, user, ...rules] = line.replaceAll("media-2", "node-acl").replace(/#0{64}/, `#${hash}`).trim().split(/\s+/);
    expect(user).toBe("media-node-node-acl");
    await redisClient.call("ACL", "SETUSER", user!, ...rules);
    const probe = new Redis(redis.url, { maxRetriesPerRequest: 0 });
    try {
      await expect(probe.call("AUTH", "media-node-node-acl", "old-password-of-this-user")).rejects.toThrow(/WRONGPASS/);
      expect(await probe.call("AUTH", "media-node-node-acl", "acl-test-password-0123456789")).toBe("OK");
    } finally {
      probe.disconnect();
    }
    await redisClient.call("ACL", "LOG", "RESET");
    const db = `redis://media-node-node-acl:acl-test-password-0123456789@127.0.0.1:${redis.port}/4`;
    const limited = new Redis(db, { lazyConnect: true, enableReadyCheck: false, maxRetriesPerRequest: 0 });
    // The node reaches Redis through a recording relay: what it sends is read off the wire, whatever this
    // Redis's version refuses or ignores (CLIENT SETINFO is unknown before Redis 7.2, so no ACL LOG here).
    const relay = await recordingRelay(redis.port);
    const aclNode = await startTestMediaNode({ id: "node-acl", redisUrl: db.replace(`:${redis.port}/`, `:${relay.port}/`), listenIp: HOST_B, ports: { min: 43_850, max: 43_899 } });
    const aclDirectory = await MediaNodeDirectory.open({ redisUrl: `${redis.url}/4`, secret: TEST_MEDIA_NODE_SECRET, heartbeatMs: 300, first: true, pipeListenIp: HOST_A, allowPlain: false, logger });
    try {
      expect(aclDirectory.nodeIds).toEqual(["node-acl"]);
      expect((await (aclDirectory.pick() as MediaNodeClient).call("createRouter", {})).routerId).toEqual(expect.any(String));
      expect(aclNode.log.join("\n")).not.toMatch(/NOPERM|cannot reach Redis/);
      // The node sends nothing its user is refused (third review, finding 7: ioredis's CLIENT SETINFO was).
      expect(await deniedFor("media-node-node-acl")).toEqual([]);
      // What the comment in deploy/redis-media-node.acl lists, and nothing else (seen failing before: CLIENT SETINFO).
      expect(new Set(relay.commands())).toEqual(new Set(["HELLO", "SELECT", "CLIENT SETNAME", "SET"]));
      // What a node taken over could do with that user: nothing outside its own entry.
      await limited.connect();
      await redisClient.set("cau-noi:process:a", "x");
      await expect(limited.get("cau-noi:process:a")).rejects.toThrow(/NOPERM/);
      await expect(limited.get("media-node:node-acl")).rejects.toThrow(/NOPERM/);
      await expect(limited.set("media-node:node-b", "x")).rejects.toThrow(/NOPERM/);
      await expect(limited.scan("0")).rejects.toThrow(/NOPERM/);
      await expect(limited.publish("cau-noi:forward:a", "x")).rejects.toThrow(/NOPERM/);
      // Stopped, it removes its entry itself.
      await aclNode.stop();
      await expect.poll(() => redisClient.exists("media-node:node-acl")).toBe(0);
    } finally {
      limited.disconnect();
      await aclDirectory.close();
      await aclNode.stop();
      await redisClient.del("cau-noi:process:a");
      await redisClient.call("ACL", "DELUSER", "media-node-node-acl");
      relay.close();
    }
  }, 90_000);

  it("answers malformed calls with BAD_REQUEST and unknown objects with NOT_FOUND, and goes on serving", async () => {
    const socket = io(node.url, { transports: ["websocket"], reconnection: false, ...pinnedTlsOptions((await nodeEntry()).certificate!), auth: nodeAuth(testNodeKey(node.id), node.id) });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", resolve);
        socket.once("connect_error", reject);
      });
      const call = (payload: unknown) => socket.timeout(5_000).emitWithAck("call", payload);
      expect(await call({ method: "dropTables", params: {} })).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
      expect(await call({ method: "consume", params: { transportId: "x".repeat(500) } })).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
      expect(await call("not an object")).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
      expect(await call({ method: "consumerAction", params: { consumerId: "nope", action: "resume" } })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
      expect(await call({ method: "createRouter", params: {} })).toMatchObject({ ok: true, result: { routerId: expect.any(String) } });
    } finally {
      socket.close();
    }
  });

  it("places the receiver on node B, pipes the producer there over SRTP, mirrors pause, resume and close", async () => {
    expect(directory.nodeIds).toEqual(["node-b"]);
    const { room, home } = await roomOnHostA("giao-ban-hai-may");
    const chair = join(room, "chair");
    const { producerId, ffmpeg } = await ffmpegCamera(room, home, chair, 73_001);
    try {
      const viewer = join(room, "site-b");
      const recv = await room.createWebRtcTransport(viewer, "recv");
      // Host B's transport: the browser is sent to node B's address.
      expect(recv.iceCandidates.map((candidate) => candidate.address)).toEqual([HOST_B]);
      expect(room.mediaNodeIds).toEqual(["node-b"]);
      const consumed = await room.consume(viewer, { transportId: recv.id, producerId });
      const consumer = viewer.consumer(consumed.consumerId);
      expect(consumer.nodeId).toBe("node-b");
      expect(consumed.rtpParameters.codecs[0]?.mimeType).toBe("video/VP8");

      // RTP from ffmpeg reaches the home producer and crosses the pipe to node B, growing.
      const client = nodeClient();
      const received = async () => (await client.call("pipeProducerStats", { producerId })).byteCount;
      await expect.poll(received, { timeout: 20_000 }).toBeGreaterThan(0);
      const first = await received();
      await expect.poll(received, { timeout: 20_000 }).toBeGreaterThan(first);

      // A second receiver on node B shares the pipe: still one piped producer, and the consumer resumes there.
      const other = join(room, "site-b2");
      const otherRecv = await room.createWebRtcTransport(other, "recv");
      const otherConsumed = await room.consume(other, { transportId: otherRecv.id, producerId });
      await room.resumeConsumer(other, otherConsumed.consumerId);
      expect(other.consumer(otherConsumed.consumerId).paused).toBe(false);

      // The chair pauses and resumes: node B's consumers hear it through the pipe.
      await room.pauseProducer(chair, producerId);
      await expect.poll(() => consumer.producerPaused).toBe(true);
      await room.resumeProducer(chair, producerId);
      await expect.poll(() => consumer.producerPaused).toBe(false);

      // The last consumer on node B gone, the piped producer there goes too; a new one pipes it anew.
      room.leave(other);
      consumer.close();
      const pipedThere = () => client.call("pipeProducerStats", { producerId }).then(() => true, () => false);
      await expect.poll(pipedThere).toBe(false);
      const again = await room.consume(viewer, { transportId: recv.id, producerId });
      await expect.poll(received, { timeout: 20_000 }).toBeGreaterThan(0);

      // The chair stops the camera: the consumer on node B closes and the viewer is told.
      const closed = new Promise<string>((resolve) => room.on("consumerClosed", (peer, consumerId) => peer === viewer && resolve(consumerId)));
      room.closeProducer(chair, producerId);
      expect(await closed).toBe(again.consumerId);
      expect(viewer.consumers.filter((open) => !open.closed)).toHaveLength(0);
    } finally {
      ffmpeg.kill("SIGKILL");
      room.close();
    }
  });

  it("takes out a node that stops beating (frozen, its channel still open), and takes it back once it beats again", async () => {
    const { room, ffmpeg } = await chairAndFarSite("giao-ban-nut-dung", 75_001);
    try {
      const lost = new Promise<Peer[]>((resolve) => room.once("peersLostMedia", resolve));
      process.kill(node.child.pid!, "SIGSTOP");
      try {
        expect((await lost).map((peer) => peer.displayName)).toEqual(["far"]);
        expect(directory.nodeIds).toEqual([]);
      } finally {
        process.kill(node.child.pid!, "SIGCONT");
      }
      // Beating again, it is listed and connected anew; new receivers go there.
      await expect.poll(() => directory.nodeIds, { timeout: 15_000 }).toEqual(["node-b"]);
      const back = join(room, "far");
      const backRecv = await room.createWebRtcTransport(back, "recv");
      expect(backRecv.iceCandidates.map((candidate) => candidate.address)).toEqual([HOST_B]);
    } finally {
      ffmpeg.kill("SIGKILL");
      room.close();
    }
  });

  it("takes out a node killed with SIGKILL: its receivers leave to rejoin, the producers and the rest of the room go on, its Redis entry lapses", async () => {
    const { room, chair, producerId, ffmpeg } = await chairAndFarSite("giao-ban-mat-nut", 74_001);
    try {
      expect(room.mediaNodeIds).toEqual(["node-b"]);
      expect(await redisClient.exists("media-node:node-b")).toBe(1);

      const lost = new Promise<Peer[]>((resolve) => room.once("peersLostMedia", resolve));
      const left: string[] = [];
      room.on("peerLeft", (peer, reason) => left.push(`${peer.displayName}:${reason}`));
      process.kill(node.child.pid!, "SIGKILL");
      expect((await lost).map((peer) => peer.displayName)).toEqual(["far"]);
      expect(left).toEqual(["far:workerDied"]);
      expect(room.closed).toBe(false);
      expect(room.peers.map((peer) => peer.displayName)).toEqual(["chair"]);
      expect(chair.producers.map((producer) => producer.id)).toEqual([producerId]);
      expect(directory.nodeIds).toEqual([]);
      // Nobody renews the entry: it lapses after three heartbeats.
      await expect.poll(() => redisClient.exists("media-node:node-b"), { timeout: 10_000 }).toBe(0);

      // The site rejoins: with no node left it is placed on this host and receives again.
      const back = join(room, "far");
      const backRecv = await room.createWebRtcTransport(back, "recv");
      expect(backRecv.iceCandidates.map((candidate) => candidate.address)).toEqual([HOST_A]);
      await room.consume(back, { transportId: backRecv.id, producerId });
      expect(back.consumers).toHaveLength(1);
    } finally {
      ffmpeg.kill("SIGKILL");
      room.close();
    }
  });
});
