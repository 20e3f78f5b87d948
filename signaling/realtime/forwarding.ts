import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { z } from "zod";
import { type Ack, type ClientRequestName, clientRequestNames, errorBodySchema, locales, type Request } from "../protocol";
import { roleSchema } from "../protocol/auth";
import { AppError } from "../errors";
import type { Logger } from "../logger";
import type { Session, SessionSocket } from "./handlers";
import { type IoServer, type IoSocket, peerChannel, roomChannels, type SocketData } from "./io";
import { RoomOwnedElsewhere, type RoomOwnership } from "./RoomOwnership";
import { ProcessMessageSeal, SEAL_WINDOW_MS } from "./processMessages";
import type { RoomDirectory } from "./RoomDirectory";
import { guestChannel } from "./reception";

/**
 * Requests for a room another process owns (README › Scaling out › Several signaling processes).
 *
 * The socket stays connected to its own process, which checks each request as always (rate limit, policy,
 * shape) and then, when the session's peer lives in a room owned elsewhere, publishes it on the owner's
 * Redis channel and answers the client with the owner's ack. The owner checks it again and runs the same
 * handlers for a session whose socket is remote: what the handlers emit to it or join it to goes through
 * the socket.io adapter to the process holding the socket. Every process beats a liveness key, so a
 * forwarded peer whose process died is held for resumption like a dropped socket, and a forwarded peer
 * whose room's owner died is told its room restarted (the client rejoins; the next join claims the room
 * on a live process, which restores its moderation from the database).
 */

/**
 * Events about this process's own state (capabilities, a citizen's lobby) are never forwarded. A citizen's
 * consent answer is, once the citizen is in a room owned elsewhere (resumed there): the owner holds the
 * session's lobby and its recording.
 */
const NEVER_FORWARDED = new Set<ClientRequestName>(["getRouterRtpCapabilities", "enterLobby", "admitGuest"]);
/** A room's owner can change between the lookup and the request; these many hops follow it. */
const MAX_HOPS = 3;
const REQUEST_TIMEOUT_MS = 8_000;
/**
 * How long after sending a join or resume its answer may still come: an owner serves only what its seal
 * opens (at most the seal's window old by its clock; a clock behind the sender's by s seconds stretches this
 * by s, hence clocks kept by NTP), then abandons by itself a join that took more than the forwarding timeout
 * of its own serving time. A timed-out join or resume is kept
 * (#late) that long, so any success answered within it is undone; a shorter bound left a ghost peer.
 */
const LATE_ANSWER_MS = SEAL_WINDOW_MS + REQUEST_TIMEOUT_MS;

const channelOf = (processId: string) => `cau-noi:forward:${processId}`;

const actorSchema = z.object({
  id: z.string(),
  roles: z.array(roleSchema),
  unitId: z.string(),
  unitPath: z.string(),
  peerName: z.string(),
  guest: z.object({ bookingId: z.string() }).optional(),
});
const ackSchema = z.union([z.object({ ok: z.literal(true), data: z.unknown() }), z.object({ ok: z.literal(false), error: errorBodySchema })]);
const messageSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("request"),
    id: z.string(),
    from: z.string(),
    socketId: z.string(),
    actor: actorSchema,
    locale: z.enum(locales),
    address: z.string(),
    event: z.enum(clientRequestNames),
    payload: z.unknown(),
  }),
  z.object({ kind: z.literal("reply"), id: z.string(), ack: ackSchema.optional(), redirect: z.string().optional() }),
  z.object({ kind: z.literal("gone"), from: z.string(), socketId: z.string(), reason: z.string(), revoked: z.boolean() }),
  // A join or resume whose answer reached no client (its socket had closed, or it came after the timeout):
  // the peer it made holds a resume token nobody has, so the owner lets it go now.
  z.object({ kind: z.literal("abandoned"), from: z.string(), socketId: z.string(), roomId: z.string(), peerId: z.string() }),
  // A case filed from a reception, for the citizen's sockets on the receiving process only: its lookup secret
  // goes sealed over pub/sub (kept nowhere), never into the adapter's stream.
  z.object({ kind: z.literal("caseIssued"), bookingId: z.string(), code: z.string(), lookupSecret: z.string() }),
]);
type Message = z.infer<typeof messageSchema>;
type Reply = Extract<Message, { kind: "reply" }>;

/** How the owner serves a forwarded request and a forwarded disconnect: as the dispatcher does for a local socket. */
export interface ForwardedServing {
  /** Checks and runs the request for the session; throws as a handler does. */
  run(event: ClientRequestName, payload: unknown, session: Session): Promise<unknown>;
  /** A thrown error as the client's ack (logged as the dispatcher logs it). */
  failure(thrown: unknown, event: ClientRequestName, locale: SocketData["locale"]): Ack<unknown>;
  disconnect(session: Session, reason: string): void;
  /**
   * A peer made by a forwarded join or resume whose answer never reached its client: it leaves the room
   * now (`session` is the remote session still holding it, if any; else it may be held to resume).
   */
  abandon(roomId: string, peerId: string, session: Session | undefined): void;
}

/** What enters a session into a room; the only requests whose answer, lost, leaves a peer nobody holds. */
const entering = (event: ClientRequestName): event is "join" | "resume" => event === "join" || event === "resume";
const enteredPeer = (ack: Ack<unknown> | undefined): { roomId: string; peerId: string } | undefined =>
  ack?.ok ? (ack.data as { roomId: string; peerId: string }) : undefined;

interface Pending {
  resolve: (reply: Reply) => void;
  timer: NodeJS.Timeout;
  session: Session;
  target: string;
  event: ClientRequestName;
}

/** Owner side: a session whose socket is on another process. */
interface Remote {
  session: Session;
  origin: string;
  /** Requests of this socket being served now. */
  inFlight: number;
  /** The socket closed while a request was being served: acted on once the last one ends. */
  gone?: { reason: string; revoked: boolean };
}

/** A socket connected to another process, as the owner's handlers see it. */
class RemoteSocket implements SessionSocket {
  readonly handshake: { address: string };
  readonly emit: IoSocket["emit"];

  constructor(
    io: IoServer,
    readonly id: string,
    readonly data: SocketData,
    address: string,
  ) {
    this.handshake = { address };
    // socket.io addresses every socket by a room named after its id, on whichever process it is.
    this.emit = (event, ...args) => io.to(id).emit(event, ...args);
    this.join = (channels) => io.in(id).socketsJoin(channels);
    this.leave = (channel) => io.in(id).socketsLeave(channel);
  }

  readonly join: (channels: string | string[]) => void;
  readonly leave: (channel: string) => void;
}

export interface RoomForwardingOptions {
  io: IoServer;
  redis: Redis;
  ownership: RoomOwnership;
  rooms: RoomDirectory;
  /** JWT_SECRET, shared by every process: the messages between them are sealed with a key derived from it. */
  secret: string;
  logger: Logger;
}

export class RoomForwarding {
  readonly #options: RoomForwardingOptions;
  readonly #subscriber: Redis;
  readonly #logger: Logger;
  readonly #seal: ProcessMessageSeal;
  readonly #pending = new Map<string, Pending>();
  /** Socket side: joins and resumes that timed out, kept a while so a late success is undone on the owner. */
  readonly #late = new Map<string, Pending>();
  /** Owner side: sessions of sockets on other processes, by socket id, with the process holding each. */
  readonly #remote = new Map<string, Remote>();
  /** Socket side: this process's sessions whose peer lives in a room owned elsewhere. */
  readonly #forwarded = new Set<Session>();
  /** Socket side: sessions whose socket closed; an answer still on its way for one reaches nobody. */
  readonly #closed = new WeakSet<Session>();
  #serving: ForwardedServing | undefined;
  #timer: NodeJS.Timeout | undefined;
  #tick: Promise<void> = Promise.resolve();
  #beating = false;

  static async start(options: RoomForwardingOptions): Promise<RoomForwarding> {
    const forwarding = new RoomForwarding(options);
    await forwarding.#subscriber.subscribe(channelOf(options.ownership.processId));
    await options.rooms.renewOwnership();
    const period = Math.max(100, Math.floor(options.ownership.ttlMs / 3));
    forwarding.#timer = setInterval(() => {
      // A tick still running (Redis slow or not answering) is not queued behind: a burst of them would only
      // pile up commands on a stuck connection, and stop() would wait for them all. One that has not ended
      // within the TTL (a command Redis never answers) is given up, so the beats go on once Redis answers.
      if (forwarding.#beating) return;
      forwarding.#beating = true;
      let timer: NodeJS.Timeout | undefined;
      const hung = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`the heartbeat did not end within ${options.ownership.ttlMs} ms`)), options.ownership.ttlMs);
      });
      forwarding.#tick = Promise.race([forwarding.#heartbeat(), hung])
        .catch((error: unknown) => forwarding.#logger.error({ err: error }, "room ownership heartbeat failed"))
        .finally(() => {
          clearTimeout(timer);
          forwarding.#beating = false;
        });
    }, period);
    forwarding.#timer.unref();
    return forwarding;
  }

  private constructor(options: RoomForwardingOptions) {
    this.#options = options;
    this.#logger = options.logger.child({ component: "forwarding" });
    this.#seal = new ProcessMessageSeal(options.secret);
    this.#subscriber = options.redis.duplicate();
    this.#subscriber.on("message", (_channel: string, text: string) => this.#receive(text));
  }

  get processId(): string {
    return this.#options.ownership.processId;
  }

  serve(serving: ForwardedServing): void {
    this.#serving = serving;
  }

  /**
   * Answers a checked request: here (`runHere`), or by the process owning the session's room. A room
   * this process was about to create but another owns sends the request there.
   */
  async dispatch<E extends ClientRequestName>(event: E, request: Request<E>, payload: unknown, session: Session, runHere: () => Promise<unknown>): Promise<Ack<unknown>> {
    let target = await this.#targetOf(event, request, session);
    for (let hop = 0; ; hop++) {
      if (target === undefined) {
        try {
          const data = await runHere();
          // Entered a room of this process (an owner that lost the room sent it back here): no longer forwarded.
          if (entering(event)) this.#unforward(session);
          return { ok: true, data };
        } catch (thrown) {
          if (!(thrown instanceof RoomOwnedElsewhere) || hop >= MAX_HOPS) throw thrown;
          target = thrown.owner;
          continue;
        }
      }
      const reply = await this.#send(target, event, payload, session);
      if (reply.redirect !== undefined && hop < MAX_HOPS) {
        target = reply.redirect === this.processId ? undefined : reply.redirect;
        continue;
      }
      if (!reply.ack) throw new AppError("INTERNAL", { detail: "the room moved between processes too often" });
      this.#track(event, target, reply.ack, session);
      return reply.ack;
    }
  }

  /**
   * Owner side: a case filed from a reception whose citizen's socket is on another process (they resumed
   * there) is handed to that process, which gives it to its own sockets of the booking.
   */
  caseIssuedElsewhere(bookingId: string, issued: { code: string; lookupSecret: string }): void {
    const origins = new Set([...this.#remote.values()].filter((remote) => remote.session.actor.guest?.bookingId === bookingId).map((remote) => remote.origin));
    for (const origin of origins) this.#publish(origin, { kind: "caseIssued", bookingId, ...issued });
  }

  /** The socket of a session on this process closed: its room's owner treats it as the owner's own socket closing. */
  socketGone(session: Session, reason: string, revoked: boolean): void {
    this.#closed.add(session);
    // Its room's owner, and every owner a request of it is on its way to (a join there may yet make a peer).
    const owners = new Set([...this.#pending.values(), ...this.#late.values()].filter((pending) => pending.session === session).map((pending) => pending.target));
    if (session.forwarded) owners.add(session.forwarded.owner);
    this.#unforward(session);
    for (const owner of owners) this.#publish(owner, { kind: "gone", from: this.processId, socketId: session.socket.id, reason, revoked });
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    // A tick is time-boxed to the TTL: stop() never waits longer on a Redis that does not answer.
    await this.#tick;
    for (const { timer } of [...this.#pending.values(), ...this.#late.values()]) clearTimeout(timer);
    this.#pending.clear();
    this.#late.clear();
    await this.#subscriber.quit().catch(() => this.#subscriber.disconnect());
    await this.#options.ownership.stop().catch(() => undefined);
  }

  async #targetOf<E extends ClientRequestName>(event: E, request: Request<E>, session: Session): Promise<string | undefined> {
    if (NEVER_FORWARDED.has(event)) return undefined;
    const local = session.membership;
    if (local && !local.room.closed && !local.peer.closed) return undefined;
    if (session.forwarded) return session.forwarded.owner;
    const { ownership } = this.#options;
    let roomId: string | undefined;
    if (event === "join") roomId = (request as Request<"join">).roomId;
    else if (event === "resume") roomId = await ownership.roomOfPeer((request as Request<"resume">).peerId);
    if (roomId === undefined) return undefined;
    const owner = await ownership.ownerOf(roomId);
    return owner === this.processId ? undefined : owner;
  }

  #send(target: string, event: ClientRequestName, payload: unknown, session: Session): Promise<Reply> {
    const id = randomUUID();
    const { socket, actor } = session;
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        const pending = this.#pending.get(id);
        this.#pending.delete(id);
        // The client is told it failed; should the owner still enter it, the late answer undoes that.
        if (pending && entering(event)) {
          const forget = setTimeout(() => this.#late.delete(id), LATE_ANSWER_MS - REQUEST_TIMEOUT_MS);
          forget.unref();
          this.#late.set(id, { ...pending, timer: forget });
        }
        reject(new AppError("INTERNAL", { detail: `the process owning the room (${target}) did not answer ${event}` }));
      }, REQUEST_TIMEOUT_MS);
      this.#pending.set(id, { resolve, timer, session, target, event });
      this.#publish(target, {
        kind: "request",
        id,
        from: this.processId,
        socketId: socket.id,
        actor: { ...actor, roles: [...actor.roles] },
        locale: socket.data.locale,
        // The address only where the owner uses it (a case filed from a reception counts against it).
        address: event === "issueCase" ? socket.handshake.address : "",
        event,
        payload,
      });
    });
  }

  /** What a forwarded answer means for the session here: in a room owned elsewhere, or no longer. */
  #track(event: ClientRequestName, target: string, ack: Ack<unknown>, session: Session): void {
    // Its socket closed meanwhile: the owner was told (socketGone, and the answer undone in #receive).
    if (this.#closed.has(session)) return;
    if (ack.ok && (event === "join" || event === "resume")) {
      const { roomId, peerId } = ack.data as { roomId: string; peerId: string };
      session.forwarded = { owner: target, roomId, peerId };
      this.#forwarded.add(session);
    } else if ((ack.ok && event === "leave") || (!ack.ok && ack.error.code === "NOT_JOINED" && event !== "join" && event !== "resume")) {
      this.#unforward(session);
    }
  }

  #unforward(session: Session): void {
    session.forwarded = undefined;
    this.#forwarded.delete(session);
  }

  #publish(processId: string, message: Message): void {
    this.#options.redis.publish(channelOf(processId), this.#seal.seal(message)).catch((error: unknown) => this.#logger.error({ err: error }, "cannot publish to another process"));
  }

  #receive(text: string): void {
    const dated = this.#seal.openDated(text);
    if (dated === undefined) {
      this.#logger.error("a message on this process's channel was not sealed by a signaling process (or was stale or replayed): ignored");
      return;
    }
    const checked = messageSchema.safeParse(dated.message);
    if (!checked.success) {
      this.#logger.error({ err: checked.error }, "malformed message from another process ignored");
      return;
    }
    const parsed: Message = checked.data;
    if (parsed.kind === "reply") this.#answered(parsed);
    else if (parsed.kind === "request") void this.#serve(parsed, dated.at);
    else if (parsed.kind === "gone") this.#gone(parsed.socketId, { reason: parsed.reason, revoked: parsed.revoked });
    else if (parsed.kind === "abandoned") this.#abandoned(parsed.socketId, parsed.roomId, parsed.peerId);
    else this.#options.io.local.to(guestChannel(parsed.bookingId)).emit("caseIssued", { code: parsed.code, lookupSecret: parsed.lookupSecret });
  }

  /** Socket side: an answer from an owner. A join or resume nobody will hear of is undone there. */
  #answered(reply: Reply): void {
    const pending = this.#pending.get(reply.id);
    const late = this.#late.get(reply.id);
    if (pending) {
      clearTimeout(pending.timer);
      this.#pending.delete(reply.id);
      pending.resolve(reply);
    }
    if (late) {
      clearTimeout(late.timer);
      this.#late.delete(reply.id);
    }
    const asked = pending ?? late;
    const entered = asked && entering(asked.event) ? enteredPeer(reply.ack) : undefined;
    if (!asked || !entered || (pending && !this.#closed.has(pending.session))) return;
    this.#publish(asked.target, { kind: "abandoned", from: this.processId, socketId: asked.session.socket.id, roomId: entered.roomId, peerId: entered.peerId });
  }

  /** Owner side: the socket of a remote session closed; a request still being served for it is let finish first. */
  #gone(socketId: string, gone: { reason: string; revoked: boolean }): void {
    const remote = this.#remote.get(socketId);
    if (!remote) return;
    if (remote.inFlight > 0) {
      remote.gone = gone;
      return;
    }
    this.#remote.delete(socketId);
    remote.session.socket.data.revoked = gone.revoked;
    this.#serving?.disconnect(remote.session, gone.reason);
  }

  /** Owner side: a peer entered for a client that never learnt it leaves now. */
  #abandoned(socketId: string, roomId: string, peerId: string): void {
    const remote = this.#remote.get(socketId);
    const holding = remote?.session.membership?.peer.id === peerId ? remote : undefined;
    if (holding && holding.inFlight === 0) this.#remote.delete(socketId);
    this.#logger.warn({ roomId, peerId }, "a forwarded join or resume reached no client; its peer leaves");
    this.#serving?.abandon(roomId, peerId, holding?.session);
  }

  /** `sentAt`: when the socket's process sealed the request, by its clock (the seal's own time). */
  async #serve(message: Extract<Message, { kind: "request" }>, sentAt: number): Promise<void> {
    const serving = this.#serving;
    if (!serving) return;
    // The socket's process gave up on it (its timeout) and told the client it failed: serving it now is
    // useless. It waited here (this process stalled, or pub/sub lagged). Not a safety bound: the sender undoes
    // any late success answered within LATE_ANSWER_MS of sending (#late). The seal's time is the sender's
    // clock: twice the timeout leaves room for seconds of skew, so an owner whose clock runs ahead does not
    // refuse normal traffic.
    if (Date.now() - sentAt >= 2 * REQUEST_TIMEOUT_MS) {
      this.#logger.warn({ event: message.event, ageMs: Date.now() - sentAt }, "a forwarded request older than the forwarding timeout refused");
      this.#publish(message.from, { kind: "reply", id: message.id, ack: serving.failure(new AppError("INTERNAL", { detail: "the request waited too long on its way to the room's owner" }), message.event, message.locale) });
      return;
    }
    let remote = this.#remote.get(message.socketId);
    if (!remote) {
      const data: SocketData = { locale: message.locale, actor: message.actor };
      remote = { session: { socket: new RemoteSocket(this.#options.io, message.socketId, data, message.address), actor: message.actor }, origin: message.from, inFlight: 0 };
      this.#remote.set(message.socketId, remote);
    }
    const { session } = remote;
    const started = Date.now();
    let reply: Reply;
    remote.inFlight++;
    try {
      reply = { kind: "reply", id: message.id, ack: { ok: true, data: await serving.run(message.event, message.payload, session) } };
    } catch (thrown) {
      reply = thrown instanceof RoomOwnedElsewhere ? { kind: "reply", id: message.id, redirect: thrown.owner } : { kind: "reply", id: message.id, ack: serving.failure(thrown, message.event, message.locale) };
    } finally {
      remote.inFlight--;
    }
    const entered = entering(message.event) ? enteredPeer(reply.ack) : undefined;
    // Measured by this process's own clock only: with the sender's seal time, an owner whose clock runs ahead
    // would abandon a join it still answers ok, and the client would think itself in a room it is not in.
    if (entered && Date.now() - started >= REQUEST_TIMEOUT_MS) {
      // The socket's process has given up waiting and told its client the request failed.
      this.#abandoned(message.socketId, entered.roomId, entered.peerId);
    } else if (remote.gone && remote.inFlight === 0 && this.#remote.get(message.socketId) === remote) {
      this.#gone(message.socketId, remote.gone);
    } else if (!session.membership && remote.inFlight === 0 && this.#remote.get(message.socketId) === remote) {
      // Only a peer is state: a session that is none (refused, left) is made again by its next request.
      this.#remote.delete(message.socketId);
    }
    this.#publish(message.from, reply);
  }

  async #heartbeat(): Promise<void> {
    const { ownership, rooms } = this.#options;
    // A room whose key another process holds now (this one stalled past the TTL) is closed as lost: its own
    // peers rejoin there rather than stay split over two rooms of one id; the new room is not touched.
    await rooms.renewOwnership();

    // Remote sessions no longer in a room of this process (it closed, or was lost) are forgotten.
    for (const [socketId, remote] of this.#remote) {
      const membership = remote.session.membership;
      if (remote.inFlight === 0 && (!membership || membership.room.closed || membership.peer.closed)) this.#remote.delete(socketId);
    }

    const origins = [...new Set([...this.#remote.values()].map((remote) => remote.origin))];
    const liveOrigins = await ownership.alive(origins);
    for (const [socketId, remote] of this.#remote) {
      if (liveOrigins.has(remote.origin)) continue;
      // The process holding the socket died: as a dropped socket, its peer waits to resume (through any process).
      this.#remote.delete(socketId);
      this.#serving?.disconnect(remote.session, "transport close");
    }

    const owners = [...new Set([...this.#forwarded].flatMap((session) => (session.forwarded ? [session.forwarded.owner] : [])))];
    const liveOwners = await ownership.alive(owners);
    for (const session of this.#forwarded) {
      const forwarded = session.forwarded;
      if (!forwarded || liveOwners.has(forwarded.owner)) continue;
      this.#unforward(session);
      void session.socket.leave(roomChannels(forwarded.owner).room(forwarded.roomId));
      void session.socket.leave(peerChannel(forwarded.peerId));
      session.socket.emit("roomClosed", { reason: "mediaServerRestarted" });
    }
  }
}
