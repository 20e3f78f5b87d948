import type { RequestInput } from "../../signaling/protocol";

type ProduceRequest = RequestInput<"produce">;

/**
 * RTP parameters as a browser would send them for a camera or microphone. mediasoup accepts a producer
 * from these without any packet flowing, which lets signaling tests run without a browser.
 */
export function videoProducerParameters(ssrc = 22_222_222): ProduceRequest["rtpParameters"] {
  return {
    mid: "0",
    codecs: [
      {
        mimeType: "video/VP8",
        payloadType: 101,
        clockRate: 90000,
        rtcpFeedback: [{ type: "nack" }, { type: "nack", parameter: "pli" }, { type: "ccm", parameter: "fir" }, { type: "goog-remb" }],
      },
    ],
    headerExtensions: [],
    encodings: [{ ssrc }],
    rtcp: { cname: "test-video", reducedSize: true },
  };
}

export function audioProducerParameters(ssrc = 11_111_111): ProduceRequest["rtpParameters"] {
  return {
    mid: "1",
    codecs: [{ mimeType: "audio/opus", payloadType: 111, clockRate: 48000, channels: 2, parameters: { useinbandfec: 1 } }],
    headerExtensions: [],
    encodings: [{ ssrc }],
    rtcp: { cname: "test-audio", reducedSize: true },
  };
}
