import fs from "node:fs";
import os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import { freeBytes } from "../../signaling/services/recordings/RecordingService";
import { connect, ok, request, type TestSocket } from "../helpers/client";
import { buildUnit, tokenFor } from "../helpers/factories";
import { startTestServer, type TestServer } from "../helpers/server";

/**
 * Issue 16 item 6: a recording is refused when the recordings' file system has less free space than
 * RECORDING_MIN_FREE_MB. The threshold is set above the real free space of the disk the test's data
 * directory is on (no fake file system), so the refusal is the real statfs reading.
 */
let server: TestServer;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  const freeMb = Math.floor((await freeBytes(fs.realpathSync(os.tmpdir()))) / 1048576);
  server = await startTestServer({ RECORDING_MIN_FREE_MB: String(freeMb + 10 * 1024) });
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server?.close();
});

describe("recording and free disk space", () => {
  it("refuses to start a recording with a stable code and a vi/en message, and creates no recording", async () => {
    const unit = await buildUnit(server.db);
    const { token } = await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles: ["leader"], displayName: "Chủ trì" });
    const chair = await connect(server.url, { token, lang: "vi" });
    sockets.push(chair);
    const { rtpCapabilities } = await ok(chair, "getRouterRtpCapabilities", {});
    await ok(chair, "join", { roomId: "giao-ban-het-dia", rtpCapabilities });

    const refused = await request(chair, "startRecording", {});
    expect(refused).toMatchObject({ ok: false, error: { code: "RECORDING_DISK_FULL" } });
    if (refused.ok) throw new Error("unreachable");
    expect(refused.error.message).toMatch(/dung lượng trống/);
    expect(await server.db.recording.count()).toBe(0);
    const room = await server.rooms.get("giao-ban-het-dia");
    expect(room?.recording).toBeFalsy();

    // The same refusal in English for a chair whose page is in English, in another room.
    const other = await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles: ["leader"], displayName: "Chair" });
    const english = await connect(server.url, { token: other.token, lang: "en" });
    sockets.push(english);
    await ok(english, "join", { roomId: "briefing-disk-full", rtpCapabilities });
    const again = await request(english, "startRecording", {});
    expect(again).toMatchObject({ ok: false, error: { code: "RECORDING_DISK_FULL", message: expect.stringMatching(/free disk space/) } });
    expect(await server.db.recording.count()).toBe(0);
  });
});
