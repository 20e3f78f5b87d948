import type { Locale, ServerEvent } from "../../../signaling/protocol";
import { errorCodeOf } from "../api/errorCode";
import { apiFetch } from "../api/http";
import { openSocket, request, type SignalingSocket, whenConnected } from "../media/signaling";
import type { RoomCredentials } from "../media/RoomClient";
import { Store } from "../media/Store";

/** Where the citizen is on the way into the reception. */
export type GuestPhase = "claiming" | "failed" | "notOpen" | "waiting" | "consent" | "room" | "left";

export interface GuestPass {
  guestToken: string;
  displayName: string;
  unitName: string;
  bookingCode: string;
  startsAt: string;
  endsAt: string;
}

export interface GuestView {
  phase: GuestPhase;
  errorCode: string | null;
  pass: GuestPass | null;
  /** Whether the officer's side plans to record (a denunciation is never recorded). */
  recordingPlanned: boolean;
  /** The citizen's answer to the recording notice. */
  consent: boolean | null;
  roomId: string | null;
  caseIssued: ServerEvent<"caseIssued"> | null;
  confirmation: ServerEvent<"confirmationRequested"> | null;
  confirmedEntryIds: string[];
}

const initialView: GuestView = {
  phase: "claiming",
  errorCode: null,
  pass: null,
  recordingPlanned: true,
  consent: null,
  roomId: null,
  caseIssued: null,
  confirmation: null,
  confirmedEntryIds: [],
};

/** The session is not open yet: ask again this often (the officer may open it any minute). */
const NOT_OPEN_RETRY_MS = 5_000;

const storageKey = (bookingId: string) => `cau-noi-guest:${bookingId}`;

/**
 * A citizen's way in, without an account: the booking's one-time link becomes a guest pass (kept for
 * this browser tab, so a reload does not need the spent link), then the waiting room, the officer's
 * admission and the recording notice. The room itself is a RoomClient using `credentials`.
 */
export class GuestLobby implements RoomCredentials {
  readonly store = new Store<GuestView>(initialView);
  readonly #locale: () => Locale;
  #socket: SignalingSocket | null = null;
  #retry: ReturnType<typeof setTimeout> | undefined;

  constructor(locale: () => Locale) {
    this.#locale = locale;
  }

  /** The room's handshake uses the guest pass. */
  get accessToken(): string | null {
    return this.store.getSnapshot().pass?.guestToken ?? null;
  }

  /** A guest pass cannot be renewed: a new link would be needed. */
  async refresh(): Promise<boolean> {
    return false;
  }

  async start(bookingId: string, token: string | null): Promise<void> {
    const pass = await this.#pass(bookingId, token);
    if (!pass) return;
    this.store.update((view) => ({ ...view, pass }));
    const socket = openSocket(this.#locale, () => pass.guestToken);
    this.#socket = socket;
    socket.on("admitted", ({ recordingPlanned }) => this.store.update((view) => ({ ...view, phase: view.phase === "room" ? "room" : "consent", recordingPlanned })));
    socket.on("caseIssued", (issued) => this.store.update((view) => ({ ...view, caseIssued: issued })));
    socket.on("confirmationRequested", (confirmation) => this.store.update((view) => ({ ...view, confirmation })));
    // After a dropped connection the citizen goes back to where they were (the server still knows them).
    socket.on("connect", () => {
      if (this.store.getSnapshot().phase !== "room") void this.#enter();
    });
    try {
      await whenConnected(socket);
    } catch (error) {
      this.#fail(error);
    }
  }

  /** The citizen's answer to the recording notice; either way they then join (the officer decides). */
  async answer(accepted: boolean): Promise<string | null> {
    if (!this.#socket) return null;
    try {
      const { roomId } = await request(this.#socket, "answerConsent", { accepted });
      this.store.update((view) => ({ ...view, consent: accepted, roomId, phase: "room" }));
      return roomId;
    } catch (error) {
      this.#fail(error);
      return null;
    }
  }

  async confirm(entryId: string): Promise<void> {
    if (!this.#socket) return;
    try {
      await request(this.#socket, "confirmEntry", { entryId });
      this.store.update((view) => ({ ...view, confirmation: null, confirmedEntryIds: [...view.confirmedEntryIds, entryId] }));
    } catch (error) {
      this.store.update((view) => ({ ...view, errorCode: errorCodeOf(error) }));
    }
  }

  left(): void {
    this.store.update((view) => ({ ...view, phase: "left" }));
  }

  close(): void {
    clearTimeout(this.#retry);
    this.#socket?.disconnect();
    this.#socket = null;
  }

  async #enter(): Promise<void> {
    const socket = this.#socket;
    if (!socket) return;
    clearTimeout(this.#retry);
    try {
      const { status } = await request(socket, "enterLobby", {});
      if (status === "notOpen") this.#retry = setTimeout(() => void this.#enter(), NOT_OPEN_RETRY_MS);
      this.store.update((view) => ({
        ...view,
        errorCode: null,
        phase: status === "admitted" ? (view.consent === null ? "consent" : view.phase) : status,
      }));
    } catch (error) {
      this.#fail(error);
    }
  }

  async #pass(bookingId: string, token: string | null): Promise<GuestPass | null> {
    const saved = sessionStorage.getItem(storageKey(bookingId));
    if (saved) return JSON.parse(saved) as GuestPass;
    if (!token) {
      this.store.update((view) => ({ ...view, phase: "failed", errorCode: "JOIN_LINK_INVALID" }));
      return null;
    }
    try {
      const pass = await apiFetch<GuestPass>("POST", "/public/reception/join", { body: { bookingId, token } });
      sessionStorage.setItem(storageKey(bookingId), JSON.stringify(pass));
      return pass;
    } catch (error) {
      this.#fail(error);
      return null;
    }
  }

  #fail(error: unknown): void {
    this.store.update((view) => ({ ...view, phase: "failed", errorCode: errorCodeOf(error) }));
  }
}
