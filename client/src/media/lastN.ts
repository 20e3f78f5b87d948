/**
 * Last-N: the one owner of which remote cameras this page receives. A province-wide briefing has 40–166
 * sites; an old commune PC cannot decode them all, so only N camera videos are forwarded to it (paused on
 * the server otherwise, so no byte crosses the link and nothing is decoded). Pure, so it is tested alone.
 *
 * Who gets a slot, in order:
 * 1. the pinned sites on screen — the spotlight, the site holding the floor, the chairs — always, even past
 *    N (a giao ban is watched through them; granting the floor must start that site's video at once);
 * 2. the most recent speakers on screen;
 * 3. those that already hold a slot (a quiet room keeps its pictures), then the other tiles on screen in the
 *    order the page shows them (a quiet room still shows N pictures).
 * A site whose camera is off takes no slot (it would only waste one on a placeholder).
 * A shared screen is never subject to last-N (it is the presentation everyone watches) and does not take a
 * slot; audio never is (everyone hears everyone the chair allows): see `consumerWanted`.
 *
 * Hysteresis: a site that got a slot keeps it for at least `holdMs`, so two sites talking in turn do not
 * swap pictures on every change of speaker; the newer speaker takes the slot once the hold ends
 * (`recheckAt` says when to ask again). Pinned sites and a smaller N are not held back by it.
 */

/** Camera videos a PC receives by default: the featured tile and the rail (or an even grid) of one page. */
export const LAST_N_DEFAULT = 9;
/** On a narrow (phone) screen: tiles are small and the device weak. */
export const LAST_N_NARROW = 4;
/** CSS pixels up to which a screen counts as narrow. */
export const NARROW_SCREEN_MAX = 600;
/** The choices the room offers; a stored value outside them falls back to the screen's default. */
export const LAST_N_CHOICES = [1, 2, 4, 6, 9, 16] as const;
/** How long a site keeps its slot before a newer speaker may take it. */
export const LAST_N_HOLD_MS = 5_000;

/** N for this screen: the user's choice if valid, else the screen's default. */
export function lastNFor(choice: number | null, screenWidth: number): number {
  if (choice !== null && (LAST_N_CHOICES as readonly number[]).includes(choice)) return choice;
  return screenWidth <= NARROW_SCREEN_MAX ? LAST_N_NARROW : LAST_N_DEFAULT;
}

/** Reads a stored choice (localStorage text, a URL parameter): a whole number among the choices, or null. */
export function parseLastNChoice(text: string | null | undefined): number | null {
  if (text === null || text === undefined || !/^\d{1,2}$/.test(text.trim())) return null;
  const value = Number(text.trim());
  return (LAST_N_CHOICES as readonly number[]).includes(value) ? value : null;
}

export interface LastNInput {
  /** Remote peers whose tiles are on screen, in the order the page shows them (featured first). */
  onScreen: readonly string[];
  spotlightPeerId: string | null;
  floorPeerId: string | null;
  chairPeerIds: readonly string[];
  /** Dominant speakers, most recent first. */
  recentSpeakers: readonly string[];
  /** Peers on screen with no camera to receive (off, or not sent yet): they take no slot unless pinned. */
  withoutCamera?: readonly string[];
  /** Camera videos this page may receive. */
  n: number;
  /** Milliseconds, any monotonic clock (Date.now()). */
  now: number;
  holdMs?: number;
}

/** Who holds a slot and since when; a fresh page starts from `emptyLastN`. */
export interface LastNState {
  readonly since: ReadonlyMap<string, number>;
}

export const emptyLastN: LastNState = { since: new Map() };

export interface LastNDecision {
  state: LastNState;
  /** Peers whose camera video this page receives: pinned first, then the others in slot order. */
  video: string[];
  /** When a held slot frees up and a waiting speaker could take it; null when nobody waits. */
  recheckAt: number | null;
}

export function decideLastN(input: LastNInput, previous: LastNState): LastNDecision {
  const holdMs = input.holdMs ?? LAST_N_HOLD_MS;
  const onScreen = new Set(input.onScreen);
  const pinned = unique([input.spotlightPeerId, input.floorPeerId, ...input.chairPeerIds].filter((id): id is string => id !== null && onScreen.has(id)));
  const pinnedSet = new Set(pinned);
  const slots = Math.max(0, Math.floor(input.n) - pinned.length);

  // Everyone else on screen with a camera, best first: recent speakers, those holding a slot, then the page's order.
  const noCamera = new Set(input.withoutCamera ?? []);
  const holding = input.onScreen.filter((id) => previous.since.has(id));
  const ranked = unique([...input.recentSpeakers.filter((id) => onScreen.has(id)), ...holding, ...input.onScreen]).filter((id) => !pinnedSet.has(id) && !noCamera.has(id));
  const rank = new Map(ranked.map((id, index) => [id, index]));
  const desired = new Set(ranked.slice(0, slots));

  const holders = [...previous.since.keys()].filter((id) => rank.has(id));
  const keep = holders.filter((id) => desired.has(id));
  // A holder a better candidate would displace stays while its hold lasts.
  const held = holders
    .filter((id) => !desired.has(id) && input.now - (previous.since.get(id) ?? 0) < holdMs)
    .sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0));
  const taken = [...keep, ...held].sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0)).slice(0, slots);
  const takenSet = new Set(taken);
  const newcomers = ranked.filter((id) => desired.has(id) && !takenSet.has(id)).slice(0, slots - taken.length);
  const members = [...taken, ...newcomers].sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0));

  const since = new Map<string, number>();
  for (const id of pinned) since.set(id, previous.since.get(id) ?? input.now);
  for (const id of members) since.set(id, previous.since.get(id) ?? input.now);
  // Someone wanted waits behind a held slot: ask again when the first of those holds ends.
  const waiting = ranked.some((id) => desired.has(id) && !since.has(id));
  const heldKept = members.filter((id) => !desired.has(id));
  const recheckAt = waiting && heldKept.length > 0 ? Math.min(...heldKept.map((id) => (since.get(id) ?? input.now) + holdMs)) : null;
  return { state: { since }, video: [...pinned, ...members], recheckAt };
}

export interface ConsumerFacts {
  kind: "audio" | "video";
  source: "mic" | "webcam" | "screen";
  peerId: string;
}

/**
 * Whether this page takes a consumer's stream: audio always; a shared screen unless the page is in
 * weak-link audio-only mode; a camera only when its site is in the last-N set (null: no set yet, all).
 */
export function consumerWanted(consumer: ConsumerFacts, { audioOnly, video }: { audioOnly: boolean; video: ReadonlySet<string> | null }): boolean {
  if (consumer.kind === "audio") return true;
  if (audioOnly) return false;
  if (consumer.source === "screen") return true;
  return video === null || video.has(consumer.peerId);
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
