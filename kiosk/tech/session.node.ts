import type { Clock } from '../core/clock.ts';

/** Technician mode closes itself after this long without a technician call. */
export const TECH_IDLE_MS = 5 * 60_000;

/**
 * Whether technician mode is open. One kiosk, one screen: the state lives in the core, so a
 * reloaded renderer does not reopen it and every technician call is checked against it.
 */
export class TechSession {
  #lastActivity = 0;
  #open = false;

  constructor(
    private readonly clock: Clock,
    readonly idleMs = TECH_IDLE_MS,
  ) {}

  open(): { expiresAt: string } {
    this.#open = true;
    return this.touch();
  }

  close(): void {
    this.#open = false;
  }

  /** True while open and not idle; an idle session closes here. */
  isOpen(): boolean {
    if (this.#open && this.clock.now().getTime() - this.#lastActivity >= this.idleMs) this.#open = false;
    return this.#open;
  }

  touch(): { expiresAt: string } {
    this.#lastActivity = this.clock.now().getTime();
    return { expiresAt: new Date(this.#lastActivity + this.idleMs).toISOString() };
  }
}
