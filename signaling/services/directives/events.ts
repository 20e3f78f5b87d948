import type { Db } from "../../db/client";

/**
 * The moments of the follow-up that other parts subscribe to: emitted in one place, after the rows are
 * committed. A listener that throws is reported through `onError` and never undoes or fails the operation
 * that emitted. What must not be lost with a crash after the commit (the assignment mail) is not a
 * listener but an `AssignmentRecorder`, run inside the directive's transaction.
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

export type DirectiveAssigned = Extract<DirectiveEvent, { type: "directiveAssigned" }>;

/** The transaction a directive is written in. */
export type DirectiveTransaction = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * Work that commits or rolls back with a directive's tasks, written through the directive's transaction:
 * the assignment mail (the mail queue is a table of the same database, services/mail/directiveMail.ts).
 */
export type AssignmentRecorder = (tx: DirectiveTransaction, assignment: DirectiveAssigned) => Promise<unknown>;

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
