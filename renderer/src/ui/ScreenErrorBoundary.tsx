import { Component, type ErrorInfo, type ReactNode } from 'react';

/** After this long on the message, the kiosk starts over at home. */
export const SCREEN_ERROR_RESET_MS = 3_000;

interface Props {
  /** What the citizen reads (already translated). */
  message: string;
  /** Tells the core (logged for technicians). */
  onError(error: Error, info: ErrorInfo): void;
  /** Starts a new session at home; the boundary is remounted with it. */
  onReset(): void;
  children: ReactNode;
}

/**
 * A screen that throws while drawing must not leave a blank kiosk in the hall: say so in plain
 * words, tell the core, and start over at the home screen. React needs a class for this.
 */
export class ScreenErrorBoundary extends Component<Props, { failed: boolean }> {
  override state = { failed: false };
  #timer: ReturnType<typeof setTimeout> | undefined;

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    this.props.onError(error, info);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.props.onReset(), SCREEN_ERROR_RESET_MS);
  }

  override componentWillUnmount(): void {
    clearTimeout(this.#timer);
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <main className="screen screen-error" role="alert" data-testid="screen-error">
        <p className="lead-text">⚠ {this.props.message}</p>
      </main>
    );
  }
}
