import { useEffect, useState, useSyncExternalStore } from "react";
import type { DirectiveDto, Minutes, RequestInput, Response, ServerEvent } from "../../../signaling/protocol";
import type { RoomClient } from "../media/RoomClient";
import { request, type SignalingSocket } from "../media/signaling";
import { Store } from "../media/Store";

/** One invited unit of a scheduled briefing, present in the room or absent (the chair's list only). */
export type RosterUnit = ServerEvent<"roster">["units"][number];

export interface BriefingRoomState {
  /** The minutes as this site may see them: all of it for the chair and the secretary, else the directives addressed to it. */
  minutes: Minutes | null;
  /** The briefing's invited units, present or absent; the server sends them to the chairs only (null otherwise). */
  roster: RosterUnit[] | null;
}

const empty: BriefingRoomState = { minutes: null, roster: null };

/** The requests of the minutes: the chair's or the secretary's. */
export type MinutesRequest = "setSecretary" | "saveMinutesNotes" | "addConclusion" | "addDirective";

/**
 * What a briefing room carries beside its media: the minutes (notes, conclusions, directives, the secretary)
 * and the chair's list of invited units. They travel over the room's own socket (RoomClient.attachToSocket),
 * as a reception's calls do in liveReception/ReceptionRoomApi.ts; the media session knows nothing of them.
 */
export class BriefingRoomApi {
  readonly store = new Store<BriefingRoomState>(empty);
  readonly #room: RoomClient;
  #socket: SignalingSocket | null = null;
  readonly #onMinutes = (minutes: Minutes) => this.store.update((state) => ({ ...state, minutes }));
  readonly #onDirective = (directive: DirectiveDto) => this.#directiveIssued(directive);
  readonly #onRoster = ({ units }: ServerEvent<"roster">) => this.store.update((state) => ({ ...state, roster: units }));

  constructor(room: RoomClient) {
    this.#room = room;
  }

  /** Listens on every socket the room opens and fetches the minutes at every entry; returns the way to stop. */
  attach(): () => void {
    const detach = this.#room.attachToSocket((socket) => {
      this.#stopListening();
      this.#socket = socket;
      // A new socket is a new room: the last briefing's minutes and invited units are not this one's.
      this.store.update(() => empty);
      socket.on("minutes", this.#onMinutes);
      socket.on("directiveIssued", this.#onDirective);
      socket.on("roster", this.#onRoster);
    });
    const stopEntering = this.#room.onEntered((socket) => {
      // A reception room has no briefing minutes: the server refuses there, and the panel stays away.
      void request(socket, "getMinutes", {}).then(this.#onMinutes, () => undefined);
    });
    return () => {
      detach();
      stopEntering();
      this.#stopListening();
      this.#socket = null;
    };
  }

  /**
   * A request of the minutes (chair or secretary): the server's answer, or null after a refusal, which is
   * shown as the room's error. The minutes themselves come back by the `minutes` event.
   */
  async minutesRequest<E extends MinutesRequest>(event: E, payload: RequestInput<E>): Promise<Response<E> | null> {
    const socket = this.#room.socket;
    if (!socket) return null;
    try {
      const answer = await request(socket, event, payload);
      if (event === "setSecretary") this.#onMinutes(answer as Minutes);
      return answer;
    } catch (error) {
      this.#room.showError(error);
      return null;
    }
  }

  #directiveIssued(directive: DirectiveDto): void {
    this.store.update((state) => {
      if (!state.minutes) return state;
      const others = state.minutes.directives.filter((item) => item.id !== directive.id);
      return { ...state, minutes: { ...state.minutes, directives: [...others, directive].sort((a, b) => a.seq - b.seq) } };
    });
  }

  #stopListening(): void {
    this.#socket?.off("minutes", this.#onMinutes);
    this.#socket?.off("directiveIssued", this.#onDirective);
    this.#socket?.off("roster", this.#onRoster);
  }
}

/** The briefing calls for a page's room client, listening while the page is mounted, and their current state. */
export function useBriefingRoom(room: RoomClient): [BriefingRoomState, BriefingRoomApi] {
  const [api] = useState(() => new BriefingRoomApi(room));
  useEffect(() => api.attach(), [api]);
  const state = useSyncExternalStore(api.store.subscribe, api.store.getSnapshot);
  return [state, api];
}
