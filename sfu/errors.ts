/** Failures the SFU reports to its owner; the signaling layer maps each code to a protocol error. */
export type SfuErrorCode =
  | "TRANSPORT_NOT_FOUND"
  | "PRODUCER_NOT_FOUND"
  | "CONSUMER_NOT_FOUND"
  | "CANNOT_CONSUME"
  | "MEDIA_REJECTED"
  | "ROOM_CLOSED";

export class SfuError extends Error {
  readonly code: SfuErrorCode;

  constructor(code: SfuErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SfuError";
    this.code = code;
  }
}

/**
 * mediasoup throws TypeError for parameters it cannot accept (bad RTP parameters) and UnsupportedError
 * for codecs the router does not offer. Those are the caller's fault and must not look like server
 * failures; anything else is rethrown as it is.
 */
export function asMediaRejection(error: unknown): never {
  if (error instanceof SfuError) throw error;
  if (error instanceof TypeError || (error instanceof Error && error.name === "UnsupportedError")) {
    throw new SfuError("MEDIA_REJECTED", error.message, { cause: error });
  }
  throw error;
}
