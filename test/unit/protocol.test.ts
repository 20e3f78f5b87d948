import { describe, expect, it } from "vitest";
import { clientRequestNames, clientRequests, displayNameSchema, errorCodes, roomIdSchema, serverEvents } from "../../signaling/protocol";
import { videoProducerParameters } from "../helpers/media";

const caps = {
  codecs: [{ kind: "audio", mimeType: "audio/opus", clockRate: 48000, channels: 2, preferredPayloadType: 100 }],
  headerExtensions: [{ kind: "video", uri: "urn:ietf:params:rtp-hdrext:sdes:mid", preferredId: 1 }],
};

describe("room ids and display names", () => {
  it("normalises a typed room id", () => {
    expect(roomIdSchema.parse("  Giao-Ban-Demo ")).toBe("giao-ban-demo");
  });

  it.each(["", "-leading-dash", "có dấu", "a".repeat(64), "room/../etc", "room id"])("rejects room id %j", (value) => {
    expect(roomIdSchema.safeParse(value).success).toBe(false);
  });

  it("keeps Vietnamese names intact and trims them", () => {
    expect(displayNameSchema.parse("  UBND xã Tân Thịnh ")).toBe("UBND xã Tân Thịnh");
  });

  it.each(["", "   ", "x".repeat(65), "tab\tname", "nul\u0000"])("rejects display name %j", (value) => {
    expect(displayNameSchema.safeParse(value).success).toBe(false);
  });
});

describe("client requests", () => {
  it("accepts a well-formed join", () => {
    const parsed = clientRequests.join.request.safeParse({ roomId: "giao-ban-demo", rtpCapabilities: caps });
    expect(parsed.success).toBe(true);
  });

  it("rejects unknown fields so typos surface instead of being ignored", () => {
    const parsed = clientRequests.join.request.safeParse({ roomId: "a", rtpCapabilities: caps, admin: true });
    expect(parsed.success).toBe(false);
  });

  it("rejects wrong types with the failing path", () => {
    const parsed = clientRequests.createWebRtcTransport.request.safeParse({ direction: 42 });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["direction"]);
  });

  it("accepts browser-like RTP parameters and rejects an empty codec list", () => {
    const good = { transportId: "t1", kind: "video", source: "webcam", rtpParameters: videoProducerParameters() };
    expect(clientRequests.produce.request.safeParse(good).success).toBe(true);
    const bad = { ...good, rtpParameters: { ...videoProducerParameters(), codecs: [] } };
    expect(clientRequests.produce.request.safeParse(bad).success).toBe(false);
  });

  it("bounds ids and arrays so a client cannot make the server parse megabytes", () => {
    expect(clientRequests.consume.request.safeParse({ transportId: "t".repeat(65), producerId: "p" }).success).toBe(false);
    const manyCodecs = { codecs: Array.from({ length: 65 }, () => caps.codecs[0]) };
    expect(clientRequests.join.request.safeParse({ roomId: "a", rtpCapabilities: manyCodecs }).success).toBe(false);
  });

  it("has a request and a response schema for every event", () => {
    for (const name of clientRequestNames) {
      expect(clientRequests[name].request).toBeDefined();
      expect(clientRequests[name].response).toBeDefined();
    }
  });
});

describe("server events", () => {
  it("describes a paused producer of another peer", () => {
    const event = { peerId: "p1", producer: { id: "x", kind: "video", source: "webcam", paused: true, layers: 3 } };
    expect(serverEvents.newProducer.safeParse(event).success).toBe(true);
    expect(serverEvents.newProducer.safeParse({ ...event, producer: { ...event.producer, source: "tv" } }).success).toBe(false);
  });
});

describe("error codes", () => {
  it("are unique", () => {
    expect(new Set(errorCodes).size).toBe(errorCodes.length);
  });
});
