import { performance } from "node:perf_hooks";
import { type Ack, type ClientRequestName, clientRequestNames, clientRequests, handshakeAuthSchema } from "../protocol";
import { AppError, errorBody, isUnexpected, pickLocale, toAppError } from "../errors";
import type { Db } from "../db/client";
import type { Logger } from "../logger";
import { chairOfRoomRequired, roomEventPolicy } from "../policies";
import { authenticateSocket } from "./authenticate";
import type { RequestHandler, RequestHandlers, Session } from "./handlers";
import type { IoServer, IoSocket } from "./io";
import type { Session as DispatchSession } from "./handlers";
import { RateLimiter } from "./RateLimiter";
import { refuseMalformedText } from "../malformedText";
import { AccessRevocation } from "./revocation";
import type { Locale } from "../protocol";
import type { RoomForwarding } from "./forwarding";

export interface DispatcherOptions {
  handlers: RequestHandlers;
  /** What a dropped socket means for its session (hold the peer for resumption); `reason` as socket.io gives it. */
  onDisconnect: (session: DispatchSession, reason: string) => void;
  /** A peer entered for a client that never learnt of it (its socket closed first, here or on another process) leaves. */
  onAbandoned?: (roomId: string, peerId: string, session: DispatchSession | undefined) => void;
  /** A socket passed the handshake check (a citizen's socket joins its booking's channel). */
  onConnect?: (socket: IoSocket) => void;
  db: Db;
  jwtSecret: string;
  logger: Logger;
  /** Whether the session's peer chairs the room it is in (throws NOT_JOINED when it is in none). */
  chairsHere: (session: DispatchSession) => boolean;
  /** Requests per socket: burst size and sustained rate. */
  rateLimit?: { burst: number; perSecond: number };
  /** Several processes (REDIS_URL): requests for a room another process owns go there. */
  forwarding?: RoomForwarding;
  /**
   * Several processes: before this process serves a request acting on a room it holds, that it still owns
   * its rooms (a lease check; after a stall it renews, and closes the rooms it lost, first). `startedAt`: the
   * request's start (performance.now()), from which one overall deadline runs. Throws to refuse.
   */
  confirmServing?: (startedAt: number) => Promise<void>;
}

const knownEvents = new Set<string>(clientRequestNames);

/**
 * Requests served without the lease check, even by a peer in a room this process holds: leaving (a site must
 * always be able to go, also through a Redis outage), and those acting only on this process's own router and
 * transports — a stale room's media events reach only its own channel (RoomChannels), and refusing them would
 * freeze the media of a room kept through a Redis outage. Joins, resumes, and every request that writes the
 * database or broadcasts the room's state (chat, moderation, recording, reception) keep the check.
 */
const LEASE_FREE = new Set<ClientRequestName>([
  "leave",
  "createWebRtcTransport",
  "connectWebRtcTransport",
  "restartIce",
  "produce",
  "consume",
  "resumeConsumer",
  "pauseConsumer",
  "setConsumerPreferredLayers",
  "pauseProducer",
  "resumeProducer",
  "closeProducer",
]);

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

  // What every request goes through before its handler, here or on the process owning the room.
  const check = <E extends ClientRequestName>(event: E, payload: unknown, session: Session) => {
    if (!roomEventPolicy[event](session.actor)) throw new AppError("FORBIDDEN");
    refuseMalformedText(payload);
    const parsed = clientRequests[event].request.safeParse(payload);
    if (!parsed.success) throw AppError.fromZod(parsed.error);
    return parsed.data;
  };
  const run = async (event: ClientRequestName, request: unknown, session: Session, startedAt = performance.now()): Promise<unknown> => {
    // Here and not in the handlers: every request a socket of this process or a forwarded one makes passes.
    // Only those acting on a room this process holds need the lease (the session's peer is in a live room
    // here, or a join or resume may enter or create one), and of those not the LEASE_FREE ones: the rest
    // (capabilities, the lobby, …) are served through a Redis outage, as the rooms are kept through it.
    const onHeldRoom = session.membership !== undefined && !session.membership.room.closed && !LEASE_FREE.has(event);
    if (options.confirmServing && (event === "join" || event === "resume" || onHeldRoom)) {
      await options.confirmServing(startedAt);
    }
    // Chairing is per room: the role lets a leader try, this room's moderation decides. Checked after
    // the shape, so a malformed request gets the same answer in every room.
    if (chairOfRoomRequired[event] && !options.chairsHere(session)) throw new AppError("FORBIDDEN");
    // The registry pairs each event with its own handler; TypeScript cannot follow the pairing
    // through the loop variable, hence the widening here and nowhere else.
    const handler = options.handlers[event] as RequestHandler<ClientRequestName>;
    return handler(request as never, session);
  };
  const failure = (thrown: unknown, event: ClientRequestName, locale: Locale, log: Logger): Ack<unknown> => {
    const error = toAppError(thrown);
    if (isUnexpected(error)) log.error({ err: thrown, event }, "request failed");
    else log.debug({ event, code: error.code, detail: error.message }, "request refused");
    return { ok: false, error: errorBody(error, locale) };
  };
  const { forwarding } = options;
  forwarding?.serve({
    run: (event, payload, session) => run(event, check(event, payload, session), session),
    failure: (thrown, event, locale) => failure(thrown, event, locale, logger),
    disconnect: (session, reason) => options.onDisconnect(session, reason),
    abandon: (roomId, peerId, session) => options.onAbandoned?.(roomId, peerId, session),
  });

  io.on("connection", (socket) => {
    const session: Session = { socket, actor: socket.data.actor };
    const limiter = new RateLimiter(burst, perSecond);
    const log = logger.child({ socketId: socket.id });
    // Why the socket closed, once it has. The close is acted on at once (the peer is held for a quick resume
    // even while a slow request of this socket is in flight); a join or resume that ends after it is undone
    // when it ends (else it would set its membership on a dead session: a ghost peer).
    let closedBy: string | undefined;
    options.onConnect?.(socket);

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
      forwarding?.socketGone(session, reason, AccessRevocation.revoked(socket, reason));
      closedBy = reason;
      options.onDisconnect(session, reason);
    });

    async function dispatch(event: ClientRequestName, payload: unknown, ack: (response: Ack<unknown>) => void) {
      let answer: Ack<unknown>;
      const startedAt = performance.now();
      try {
        if (!limiter.tryTake()) throw new AppError("RATE_LIMITED");
        const request = check(event, payload, session);
        const runHere = () => run(event, request, session, startedAt);
        answer = forwarding ? await forwarding.dispatch(event, request, payload, session, runHere) : { ok: true, data: await runHere() };
      } catch (thrown) {
        answer = failure(thrown, event, socket.data.locale, log);
      }
      ack(answer);
      const reason = closedBy;
      if (reason === undefined || !(event === "join" || event === "resume") || !answer.ok) return;
      // A join or resume served here that ended after its socket closed: its answer and resume token reached
      // no client, and the close was handled before it entered, so the peer leaves now rather than linger
      // (a revoked account leaves as removed, through onDisconnect).
      // By the answer when the membership is gone: set before the close and still awaiting afterwards, the
      // close held it for resumption already (a held peer nobody can resume would stay the whole grace).
      const membership = session.membership;
      const entered = membership ? { roomId: membership.room.id, peerId: membership.peer.id } : (answer.data as { roomId: string; peerId: string });
      if (AccessRevocation.revoked(socket, reason) && membership) options.onDisconnect(session, reason);
      else options.onAbandoned?.(entered.roomId, entered.peerId, session);
    }
  });
}
