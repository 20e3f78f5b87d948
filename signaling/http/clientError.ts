import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { AppError, errorBody, pickLocale } from "../errors";

/**
 * Requests node's HTTP parser refuses before express sees them (headers or URL over the 16 kB limit,
 * malformed request lines). Node would answer with an empty body; clients switch on the JSON error code,
 * so these get the same `{ error: { code, message } }` body as every other refusal.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // A reset connection cannot be answered; a half-written answer would only confuse the next request.
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === "HPE_HEADER_OVERFLOW";
  const status = tooLarge ? 431 : 400;
  const refusal = new AppError(tooLarge ? "PAYLOAD_TOO_LARGE" : "VALIDATION_FAILED", { detail: `request refused by the HTTP parser: ${error.code ?? error.message}` });
  // The headers (and so Accept-Language) were not parsed: answer in the default language.
  const body = JSON.stringify({ error: errorBody(refusal, pickLocale(undefined)) });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
