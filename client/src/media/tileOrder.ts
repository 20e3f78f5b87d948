/**
 * The one owner of the room's order: who is shown large, who comes first among the other tiles, which page
 * of them is on screen, and the order of the participant list. Pure, so it is tested alone.
 */

export interface TileOrderInput {
  /** Remote peers in join order. */
  peerIds: readonly string[];
  spotlightPeerId: string | null;
  /** The site holding the floor (it speaks now, so it comes right after the spotlight). */
  floorPeerId?: string | null;
  chairPeerIds: readonly string[];
  /** Most recent dominant speaker first. */
  recentSpeakers: readonly string[];
}

/** Spotlight, the floor, then chairs, then the most recent speakers (last-N), then everyone else in join order. */
export function orderTiles({ peerIds, spotlightPeerId, floorPeerId = null, chairPeerIds, recentSpeakers }: TileOrderInput): string[] {
  const present = new Set(peerIds);
  const ordered: string[] = [];
  const seen = new Set<string>();
  const take = (id: string | null) => {
    if (id && present.has(id) && !seen.has(id)) {
      seen.add(id);
      ordered.push(id);
    }
  };
  take(spotlightPeerId);
  take(floorPeerId);
  chairPeerIds.forEach(take);
  recentSpeakers.forEach(take);
  peerIds.forEach(take);
  return ordered;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageCount: number;
}

/** One page of the ordered tiles; a page number past the end shows the last page. */
export function pageOf<T>(items: readonly T[], pageSize: number, page: number): Page<T> {
  const pageCount = Math.max(1, Math.ceil(items.length / pageSize));
  const current = Math.min(Math.max(0, page), pageCount - 1);
  return { items: items.slice(current * pageSize, (current + 1) * pageSize), page: current, pageCount };
}

/** Keeps a most-recent-first list of speakers, bounded so it never grows with the meeting. */
export function noteSpeaker(recent: readonly string[], peerId: string, limit = 16): string[] {
  return [peerId, ...recent.filter((id) => id !== peerId)].slice(0, limit);
}

/**
 * Remote tiles per page. A featured tile (or a presentation) takes the main area and the others go to the
 * rail beside it: six small ones. Without one, two rows of four fill a 1366×768 screen. Either way an old
 * PC decodes at most eight video streams, whatever the number of sites.
 */
export const GRID_PAGE_SIZE = 8;
export const RAIL_PAGE_SIZE = 6;

export interface BriefingLayoutInput extends TileOrderInput {
  /** Someone presents a screen: the presentation is the large picture, so no tile is featured. */
  presenting: boolean;
  /** The page of the other tiles the user is on. */
  page: number;
}

export interface BriefingLayout {
  /**
   * The remote tile shown first and largest: the spotlight, else the site holding the floor, else a chair —
   * what every site of a giao ban watches. Pinned on every page. Null: an even grid (the chair's own page,
   * or a presentation).
   */
  featured: string | null;
  /** The other tiles of the current page, in order (in the rail beside the large picture, or the grid). */
  others: Page<string>;
  /** Whether the others go to the rail (a featured tile or a presentation holds the main area). */
  rail: boolean;
  /** Peers whose video is on screen: the featured one and the page (the server pauses the rest). */
  visible: string[];
}

export function briefingLayout(input: BriefingLayoutInput): BriefingLayout {
  const ordered = orderTiles(input);
  const present = new Set(input.peerIds);
  const candidates = [input.spotlightPeerId, input.floorPeerId ?? null, ...input.chairPeerIds];
  const featured = input.presenting ? null : (candidates.find((id): id is string => id !== null && present.has(id)) ?? null);
  const rail = featured !== null || input.presenting;
  const others = pageOf(
    ordered.filter((id) => id !== featured),
    rail ? RAIL_PAGE_SIZE : GRID_PAGE_SIZE,
    input.page,
  );
  return { featured, others, rail, visible: featured ? [featured, ...others.items] : others.items };
}

export interface ParticipantOrderInput {
  /** Remote peers in join order. */
  peerIds: readonly string[];
  chairPeerIds: readonly string[];
  /** Raised hands in the order they were raised. */
  hands: readonly string[];
  floorPeerId: string | null;
}

/**
 * The participant list as a chair acts from it: the site speaking, the chairs, then raised hands in the
 * order they were raised (the queue), then everyone else in join order.
 */
export function orderParticipants({ peerIds, chairPeerIds, hands, floorPeerId }: ParticipantOrderInput): string[] {
  return orderTiles({ peerIds, spotlightPeerId: null, floorPeerId, chairPeerIds, recentSpeakers: hands });
}
