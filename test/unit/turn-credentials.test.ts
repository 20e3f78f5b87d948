import { describe, expect, it } from "vitest";
import { loadConfig } from "../../signaling/config";
import { clientRequests } from "../../signaling/protocol";
import { IceServerIssuer, turnCredential } from "../../signaling/realtime/iceServers";

describe("TURN REST API credentials (coturn use-auth-secret)", () => {
  it("matches a vector computed outside Node (openssl dgst -sha1 -hmac … -binary | base64)", () => {
    // printf '%s' '1700000000:alice' | openssl dgst -sha1 -hmac north-secret -binary | base64
    expect(turnCredential("north-secret", "alice", 1_700_000_000)).toEqual({
      username: "1700000000:alice",
      credential: "g+jb180fcj+xlpA/2mP60OdIgU0=",
    });
  });

  it("keeps the expiry first even when the id holds a colon", () => {
    expect(turnCredential("s", "a:b", 5).username).toBe("5:a_b");
  });

  it("gives each transport the fixed servers plus a TURN entry expiring TURN_TTL_SECONDS from now", () => {
    const config = loadConfig({
      TURN_URLS: "turn:127.0.0.1:3478?transport=udp, turns:turn.tinh.gov.vn:443?transport=tcp",
      TURN_SECRET: "0123456789abcdef0123",
      TURN_TTL_SECONDS: "600",
      ICE_SERVERS: '[{"urls":"stun:stun.tinh.gov.vn:3478"}]',
      ICE_TRANSPORT_POLICY: "relay",
    });
    const issuer = new IceServerIssuer(config.ice, () => 1_000_000_000_000);
    const options = issuer.forUser("user-1");
    expect(options.iceTransportPolicy).toBe("relay");
    expect(options.iceServers).toEqual([
      { urls: ["stun:stun.tinh.gov.vn:3478"] },
      { urls: ["turn:127.0.0.1:3478?transport=udp", "turns:turn.tinh.gov.vn:443?transport=tcp"], ...turnCredential("0123456789abcdef0123", "user-1", 1_000_000_600) },
    ]);
    // What the server answers passes the shared protocol the client parses.
    const response = { id: "t1", iceParameters: { usernameFragment: "u", password: "p" }, iceCandidates: [], dtlsParameters: { fingerprints: [{ algorithm: "sha-256", value: "AB" }] }, ...options };
    expect(clientRequests.createWebRtcTransport.response.parse(response)).toMatchObject({ iceTransportPolicy: "relay" });
  });

  it("adds nothing to the transport parameters when no STUN/TURN is configured", () => {
    expect(new IceServerIssuer(loadConfig({}).ice).forUser("u")).toEqual({});
  });

  it("refuses half or unusable settings at start-up", () => {
    expect(() => loadConfig({ TURN_URLS: "turn:127.0.0.1:3478" })).toThrow(/TURN_SECRET/);
    expect(() => loadConfig({ TURN_URLS: "http://turn", TURN_SECRET: "0123456789abcdef" })).toThrow(/stun:, turn: or turns:/);
    expect(() => loadConfig({ TURN_URLS: "turn:h:3478", TURN_SECRET: "short" })).toThrow(/16 characters/);
    expect(() => loadConfig({ ICE_TRANSPORT_POLICY: "relay" })).toThrow(/needs a TURN server/);
    expect(() => loadConfig({ ICE_SERVERS: "[{urls:" })).toThrow(/must be JSON/);
    expect(() => loadConfig({ ICE_SERVERS: '[{"urls":"stun:x:3478"}]', ICE_TRANSPORT_POLICY: "relay" })).toThrow(/needs a TURN server/);
  });

  it("never puts the secret in a configuration error", () => {
    try {
      loadConfig({ TURN_SECRET: "a-very-secret-value-0000", ICE_TRANSPORT_POLICY: "bogus" });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain("a-very-secret-value-0000");
    }
  });
});
