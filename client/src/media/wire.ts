import type { types } from "mediasoup-client";
import type { DtlsParameters, IceCandidate, IceParameters, RtpCapabilities, RtpParameters } from "../../../signaling/protocol";

/*
 * mediasoup-client and the protocol describe the same JSON; they differ only in how open-ended fields
 * (codec parameters) are typed. The server validates what arrives, so these casts are the one place
 * where one type becomes the other.
 */
export const toWire = {
  rtpCapabilities: (value: types.RtpCapabilities) => value as RtpCapabilities,
  rtpParameters: (value: types.RtpParameters) => value as RtpParameters,
  dtlsParameters: (value: types.DtlsParameters) => value as DtlsParameters,
};

export const fromWire = {
  rtpCapabilities: (value: RtpCapabilities) => value as types.RtpCapabilities,
  rtpParameters: (value: RtpParameters) => value as types.RtpParameters,
  dtlsParameters: (value: DtlsParameters) => value as types.DtlsParameters,
  iceParameters: (value: IceParameters) => value as types.IceParameters,
  iceCandidates: (value: IceCandidate[]) => value as types.IceCandidate[],
};
