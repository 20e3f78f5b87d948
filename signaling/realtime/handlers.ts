import type { Peer, Room } from "../../sfu";
import type { ClientRequestName, Request, Response } from "../protocol";
import type { SocketActor } from "./authenticate";
import type { IoSocket } from "./io";

/** What one connected socket has become: nothing yet, or a peer in a room. */
export interface Session {
  readonly socket: IoSocket;
  readonly actor: SocketActor;
  membership?: { room: Room; peer: Peer };
}

export type RequestHandler<E extends ClientRequestName> = (request: Request<E>, session: Session) => Promise<Response<E>>;

/**
 * One handler per client event. The compiler insists every protocol event has a handler, and the
 * dispatcher registers exactly these, so an event cannot exist without validation.
 */
export type RequestHandlers = { [E in ClientRequestName]: RequestHandler<E> };
