import { ProtocolError } from "../media/signaling";
import { ApiError } from "./http";

/** The stable code to show for anything a REST call, a socket request or the browser threw. */
export function errorCodeOf(error: unknown): string {
  if (error instanceof ApiError || error instanceof ProtocolError) return error.code;
  // mediasoup-client's "this browser cannot do WebRTC".
  if (error instanceof Error && error.name === "UnsupportedError") return "BROWSER_UNSUPPORTED";
  return "INTERNAL";
}

/** The first field of each problem the server reported, so forms can mark the fields. */
export const fieldsOf = (details: { path: string }[] | undefined): string[] => (details ?? []).map((detail) => detail.path);
