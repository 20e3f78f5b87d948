/** Who comes first in the grid, and which page of it is on screen. Pure, so it is tested alone. */

export interface TileOrderInput {
  /** Remote peers in join order. */
  peerIds: readonly string[];
  spotlightPeerId: string | null;
  chairPeerIds: readonly string[];
  /** Most recent dominant speaker first. */
  recentSpeakers: readonly string[];
}

/** Spotlight, then chairs, then the most recent speakers (last-N), then everyone else in join order. */
export function orderTiles({ peerIds, spotlightPeerId, chairPeerIds, recentSpeakers }: TileOrderInput): string[] {
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
