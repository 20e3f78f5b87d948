import type { ErrorBody } from "./errors";

/** Every acknowledged socket event answers with exactly one of these. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
export type AckCallback<T> = (response: Ack<T>) => void;
