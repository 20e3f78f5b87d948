import type { SessionResponse, SessionUser } from "../../../signaling/protocol";
import { ApiError, apiFetch } from "../api/http";
import { Store } from "../media/Store";

export interface AuthView {
  /** "unknown" while the saved session is being restored at start-up. */
  status: "unknown" | "signedOut" | "signedIn";
  user: SessionUser | null;
}

/** Refresh this long before the access token expires, so requests never race the expiry. */
const REFRESH_MARGIN_MS = 60_000;

/**
 * The signed-in session: the short-lived access token lives only in memory; the refresh token is an
 * httpOnly cookie the page cannot read, so a reload restores the session through /auth/refresh.
 */
export class AuthSession {
  readonly store = new Store<AuthView>({ status: "unknown", user: null });
  #accessToken: string | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #refreshing: Promise<boolean> | null = null;

  get accessToken(): string | null {
    return this.#accessToken;
  }

  async restore(): Promise<void> {
    if (!(await this.refresh())) this.#signedOut();
  }

  async login(username: string, password: string): Promise<void> {
    this.#accept(await apiFetch<SessionResponse>("POST", "/auth/login", { body: { username, password } }));
  }

  /** One refresh at a time; resolves false when the session is over. */
  refresh(): Promise<boolean> {
    this.#refreshing ??= apiFetch<SessionResponse>("POST", "/auth/refresh")
      .then((session) => {
        this.#accept(session);
        return true;
      })
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 401) this.#signedOut();
        return false;
      })
      .finally(() => {
        this.#refreshing = null;
      });
    return this.#refreshing;
  }

  async logout(): Promise<void> {
    await apiFetch("POST", "/auth/logout").catch(() => undefined);
    this.#signedOut();
  }

  /** An authenticated REST call; an expired token is refreshed once and the call repeated. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    try {
      return await apiFetch<T>(method, path, { token: this.#accessToken, ...(body === undefined ? {} : { body }) });
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401 && error.code === "UNAUTHENTICATED")) throw error;
      if (!(await this.refresh())) throw error;
      return apiFetch<T>(method, path, { token: this.#accessToken, ...(body === undefined ? {} : { body }) });
    }
  }

  #accept(session: SessionResponse): void {
    this.#accessToken = session.accessToken;
    this.store.update(() => ({ status: "signedIn", user: session.user }));
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.refresh(), Math.max(5_000, session.expiresIn * 1000 - REFRESH_MARGIN_MS));
  }

  #signedOut(): void {
    this.#accessToken = null;
    clearTimeout(this.#timer);
    this.store.update(() => ({ status: "signedOut", user: null }));
  }
}
