import { createContext, useContext, useEffect } from 'react';

/** What every screen gets from the route that opened it. */
export interface RouteProps {
  params: Record<string, unknown>;
}

export interface Route {
  name: string;
  params?: Record<string, unknown>;
}

export interface Nav {
  route: Route;
  go(name: string, params?: Record<string, unknown>): void;
  back(): void;
  /** Ends the citizen's session: wipes what they entered and returns to the home screen. */
  home(): void;
}

export const NavContext = createContext<Nav | null>(null);

export function useNav(): Nav {
  const nav = useContext(NavContext);
  if (!nav) throw new Error('useNav outside NavContext');
  return nav;
}

/** Holds the citizen's idle time-out (`true`) or lets it count again (`false`). */
export const SessionHoldContext = createContext<(held: boolean) => void>(() => undefined);

/**
 * For a screen that keeps its own clock with its own warning and "Thêm thời gian" (the
 * VietQR wait): while `active`, the session's idle time-out does not interrupt it.
 */
export function useSessionHold(active: boolean) {
  const hold = useContext(SessionHoldContext);
  useEffect(() => {
    if (!active) return;
    hold(true);
    return () => hold(false);
  }, [active, hold]);
}
