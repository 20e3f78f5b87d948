import { useEffect, useState, useSyncExternalStore } from "react";
import type { ClientRequestName, Lobby, RequestInput, Response } from "../../../signaling/protocol";
import type { RoomClient } from "../media/RoomClient";
import { request, type SignalingSocket } from "../media/signaling";
import { Store } from "../media/Store";

/** What a reception visit is about, as the officer declares it at an office. */
export type DeclaredKind = NonNullable<RequestInput<"recordOfficeConsent">["petitionKind"]>;

/**
 * The receiving staff's calls in a reception room (let the citizen in, the office consent, file the case,
 * ask for the citizen's confirmation) and the waiting room the server sends there. They travel over the
 * room's own socket, but are no part of the media session: RoomClient carries media, this carries reception.
 */
export class ReceptionRoomApi {
  /** The reception's waiting room and the citizen's consent; null outside a reception room. */
  readonly store = new Store<Lobby | null>(null);
  readonly #room: RoomClient;
  #socket: SignalingSocket | null = null;
  readonly #onLobby = (lobby: Lobby) => this.store.update(() => lobby);

  constructor(room: RoomClient) {
    this.#room = room;
  }

  /** Listens on every socket the room opens; returns the way to stop (a component's cleanup). */
  attach(): () => void {
    const detach = this.#room.attachToSocket((socket) => {
      this.#socket?.off("lobby", this.#onLobby);
      this.#socket = socket;
      // A new socket is a new room: the last reception's waiting room is not this room's.
      this.store.update(() => null);
      socket.on("lobby", this.#onLobby);
    });
    return () => {
      detach();
      this.#socket?.off("lobby", this.#onLobby);
      this.#socket = null;
    };
  }

  async admitGuest(bookingId: string): Promise<void> {
    await this.#send("admitGuest", { bookingId });
  }

  /** At an office the officer answers for the citizen, with what the visit is about (declared before any recording). */
  async recordOfficeConsent(accepted: boolean, petitionKind?: DeclaredKind): Promise<void> {
    await this.#send("recordOfficeConsent", { accepted, ...(petitionKind ? { petitionKind } : {}) });
  }

  async requestConfirmation(entryId: string): Promise<void> {
    await this.#send("requestConfirmation", { entryId });
  }

  /** Files a case from the reception; the citizen is shown its code. Resolves the code, or null. */
  async issueCase(summary: string): Promise<string | null> {
    return (await this.#send("issueCase", { summary }))?.code ?? null;
  }

  /** A refusal shows on the room's error line, as before the split; resolves null then (or outside a room). */
  async #send<E extends ClientRequestName>(event: E, payload: RequestInput<E>): Promise<Response<E> | null> {
    const socket = this.#room.socket;
    if (!socket) return null;
    try {
      return await request(socket, event, payload);
    } catch (error) {
      this.#room.showError(error);
      return null;
    }
  }
}

/** The reception calls for a page's room client, listening while the page is mounted, and the current waiting room. */
export function useReceptionRoom(room: RoomClient): [Lobby | null, ReceptionRoomApi] {
  const [api] = useState(() => new ReceptionRoomApi(room));
  useEffect(() => api.attach(), [api]);
  const lobby = useSyncExternalStore(api.store.subscribe, api.store.getSnapshot);
  return [lobby, api];
}
