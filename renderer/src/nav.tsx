import { createContext, useContext } from 'react';

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
