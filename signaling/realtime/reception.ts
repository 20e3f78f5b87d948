import type { ReceptionService } from "../services/reception/reception";
import type { Db } from "../db/client";
import { kindMayBeRecorded } from "../domain/reception";
import { AppError } from "../errors";
import type { Logger } from "../logger";
import { receptionPolicy } from "../policies";
import type { Lobby, SessionDto } from "../protocol";
import type { SocketActor } from "./authenticate";
import { chairMembership, currentMembership, type RequestHandlers, type Session } from "./handlers";
import type { IoServer, IoSocket, RoomChannels } from "./io";
import type { Moderation } from "./ModerationState";
import type { RecordingService } from "../services/recordings/RecordingService";
import type { Room } from "../../sfu";

/** socket.io room of one booking's citizen (its lobby page and its room page). */
export const guestChannel = (bookingId: string): string => `guest:${bookingId}`;

/** How someone may be in a reception room, decided when they join. */
export interface ReceptionAdmission {
  /** Receives the citizen: admits, records, files the case (the host and leaders over the unit). */
  chair: boolean;
  /** Observers (e.g. Mặt trận Tổ quốc) watch and listen only. */
  receiveOnly: boolean;
  /** Staff see the waiting room. */
  staff: boolean;
}

interface WaitingGuest {
  displayName: string;
  since: Date;
  sockets: number;
}

class RoomLobby {
  readonly waiting = new Map<string, WaitingGuest>();
  admittedBookingId: string | null = null;
  consent: boolean | null;
  /** The media room, once someone joined it. */
  room: Room | null = null;
  /**
   * Peers whose media shows the citizen: the citizen's own (joined by link), or at an office every site
   * and account of the local reception office where they sit. A withdrawn consent stops recording these.
   */
  readonly citizenPeers = new Set<string>();

  constructor(readonly session: Pick<SessionDto, "id" | "unitId" | "shape" | "consentGiven">) {
    // A session re-entered after a restart keeps the answer already stored.
    this.consent = session.consentGiven;
  }

  snapshot(): Lobby {
    return {
      sessionId: this.session.id,
      unitId: this.session.unitId,
      shape: this.session.shape,
      waiting: [...this.waiting].map(([bookingId, guest]) => ({ bookingId, displayName: guest.displayName, since: guest.since.toISOString() })),
      admittedBookingId: this.admittedBookingId,
      consent: this.consent,
    };
  }
}

/** Several processes (realtime/forwarding.ts): a citizen's sockets connected to another process. */
export interface GuestsElsewhere {
  caseIssuedElsewhere(bookingId: string, issued: { code: string; lookupSecret: string }): void;
}

type ReceptionEvents = "enterLobby" | "admitGuest" | "answerConsent" | "recordOfficeConsent" | "requestConfirmation" | "confirmEntry" | "issueCase";

/**
 * The live side of citizen reception: who may be in a reception room, the waiting room where a booked
 * citizen waits until the officer lets them in, the recording notice they must answer before any media
 * is sent, and what the officer hands them on screen (the case code, the book entry to confirm). Room
 * media itself is the briefing machinery.
 */
export class ReceptionRooms {
  readonly #db: Db;
  readonly #io: IoServer;
  /** The receiving staff's channel of each room (RoomChannels.staff): the waiting room is never shown to citizens. */
  readonly #channels: RoomChannels;
  readonly #reception: ReceptionService;
  readonly #moderation: Moderation;
  readonly #recordings: RecordingService;
  readonly #logger: Logger;
  readonly #elsewhere: GuestsElsewhere | undefined;
  /** roomId → its waiting room; dropped when the session ends. */
  readonly #lobbies = new Map<string, RoomLobby>();

  constructor(options: { db: Db; io: IoServer; channels: RoomChannels; reception: ReceptionService; moderation: Moderation; recordings: RecordingService; logger: Logger; elsewhere?: GuestsElsewhere }) {
    this.#channels = options.channels;
    this.#elsewhere = options.elsewhere;
    this.#db = options.db;
    this.#io = options.io;
    this.#reception = options.reception;
    this.#moderation = options.moderation;
    this.#recordings = options.recordings;
    this.#logger = options.logger.child({ component: "reception" });
    // A book entry written during the recording may reveal a denunciation: the recording stops before the entry is answered.
    this.#reception.entries.onSessionProtected(({ id, roomId }) => this.#stopProtectedRecording(id, roomId));
  }

  async #stopProtectedRecording(sessionId: string, roomId: string): Promise<void> {
    const room = this.#lobbies.get(roomId)?.room;
    if (!room || room.closed || !room.recording) return;
    try {
      const recordingId = await this.#recordings.stop(room);
      this.#logger.info({ sessionId, recordingId }, "the session turned out to concern a denunciation: its recording stopped");
    } catch (error) {
      // The entry is written whatever happens to the recording; a stop that fails is for the operator.
      this.#logger.error({ err: error, sessionId }, "could not stop the recording of a session found to concern a denunciation");
    }
  }

  /** A citizen's socket hears what is addressed to its booking, on any page. */
  attachGuest(socket: IoSocket): void {
    const guest = socket.data.actor.guest;
    if (guest) void socket.join(guestChannel(guest.bookingId));
  }

  /** A citizen's socket closed: it leaves the waiting room once none of its pages is connected. */
  guestGone(actor: SocketActor): void {
    const bookingId = actor.guest?.bookingId;
    if (!bookingId) return;
    for (const [roomId, lobby] of this.#lobbies) {
      const waiting = lobby.waiting.get(bookingId);
      if (!waiting || --waiting.sockets > 0) continue;
      lobby.waiting.delete(bookingId);
      this.#announce(roomId, lobby);
    }
  }

  /**
   * Who may enter the room `roomId`, if it is a reception session's: null when it is not one (briefing
   * rules apply). Throws for anyone not part of this reception.
   */
  async admission(actor: SocketActor, roomId: string): Promise<ReceptionAdmission | null> {
    const session = await this.#reception.sessions.findByRoom(roomId);
    if (!session) {
      if (actor.guest) throw new AppError("NOT_ADMITTED");
      return null;
    }
    if (session.status === "ended") throw new AppError("SESSION_ENDED");
    if (actor.guest) {
      const lobby = this.#lobbies.get(roomId);
      if (session.bookingId !== actor.guest.bookingId || lobby?.admittedBookingId !== actor.guest.bookingId || lobby.consent === null) {
        throw new AppError("NOT_ADMITTED");
      }
      return { chair: false, receiveOnly: false, staff: false };
    }
    const unit = await this.#db.unit.findUniqueOrThrow({ where: { id: session.unitId }, select: { id: true, path: true } });
    const invitedUnits = await this.#db.unit.findMany({ where: { id: { in: session.units.map((item) => item.unitId) } }, select: { id: true, path: true } });
    const invited = session.units.flatMap((item) => {
      const row = invitedUnits.find((unitRow) => unitRow.id === item.unitId);
      return row ? [{ unit: row, role: item.role }] : [];
    });
    const place = receptionPolicy.liveRoomPlace(actor, { unit, hostUserId: session.hostUserId, invited });
    if (!place) throw new AppError("NOT_INVITED");
    return { chair: place === "chair", receiveOnly: place === "observer", staff: true };
  }

  /** The room's first staff member in marks the session live; the peers showing the citizen are noted. */
  async joined(roomId: string, admission: ReceptionAdmission, session: Session): Promise<void> {
    const reception = await this.#reception.sessions.findByRoom(roomId);
    // The lobby knows its media room from the first join on (a recording under way may have to be stopped).
    if (reception && session.membership) this.#lobby(reception).room = session.membership.room;
    if (reception) await this.#noteCitizenPeer(reception, session);
    if (!admission.staff) return;
    await session.socket.join(this.#channels.staff(roomId));
    if (!reception) return;
    if (reception.status === "open") await this.#reception.sessions.markLive(reception.id, new Date()).catch(() => undefined);
    session.socket.emit("lobby", this.#lobby(reception).snapshot());
  }

  /**
   * A resumed peer of the room's staff rejoins its staff channel (its dropped socket, or the room's loss,
   * left it) and sees the lobby as it is now. Nobody else's: the admission is checked again.
   */
  async resumed(roomId: string, session: Session): Promise<void> {
    if (session.actor.guest) return;
    const admission = await this.admission(session.actor, roomId).catch(() => null);
    if (!admission?.staff) return;
    await session.socket.join(this.#channels.staff(roomId));
    const reception = await this.#reception.sessions.findByRoom(roomId);
    if (reception) session.socket.emit("lobby", this.#lobby(reception).snapshot());
  }

  /**
   * The chair's start of a recording, with the reception's rules first: the citizen's consent, and no
   * recording of a denunciation (the law protects the denouncer); then the recording is linked.
   */
  wrapRecording(handlers: Pick<RequestHandlers, "startRecording" | "stopRecording">): Pick<RequestHandlers, "startRecording" | "stopRecording"> {
    return {
      startRecording: async (request, session) => {
        const roomId = session.membership?.room.id;
        const reception = roomId ? await this.#reception.sessions.findByRoom(roomId) : null;
        if (!reception) return handlers.startRecording(request, session);
        const refusal = await this.#reception.sessions.recordingRefusal(reception.id);
        if (refusal) throw new AppError(refusal);
        const started = await handlers.startRecording(request, session);
        await this.#reception.sessions.linkRecording(reception.id, started.recordingId);
        return started;
      },
      stopRecording: handlers.stopRecording,
    };
  }

  handlers(): Pick<RequestHandlers, ReceptionEvents> {
    return {
      enterLobby: async (_request, session) => {
        const bookingId = this.#guestOf(session);
        const reception = await this.#sessionOfBooking(bookingId);
        if (!reception) return { status: "notOpen" };
        const lobby = this.#lobby(reception);
        if (lobby.admittedBookingId === bookingId) return { status: "admitted" };
        const waiting = lobby.waiting.get(bookingId);
        if (waiting) waiting.sockets++;
        else lobby.waiting.set(bookingId, { displayName: session.actor.peerName, since: new Date(), sockets: 1 });
        this.#announce(reception.roomId, lobby);
        return { status: "waiting" };
      },

      admitGuest: async ({ bookingId }, session) => {
        const { roomId, reception } = await this.#chairOf(session);
        const lobby = this.#lobby(reception);
        // Only the booked citizen of a direct session, and only one: citizens never see one another.
        if (reception.bookingId !== bookingId) throw new AppError("NOT_FOUND", { detail: "this citizen did not book this session" });
        if (lobby.admittedBookingId && lobby.admittedBookingId !== bookingId) throw new AppError("GUEST_ALREADY_ADMITTED");
        if (!lobby.waiting.has(bookingId) && lobby.admittedBookingId !== bookingId) throw new AppError("NOT_FOUND", { detail: "the citizen is not in the waiting room" });
        await this.#reception.bookings.mark(bookingId, "admitted");
        lobby.admittedBookingId = bookingId;
        lobby.waiting.delete(bookingId);
        const recordingPlanned = kindMayBeRecorded(reception.petitionKind, { recordDenunciations: this.#reception.sessions.recordsDenunciations });
        this.#io.to(guestChannel(bookingId)).emit("admitted", { recordingPlanned });
        this.#announce(roomId, lobby);
        return {};
      },

      answerConsent: async ({ accepted }, session) => {
        const bookingId = this.#guestOf(session);
        const reception = await this.#sessionOfBooking(bookingId);
        if (!reception) throw new AppError("RECEPTION_NOT_OPEN");
        const lobby = this.#lobby(reception);
        if (lobby.admittedBookingId !== bookingId) throw new AppError("NOT_ADMITTED");
        await this.#reception.sessions.recordConsent(reception.id, accepted, new Date());
        lobby.consent = accepted;
        if (!accepted) await this.#consentWithdrawn(lobby);
        this.#announce(reception.roomId, lobby);
        return { roomId: reception.roomId };
      },

      recordOfficeConsent: async ({ accepted, petitionKind }, session) => {
        const { roomId, reception } = await this.#chairOf(session);
        if (reception.shape !== "office") throw new AppError("FORBIDDEN", { detail: "a citizen joining by link answers the notice themselves" });
        await this.#reception.sessions.recordConsent(reception.id, accepted, new Date(), petitionKind);
        const lobby = this.#lobby(reception);
        lobby.consent = accepted;
        if (!accepted) await this.#consentWithdrawn(lobby);
        this.#announce(roomId, lobby);
        return {};
      },

      requestConfirmation: async ({ entryId }, session) => {
        const { reception } = await this.#chairOf(session);
        const entry = await this.#db.receptionBookEntry.findUnique({ where: { id: entryId } });
        if (!entry || entry.sessionId !== reception.id) throw new AppError("NOT_FOUND", { detail: "no such entry in this session's book" });
        if (entry.citizenConfirmedAt) throw new AppError("ENTRY_CONFIRMED");
        if (!reception.bookingId) throw new AppError("NOT_FOUND", { detail: "no citizen joined this session by link" });
        this.#io.to(guestChannel(reception.bookingId)).emit("confirmationRequested", {
          entryId,
          receivedAt: entry.receivedAt.toISOString(),
          content: entry.content,
          handling: entry.handling,
          officer: entry.receivingOfficerName,
        });
        return {};
      },

      confirmEntry: async ({ entryId }, session) => {
        const bookingId = this.#guestOf(session);
        const reception = await this.#sessionOfBooking(bookingId);
        const entry = await this.#db.receptionBookEntry.findUnique({ where: { id: entryId } });
        // A citizen confirms only what was written about their own visit.
        if (!reception || !entry || entry.sessionId !== reception.id) throw new AppError("NOT_FOUND");
        await this.#reception.entries.confirm(entryId, new Date());
        this.#io.to(this.#channels.staff(reception.roomId)).emit("lobby", this.#lobby(reception).snapshot());
        return {};
      },

      issueCase: async ({ summary }, session) => {
        const { reception } = await this.#chairOf(session);
        const created = await this.#reception.sessions.createCase(session.actor, reception.id, { summary }, { ip: session.socket.handshake.address });
        // Local only: the guest is in this process's room, and with REDIS_URL a broadcast would also write the
        // citizen's lookup secret (stored only as a hash) into the Redis stream, on its disk (second review).
        // A citizen who resumed through another process gets it from that process, sealed over pub/sub.
        if (reception.bookingId) {
          this.#io.local.to(guestChannel(reception.bookingId)).emit("caseIssued", { code: created.code, lookupSecret: created.lookupSecret });
          this.#elsewhere?.caseIssuedElsewhere(reception.bookingId, { code: created.code, lookupSecret: created.lookupSecret });
        }
        this.#logger.info({ sessionId: reception.id, caseId: created.caseId }, "case filed from a reception");
        return { caseId: created.caseId, code: created.code };
      },
    };
  }

  /** The chair ends the room: a reception session is closed too, and its waiting room goes. */
  async ended(roomId: string, session: Session): Promise<void> {
    const reception = await this.#reception.sessions.findByRoom(roomId);
    this.#lobbies.delete(roomId);
    if (reception && reception.status !== "ended") await this.#reception.sessions.end(session.actor, reception.id, new Date());
  }

  #lobby(reception: SessionDto): RoomLobby {
    let lobby = this.#lobbies.get(reception.roomId);
    if (!lobby) {
      lobby = new RoomLobby(reception);
      this.#lobbies.set(reception.roomId, lobby);
    }
    return lobby;
  }

  /**
   * Notes a peer whose media shows the citizen: the citizen joined by link, or at an office an account of
   * the local reception office. One joining while the consent stands withdrawn is never recorded.
   */
  async #noteCitizenPeer(reception: SessionDto, session: Session): Promise<void> {
    const membership = session.membership;
    if (!membership) return;
    const { actor } = session;
    let citizen = actor.guest !== undefined && actor.guest.bookingId === reception.bookingId;
    if (!citizen && reception.shape === "office") {
      const offices = reception.units.filter((place) => place.role === "office").map((place) => place.unitId);
      const paths = await this.#db.unit.findMany({ where: { id: { in: offices } }, select: { path: true } });
      citizen = paths.some((office) => actor.unitPath.startsWith(office.path));
    }
    if (!citizen) return;
    const lobby = this.#lobby(reception);
    lobby.room = membership.room;
    lobby.citizenPeers.add(membership.peer.id);
    if (lobby.consent === false) await membership.room.stopRecordingPeer(membership.peer.id);
  }

  /** The citizen withdrew their consent: their media stops being recorded at once, the rest of the room may go on. */
  async #consentWithdrawn(lobby: RoomLobby): Promise<void> {
    const room = lobby.room;
    if (!room || room.closed || lobby.citizenPeers.size === 0) return;
    const recordingId = await this.#recordings.stopRecordingPeers(room, [...lobby.citizenPeers], new Date());
    if (recordingId) this.#logger.info({ sessionId: lobby.session.id, recordingId }, "consent withdrawn: the citizen's media is no longer recorded");
  }

  #announce(roomId: string, lobby: RoomLobby): void {
    this.#io.to(this.#channels.staff(roomId)).emit("lobby", lobby.snapshot());
  }

  #guestOf(session: Session): string {
    const bookingId = session.actor.guest?.bookingId;
    if (!bookingId) throw new AppError("FORBIDDEN");
    return bookingId;
  }

  async #sessionOfBooking(bookingId: string): Promise<SessionDto | null> {
    const row = await this.#db.receptionSession.findUnique({ where: { bookingId }, select: { roomId: true } });
    const reception = row ? await this.#reception.sessions.findByRoom(row.roomId) : null;
    return reception && reception.status !== "ended" ? reception : null;
  }

  /** The caller receives in this reception room (its host, or a leader over the unit). */
  async #chairOf(session: Session): Promise<{ roomId: string; reception: SessionDto }> {
    const { room } = currentMembership(session);
    const reception = await this.#reception.sessions.findByRoom(room.id);
    if (!reception) throw new AppError("NOT_FOUND", { detail: "this room is not a reception session" });
    chairMembership(session, this.#moderation);
    return { roomId: room.id, reception };
  }
}
