import type { CitizenSecrets } from "../../auth/citizenSecrets";
import type { Db } from "../../db/client";
import type { CaseKind } from "../../domain/cases/workflow";
import { type Actor, authorize, receptionPolicy } from "../../policies";
import type {
  BookingReceipt,
  BookingStatus,
  ConfirmationMethod,
  CreateEntryInput,
  EntryDto,
  OpenSessionInput,
  PublicSlotDto,
  ReceptionStatistics,
  SessionDto,
  SlotMode,
  UpdateEntryInput,
} from "../../protocol";
import type { RecordingRefusal } from "../../domain/reception";
import { conclusionNoticePdf } from "../../reports/conclusionNoticePdf";
import { receptionBookPdf } from "../../reports/receptionBookPdf";
import { receptionBookXlsx } from "../../reports/receptionBookXlsx";
import type { IncomingFile, UploadAllowance } from "../attachments/attachments";
import type { CaseService } from "../cases/cases";
import { ReceptionBook } from "./book";
import { type BookingForSession, type JoinLinkGrant, ReceptionBookings } from "./bookings";
import { ReceptionSchedules } from "./schedules";
import { ReceptionSessions } from "./sessions";
import type { RequestMeta } from "./shared";
import { receptionStatistics } from "./receptionStatistics";

export type { BookingForSession, JoinLinkGrant } from "./bookings";
export { JOIN_PAGE_PATH } from "./bookings";

type ScheduleInput = Parameters<ReceptionSchedules["create"]>[1];
type SchedulePatch = Parameters<ReceptionSchedules["update"]>[2];
type BookingInput = Parameters<ReceptionBookings["book"]>[0];

export interface ExportedFile {
  file: Buffer;
  fileName: string;
  contentType: string;
}

const CONTENT_TYPES = { xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", pdf: "application/pdf" } as const;

/**
 * Citizen reception (tiếp công dân), in one place for the REST routes and the live-session part:
 * schedules and slots, citizens' bookings and one-time join links, sessions with consent, recording and
 * case, the reception book with its exports, and the reception figures. Each concern lives in its own
 * module of services/reception/; this class only puts them together. Holds no state of its own
 * beyond the database, so several instances (REST, realtime) may exist side by side.
 */
export class ReceptionService {
  readonly #db: Db;
  readonly #schedules: ReceptionSchedules;
  readonly #bookings: ReceptionBookings;
  readonly #sessions: ReceptionSessions;
  readonly #book: ReceptionBook;
  readonly #protectedListeners: ((session: { id: string; roomId: string }) => Promise<void>)[] = [];

  constructor(db: Db, deps: { cases: CaseService; secrets: CitizenSecrets; dataDir: string; joinOpensMinutes?: number; recordDenunciations?: boolean }) {
    this.#db = db;
    this.#schedules = new ReceptionSchedules(db);
    this.#bookings = new ReceptionBookings(db, deps.dataDir, deps.secrets, deps.joinOpensMinutes);
    this.#sessions = new ReceptionSessions(db, deps.cases, { recordDenunciations: deps.recordDenunciations ?? false });
    this.#book = new ReceptionBook(db);
  }

  // ── Schedules and slots ──
  listSchedules = (actor: Actor, unitId?: string) => this.#schedules.list(actor, unitId);
  createSchedule = (actor: Actor, input: ScheduleInput, meta: RequestMeta) => this.#schedules.create(actor, input, meta);
  updateSchedule = (actor: Actor, scheduleId: string, patch: SchedulePatch, meta: RequestMeta) => this.#schedules.update(actor, scheduleId, patch, meta);
  generateSlots = (actor: Actor, scheduleId: string, request: { from: string; to: string; mode: SlotMode }, meta: RequestMeta) => this.#schedules.generateSlots(actor, scheduleId, request, meta);
  listSlots = (actor: Actor, query: { unitId?: string | undefined; from?: string | undefined; to?: string | undefined }) => this.#schedules.listSlots(actor, query);
  listSlotBookings = (actor: Actor, slotId: string, meta: RequestMeta) => this.#bookings.listForSlot(actor, slotId, meta);
  openBookingAttachment = (actor: Actor, bookingId: string, attachmentId: string, meta: RequestMeta) => this.#bookings.openAttachment(actor, bookingId, attachmentId, meta);

  // ── Citizens (no account) ──
  publicUnits = (now: Date = new Date()) => this.#bookings.publicUnits(now);
  publicSlots = (unitId: string, now: Date = new Date()): Promise<PublicSlotDto[]> => this.#bookings.publicSlots(unitId, now);
  book = (input: BookingInput, meta: RequestMeta, now: Date = new Date()): Promise<BookingReceipt> => this.#bookings.book(input, meta, now);
  cancelBooking = (code: string, secret: string, now: Date = new Date()) => this.#bookings.cancel(code, secret, now);
  addBookingAttachment = (bookingId: string, secret: string, name: string, file: IncomingFile, allow: (unitId: string) => Promise<UploadAllowance>) =>
    this.#bookings.addAttachment(bookingId, secret, name, file, allow);

  // ── For the live session ──
  /**
   * Spends a booking's one-time join link and returns the booking and its slot. Refuses JOIN_LINK_INVALID
   * (unknown booking or wrong token), BOOKING_CANCELLED, JOIN_LINK_USED, JOIN_LINK_EXPIRED (after the
   * slot's end) and JOIN_LINK_NOT_YET (more than 30 minutes before its start; the link is not spent).
   */
  consumeJoinLink = (bookingId: string, token: string, now: Date): Promise<JoinLinkGrant> => this.#bookings.consumeJoinLink(bookingId, token, now);
  /** booked → admitted (let in from the waiting room); → received; → no_show. */
  markBooking = (bookingId: string, status: Extract<BookingStatus, "admitted" | "received" | "no_show">): Promise<BookingForSession> => this.#bookings.mark(bookingId, status);
  openSession = (actor: Actor, input: OpenSessionInput, meta: RequestMeta): Promise<SessionDto> => this.#sessions.open(actor, input, meta);
  listSessions = (actor: Actor, query: { unitId?: string | undefined; status?: string | undefined }) => this.#sessions.list(actor, query);
  readSession = (actor: Actor, sessionId: string) => this.#sessions.read(actor, sessionId);
  findSessionByRoom = (roomId: string) => this.#sessions.findByRoom(roomId);
  markSessionLive = (sessionId: string, at: Date) => this.#sessions.markLive(sessionId, at);
  endSession = (actor: Actor, sessionId: string, at: Date): Promise<SessionDto> => this.#sessions.end(actor, sessionId, at);
  recordConsent = (sessionId: string, given: boolean, at: Date, petitionKind?: CaseKind): Promise<SessionDto> => this.#sessions.recordConsent(sessionId, given, at, petitionKind);
  recordingRefusal = (sessionId: string): Promise<RecordingRefusal | null> => this.#sessions.recordingRefusal(sessionId);
  /** Whether a denunciation's session may be recorded at all (RECEPTION_RECORD_DENUNCIATIONS). */
  get recordsDenunciations(): boolean {
    return this.#sessions.recordsDenunciations;
  }
  linkRecording = (sessionId: string, recordingId: string): Promise<SessionDto> => this.#sessions.linkRecording(sessionId, recordingId);
  linkCase = (sessionId: string, caseId: string): Promise<SessionDto> => this.#sessions.linkCase(sessionId, caseId);
  createCaseFromSession = (actor: Actor, sessionId: string, input: { summary?: string | undefined; kind?: CaseKind | undefined }, meta: RequestMeta) =>
    this.#sessions.createCase(actor, sessionId, input, meta);

  // ── Reception book ──
  createEntry = async (actor: Actor, input: CreateEntryInput, meta: RequestMeta): Promise<EntryDto> => this.#afterEntry(await this.#book.create(actor, input, meta));
  updateEntry = async (actor: Actor, entryId: string, patch: UpdateEntryInput, meta: RequestMeta): Promise<EntryDto> => this.#afterEntry(await this.#book.update(actor, entryId, patch, meta));

  /**
   * The live side's hook: called (and awaited, before the entry is answered) when a book entry shows that
   * its session concerns a denunciation that may not be recorded, so a recording under way stops at once.
   */
  onSessionProtected(listener: (session: { id: string; roomId: string }) => Promise<void>): void {
    this.#protectedListeners.push(listener);
  }

  async #afterEntry(entry: EntryDto): Promise<EntryDto> {
    if (!entry.sessionId || this.#protectedListeners.length === 0) return entry;
    if ((await this.#sessions.recordingRefusal(entry.sessionId)) !== "RECORDING_NOT_ALLOWED") return entry;
    const session = await this.#db.receptionSession.findUnique({ where: { id: entry.sessionId }, select: { id: true, roomId: true } });
    if (session) for (const listener of this.#protectedListeners) await listener(session);
    return entry;
  }
  readEntry = (actor: Actor, entryId: string, meta: RequestMeta): Promise<EntryDto> => this.#book.read(actor, entryId, meta);
  listEntries = (actor: Actor, query: { unitId?: string | undefined; from?: string | undefined; to?: string | undefined }, page: { page: number; pageSize: number }, meta: RequestMeta) =>
    this.#book.list(actor, query, page, meta);
  /** The citizen's electronic confirmation of an entry (from the live session; the citizen has no account). */
  confirmEntry = (entryId: string, at: Date, method: ConfirmationMethod = "online_session") => this.#book.confirm(entryId, at, method);
  confirmEntryAsStaff = (actor: Actor, entryId: string, method: ConfirmationMethod, meta: RequestMeta): Promise<EntryDto> => this.#book.confirmAsStaff(actor, entryId, method, meta);
  concludeEntry = (actor: Actor, entryId: string, input: { conclusion: string; issuedAt?: string | undefined }, meta: RequestMeta): Promise<EntryDto> =>
    this.#book.conclude(actor, entryId, input, meta);

  async exportBook(actor: Actor, query: { unitId?: string | undefined; from: string; to: string; format: "pdf" | "xlsx" }, meta: RequestMeta): Promise<ExportedFile> {
    const { unit, entries } = await this.#book.forExport(actor, query, meta);
    const document = { unitName: unit.name, from: query.from, to: query.to, entries };
    const file = query.format === "pdf" ? await receptionBookPdf(document) : await receptionBookXlsx(document);
    return { file, fileName: `so-tiep-cong-dan-${query.from}-${query.to}.${query.format}`, contentType: CONTENT_TYPES[query.format] };
  }

  async conclusionNotice(actor: Actor, entryId: string, meta: RequestMeta): Promise<ExportedFile> {
    const { entry } = await this.#book.forConclusionNotice(actor, entryId, meta);
    return { file: await conclusionNoticePdf(entry), fileName: `thong-bao-ket-luan-tiep-cong-dan-${entry.receivedAt.slice(0, 10)}.pdf`, contentType: CONTENT_TYPES.pdf };
  }

  async statistics(actor: Actor, from: string, to: string): Promise<ReceptionStatistics> {
    authorize(receptionPolicy.readStatistics(actor));
    return receptionStatistics(this.#db, { unitId: actor.unitId, unitPath: actor.unitPath }, from, to);
  }
}
