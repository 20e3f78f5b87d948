/**
 * Which media nodes placement may use now. Placement prefers the least-loaded node, and a node whose calls
 * fail keeps no consumers, so without this a broken node would look like the best one again and again.
 * After a failure a node sits out a back-off period (doubling with each failure in a row, up to a cap);
 * an answer that is ours (success, or an object already gone there) makes the next back-off short again
 * but does not end the current one: a node that fails to open routers while still answering other calls
 * stays out for at least the base period after each failure.
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 5_000, maxMs: 60_000 };

export class NodeHealth {
  readonly #options: BackoffOptions;
  readonly #nodes = new Map<string, { failures: number; outUntil: number }>();

  constructor(options: BackoffOptions = DEFAULT_BACKOFF) {
    this.#options = options;
  }

  failed(nodeId: string, now = Date.now()): number {
    const state = this.#nodes.get(nodeId) ?? { failures: 0, outUntil: 0 };
    state.failures++;
    const backoff = Math.min(this.#options.maxMs, this.#options.baseMs * 2 ** Math.min(state.failures - 1, 16));
    state.outUntil = Math.max(state.outUntil, now + backoff);
    this.#nodes.set(nodeId, state);
    return backoff;
  }

  succeeded(nodeId: string): void {
    const state = this.#nodes.get(nodeId);
    if (state) state.failures = 0;
  }

  usable(nodeId: string, now = Date.now()): boolean {
    const state = this.#nodes.get(nodeId);
    return !state || now >= state.outUntil;
  }

  /** A node no longer listed: nothing to remember. */
  forget(nodeId: string): void {
    this.#nodes.delete(nodeId);
  }
}
