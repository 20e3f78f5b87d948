import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../signaling/logger";
import { AttendanceLog } from "../../signaling/realtime/AttendanceLog";
import { buildUnit, buildUser } from "../helpers/factories";
import { startTestServer, type TestServer } from "../helpers/server";

/**
 * The attendance record when a room changes hands between signaling processes (review of the several-
 * processes work): a stay is closed once, never before it began, and a meeting another process keeps live
 * is not ended by the process that let the room go. Real database (SQLite here, PostgreSQL in its pass).
 */
let server: TestServer;
let log: AttendanceLog;

beforeAll(async () => {
  server = await startTestServer();
  log = new AttendanceLog(server.db, createLogger("silent"));
}, 60_000);

afterAll(async () => {
  await server?.close();
});

async function liveMeeting(roomId: string) {
  return server.db.meeting.create({ data: { roomId, title: `Giao ban ${roomId}`, status: "live" } });
}

describe("attendance across a handover", () => {
  it("closes a dead owner's stay that began after its latest possible death where it began, never before it", async () => {
    const meeting = await liveMeeting("ban-giao-mot");
    const lastSeen = new Date("2026-12-07T03:00:00Z");
    const deadBy = new Date("2026-12-07T03:00:02Z");
    const claimedAt = new Date("2026-12-07T03:00:09Z");
    const early = await server.db.attendance.create({ data: { meetingId: meeting.id, peerId: "p-early", displayName: "Xã Sớm", joinedAt: new Date("2026-12-07T02:50:00Z") } });
    const between = await server.db.attendance.create({ data: { meetingId: meeting.id, peerId: "p-between", displayName: "Xã Giữa", joinedAt: new Date("2026-12-07T03:00:01Z") } });
    // Its heartbeat came late (or its clock ran behind): this stay began after deadBy.
    const late = await server.db.attendance.create({ data: { meetingId: meeting.id, peerId: "p-late", displayName: "Xã Muộn", joinedAt: new Date("2026-12-07T03:00:05Z") } });
    log.closeOrphaned(meeting.roomId, lastSeen, deadBy, claimedAt);
    await log.flush();
    const rows = new Map((await server.db.attendance.findMany({ where: { meetingId: meeting.id } })).map((row) => [row.id, row]));
    expect(rows.get(early.id)).toMatchObject({ leftAt: lastSeen, leaveReason: "serverRestarted" });
    expect(rows.get(between.id)).toMatchObject({ leftAt: deadBy, leaveReason: "serverRestarted" });
    expect(rows.get(late.id)).toMatchObject({ leftAt: late.joinedAt, leaveReason: "serverRestarted" });
    for (const row of rows.values()) expect(row.leftAt!.getTime()).toBeGreaterThanOrEqual(row.joinedAt.getTime());
  });

  it("does not end a meeting whose room another process has let someone into since", async () => {
    const meeting = await liveMeeting("ban-giao-hai");
    // The new owner's site is in (its stay open); the old owner's "still ours?" answered before that.
    await server.db.attendance.create({ data: { meetingId: meeting.id, peerId: "p-new-owner", displayName: "Xã Mới", joinedAt: new Date() } });
    log.roomEmptied(meeting.roomId, new Date(), async () => true);
    await log.flush();
    expect(await server.db.meeting.findUniqueOrThrow({ where: { id: meeting.id } })).toMatchObject({ status: "live", endedAt: null });
  });

  it("a resume on a process whose stay the taker already closed neither closes it again nor opens another", async () => {
    const meeting = await liveMeeting("ban-giao-ba");
    const joinedAt = new Date(Date.now() - 60_000);
    const unit = await buildUnit(server.db, { name: "Xã Trở Lại" });
    const user = await buildUser(server.db, { unit, roles: ["site"] });
    await log.joined(meeting.roomId, { id: "p-resume", displayName: "Xã Trở Lại", userId: user.id, unitId: unit.id }, joinedAt);
    await log.flush();
    const [stay] = await server.db.attendance.findMany({ where: { peerId: "p-resume" } });
    expect(stay).toBeDefined();
    const closedByTaker = new Date(Date.now() - 30_000);
    await server.db.attendance.update({ where: { id: stay!.id }, data: { leftAt: closedByTaker, leaveReason: "serverRestarted" } });
    log.resumed(meeting.roomId, "p-resume", new Date(Date.now() - 10_000));
    await log.flush();
    const rows = await server.db.attendance.findMany({ where: { peerId: "p-resume" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ leftAt: closedByTaker, leaveReason: "serverRestarted" });
  });
});
