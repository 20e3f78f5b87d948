/**
 * A site's link now, for the participant list and the tiles: `good`, `weak` or `bad`, from mediasoup's RTP
 * stream scores (0 = unusable … 10 = perfect; they fall with packet loss and retransmissions).
 *
 * Why the server's scores of what the site SENDS (its producers) rather than each browser's WebRTC stats:
 * the producer's score is measured by the SFU on the packets arriving from that site, so it is the site's own
 * link and the same figure for every viewer. A viewer's own stats would mix the viewer's downlink with the
 * sender's uplink (a chair on a weak link would see every site as weak), and would need every site to report
 * its stats. A site that sends nothing (a viewer, everything muted) is judged by what it receives instead.
 */
export type LinkLevel = "good" | "weak" | "bad";

/** At or above: no visible or audible trouble. */
const GOOD_FROM = 7;
/** Below this: broken audio, frozen video (the attendance summary's "poor" uses the same line). */
const BAD_BELOW = 5;

/** The level of the worst of a site's streams; null when it has none flowing (nothing to judge). */
export function linkLevel(scores: readonly number[]): LinkLevel | null {
  if (scores.length === 0) return null;
  const worst = Math.min(...scores);
  return worst >= GOOD_FROM ? "good" : worst >= BAD_BELOW ? "weak" : "bad";
}
