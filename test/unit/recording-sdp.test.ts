import type { types } from "mediasoup";
import { describe, expect, it } from "vitest";
import { buildRecordingSdp } from "../../sfu/recording/sdp";

/** What mediasoup gives a VP8 consumer created with the router's capabilities: media codec, then RTX. */
const vp8Consumer: types.RtpParameters = {
  mid: "0",
  codecs: [
    {
      mimeType: "video/VP8",
      payloadType: 101,
      clockRate: 90000,
      parameters: {},
      rtcpFeedback: [{ type: "nack" }, { type: "nack", parameter: "pli" }, { type: "ccm", parameter: "fir" }],
    },
    { mimeType: "video/rtx", payloadType: 102, clockRate: 90000, parameters: { apt: 101 }, rtcpFeedback: [] },
  ],
  headerExtensions: [{ uri: "urn:ietf:params:rtp-hdrext:sdes:mid", id: 1 }],
  encodings: [{ ssrc: 123456, rtx: { ssrc: 654321 } }],
  rtcp: { cname: "abc", reducedSize: true },
};

const opusConsumer: types.RtpParameters = {
  codecs: [{ mimeType: "audio/opus", payloadType: 100, clockRate: 48000, channels: 2, parameters: { minptime: 10, useinbandfec: 1 } }],
  encodings: [{ ssrc: 1111 }],
};

const h264Consumer: types.RtpParameters = {
  codecs: [
    { mimeType: "video/rtx", payloadType: 108, clockRate: 90000, parameters: { apt: 107 } },
    {
      mimeType: "video/H264",
      payloadType: 107,
      clockRate: 90000,
      parameters: { "packetization-mode": 1, "profile-level-id": "42e01f", "level-asymmetry-allowed": 1 },
    },
  ],
  encodings: [{ ssrc: 2222 }],
};

function lines(sdp: string): string[] {
  return sdp.split("\r\n");
}

describe("buildRecordingSdp", () => {
  it("declares only the media codec of a VP8 consumer, on the given port, with rtcp-mux", () => {
    const sdp = buildRecordingSdp({ kind: "video", rtpParameters: vp8Consumer, port: 50000 });
    expect(lines(sdp)).toEqual([
      "v=0",
      "o=- 0 0 IN IP4 127.0.0.1",
      "s=Cau Noi recording",
      "c=IN IP4 127.0.0.1",
      "t=0 0",
      "m=video 50000 RTP/AVP 101",
      "a=rtpmap:101 VP8/90000",
      "a=source-filter: incl IN IP4 127.0.0.1 127.0.0.1",
      "a=rtcp-mux",
      "a=recvonly",
      "",
    ]);
    expect(sdp).not.toContain("rtx");
    expect(sdp).not.toContain("a=fmtp");
  });

  it("gives Opus its two channels and its fmtp parameters", () => {
    const sdp = lines(buildRecordingSdp({ kind: "audio", rtpParameters: opusConsumer, port: 50010 }));
    expect(sdp).toContain("m=audio 50010 RTP/AVP 100");
    expect(sdp).toContain("a=rtpmap:100 opus/48000/2");
    expect(sdp).toContain("a=fmtp:100 minptime=10;useinbandfec=1");
  });

  it("declares Opus stereo even when the parameters omit the channel count (RFC 7587)", () => {
    const mono: types.RtpParameters = { codecs: [{ mimeType: "audio/opus", payloadType: 111, clockRate: 48000 }] };
    expect(buildRecordingSdp({ kind: "audio", rtpParameters: mono, port: 50020 })).toContain("a=rtpmap:111 opus/48000/2\r\n");
  });

  it("finds the H264 codec behind an RTX entry listed first and keeps its fmtp", () => {
    const sdp = lines(buildRecordingSdp({ kind: "video", rtpParameters: h264Consumer, port: 50030 }));
    expect(sdp).toContain("m=video 50030 RTP/AVP 107");
    expect(sdp).toContain("a=rtpmap:107 H264/90000");
    expect(sdp).toContain("a=fmtp:107 packetization-mode=1;profile-level-id=42e01f;level-asymmetry-allowed=1");
  });

  it("uses the codec an encoding pins by payload type", () => {
    const pinned: types.RtpParameters = {
      codecs: [
        { mimeType: "video/VP8", payloadType: 96, clockRate: 90000 },
        { mimeType: "video/H264", payloadType: 97, clockRate: 90000, parameters: { "packetization-mode": 1 } },
      ],
      encodings: [{ ssrc: 1, codecPayloadType: 97 }],
    };
    expect(buildRecordingSdp({ kind: "video", rtpParameters: pinned, port: 50040 })).toContain("m=video 50040 RTP/AVP 97\r\n");
  });

  it("writes an IPv6 address with its family", () => {
    const sdp = buildRecordingSdp({ kind: "audio", rtpParameters: opusConsumer, port: 50050, ip: "::1" });
    expect(sdp).toContain("c=IN IP6 ::1\r\n");
    expect(sdp).toContain("a=source-filter: incl IN IP6 ::1 ::1\r\n");
  });

  it("accepts packets only from the given source", () => {
    const sdp = buildRecordingSdp({ kind: "audio", rtpParameters: opusConsumer, port: 50060, sourceIp: "127.0.0.2" });
    expect(sdp).toContain("a=source-filter: incl IN IP4 127.0.0.1 127.0.0.2\r\n");
  });

  it("refuses parameters without a media codec, a codec of the other kind, and an impossible port", () => {
    const rtxOnly: types.RtpParameters = { codecs: [{ mimeType: "video/rtx", payloadType: 102, clockRate: 90000, parameters: { apt: 101 } }] };
    expect(() => buildRecordingSdp({ kind: "video", rtpParameters: rtxOnly, port: 50000 })).toThrow(TypeError);
    expect(() => buildRecordingSdp({ kind: "video", rtpParameters: opusConsumer, port: 50000 })).toThrow(TypeError);
    expect(() => buildRecordingSdp({ kind: "video", rtpParameters: vp8Consumer, port: 70000 })).toThrow(RangeError);
    expect(() => buildRecordingSdp({ kind: "video", rtpParameters: vp8Consumer, port: 0 })).toThrow(RangeError);
  });
});
