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

/**
 * The socket.io rooms carrying a live room's broadcasts, named by the process that owns the room (README ›
 * Several signaling processes). Every process reaches every socket.io room through the adapter, so a room
 * of one id on two processes (its owner stalled past the TTL and another took it over) would otherwise share
 * one channel: the stale owner's chat, joins and producer events would reach the new room's sites.
 */
export interface RoomChannels {
  /** The room's broadcasts: its sites, on whichever process their sockets are. */
  room(roomId: string): string;
  /** A reception room's staff (the lobby's snapshots). */
  staff(roomId: string): string;
}

/** Without Redis there is one process; its channels carry this name. */
export const SINGLE_PROCESS = "local";

export function roomChannels(ownerProcessId: string): RoomChannels {
  return {
    room: (roomId) => `room:${ownerProcessId}:${roomId}`,
    staff: (roomId) => `staff:${ownerProcessId}:${roomId}`,
  };
}
/** socket.io room holding every socket of one account, on whichever signaling process it is connected. */
export const accountChannel = (userId: string): string => `account:${userId}`;
/** socket.io room holding exactly one peer's socket, to address it by peer id. */
export const peerChannel = (peerId: string): string => `peer:${peerId}`;
