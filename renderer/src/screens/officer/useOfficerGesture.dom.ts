import { useCallback, useRef } from 'react';
import { useNav } from '../../nav.tsx';

/** Five taps within this long open the officer desk. A citizen's taps on the office name are never that many, that fast. */
export const OFFICER_TAPS = 5;
export const OFFICER_TAP_WINDOW_MS = 2_500;

/**
 * The officer desk's discreet control: five quick taps on the office name in the header (the
 * emblem corner is technician mode's long press). Not a keyboard shortcut; nothing visible.
 */
export function useOfficerGesture(): () => void {
  const nav = useNav();
  const taps = useRef<number[]>([]);
  return useCallback(() => {
    const now = Date.now();
    taps.current = [...taps.current.filter((at) => now - at < OFFICER_TAP_WINDOW_MS), now];
    if (taps.current.length >= OFFICER_TAPS) {
      taps.current = [];
      if (nav.route.name !== 'officer') nav.go('officer');
    }
  }, [nav]);
}
