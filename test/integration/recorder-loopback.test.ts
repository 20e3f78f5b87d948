import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { leaseUdpPorts, waitForUdpListener } from "../../sfu/recording/ports";
import { buildRecordingSdp } from "../../sfu/recording/sdp";
import { ffmpegArguments } from "../../sfu/recording/TrackRecorder";

/** Local addresses with a UDP socket bound on `port`, from the kernel's tables ("0.0.0.0", "127.0.0.1", "::"). */
function boundAddresses(port: number): string[] {
  const addresses: string[] = [];
  for (const file of ["/proc/net/udp", "/proc/net/udp6"]) {
    for (const line of fs.readFileSync(file, "utf8").split("\n").slice(1)) {
      const local = line.trim().split(/\s+/)[1];
      if (!local) continue;
      const [hexIp, hexPort] = local.split(":") as [string, string];
      if (Number.parseInt(hexPort, 16) !== port) continue;
      if (hexIp.length === 8) addresses.push(Buffer.from(hexIp, "hex").reverse().join("."));
      else addresses.push(/^0+$/.test(hexIp) ? "::" : hexIp === "0000000000000000FFFF00000100007F" ? "::ffff:127.0.0.1" : hexIp);
    }
  }
  return addresses;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-recorder-loopback-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the recorder's ffmpeg (issue 11 item 13)", () => {
  it("receives RTP on 127.0.0.1 only: its RTP and RTCP sockets are not reachable from the network", async () => {
    // The recorder's own default range (RECORDER_MIN_PORT–RECORDER_MAX_PORT), leased as TrackRecorder does.
    const lease = await leaseUdpPorts({ min: 50000, max: 50999 }, 3, "0.0.0.0");
    const [rtpPort] = lease.ports as [number];
    const sdpFile = path.join(dir, "audio.sdp");
    const sdp = buildRecordingSdp({ kind: "audio", rtpParameters: { codecs: [{ mimeType: "audio/opus", payloadType: 100, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: 1 }] }, port: rtpPort, ip: "127.0.0.1" });
    expect(sdp).toContain("c=IN IP4 127.0.0.1");
    fs.writeFileSync(sdpFile, sdp);
    const ffmpeg = spawn(process.env.FFMPEG_PATH ?? "ffmpeg", ffmpegArguments(sdpFile, path.join(dir, "audio.mka")), { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    ffmpeg.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<void>((resolve) => ffmpeg.once("exit", () => resolve()));
    try {
      expect(await waitForUdpListener(rtpPort, { timeoutMs: 20_000, abandoned: () => ffmpeg.exitCode !== null }), stderr).toBe(true);
      const bound = [...boundAddresses(rtpPort), ...boundAddresses(rtpPort + 1)];
      expect(bound.length, stderr).toBeGreaterThan(0);
      expect(bound.every((address) => address === "127.0.0.1" || address === "::ffff:127.0.0.1"), `ffmpeg bound ${bound.join(", ")}`).toBe(true);
    } finally {
      ffmpeg.kill("SIGKILL");
      await exited;
      lease.release();
    }
  });
});
