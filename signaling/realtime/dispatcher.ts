import { type Ack, type ClientRequestName, clientRequestNames, clientRequests, handshakeAuthSchema } from "../protocol";
import { AppError, errorBody, isUnexpected, pickLocale, toAppError } from "../errors";
import type { Db } from "../db/client";
import type { Logger } from "../logger";
import { chairOfRoomRequired, roomEventPolicy } from "../policies";
import { authenticateSocket } from "./authenticate";
import type { RequestHandler, RequestHandlers, Session } from "./handlers";
import type { IoServer } from "./io";
import type { Session as DispatchSession } from "./handlers";
import { RateLimiter } from "./RateLimiter";
import { refuseMalformedText } from "../malformedText";

export interface DispatcherOptions {
  handlers: RequestHandlers;
  /** What a dropped socket means for its session (hold the peer for resumption); `reason` as socket.io gives it. */
  onDisconnect: (session: DispatchSession, reason: string) => void;
  /** A socket passed the handshake check (a citizen's socket joins its booking's channel). */
  onConnect?: (session: DispatchSession) => void;
  db: Db;
  jwtSecret: string;
  logger: Logger;
  /** Whether the session's peer chairs the room it is in (throws NOT_JOINED when it is in none). */
  chairsHere: (session: DispatchSession) => boolean;
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

  // Runs on every connection, reconnections included: a socket without a valid token never connects.
  io.use((socket, next) => {
    const auth = handshakeAuthSchema.safeParse(socket.handshake.auth);
    socket.data.locale = pickLocale((socket.handshake.auth as { lang?: unknown } | undefined)?.lang);
    const refuse = (error: AppError) => {
      const refusal = new Error(errorBody(error, socket.data.locale).message) as Error & { data?: unknown };
      refusal.data = errorBody(error, socket.data.locale);
      next(refusal);
    };
    if (!auth.success) return refuse(new AppError("UNAUTHENTICATED"));
    authenticateSocket(options.db, options.jwtSecret, auth.data.token).then(
      (actor) => {
        socket.data.actor = actor;
        next();
      },
      (error: unknown) => refuse(toAppError(error)),
    );
  });

  io.on("connection", (socket) => {
    const session: Session = { socket, actor: socket.data.actor };
    const limiter = new RateLimiter(burst, perSecond);
    const log = logger.child({ socketId: socket.id });
    options.onConnect?.(session);

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
      options.onDisconnect(session, reason);
    });

    async function dispatch(event: ClientRequestName, payload: unknown, ack: (response: Ack<unknown>) => void) {
      try {
        if (!limiter.tryTake()) throw new AppError("RATE_LIMITED");
        if (!roomEventPolicy[event](session.actor)) throw new AppError("FORBIDDEN");
        refuseMalformedText(payload);
        const parsed = clientRequests[event].request.safeParse(payload);
        if (!parsed.success) throw AppError.fromZod(parsed.error);
        // Chairing is per room: the role lets a leader try, this room's moderation decides. Checked after
        // the shape, so a malformed request gets the same answer in every room.
        if (chairOfRoomRequired[event] && !options.chairsHere(session)) throw new AppError("FORBIDDEN");
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
