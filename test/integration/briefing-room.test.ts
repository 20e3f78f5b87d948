import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import type { Role, RtpCapabilities, ServerEvent } from "../../signaling/protocol";
import { connect, ok, type TestSocket } from "../helpers/client";
import { buildUnit, tokenFor } from "../helpers/factories";
import { startTestServer, type TestServer } from "../helpers/server";

/**
 * What a briefing room tells its participants beyond media (issue 18): the meeting's running time, which
 * survives the room emptying and filling again, and the invited units present or absent, for the chair only.
 */
let server: TestServer;
let caps: RtpCapabilities;
const sockets: TestSocket[] = [];
let province: { id: string; path: string };
let communes: { id: string; path: string; name: string }[];

async function signedIn(unit: { id: string }, roles: Role[], displayName: string) {
  const { token, user } = await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles, displayName });
  const socket = await connect(server.url, { token });
  sockets.push(socket);
  return { socket, user };
}

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("condition not met");
}

beforeAll(async () => {
  server = await startTestServer();
  province = await buildUnit(server.db, { name: "UBND tỉnh thử" });
  communes = [];
  for (const name of ["UBND xã An Bình", "UBND xã Bắc Sơn", "UBND phường Cửa Nam"]) {
    communes.push(await buildUnit(server.db, { parent: province, name }));
  }
  const probe = await signedIn(province, ["officer"], "Thăm dò");
  caps = (await ok(probe.socket, "getRouterRtpCapabilities", {})).rtpCapabilities;
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});

afterAll(async () => {
  await server?.close();
});

describe("the meeting timer", () => {
  it("keeps the meeting's start when the room empties and fills again", async () => {
    const roomId = "giao-ban-dong-ho";
    const first = await signedIn(province, ["officer"], "Sở Tư pháp");
    const opened = await ok(first.socket, "join", { roomId, rtpCapabilities: caps });
    expect(opened.startedAt).toEqual(expect.any(String));
    await ok(first.socket, "leave", {});
    // The room emptied: the meeting's row says so once the attendance log has written it.
    await waitFor(async () => (await server.db.meeting.findUnique({ where: { roomId } }))?.status === "ended");
    await server.attendance.flush();

    const again = await signedIn(province, ["officer"], "Sở Tài chính");
    const rejoined = await ok(again.socket, "join", { roomId, rtpCapabilities: caps });
    // A fresh room session, but the same meeting: its running time goes on from the first join.
    expect(rejoined.startedAt).toBe(opened.startedAt);
    const stored = await server.db.meeting.findUniqueOrThrow({ where: { roomId } });
    expect(stored.startedAt?.toISOString()).toBe(opened.startedAt);
  });
});

describe("the invited units in the participant list", () => {
  it("names the invited units absent from the room, to the chair only", async () => {
    const chairAccount = await tokenFor(server.db, DEMO_JWT_SECRET, { unit: province, roles: ["leader"], displayName: "Chủ tịch UBND tỉnh" });
    const [communeA, communeB, communeC] = communes as [(typeof communes)[0], (typeof communes)[0], (typeof communes)[0]];
    const roomId = "giao-ban-vang-mat";
    await server.db.meeting.create({
      data: {
        roomId,
        title: "Giao ban tuần",
        status: "scheduled",
        hostUnitId: province.id,
        chairUserId: chairAccount.user.id,
        scheduledStart: new Date(Date.now() - 600_000),
        scheduledEnd: new Date(Date.now() + 3_600_000),
        sites: { create: [{ unitId: communeA.id }, { unitId: communeB.id }, { unitId: communeC.id }] },
      },
    });
    const chairSocket = await connect(server.url, { token: chairAccount.token });
    sockets.push(chairSocket);
    const rosters: ServerEvent<"roster">[] = [];
    chairSocket.on("roster", (roster) => rosters.push(roster));
    await ok(chairSocket, "join", { roomId, rtpCapabilities: caps });
    // Nobody invited is in yet.
    await waitFor(async () => rosters.length > 0);
    expect(rosters.at(-1)?.units.map((unit) => [unit.name, unit.present])).toEqual([
      ["UBND phường Cửa Nam", false],
      ["UBND xã An Bình", false],
      ["UBND xã Bắc Sơn", false],
    ]);

    // A site of An Bình joins.
    const siteA = await signedIn(communeA, ["site"], "UBND xã An Bình");
    const siteRosters: unknown[] = [];
    siteA.socket.on("roster", (roster) => siteRosters.push(roster));
    const seen = rosters.length;
    await ok(siteA.socket, "join", { roomId, rtpCapabilities: caps });
    await waitFor(async () => rosters.length > seen && rosters.at(-1)?.units.find((unit) => unit.id === communeA.id)?.present === true);
    expect(rosters.at(-1)?.units.filter((unit) => !unit.present).map((unit) => unit.name)).toEqual(["UBND phường Cửa Nam", "UBND xã Bắc Sơn"]);
    // An account of a unit below an invited one is there for it too.
    const officerBelowC = await signedIn(await buildUnit(server.db, { parent: communeC, name: "Tổ dân phố 3" }), ["officer"], "Cán bộ tổ 3");
    const beforeC = rosters.length;
    await ok(officerBelowC.socket, "join", { roomId, rtpCapabilities: caps });
    await waitFor(async () => rosters.length > beforeC);
    expect(rosters.at(-1)?.units.filter((unit) => !unit.present).map((unit) => unit.name)).toEqual(["UBND xã Bắc Sơn"]);

    // The site leaves: An Bình is absent again.
    const beforeLeave = rosters.length;
    await ok(siteA.socket, "leave", {});
    await waitFor(async () => rosters.length > beforeLeave);
    expect(rosters.at(-1)?.units.filter((unit) => !unit.present).map((unit) => unit.name)).toEqual(["UBND xã An Bình", "UBND xã Bắc Sơn"]);
    // A site is not told who else was invited: any roster sent to it would have arrived before this answer.
    await ok(siteA.socket, "getRouterRtpCapabilities", {});
    expect(siteRosters).toEqual([]);
    await ok(officerBelowC.socket, "getRouterRtpCapabilities", {});
  });
});
