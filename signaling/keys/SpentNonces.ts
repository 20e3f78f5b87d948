/**
 * The nonces of signed messages already accepted, each kept until its message would be stale anyway: what
 * makes a captured proof or message useless a second time (media-node connection proofs, messages between
 * signaling processes). Sweeps in insertion order, which is nearly sending order, so a sweep stops at the
 * first nonce still within its window.
 */
export class SpentNonces {
  readonly #staleAt = new Map<string, number>();

  get size(): number {
    return this.#staleAt.size;
  }

  /** Forgets the nonces whose messages are stale by `now`. */
  sweep(now: number): void {
    for (const [nonce, staleAt] of this.#staleAt) {
      if (staleAt >= now) break;
      this.#staleAt.delete(nonce);
    }
  }

  has(nonce: string): boolean {
    return this.#staleAt.has(nonce);
  }

  spend(nonce: string, staleAt: number): void {
    this.#staleAt.set(nonce, staleAt);
  }
}
