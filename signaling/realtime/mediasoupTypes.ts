import type { types } from "mediasoup";
import type { DtlsParameters, RtpCapabilities, RtpParameters } from "../protocol";

/*
 * The protocol schemas check shape and size; mediasoup checks meaning and throws on what it cannot
 * use (reported as MEDIA_REJECTED). These casts are the single place where one becomes the other.
 */
export const toRtpCapabilities = (value: RtpCapabilities): types.RtpCapabilities => value as types.RtpCapabilities;
export const toRtpParameters = (value: RtpParameters): types.RtpParameters => value as types.RtpParameters;
export const toDtlsParameters = (value: DtlsParameters): types.DtlsParameters => value as types.DtlsParameters;

/* Outgoing: mediasoup types its open-ended fields (codec parameters) as `unknown`; they are plain JSON. */
export const fromRtpCapabilities = (value: types.RtpCapabilities): RtpCapabilities => value as RtpCapabilities;
export const fromRtpParameters = (value: types.RtpParameters): RtpParameters => value as RtpParameters;
