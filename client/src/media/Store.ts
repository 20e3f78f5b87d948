/**
 * A value that React components read with useSyncExternalStore. Updates replace the value, so a
 * snapshot never changes under a render.
 */
export class Store<T> {
  #value: T;
  readonly #listeners = new Set<() => void>();

  constructor(initial: T) {
    this.#value = initial;
  }

  readonly getSnapshot = (): T => this.#value;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  update(change: (current: T) => T): void {
    this.#value = change(this.#value);
    for (const listener of this.#listeners) listener();
  }
}
