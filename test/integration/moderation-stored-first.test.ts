import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import type { ServerEvent } from "../../signaling/protocol";
import { connect, ok, request, type TestSocket } from "../helpers/client";
import { buildUnit, tokenFor } from "../helpers/factories";
import { startTestServer, type TestServer } from "../helpers/server";
import { otherProcessHoldsTheLock, stopLockHolders } from "../helpers/sqliteLock";

/**
 * What the chair sees of the room's moderation has been stored: a fresh-clone run killed the signaling
 * process right after the chair saw a site's raised hand, and the restarted process had no hand
 * (signaling-restart.spec.ts) — the change was announced first and written after. Here the database is held
 * by another process's write lock while the site raises its hand: nobody may see the hand until it is stored.
 */
let server: TestServer;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => stopLockHolders());
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server.close();
});

async function member(roomId: string, roles: ["leader"] | ["site"], displayName: string) {
  const unit = await buildUnit(server.db, { name: displayName });
  const { token, user } = await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles, displayName });
  const socket = await connect(server.url, { token });
  sockets.push(socket);
  const { rtpCapabilities } = await ok(socket, "getRouterRtpCapabilities", {});
  const joined = await ok(socket, "join", { roomId, rtpCapabilities });
  return { socket, user, peerId: joined.peerId };
}

it("a raised hand reaches the chair only once it is stored", { timeout: 60_000 }, async () => {
  const roomId = "giao-ban-luu-truoc-khi-bao";
  const chair = await member(roomId, ["leader"], "Chủ tịch thử lưu");
  const site = await member(roomId, ["site"], "Xã thử lưu");
  const shown: ServerEvent<"moderation">[] = [];
  chair.socket.on("moderation", (snapshot) => {
    if (snapshot.hands.includes(site.peerId)) shown.push(snapshot);
  });

  const lock = await otherProcessHoldsTheLock(server.databaseFile, "khoa-ghi");
  const raised = request(site.socket, "raiseHand", { raised: true });
  // A window in which the old order showed the hand to the chair at once (loopback, milliseconds); the write
  // waits for the lock for up to 5 s, so releasing within this second leaves it room to land.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(shown, "the chair saw a hand that was not stored yet").toEqual([]);
  await lock.release();

  expect(await raised).toMatchObject({ ok: true });
  await expect.poll(() => shown.length).toBeGreaterThan(0);
  const stored = await server.db.roomModerationState.findUniqueOrThrow({ where: { roomId } });
  expect((JSON.parse(stored.state) as { handUserIds: string[] }).handUserIds).toEqual([site.user.id]);
});
