import { io, type Socket } from "socket.io-client";
import type { Ack, ClientRequestName, ClientToServerEvents, Locale, RequestInput, Response, ServerToClientEvents } from "../../../signaling/protocol";

export type SignalingSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A request the server refused (its stable code), or the client's own CONNECTION_FAILED. */
export class ProtocolError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ProtocolError";
  }
}

const REQUEST_TIMEOUT_MS = 15_000;

export function openSocket(locale: () => Locale, token: () => string | null): SignalingSocket {
  // Same origin: the server that served the page carries the signaling, so no URL is configured. The
  // auth callback runs on every (re)connection, so a reconnect presents the current access token.
  // Retries at most 1 s apart (randomised by socket.io): a restarted server or a link back after a
  // blackout is found within about a second (issue 12 asks sites back within 10 s of a restart), and a
  // refused connection attempt costs the server nothing, even from every site of the province at once.
  return io({ auth: (done) => done({ token: token() ?? "", lang: locale() }), reconnectionDelayMax: 1_000 });
}

/** Sends one protocol request and resolves with its data, or rejects with a ProtocolError. */
export async function request<E extends ClientRequestName>(socket: SignalingSocket, event: E, payload: RequestInput<E>): Promise<Response<E>> {
  // socket.io's generic typing of emitWithAck cannot follow our event map's ack shape; the map itself
  // guarantees the pairing, so the call is typed here once.
  const emit = socket.timeout(REQUEST_TIMEOUT_MS).emitWithAck as unknown as (event: E, payload: RequestInput<E>) => Promise<Ack<Response<E>>>;
  let ack: Ack<Response<E>>;
  try {
    ack = await emit.call(socket.timeout(REQUEST_TIMEOUT_MS), event, payload);
  } catch {
    throw new ProtocolError("CONNECTION_FAILED", `no answer to ${event}`);
  }
  if (!ack.ok) throw new ProtocolError(ack.error.code, ack.error.message);
  return ack.data;
}

/** Resolves once the socket is connected; rejects if the first connection attempt fails. */
export function whenConnected(socket: SignalingSocket): Promise<void> {
  if (socket.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onConnect = () => {
      socket.off("connect_error", onError);
      resolve();
    };
    const onError = (error: Error & { data?: { code?: string; message?: string } }) => {
      socket.off("connect", onConnect);
      // The server's handshake check sends its refusal as `data`; anything else is the network.
      const code = error.data?.code ?? "CONNECTION_FAILED";
      reject(new ProtocolError(code, error.data?.message ?? "cannot connect to the signaling server"));
    };
    socket.once("connect", onConnect);
    socket.once("connect_error", onError);
  });
}
