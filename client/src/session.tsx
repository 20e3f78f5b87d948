import { createContext, useContext, useEffect, useState, useSyncExternalStore } from "react";
import type { ReactNode } from "react";
import { AuthSession, type AuthView } from "./auth/AuthSession";

const SessionContext = createContext<AuthSession | null>(null);

/** Owns the page's one AuthSession and restores a saved session (refresh cookie) at start-up. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session] = useState(() => new AuthSession());
  useEffect(() => {
    void session.restore();
  }, [session]);
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): [AuthView, AuthSession] {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside SessionProvider");
  return [useSyncExternalStore(session.store.subscribe, session.store.getSnapshot), session];
}
