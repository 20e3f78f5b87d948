import type { PeerConsumer } from "./mediaObjects";

/**
 * A receiver's wish for a simulcast layer (its tile's size), held back while its consumer waits for the key
 * frame that starts its picture.
 *
 * Why: mediasoup starts forwarding a simulcast consumer only from a key frame of its *target* layer. A new target
 * before that frame arrives discards the key frame on its way and asks the camera for another one; Chrome ignores
 * a key-frame request that comes within ~300 ms of the previous one, and mediasoup repeats an unanswered request
 * only after 1 s. A tile that reports its size just after the join therefore cost over a second of black tile
 * (`npm run bench`, joinFirstFrame). Once a frame is out, a layer change keeps showing the old layer until the
 * new layer's key frame arrives, so applying it then costs nothing the user sees.
 */
export class LayerWishes {
  readonly #held = new WeakMap<PeerConsumer, number>();

  /** Starts following a simulcast or SVC consumer's layers (call once, when it is created). */
  watch(consumer: PeerConsumer): void {
    consumer.on("layerschange", (layers) => {
      if (!layers) return;
      const held = this.#held.get(consumer);
      if (held === undefined) return;
      this.#held.delete(consumer);
      if (consumer.closed || consumer.preferredLayers?.spatialLayer === held) return;
      // A consumer that closes meanwhile has no layer left to want.
      consumer.setPreferredLayers({ spatialLayer: held }).catch(() => undefined);
    });
  }

  /** True while the wish is held: the consumer is running and has not forwarded a frame yet. */
  async want(consumer: PeerConsumer, spatialLayer: number): Promise<boolean> {
    if (!consumer.paused && consumer.currentLayers === undefined) {
      this.#held.set(consumer, spatialLayer);
      return true;
    }
    this.#held.delete(consumer);
    await consumer.setPreferredLayers({ spatialLayer });
    return false;
  }

  /** The layer this consumer will take once it runs: the held wish, or the one mediasoup already has. */
  wanted(consumer: PeerConsumer): number | undefined {
    return this.#held.get(consumer) ?? consumer.preferredLayers?.spatialLayer;
  }
}
