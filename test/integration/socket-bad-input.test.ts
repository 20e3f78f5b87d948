import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { signGuestToken } from "../../signaling/auth/guestTokens";
import { DEMO_JWT_SECRET } from "../../signaling/config";
import { roomEventPolicy } from "../../signaling/policies";
import { type ClientRequestName, clientRequestNames, clientRequests } from "../../signaling/protocol";
import { connect, rawRequest, type TestSocket } from "../helpers/client";
import { buildUnit, tokenFor } from "../helpers/factories";
import { startTestServer, type TestServer } from "../helpers/server";

/**
 * Every socket event is fed a payload that is not an object, and one with every field set to a value no
 * field takes (-1.5: not a string, object, boolean or non-negative integer); each must answer
 * VALIDATION_FAILED (naming the fields) without reaching its handler. Staff
 * events are sent as a leader, citizens' events with a booking's guest pass.
 */

let server: TestServer;
let leader: TestSocket;
let guest: TestSocket;

beforeAll(async () => {
  server = await startTestServer();
  const unit = await buildUnit(server.db);
  leader = await connect(server.url, { token: (await tokenFor(server.db, DEMO_JWT_SECRET, { unit, roles: ["leader"] })).token });
  const schedule = await server.db.receptionSchedule.create({
    data: { unitId: unit.id, title: "Tiếp dân", kind: "regular", startTime: "08:00", endTime: "11:00", slotMinutes: 30, capacityPerSlot: 2 },
  });
  const slot = await server.db.receptionSlot.create({
    data: { scheduleId: schedule.id, unitId: unit.id, startsAt: new Date(Date.now() + 600_000), endsAt: new Date(Date.now() + 2_400_000), capacity: 2, mode: "online" },
  });
  const booking = await server.db.booking.create({
    data: { code: "TD-T-1", slotId: slot.id, unitId: unit.id, fullName: "Công dân thử", cccd: "001090012345", phone: "0912345678", address: "Thôn A", petitionKind: "complaint", content: "Nội dung thử", cancelSecretHash: "00" },
  });
  guest = await connect(server.url, { token: signGuestToken({ sub: booking.id, name: booking.fullName, unitId: unit.id }, DEMO_JWT_SECRET, slot.endsAt) });
});

afterAll(async () => {
  leader?.disconnect();
  guest?.disconnect();
  await server?.close();
});

const guestOnly = (event: ClientRequestName) => roomEventPolicy[event]({ id: "g", roles: [], unitId: "u", unitPath: "/guest/", guest: { bookingId: "b" } }) && !roomEventPolicy[event]({ id: "l", roles: ["leader"], unitId: "u", unitPath: "/u/" });

describe("bad payloads on every socket event", () => {
  for (const event of clientRequestNames) {
    it(`${event}: not an object, wrong field types → VALIDATION_FAILED`, async () => {
      const socket = guestOnly(event) ? guest : leader;
      expect(await rawRequest(socket, event, "not an object"), event).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
      const properties = Object.keys((z.toJSONSchema(clientRequests[event].request, { io: "input", unrepresentable: "any" }) as { properties?: object }).properties ?? {});
      // Events without fields are strict: an unexpected field is refused the same way.
      const payload = properties.length === 0 ? { unexpected: true } : Object.fromEntries(properties.map((key) => [key, -1.5]));
      const ack = (await rawRequest(socket, event, payload)) as { ok: boolean; error?: { code: string; details?: { path: string }[] } };
      expect(ack, event).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
      const reported = new Set(ack.error?.details?.map((detail) => detail.path.split(".")[0]));
      for (const key of properties) expect(reported.has(key), `${event}.${key}`).toBe(true);
    });
  }
});
