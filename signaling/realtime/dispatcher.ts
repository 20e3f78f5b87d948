import { type Ack, type ClientRequestName, clientRequestNames, clientRequests, handshakeAuthSchema } from "../protocol";
import { AppError, errorBody, isUnexpected, toAppError } from "../errors";
import type { Logger } from "../logger";
import type { RequestHandler, RequestHandlers, Session } from "./handlers";
import type { IoServer } from "./io";
import { leaveRoom } from "./media";
import { RateLimiter } from "./RateLimiter";

export interface DispatcherOptions {
  handlers: RequestHandlers;
  logger: Logger;
  /** Requests per socket: burst size and sustained rate. */
  rateLimit?: { burst: number; perSecond: number };
}

const knownEvents = new Set<string>(clientRequestNames);

/**
 * Turns socket.io events into validated handler calls. Every request gets exactly one ack; nothing a
 * client sends can throw past this point, so one bad client never affects another.
 */
export function attachDispatcher(io: IoServer, options: DispatcherOptions): void {
  const logger = options.logger.child({ component: "realtime" });
  const { burst, perSecond } = options.rateLimit ?? { burst: 200, perSecond: 50 };

  io.on("connection", (socket) => {
    const auth = handshakeAuthSchema.safeParse(socket.handshake.auth);
    socket.data.locale = auth.success && auth.data.lang ? auth.data.lang : "vi";
    const session: Session = { socket };
    const limiter = new RateLimiter(burst, perSecond);
    const log = logger.child({ socketId: socket.id });

    for (const event of clientRequestNames) {
      socket.on(event, (payload: unknown, ack: unknown) => {
        if (typeof ack !== "function") {
          log.debug({ event }, "request without ack ignored");
          return;
        }
        void dispatch(event, payload, ack as (response: Ack<unknown>) => void);
      });
    }

    socket.onAny((event: string, ...args: unknown[]) => {
      if (knownEvents.has(event)) return;
      const ack = args.at(-1);
      if (typeof ack === "function") {
        (ack as (response: Ack<unknown>) => void)({
          ok: false,
          error: errorBody(new AppError("UNKNOWN_EVENT"), socket.data.locale),
        });
      }
    });

    socket.on("disconnect", (reason) => {
      log.debug({ reason }, "socket disconnected");
      leaveRoom(session, "disconnected");
    });

    async function dispatch(event: ClientRequestName, payload: unknown, ack: (response: Ack<unknown>) => void) {
      try {
        if (!limiter.tryTake()) throw new AppError("RATE_LIMITED");
        const parsed = clientRequests[event].request.safeParse(payload);
        if (!parsed.success) throw AppError.fromZod(parsed.error);
        // The registry pairs each event with its own handler; TypeScript cannot follow the pairing
        // through the loop variable, hence the widening here and nowhere else.
        const handler = options.handlers[event] as RequestHandler<ClientRequestName>;
        const data = await handler(parsed.data as never, session);
        ack({ ok: true, data });
      } catch (thrown) {
        const error = toAppError(thrown);
        if (isUnexpected(error)) log.error({ err: thrown, event }, "request failed");
        else log.debug({ event, code: error.code, detail: error.message }, "request refused");
        ack({ ok: false, error: errorBody(error, socket.data.locale) });
      }
    }
  });
}
