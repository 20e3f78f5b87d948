import { io, type Socket } from "socket.io-client";
import type { Ack, ClientRequestName, ClientToServerEvents, RequestInput, Response, ServerEventName, ServerEvent, ServerToClientEvents } from "../../signaling/protocol";

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ConnectOptions {
  token: string;
  lang?: "vi" | "en";
  transports?: ("websocket" | "polling")[];
}

export async function connect(url: string, options: ConnectOptions): Promise<TestSocket> {
  const socket: TestSocket = io(url, {
    transports: options.transports ?? ["websocket"],
    auth: { token: options.token, lang: options.lang ?? "en" },
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return socket;
}

/** Sends a well-typed request and returns the raw ack. */
export function request<E extends ClientRequestName>(socket: TestSocket, event: E, payload: RequestInput<E>): Promise<Ack<Response<E>>> {
  return rawRequest(socket, event, payload) as Promise<Ack<Response<E>>>;
}

/** As `request`, waiting up to `timeoutMs` for the ack (a request the server may hold longer than 10 s). */
export function requestWithin<E extends ClientRequestName>(socket: TestSocket, timeoutMs: number, event: E, payload: RequestInput<E>): Promise<Ack<Response<E>>> {
  const untyped = socket as unknown as Socket;
  return untyped.timeout(timeoutMs).emitWithAck(event, payload) as Promise<Ack<Response<E>>>;
}

/** Sends a well-typed request and fails loudly unless the server says ok. */
export async function ok<E extends ClientRequestName>(socket: TestSocket, event: E, payload: RequestInput<E>): Promise<Response<E>> {
  const ack = await request(socket, event, payload);
  if (!ack.ok) throw new Error(`${event} failed: ${ack.error.code} ${ack.error.message}`);
  return ack.data;
}

/** Sends anything at all, as a hostile or buggy client would. */
export function rawRequest(socket: TestSocket, event: string, ...args: unknown[]): Promise<Ack<unknown>> {
  const untyped = socket as unknown as Socket;
  return untyped.timeout(10_000).emitWithAck(event, ...args) as Promise<Ack<unknown>>;
}

export function nextEvent<E extends ServerEventName>(socket: TestSocket, event: E, timeoutMs = 10_000): Promise<ServerEvent<E>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    const untyped = socket as unknown as Socket;
    untyped.once(event as string, (payload: unknown) => {
      clearTimeout(timer);
      resolve(payload as ServerEvent<E>);
    });
  });
}

/**
 * The next `event` whose payload passes `wanted`. Use it where earlier events of the same name may still be on
 * their way (e.g. "recording" before "composing"): which one arrives first after the listener is attached
 * depends on load, not on the product.
 */
export function nextEventWhere<E extends ServerEventName>(socket: TestSocket, event: E, wanted: (payload: ServerEvent<E>) => boolean, timeoutMs = 10_000): Promise<ServerEvent<E>> {
  return new Promise((resolve, reject) => {
    const untyped = socket as unknown as Socket;
    const listener = (payload: unknown) => {
      if (!wanted(payload as ServerEvent<E>)) return;
      clearTimeout(timer);
      untyped.off(event as string, listener);
      resolve(payload as ServerEvent<E>);
    };
    const timer = setTimeout(() => {
      untyped.off(event as string, listener);
      reject(new Error(`no ${event} as wanted within ${timeoutMs} ms`));
    }, timeoutMs);
    untyped.on(event as string, listener);
  });
}
