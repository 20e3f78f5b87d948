import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import tls from "node:tls";
import { fileURLToPath } from "node:url";
import { type Page, expect, test } from "@playwright/test";
import { turnCredential } from "../../signaling/realtime/iceServers";
import { expectFramesRising } from "./media-stats";
import { openPage, startOwnServer } from "./ownServer";
import { joinRoom } from "./session";
import { type TurnServer, relayWorks, startTurnServer } from "./turnServer";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Issue 16 item 2: sites whose network lets only the TURN relay through. A real coturn `turnserver`
 * (use-auth-secret) and a server of this spec's own, started with TURN_URLS/TURN_SECRET pointing at it and
 * ICE_TRANSPORT_POLICY=relay: browsers then gather relay candidates only, so media that arrives at all
 * went through coturn. The shared e2e server has no TURN settings, so it cannot be used here.
 */

interface SelectedPair {
  state: string;
  policy: string | undefined;
  local: string | undefined;
  remote: string | undefined;
  localPort: number | undefined;
}

/** The ICE candidate pair each connected RTCPeerConnection of the page selected, and its ICE policy. */
function selectedPairs(page: Page): Promise<SelectedPair[]> {
  return page.evaluate(async () => {
    const pairs: SelectedPair[] = [];
    for (const pc of window.__peerConnections ?? []) {
      if (pc.connectionState !== "connected") continue;
      const report = await pc.getStats();
      const stats = new Map<string, Record<string, unknown>>();
      report.forEach((stat: Record<string, unknown>) => stats.set(stat.id as string, stat));
      for (const stat of stats.values()) {
        if (stat.type !== "transport" || typeof stat.selectedCandidatePairId !== "string") continue;
        const pair = stats.get(stat.selectedCandidatePairId);
        const local = pair ? stats.get(pair.localCandidateId as string) : undefined;
        const remote = pair ? stats.get(pair.remoteCandidateId as string) : undefined;
        pairs.push({
          state: String(pair?.state),
          policy: pc.getConfiguration().iceTransportPolicy,
          local: local?.candidateType as string | undefined,
          remote: remote?.candidateType as string | undefined,
          localPort: local?.port as number | undefined,
        });
      }
    }
    return pairs;
  });
}

test.describe("TURN relay through a real coturn", () => {
  let dir: string;
  let turn: TurnServer;

  test.beforeAll(async () => {
    fs.mkdirSync(path.join(root, "data", "test"), { recursive: true });
    dir = fs.mkdtempSync(path.join(root, "data", "test", "turn-"));
    turn = await startTurnServer(path.join(dir, "coturn"), randomBytes(24).toString("hex"));
  });

  test.afterAll(async () => {
    await turn?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("the server's credential opens a relay; a wrong or expired one is refused by the turnserver", () => {
    const now = Math.floor(Date.now() / 1000);
    const good = turnCredential(turn.secret, "u-relay-check", now + 600);
    const accepted = relayWorks(turn, good.username, good.credential);
    expect(accepted.ok, `a fresh credential should allocate a relay:\n${accepted.output}`).toBe(true);

    const wrongSecret = turnCredential(`${turn.secret}x`, "u-relay-check", now + 600);
    const wrong = relayWorks(turn, wrongSecret.username, wrongSecret.credential);
    expect(wrong.ok, "a credential made with another secret is refused").toBe(false);
    expect(wrong.output).toMatch(/Cannot complete Allocation/);

    const expired = turnCredential(turn.secret, "u-relay-check", now - 60);
    const late = relayWorks(turn, expired.username, expired.credential);
    expect(late.ok, "a credential past its time is refused").toBe(false);
    expect(late.output).toMatch(/Cannot complete Allocation/);
  });

  test("the shipped deploy/turnserver.conf: credentials accepted, private/loopback peers refused, turns: over TLS", async () => {
    // Same file as production, on loopback ports with a throwaway certificate: the peer restrictions
    // must refuse relaying to 127.0.0.1 (anything but the media server), after accepting the credential.
    const certDir = path.join(dir, "prod-cert");
    fs.mkdirSync(certDir, { recursive: true });
    const cert = { cert: path.join(certDir, "turn.crt"), key: path.join(certDir, "turn.key") };
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", cert.key, "-out", cert.cert, "-subj", "/CN=turn.cau-noi.test", "-days", "2"], { stdio: "ignore" });
    const prod = await startTurnServer(path.join(dir, "coturn-prod"), randomBytes(24).toString("hex"), { file: path.join(root, "deploy", "turnserver.conf"), cert });
    try {
      const credential = turnCredential(prod.secret, "u-prod", Math.floor(Date.now() / 1000) + 600);
      const toLoopback = relayWorks(prod, credential.username, credential.credential);
      expect(toLoopback.ok).toBe(false);
      expect(toLoopback.output).toMatch(/403 \(Forbidden IP\)/);
      const wrong = relayWorks(prod, credential.username, "not-the-credential");
      expect(wrong.output).not.toMatch(/403 \(Forbidden IP\)/);
      expect(wrong.output).toMatch(/Cannot complete Allocation/);

      const protocol = await new Promise<string | null>((resolve, reject) => {
        const socket = tls.connect({ host: "127.0.0.1", port: prod.tlsPort!, ca: fs.readFileSync(cert.cert), servername: "turn.cau-noi.test" }, () => {
          resolve(socket.getProtocol());
          socket.destroy();
        });
        socket.once("error", reject);
      });
      expect(protocol).toMatch(/^TLSv1\.[23]$/);
    } finally {
      await prod.stop();
    }
  });

  test("with ICE_TRANSPORT_POLICY=relay, a site decodes the chair's video over a relay candidate pair", async ({ browser }) => {
    test.setTimeout(360_000);
    const server = await startOwnServer(path.join(dir, "server"), {
      TURN_URLS: `turn:127.0.0.1:${turn.port}?transport=udp,turn:127.0.0.1:${turn.port}?transport=tcp`,
      TURN_SECRET: turn.secret,
      TURN_TTL_SECONDS: "600",
      ICE_TRANSPORT_POLICY: "relay",
    });
    try {
      const room = "giao-ban-chuyen-tiep-turn";
      const chair = await openPage(browser, server.url, "lanhdao", `/?room=${room}`);
      await joinRoom(chair, room);
      const site = await openPage(browser, server.url, "diemcau-kinhbac", `/?room=${room}`);
      await joinRoom(site, room);
      await expectFramesRising(site, "the site decodes the chair's video through the relay");
      await expectFramesRising(chair, "the chair decodes the site's video through the relay");

      for (const page of [chair, site]) {
        const pairs = await selectedPairs(page);
        // A send and a receive transport, both connected, both forced to relay, both on a relay pair.
        expect(pairs.length).toBeGreaterThanOrEqual(2);
        for (const pair of pairs) {
          expect(pair).toMatchObject({ state: "succeeded", policy: "relay", local: "relay" });
          // The relayed address is one this coturn allocated (its min-port–max-port), not another path.
          expect(pair.localPort).toBeGreaterThanOrEqual(turn.relayPorts.min);
          expect(pair.localPort).toBeLessThanOrEqual(turn.relayPorts.max);
        }
      }
      // The credential never reaches the server's log.
      expect(server.log.join("\n")).not.toContain(turn.secret);
    } finally {
      await server.stop();
    }
  });
});
