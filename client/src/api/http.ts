import type { ErrorBody } from "../../../signaling/protocol";
import { currentLocale } from "../i18n";

/** A refused REST call: the server's stable code (or CONNECTION_FAILED) and its message. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: ErrorBody["details"],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface RequestOptions {
  body?: unknown;
  token?: string | null;
}

/** JSON over fetch to the same origin; the refresh cookie travels only to /api/auth by its own path. */
export async function apiFetch<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", "Accept-Language": currentLocale() };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      headers,
      credentials: "same-origin",
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
  } catch {
    throw new ApiError("CONNECTION_FAILED", "network error", 0);
  }
  const text = await response.text();
  const data: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const error = (data as { error?: ErrorBody } | undefined)?.error;
    throw new ApiError(error?.code ?? "INTERNAL", error?.message ?? response.statusText, response.status, error?.details);
  }
  return data as T;
}
