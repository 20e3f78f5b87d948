import type { Peer, Room } from "../../sfu";
import { AppError } from "../errors";
import type { Moderation } from "./ModerationState";
import type { ClientRequestName, Request, Response } from "../protocol";
import type { SocketActor } from "./authenticate";
import type { IoSocket } from "./io";

/**
 * What handlers use of a session's socket. A socket connected to this process is one; so is a socket
 * connected to another process whose requests are forwarded here because this process owns the room
 * (realtime/forwarding.ts: its emits and channel joins go through the socket.io adapter).
 */
export type SessionSocket = Pick<IoSocket, "id" | "data" | "emit"> & {
  readonly handshake: { readonly address: string };
  join(channels: string | string[]): Promise<void> | void;
  leave(channel: string): Promise<void> | void;
};

/** What one connected socket has become: nothing yet, or a peer in a room. */
export interface Session {
  readonly socket: SessionSocket;
  readonly actor: SocketActor;
  membership?: { room: Room; peer: Peer };
  /** On the process the socket is connected to: its peer lives in a room another process owns. */
  forwarded?: { owner: string; roomId: string; peerId: string };
}

export type RequestHandler<E extends ClientRequestName> = (request: Request<E>, session: Session) => Promise<Response<E>>;

/**
 * One handler per client event. The compiler insists every protocol event has a handler, and the
 * dispatcher registers exactly these, so an event cannot exist without validation.
 */
export type RequestHandlers = { [E in ClientRequestName]: RequestHandler<E> };

/** The room and peer a request acts for; a peer whose room closed under it is no longer a member. */
export function currentMembership(session: Session): { room: Room; peer: Peer } {
  const current = session.membership;
  if (!current || current.room.closed || current.peer.closed) {
    session.membership = undefined;
    throw new AppError("NOT_JOINED");
  }
  return current;
}

/**
 * The same, for what only the room's chair may do. The dispatcher already refused callers that do not
 * chair their room (chairOfRoomRequired); handlers reached some other way check again here.
 */
export function chairMembership(session: Session, moderation: Moderation): { room: Room; peer: Peer } {
  const current = currentMembership(session);
  if (!moderation.isChair(current.room, current.peer)) throw new AppError("FORBIDDEN");
  return current;
}
