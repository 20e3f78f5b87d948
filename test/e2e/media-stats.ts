import { type Page, expect } from "@playwright/test";

declare global {
  interface Window {
    __peerConnections?: RTCPeerConnection[];
    __webSockets?: WebSocket[];
  }
}

/**
 * Keeps every RTCPeerConnection the page creates, so the test can read WebRTC stats without any hook
 * in the product code. Must run before the app's scripts.
 */
export async function recordPeerConnections(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    window.__peerConnections = [];
    class Recorded extends Native {
      constructor(config?: RTCConfiguration) {
        super(config);
        window.__peerConnections?.push(this);
      }
    }
    window.RTCPeerConnection = Recorded;
    // Sockets too, so a test can cut the signaling connection the way a weak link does.
    const NativeWebSocket = window.WebSocket;
    window.__webSockets = [];
    class RecordedWebSocket extends NativeWebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        window.__webSockets?.push(this);
      }
    }
    window.WebSocket = RecordedWebSocket;
  });
}

/** Drops the page's signaling connection (not its media), like a flaky link. */
export async function dropSignaling(page: Page): Promise<number> {
  return page.evaluate(() => {
    const open = (window.__webSockets ?? []).filter((socket) => socket.readyState === WebSocket.OPEN);
    for (const socket of open) socket.close();
    return open.length;
  });
}

export interface InboundMedia {
  framesDecoded: number;
  videoBytes: number;
  audioPackets: number;
}

/**
 * Inbound media of the page's open connections. mediasoup's probator adds an extra video stream per
 * receive transport, so video is read from the stream with the most bytes.
 */
export function inboundMedia(page: Page): Promise<InboundMedia> {
  return page.evaluate(async () => {
    let framesDecoded = 0;
    let videoBytes = -1;
    let audioPackets = 0;
    for (const pc of window.__peerConnections ?? []) {
      if (pc.connectionState === "closed") continue;
      const report = await pc.getStats();
      report.forEach((stat: { type: string; kind?: string; bytesReceived?: number; framesDecoded?: number; packetsReceived?: number }) => {
        if (stat.type !== "inbound-rtp") return;
        if (stat.kind === "video" && (stat.bytesReceived ?? 0) > videoBytes) {
          videoBytes = stat.bytesReceived ?? 0;
          framesDecoded = stat.framesDecoded ?? 0;
        }
        if (stat.kind === "audio") audioPackets += stat.packetsReceived ?? 0;
      });
    }
    return { framesDecoded, videoBytes: Math.max(videoBytes, 0), audioPackets };
  });
}

/**
 * Waits until the page's decoded video frame count rises between two samples half a second apart: video
 * is arriving and being decoded now, not merely negotiated.
 */
export async function expectFramesRising(page: Page, message: string): Promise<void> {
  let last = -1;
  await expect
    .poll(
      async () => {
        const now = (await inboundMedia(page)).framesDecoded;
        const risen = last > 0 && now > last;
        last = now;
        return risen;
      },
      { message, timeout: 60_000, intervals: [500] },
    )
    .toBe(true);
}
