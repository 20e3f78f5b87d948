import type { Server, Socket } from "socket.io";
import type { ClientRequestName, Locale, ServerToClientEvents } from "../protocol";
import type { SocketActor } from "./authenticate";

/**
 * The server's view of client events: payloads and acks are untrusted until validated, so they are
 * typed `unknown` here (the client-side map types them precisely).
 */
export type UntrustedClientEvents = { [E in ClientRequestName]: (payload: unknown, ack: unknown) => void };

export interface SocketData {
  locale: Locale;
  /** Set by the handshake check before any event is handled. */
  actor: SocketActor;
  /** The account lost its authority (AccessRevocation): on disconnect it leaves its room at once. */
  revoked?: boolean;
}

export type IoServer = Server<UntrustedClientEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type IoSocket = Socket<UntrustedClientEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** socket.io room carrying a briefing room's broadcasts. */
export const roomChannel = (roomId: string): string => `room:${roomId}`;
/** socket.io room holding every socket of one account, on whichever signaling process it is connected. */
export const accountChannel = (userId: string): string => `account:${userId}`;
/** socket.io room holding exactly one peer's socket, to address it by peer id. */
export const peerChannel = (peerId: string): string => `peer:${peerId}`;
