/**
 * The moments of the follow-up that other parts subscribe to (the mail queue of issue 19 item 5 will send
 * assignments and reminders from here): emitted in one place, after the rows are committed. A listener that
 * throws is reported through `onError` and never undoes or fails the operation that emitted.
 */
export type DirectiveEvent =
  | {
      type: "directiveAssigned";
      taskId: string;
      directiveId: string;
      meetingId: string;
      unitId: string;
      dueDate: string;
      text: string;
      expectedReport: string;
    }
  | { type: "taskReported"; taskId: string; directiveId: string; unitId: string; kind: "progress" | "done"; authorId: string };

export type DirectiveListener = (event: DirectiveEvent) => void | Promise<void>;

export class DirectiveEvents {
  readonly #listeners = new Set<DirectiveListener>();
  readonly #onError: (error: unknown, event: DirectiveEvent) => void;

  constructor(onError: (error: unknown, event: DirectiveEvent) => void = () => undefined) {
    this.#onError = onError;
  }

  /** Subscribes; returns the unsubscribe function. */
  on(listener: DirectiveListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: DirectiveEvent): void {
    for (const listener of this.#listeners) {
      try {
        const result = listener(event);
        if (result instanceof Promise) result.catch((error: unknown) => this.#onError(error, event));
      } catch (error) {
        this.#onError(error, event);
      }
    }
  }
}
