import { useEffect, useRef } from 'react';

/** How long the corner must be held. Long enough that a citizen's tap never opens it. */
export const LONG_PRESS_MS = 3_000;

/**
 * The discreet way into technician mode: press and hold the top-left corner (over the office
 * emblem) for three seconds. Invisible, not focusable, not announced: citizens never meet it.
 * (The officer desk uses its own, different control.)
 */
export function TechCorner({ onOpen }: { onOpen(): void }) {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const cancel = () => {
    clearTimeout(timer.current);
    timer.current = undefined;
  };
  useEffect(() => cancel, []);
  return (
    <div
      className="tech-corner"
      aria-hidden="true"
      data-testid="tech-corner"
      onPointerDown={() => {
        cancel();
        timer.current = setTimeout(onOpen, LONG_PRESS_MS);
      }}
      onPointerUp={cancel}
      onPointerLeave={cancel}
      onPointerCancel={cancel}
      onContextMenu={(e) => e.preventDefault()}
    />
  );
}
