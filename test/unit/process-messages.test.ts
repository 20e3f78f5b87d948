import { describe, expect, it } from "vitest";
import { ProcessMessageSeal } from "../../signaling/realtime/processMessages";

const SECRET = "a-jwt-secret-shared-by-every-signaling-process-0123";

// Review: forwarded requests travelled over Redis pub/sub unauthenticated, carrying the actor — whoever
// could PUBLISH to Redis could act as any account (chair, admin) with no token at all.
describe("messages between signaling processes", () => {
  it("open only when sealed with the shared secret, unchanged and once", () => {
    const sender = new ProcessMessageSeal(SECRET);
    const receiver = new ProcessMessageSeal(SECRET);
    const message = { kind: "request", actor: { id: "u1", roles: ["secretary"] } };
    const sealed = sender.seal(message);
    expect(receiver.open(sealed)).toEqual(message);
    expect(receiver.open(sealed)).toBeUndefined();
    expect(receiver.open(new ProcessMessageSeal("another-secret-of-the-same-kind-0123456789").seal(message))).toBeUndefined();
    const envelope = JSON.parse(sender.seal(message)) as { body: string };
    expect(receiver.open(JSON.stringify({ ...envelope, body: envelope.body.replace("secretary", "admin") }))).toBeUndefined();
    expect(receiver.open(JSON.stringify(message))).toBeUndefined();
    for (const junk of ["", "null", "{", "[]", '{"body":1}']) expect(receiver.open(junk)).toBeUndefined();
  });

  it("refuses a message sealed too long ago, and forgets spent nonces once they are stale", () => {
    const receiver = new ProcessMessageSeal(SECRET);
    const now = Date.now();
    expect(receiver.open(new ProcessMessageSeal(SECRET).seal({ a: 1 }, now - 31_000), now)).toBeUndefined();
    for (let i = 0; i < 20; i++) expect(receiver.open(new ProcessMessageSeal(SECRET).seal({ i }, now), now)).toEqual({ i });
    expect(receiver.spent).toBe(20);
    receiver.open(new ProcessMessageSeal(SECRET).seal({ late: true }, now + 70_000), now + 70_000);
    expect(receiver.spent).toBe(1);
  });
});
