/**
 * Revoking an account's live authority (deactivated, re-roled, moved, password reset) has two halves:
 * the database update below makes every access token issued so far stale (see mount.ts, authenticate.ts),
 * and a `SessionRevoker` drops the account's open sockets now. REST and auth code depend on this
 * interface only; the real-time layer implements it (realtime/revocation.ts), so REST never imports socket code.
 */
export const staleTokens = { tokenVersion: { increment: 1 } } as const;

export interface SessionRevoker {
  /** After a change that applied `staleTokens` (in the caller's transaction): drop the account's sockets; returns how many. */
  disconnect(userId: string): number;
}
